"""Server data, connection set-up (timeout, TLS) and connection health.

The parsing of the settings is tested without a database in
tests/unit/test_params.py.
"""

import socket
import threading
import time

import pytest
from django.db import (
    DatabaseError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    connection,
    models,
)
from django.test import override_settings
from django.test.utils import CaptureQueriesContext, isolate_apps

from django_singlestore.base import SERVER_DATA_SQL, DatabaseWrapper


def settings_dict(**entries):
    return {**connection.settings_dict, **entries}


def test_too_old_server_refused():
    wrapper = DatabaseWrapper(settings_dict())
    wrapper.server_data = {"singlestore_version": "8.1.32"}
    with pytest.raises(NotSupportedError) as error:
        wrapper.check_database_version_supported()
    assert str(error.value) == "SingleStore 8.5 or later is required (found 8.1.32)."


def test_identity():
    assert (connection.vendor, connection.display_name) == (
        "singlestore",
        "SingleStore",
    )
    assert connection.mysql_is_mariadb is False
    assert connection.features.uses_savepoints is False


@pytest.mark.django_db
def test_server_data_from_one_query():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT @@memsql_version, @@sql_mode, @@default_table_type, "
            "@@collation_server"
        )
        version, sql_mode, table_type, collation = cursor.fetchone()
    data = connection.server_data
    assert (
        data["singlestore_version"],
        data["sql_mode"],
        data["default_table_type"],
        data["collation_server"],
    ) == (version, sql_mode, table_type.lower(), collation)
    assert connection.singlestore_version == tuple(map(int, version.split(".")))
    assert connection.get_database_version() == connection.singlestore_version
    assert connection.sql_mode == set(sql_mode.split(",")) - {""}


@pytest.mark.django_db(transaction=True)
def test_new_connection_sends_no_statement_and_reads_server_data_once():
    wrapper = DatabaseWrapper(dict(connection.settings_dict))
    wrapper.force_debug_cursor = True
    try:
        wrapper.ensure_connection()
        # The version check ran on the first connection of the alias;
        # autocommit is already the server's, and READ COMMITTED is
        # SingleStore's only isolation level.
        assert [query["sql"] for query in wrapper.queries] == []
        assert wrapper.connection.get_autocommit() is True
        with CaptureQueriesContext(wrapper) as captured:
            reads = (
                wrapper.server_data["singlestore_version"],
                wrapper.singlestore_version,
                wrapper.sql_mode,
                wrapper.features.has_zoneinfo_database,
            )
        assert [query["sql"] for query in captured] == [SERVER_DATA_SQL]
        assert reads[1] == connection.singlestore_version
    finally:
        wrapper.close()


def commands_sent_on_connect(monkeypatch, options):
    # Every command goes through the backend's driver subclass.
    from django_singlestore.driver import Connection

    sent = []
    execute_command = Connection._execute_command

    def recording(self, command, sql):
        sent.append((command, sql.decode() if isinstance(sql, bytes) else sql))
        return execute_command(self, command, sql)

    monkeypatch.setattr(Connection, "_execute_command", recording)
    wrapper = DatabaseWrapper(settings_dict(OPTIONS=options))
    try:
        wrapper.ensure_connection()
        monkeypatch.undo()
        with wrapper.cursor() as cursor:
            cursor.execute(
                "SELECT @@character_set_client, @@character_set_results, %s",
                ["ü€😀"],
            )
            session = cursor.fetchone()
    finally:
        wrapper.close()
    return sent, session


@pytest.mark.django_db(transaction=True)
def test_connecting_sends_no_set_names(monkeypatch):
    # The handshake names utf8mb4; SET NAMES is non-operational on SingleStore.
    sent, session = commands_sent_on_connect(monkeypatch, {})
    assert sent == [
        (3, "SET @@SESSION.enable_extended_types_metadata=on"),
        (3, "SET @@SESSION.vector_type_project_format=binary"),
    ]
    assert session == ("utf8mb4", "utf8mb4", "ü€😀")


@pytest.mark.django_db(transaction=True)
def test_a_collation_in_the_options_is_still_sent(monkeypatch):
    sent, session = commands_sent_on_connect(
        monkeypatch, {"collation": "utf8mb4_bin"}
    )
    assert sent[0] == (3, "SET NAMES utf8mb4 COLLATE utf8mb4_bin")
    assert len(sent) == 3
    assert session == ("utf8mb4", "utf8mb4", "ü€😀")


@pytest.mark.django_db(transaction=True)
def test_lost_connection_is_replaced():
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("DOUBLE FAULT DISCONNECT ON 'SELECT 4242 /. t_backend' TIMES 1")
    with pytest.raises(OperationalError):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 4242 /* t_backend */")
    assert connection.is_usable() is False
    connection.close_if_unusable_or_obsolete()
    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 4243")
        assert cursor.fetchone() == (4243,)


@pytest.mark.django_db(transaction=True)
def test_closing_a_connection_the_driver_already_closed():
    connection.ensure_connection()
    connection.connection.close()
    connection.close()
    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 4244")
        assert cursor.fetchone() == (4244,)


@pytest.mark.django_db(transaction=True)
def test_health_check_replaces_a_dead_connection():
    connection.settings_dict["CONN_HEALTH_CHECKS"] = True
    connection.settings_dict["CONN_MAX_AGE"] = None
    try:
        connection.close()
        connection.ensure_connection()
        old = connection.connection
        # Cut the socket under the driver, as a network failure would.
        old._sock.shutdown(socket.SHUT_RDWR)
        connection.close_if_unusable_or_obsolete()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        assert connection.connection is not old
    finally:
        connection.settings_dict["CONN_HEALTH_CHECKS"] = False
        connection.settings_dict["CONN_MAX_AGE"] = 0


@pytest.mark.django_db(transaction=True)
def test_skip_autocommit_keeps_autocommit_on():
    with override_settings(SINGLESTORE={"SKIP_AUTOCOMMIT": True}):
        connection.set_autocommit(False)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT @@autocommit")
                assert cursor.fetchone() == (1,)
        finally:
            connection.set_autocommit(True)
    connection.set_autocommit(False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT @@autocommit")
            assert cursor.fetchone() == (0,)
    finally:
        connection.rollback()
        connection.set_autocommit(True)


@pytest.mark.django_db(transaction=True)
def test_percent_signs_with_and_without_parameters():
    with CaptureQueriesContext(connection), connection.cursor() as cursor:
        cursor.execute("SELECT '%%', %s", ["a%"])
        assert cursor.fetchone() == ("%", "a%")
        cursor.execute("SELECT '%'")
        assert cursor.fetchone() == ("%",)
        cursor.execute("SELECT '%%'", [])
        assert cursor.fetchone() == ("%",)


@pytest.mark.django_db
def test_executemany_takes_an_iterator():
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO `integration_counter` (`code`, `hits`, `label`) "
            "VALUES (%s, %s, '')",
            ((f"c{n}", n) for n in range(3)),
        )
        cursor.execute("SELECT `code`, `hits` FROM `integration_counter` ORDER BY 1")
        assert list(cursor.fetchall()) == [("c0", 0), ("c1", 1), ("c2", 2)]


LOST = (2013, "Lost connection to MySQL server during query")
CLOSED = (
    2006,
    "The connection to the server has been closed; a new connection is needed.",
)


def drop_the_connection(marker):
    """Have the double drop the default connection at the next statement."""
    with connection.cursor() as cursor:
        cursor.execute(f"DOUBLE FAULT DISCONNECT ON 'SELECT {marker}' TIMES 1")
    with pytest.raises(OperationalError) as lost:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {marker}")
    assert lost.value.args[:2] == LOST


@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_raises_operational_error():
    connection.ensure_connection()
    before = connection.cursor()
    before.execute("SELECT 4250 UNION ALL SELECT 4251 ORDER BY 1")
    drop_the_connection(4252)
    # Rows read before the drop are still there.
    assert list(before.fetchall()) == [(4250,), (4251,)]
    calls = {
        "execute": lambda: connection.cursor().execute("SELECT 1"),
        "executemany": lambda: connection.cursor().executemany("SELECT %s", [[1]]),
        "commit": connection.commit,
        "rollback": connection.rollback,
        "set_autocommit": lambda: connection.set_autocommit(False),
    }
    for name, call in calls.items():
        with pytest.raises(OperationalError) as error:
            call()
        assert (name, error.value.args[:2]) == (name, CLOSED)
        assert isinstance(error.value, DatabaseError)
    assert connection.is_usable() is False
    connection.close_if_unusable_or_obsolete()
    assert connection.connection is None


@pytest.mark.django_db(transaction=True)
def test_fetch_after_a_failed_execute_repeats_the_failure():
    connection.ensure_connection()
    cursor = connection.cursor()
    cursor.execute("DOUBLE FAULT DISCONNECT ON 'SELECT 4253' TIMES 1")
    with pytest.raises(OperationalError):
        cursor.execute("SELECT 4253")
    for fetch in (cursor.fetchone, cursor.fetchall, lambda: cursor.fetchmany(2)):
        with pytest.raises(OperationalError) as error:
            fetch()
        assert error.value.args[:2] == LOST
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_user_code_catching_database_error_recovers():
    connection.ensure_connection()
    drop_the_connection(4254)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 4255")
    except DatabaseError:
        connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 4256")
        assert cursor.fetchone() == (4256,)


@pytest.fixture
def silent_server():
    """A loopback port that accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    done = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not done.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    done.set()
    thread.join()
    for peer in accepted:
        peer.close()
    listener.close()


@pytest.mark.django_db
def test_connect_timeout_bounds_the_handshake(silent_server):
    wrapper = DatabaseWrapper(
        settings_dict(
            HOST="127.0.0.1", PORT=silent_server, OPTIONS={"connect_timeout": 1}
        )
    )
    started = time.monotonic()
    with pytest.raises(OperationalError) as error:
        wrapper.ensure_connection()
    elapsed = time.monotonic() - started
    assert error.value.args[:2] == (
        2013,
        f"No answer from the server at 127.0.0.1:{silent_server} within "
        "connect_timeout (1 s) while setting up the connection (handshake and "
        "authentication). Check HOST and PORT, or raise "
        "OPTIONS['connect_timeout'].",
    )
    assert elapsed < 3
    assert wrapper.connection is None


@pytest.mark.django_db(transaction=True)
def test_connect_timeout_does_not_limit_queries():
    options = {**connection.settings_dict["OPTIONS"], "connect_timeout": 1}
    wrapper = DatabaseWrapper(settings_dict(OPTIONS=options))
    try:
        wrapper.ensure_connection()
        assert wrapper.connection._sock.gettimeout() is None
        with wrapper.cursor() as cursor:
            cursor.execute("DOUBLE FAULT LATENCY 1500 ON 'SELECT 4257' TIMES 1")
            cursor.execute("SELECT 4257")
            assert cursor.fetchone() == (4257,)
    finally:
        wrapper.close()


@pytest.mark.parametrize(
    "options, mode",
    [
        ({"ssl_mode": "REQUIRED"}, "REQUIRED"),
        ({"ssl": {}}, "REQUIRED"),
        ({"ssl": {"cipher": "HIGH"}}, "REQUIRED"),
    ],
)
@pytest.mark.django_db
def test_tls_asked_for_is_never_plaintext(options, mode):
    # The double offers no TLS (tests/double strips CLIENT_SSL).
    wrapper = DatabaseWrapper(settings_dict(OPTIONS=options))
    with pytest.raises(OperationalError) as error:
        wrapper.ensure_connection()
    host, port = connection.settings_dict["HOST"], connection.settings_dict["PORT"]
    assert error.value.args[:2] == (
        2026,
        f"SSL connection error: the settings ask for TLS (ssl_mode {mode}) but "
        f"the server at {host}:{port} does not offer it, so the connection was "
        "refused instead of going on in plaintext. Enable TLS on the server, or "
        "set OPTIONS['ssl_mode'] = 'PREFERRED' to accept a plaintext connection.",
    )
    assert wrapper.connection is None


@pytest.mark.parametrize("mode", ["PREFERRED", "DISABLED"])
@pytest.mark.django_db(transaction=True)
def test_tls_optional_or_off_connects_in_plaintext(mode):
    wrapper = DatabaseWrapper(settings_dict(OPTIONS={"ssl_mode": mode}))
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 4258")
            assert cursor.fetchone() == (4258,)
        assert wrapper.connection.ssl is (mode == "PREFERRED")
    finally:
        wrapper.close()


PARAMETERS_DO_NOT_FIT = (
    "The parameters cannot be substituted into the statement ({}): every '%' "
    "that is not a placeholder must be written '%%'. Django does not double a "
    "'%' in a table or column name, so such a name works only in statements "
    "without parameters; rename the table or column."
)


@isolate_apps("tests.integration")
@pytest.mark.django_db(transaction=True)
def test_percent_in_a_table_name():
    class Odd(models.Model):
        value = models.IntegerField(default=0)

        class Meta:
            app_label = "integration"
            db_table = "odd%name"

    # As with Django's MySQL backend: DDL and introspection work, statements
    # with parameters raise ProgrammingError.
    with connection.schema_editor() as editor:
        editor.create_model(Odd)
    try:
        with connection.cursor() as cursor:
            columns = connection.introspection.get_table_description(cursor, "odd%name")
        assert [column.name for column in columns] == ["id", "value"]
        with pytest.raises(ProgrammingError) as error:
            Odd.objects.create(value=1)
        assert str(error.value) == PARAMETERS_DO_NOT_FIT.format(
            "unsupported format character 'n' (0x6e) at index 17"
        )
        with pytest.raises(ProgrammingError) as error:
            Odd.objects.count()
        assert str(error.value) == PARAMETERS_DO_NOT_FIT.format(
            "not enough arguments for format string"
        )
        with pytest.raises(ProgrammingError) as error:
            connection.cursor().executemany(
                "INSERT INTO `odd%name` (`value`) VALUES (%s)", [[1], [2]]
            )
        assert str(error.value) == PARAMETERS_DO_NOT_FIT.format(
            "not enough arguments for format string"
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE `odd%name`")


# The packet reader (driver.Connection.read_payload)


@pytest.mark.django_db(transaction=True)
def test_a_value_longer_than_one_packet():
    # A payload of 2**24 - 1 bytes continues in the next packet.
    size = 2**24 + 100
    with connection.cursor() as cursor:
        cursor.execute("SELECT REPEAT('ab', %s), 7", (size // 2,))
        ((value, seven),) = cursor.fetchall()
        assert (len(value), value[:4], value[-2:], seven) == (size, "abab", "ab", 7)
        cursor.execute("SELECT 8")
        assert cursor.fetchall() == [(8,)]


@pytest.mark.django_db(transaction=True)
def test_an_error_packet_raises_and_the_connection_goes_on():
    with connection.cursor() as cursor:
        with pytest.raises(ProgrammingError) as error:
            cursor.execute("SELECT * FROM no_such_table_4260")
        assert error.value.args[0] == 1146
        cursor.execute("SELECT 4260")
        assert cursor.fetchall() == [(4260,)]
