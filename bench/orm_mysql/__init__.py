"""Django's MySQL backend (mysqlclient), pointed at the test double by bench/orm.py."""
