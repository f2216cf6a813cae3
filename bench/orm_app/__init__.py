"""The models bench/orm.py measures (its tables are created by the script)."""
