"""The driver's option registry is read once per connection (driver.py).

singlestoredb looks up ``fusion.enabled`` and ``debug.queries`` for every
statement; django_singlestore's connection reads them when it is opened.
"""

import pytest
import singlestoredb
import singlestoredb.fusion.registry
import singlestoredb.utils.debug
from django.db import connection

from django_singlestore.base import DatabaseWrapper


@pytest.fixture
def wrapper():
    wrapper = DatabaseWrapper(dict(connection.settings_dict))
    yield wrapper
    wrapper.close()


@pytest.fixture
def option():
    """Set a driver option for the test; restore it afterwards."""
    saved = {}

    def set_option(name, value):
        saved.setdefault(name, singlestoredb.get_option(name))
        singlestoredb.set_option(name, value)

    yield set_option
    for name, value in saved.items():
        singlestoredb.set_option(name, value)


@pytest.mark.django_db(transaction=True)
def test_statements_do_not_consult_the_option_registry(wrapper, monkeypatch):
    wrapper.ensure_connection()
    looked_up = []

    def get_option(name):
        looked_up.append(name)
        return False

    for module in (singlestoredb.fusion.registry, singlestoredb.utils.debug):
        monkeypatch.setattr(module, "get_option", get_option)
    with wrapper.cursor() as cursor:
        for number in range(3):
            cursor.execute("SELECT %s", [number])
            assert cursor.fetchone() == (number,)
    assert looked_up == []


@pytest.mark.django_db(transaction=True)
def test_debug_queries_applies_to_connections_opened_after_it(wrapper, option, capsys):
    wrapper.ensure_connection()
    option("debug.queries", True)
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 5101")
    assert capsys.readouterr().err == ""
    wrapper.close()
    wrapper.ensure_connection()
    # Every statement of the connection's set-up: the driver's own (SET NAMES
    # goes without a cursor, so unlogged); no AUTOCOMMIT, no isolation level.
    assert capsys.readouterr().err == (
        "[QUERY] SET @@SESSION.enable_extended_types_metadata=on\n"
        "[QUERY] SET @@SESSION.vector_type_project_format=binary\n"
    )
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT %s", [5102])
        assert cursor.fetchone() == (5102,)
    assert capsys.readouterr().err == "[QUERY] SELECT %s [5102]\n"


@pytest.mark.django_db(transaction=True)
def test_fusion_commands_run_when_fusion_was_enabled_at_connect(wrapper, option):
    option("fusion.enabled", True)
    wrapper.ensure_connection()
    with wrapper.cursor() as cursor:
        cursor.execute("SHOW FUSION COMMANDS LIKE 'CREATE PERSONAL FOLDER%'")
        assert cursor.fetchall() == [
            ("CREATE PERSONAL FOLDER '<path>' \n    [ OVERWRITE ];",)
        ]


@pytest.mark.django_db(transaction=True)
def test_options_set_in_the_environment_apply_to_new_connections(
    wrapper, option, monkeypatch
):
    option("fusion.enabled", False)  # restored afterwards
    monkeypatch.setenv("SINGLESTOREDB_FUSION_ENABLED", "1")
    wrapper.ensure_connection()
    assert (wrapper.connection.fusion_enabled, wrapper.connection.log_queries) == (
        True,
        False,
    )
    monkeypatch.delenv("SINGLESTOREDB_FUSION_ENABLED")
    singlestoredb.set_option("fusion.enabled", False)
    wrapper.close()
    wrapper.ensure_connection()
    assert wrapper.connection.fusion_enabled is False


@pytest.mark.django_db(transaction=True)
def test_autocommit_off_in_the_settings_is_applied_on_connect():
    wrapper = DatabaseWrapper({**connection.settings_dict, "AUTOCOMMIT": False})
    try:
        wrapper.ensure_connection()
        assert wrapper.connection.get_autocommit() is False
        assert wrapper.get_autocommit() is False
    finally:
        wrapper.close()


@pytest.mark.django_db(transaction=True)
def test_connect_timeout_bounds_only_the_set_up(wrapper):
    wrapper.settings_dict["OPTIONS"] = {"connect_timeout": 5}
    wrapper.ensure_connection()
    # The bounded reads and writes were the set-up's only: the statements
    # use the driver's own methods and a socket without a timeout.
    assert "_read_bytes" not in vars(wrapper.connection)
    assert "_write_bytes" not in vars(wrapper.connection)
    assert wrapper.connection._sock.gettimeout() is None
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 5103")
        assert cursor.fetchone() == (5103,)
