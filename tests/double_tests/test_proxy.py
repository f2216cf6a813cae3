"""The double's protocol relay: handshake, commands, result sets, big packets,
errors, and the proxy's side of the engine contract (Forward, Fail, Ok).

Relay tests run through the shared proxy; contract tests start a private
proxy in this process with a scripted engine in front of the same MariaDB.
"""

import hashlib
import os
import struct
import threading
import time
from datetime import datetime
from decimal import Decimal

import MySQLdb
import pymysql
import pytest
from pymysql.constants import CLIENT, COMMAND

from tests.double import protocol as p
from tests.double.proxy import Proxy, Upstream
from tests.double.sql import Fail, Forward, Ok
from tests.double_tests.util import error_of, rows, url_params


@pytest.fixture
def proxied(double_url, s2, is_double):
    """PyMySQL connect() to the server under test, in the s2 test database."""
    if not is_double:
        pytest.skip("relay tests compare the proxy with the MariaDB behind it")
    opened = []

    def connect(**kwargs):
        params = dict(url_params(double_url), autocommit=True, database=s2.db,
                      charset="utf8mb4")
        params.update(kwargs)
        conn = pymysql.connect(**params)
        opened.append(conn)
        return conn

    yield connect
    for conn in opened:
        conn.close()


def test_handshake_reports_a_singlestore_mysql_version(s2_connect, mariadb):
    conn = s2_connect()
    assert conn.get_server_info() == "5.7.32"
    assert rows(conn, "SELECT VERSION()") == [("5.7.32",)]
    assert mariadb.get_server_info().startswith("5.5.5-10.")


def test_handshake_capabilities_are_trimmed(proxied):
    caps = proxied().server_capabilities
    assert caps & (CLIENT.SSL | CLIENT.COMPRESS | 1 << 24 | CLIENT.SESSION_TRACK) == 0
    assert caps & CLIENT.LONG_PASSWORD
    assert caps & CLIENT.MULTI_STATEMENTS


def test_ping(proxied):
    conn = proxied()
    conn.ping(reconnect=False)
    conn.ping(reconnect=False)
    assert rows(conn, "SELECT 42") == [(42,)]


def test_init_db_switches_database(proxied, s2, mariadb):
    conn = proxied()
    assert rows(conn, "SELECT DATABASE()") == [(s2.db,)]
    conn.select_db("mysql")
    assert rows(conn, "SELECT DATABASE()") == [("mysql",)]
    with pytest.raises(pymysql.err.OperationalError) as failed:
        conn.select_db("t_dbl_no_such_database")
    assert failed.value.args == (1049, "Unknown database 't_dbl_no_such_database'")
    assert rows(conn, "SELECT DATABASE()") == [("mysql",)]


def test_multi_statements_return_each_result(proxied):
    conn = proxied(client_flag=CLIENT.MULTI_STATEMENTS)
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1; SELECT 'a', 'b' UNION ALL SELECT 'c', NULL; DO 1")
        assert cursor.fetchall() == ((1,),)
        assert cursor.nextset()
        assert cursor.fetchall() == (("a", "b"), ("c", None))
        assert cursor.nextset()
        assert cursor.description is None
        assert not cursor.nextset()
    assert rows(conn, "SELECT 2") == [(2,)]


def test_multi_statements_stop_at_an_error(proxied):
    conn = proxied(client_flag=CLIENT.MULTI_STATEMENTS)
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1; SELECT * FROM t_missing; SELECT 3")
        assert cursor.fetchall() == ((1,),)
        with pytest.raises(pymysql.err.ProgrammingError) as failed:
            cursor.nextset()
    assert failed.value.args == (1146, f"Table '{conn.db.decode()}.t_missing' "
                                       "doesn't exist")
    assert rows(conn, "SELECT 4") == [(4,)]


def test_ten_thousand_rows_identical_through_proxy_and_direct(proxied, mariadb, s2):
    with mariadb.cursor() as cursor:
        cursor.execute(f"USE `{s2.db}`")  # seq_1_to_10000 lives in the current db
        cursor.execute(f"CREATE TABLE `{s2.db}`.big (id INT PRIMARY KEY, "
                       "name VARCHAR(40), amount DECIMAL(10,2), at DATETIME(6), "
                       "raw VARBINARY(16))")
        cursor.execute(
            f"INSERT INTO `{s2.db}`.big SELECT seq, IF(seq % 7, CONCAT('n-', seq), "
            "NULL), seq / 3, '2024-02-29 23:59:59.123456' + INTERVAL seq SECOND, "
            "UNHEX(MD5(seq)) FROM seq_1_to_10000")
    query = f"SELECT * FROM `{s2.db}`.big ORDER BY id"
    through = rows(proxied(), query)
    direct = rows(mariadb, query)
    assert len(through) == 10000
    assert through == direct
    assert through[6] == (7, None, Decimal("2.33"),
                          datetime(2024, 3, 1, 0, 0, 6, 123456),
                          hashlib.md5(b"7").digest())


def test_packets_over_16_mib_are_relayed_intact(proxied, mariadb, s2):
    with mariadb.cursor() as cursor:
        cursor.execute(f"CREATE TABLE `{s2.db}`.blobs (id INT PRIMARY KEY, "
                       "body LONGBLOB)")
    payload = os.urandom(9 * 1024 * 1024)  # sent as hex: an 18 MiB statement
    conn = proxied(max_allowed_packet=64 * 1024 * 1024)
    with conn.cursor() as cursor:
        assert cursor.execute("INSERT INTO blobs VALUES (1, %s)", (payload,)) == 1
        cursor.execute("SELECT CONCAT(body, body), LENGTH(body), id FROM blobs")
        body, length, ident = cursor.fetchone()  # an 18 MiB row
    assert (length, ident) == (len(payload), 1)
    assert hashlib.sha256(body).digest() == hashlib.sha256(payload * 2).digest()
    assert rows(conn, "SELECT 5") == [(5,)]


def test_server_errors_are_relayed_with_errno(proxied, s2, mariadb):
    conn = proxied()
    assert error_of(conn, "SELECT * FROM nope") == (
        1146, f"Table '{s2.db}.nope' doesn't exist")
    assert error_of(conn, "SELEC 1") == (
        1064, "You have an error in your SQL syntax; check the manual that "
        "corresponds to your MariaDB server version for the right syntax to use "
        "near 'SELEC 1' at line 1")
    assert rows(conn, "SELECT 6") == [(6,)]


def test_an_error_in_the_middle_of_the_rows_ends_the_result(proxied, s2, mariadb):
    with mariadb.cursor() as cursor:
        cursor.execute(f"CREATE TABLE `{s2.db}`.t (id INT PRIMARY KEY)")
        cursor.execute(f"INSERT INTO `{s2.db}`.t VALUES (1), (2), (3)")
        cursor.execute(f"CREATE TABLE `{s2.db}`.t2 (k INT, v INT)")
        cursor.execute(f"INSERT INTO `{s2.db}`.t2 VALUES (1, 10), (2, 20), (3, 30), "
                       "(3, 31)")
    conn = proxied()
    with conn.cursor(pymysql.cursors.SSCursor) as cursor:
        cursor.execute("SELECT id, (SELECT v FROM t2 WHERE t2.k = t.id) FROM t "
                       "ORDER BY id")
        assert cursor.fetchone() == (1, 10)
        assert cursor.fetchone() == (2, 20)
        with pytest.raises(pymysql.err.OperationalError) as failed:
            cursor.fetchone()
    assert failed.value.args == (1242, "Subquery returns more than 1 row")
    assert rows(conn, "SELECT 7") == [(7,)]


def test_prepared_statements_are_relayed(proxied):
    conn = proxied()
    conn._execute_command(COMMAND.COM_STMT_PREPARE, "SELECT ? + 1, 'x'")
    prepared = conn._read_packet().get_all_data()
    statement, columns, params = struct.unpack("<xIHH", prepared[:9])
    assert (columns, params) == (2, 1)
    definitions = [conn._read_packet().get_all_data() for _ in range(5)]
    assert [d[:1] for d in definitions] == [b"\x03", b"\xfe", b"\x03", b"\x03",
                                            b"\xfe"]
    conn._execute_command(
        COMMAND.COM_STMT_EXECUTE,
        struct.pack("<IBIBBBBq", statement, 0, 1, 0, 1, 8, 0, 41))
    answer = [conn._read_packet().get_all_data() for _ in range(6)]
    assert answer[0] == b"\x02"
    assert answer[4] == b"\x00\x00" + struct.pack("<q", 42) + b"\x01x"
    assert answer[5][:1] == b"\xfe"
    conn._execute_command(COMMAND.COM_STMT_CLOSE, struct.pack("<I", statement))
    conn.ping(reconnect=False)
    assert rows(conn, "SELECT 8") == [(8,)]


def test_load_data_local_infile_is_relayed(proxied, mariadb, s2, tmp_path):
    with mariadb.cursor() as cursor:
        cursor.execute(f"CREATE TABLE `{s2.db}`.loaded (id INT, name VARCHAR(9))")
    source = tmp_path / "rows.tsv"
    source.write_text("1\tone\n2\ttwo\n")
    conn = proxied(local_infile=True)
    with conn.cursor() as cursor:
        loaded = cursor.execute(f"LOAD DATA LOCAL INFILE '{source}' INTO TABLE loaded")
    assert loaded == 2
    assert rows(conn, "SELECT * FROM loaded ORDER BY id") == [(1, "one"), (2, "two")]


# the proxy's side of the engine contract -----------------------------------

class ScriptedSession:
    def __init__(self, engine):
        self.engine = engine
        self.database = None

    def wants(self, sql):
        self.engine.seen.append((sql, self.database))
        return sql.startswith("/*s*/")

    def handle(self, sql):
        return self.engine.script(sql[5:])

    def close(self):
        self.engine.closed += 1


class ScriptedEngine:
    """Answers `/*s*/<key>` statements with what `script` returns for <key>."""

    def __init__(self, side_factory, options):
        self.side_factory = side_factory
        self.options = options
        self.seen, self.done, self.closed = [], [], 0
        self.installed = False
        self.outcomes = {}

    def install(self):
        self.installed = True

    def session(self):
        return ScriptedSession(self)

    def script(self, key):
        outcome = self.outcomes[key]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


@pytest.fixture
def private_proxy(mariadb):
    url = os.environ["DOUBLE_MARIADB_URL"]
    params = url_params(url)
    proxy = Proxy("127.0.0.1", 0, Upstream(params["host"], params["port"]),
                  {"memsql_version": "8.9.3"}, engine_class=ScriptedEngine)
    proxy.bind()
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    yield proxy
    proxy.close()
    thread.join(5)


def connect_private(proxy, **kwargs):
    params = dict(host="127.0.0.1", port=proxy.port, user="root", autocommit=True)
    params.update(kwargs)
    return pymysql.connect(**params)


def test_engine_is_installed_and_sees_the_plain_statements(private_proxy):
    engine = private_proxy.engine
    assert engine.installed
    assert engine.side_factory().get_server_info().startswith("5.5.5-10.")
    conn = connect_private(private_proxy, database="mysql")
    assert rows(conn, "SELECT 1") == [(1,)]
    conn.select_db("information_schema")
    with pytest.raises(pymysql.err.OperationalError):
        conn.select_db("t_dbl_no_such_database")
    rows(conn, "SELECT 2")
    assert engine.seen[-2:] == [("SELECT 1", "mysql"), ("SELECT 2",
                                                        "information_schema")]
    conn.close()


def test_forward_fail_ok_outcomes(private_proxy):
    engine = private_proxy.engine
    done = []
    engine.outcomes = {
        "fwd": Forward("SELECT 'rewritten', 2", done.append),
        "fwd-err": Forward("SELECT * FROM mysql.t_dbl_missing", done.append),
        "fail": Fail(1706, "HY000", "Feature 'X' is not supported by SingleStore."),
        "ok": Ok(affected_rows=3),
        "bad": "not an outcome",
        "boom": ValueError("catalog is broken"),
    }
    conn = connect_private(private_proxy)
    assert rows(conn, "/*s*/fwd") == [("rewritten", 2)]
    assert error_of(conn, "/*s*/fwd-err") == (
        1146, "Table 'mysql.t_dbl_missing' doesn't exist")
    # on_done runs after the answer is relayed: under load the client can
    # read the error first.
    deadline = time.monotonic() + 5
    while len(done) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert done == [None, (1146, "Table 'mysql.t_dbl_missing' doesn't exist")]
    assert error_of(conn, "/*s*/fail") == (
        1706, "Feature 'X' is not supported by SingleStore.")
    with conn.cursor() as cursor:
        assert cursor.execute("/*s*/ok") == 3
    assert error_of(conn, "/*s*/boom") == (
        1105, "test double internal error: ValueError: catalog is broken")
    assert error_of(conn, "/*s*/bad") == (
        1105, "test double internal error: TypeError: session.handle() returned "
        "'not an outcome'")
    assert rows(conn, "SELECT 3") == [(3,)]
    conn.close()


def test_forward_of_a_text_over_16_mib_keeps_sequence_ids(private_proxy):
    big = "x" * (17 * 1024 * 1024)
    private_proxy.engine.outcomes = {"big": Forward(f"SELECT LENGTH('{big}')")}
    conn = connect_private(private_proxy)
    assert rows(conn, "/*s*/big") == [(len(big),)]
    assert rows(conn, "SELECT 4") == [(4,)]
    conn.close()


def test_ok_outcome_keeps_the_transaction_status(private_proxy):
    private_proxy.engine.outcomes = {"ok": Ok()}
    conn = connect_private(private_proxy)
    conn.autocommit(False)
    rows(conn, "/*s*/ok")
    assert conn.get_autocommit() is False
    conn.autocommit(True)
    rows(conn, "/*s*/ok")
    assert conn.get_autocommit() is True
    conn.close()


def test_change_user_relays_authentication_and_sets_the_database(private_proxy):
    conn = MySQLdb.connect(host="127.0.0.1", port=private_proxy.port, user="root")
    try:
        conn.change_user("root", "", "information_schema")
        assert rows(conn, "SELECT DATABASE(), CURRENT_USER()") == [
            ("information_schema", "root@127.0.0.1")
        ]
    finally:
        conn.close()
    assert private_proxy.engine.seen[-1] == ("SELECT DATABASE(), CURRENT_USER()",
                                             "information_schema")


def test_authentication_errors_are_relayed(private_proxy):
    with pytest.raises(pymysql.err.OperationalError) as refused:
        connect_private(private_proxy, user="t_dbl_nobody", password="secret")
    assert refused.value.args == (
        1045, "Access denied for user 't_dbl_nobody'@'127.0.0.1' (using password: "
        "YES)")


def test_session_close_is_called_when_the_client_leaves(private_proxy):
    conn = connect_private(private_proxy)
    rows(conn, "SELECT 1")
    conn.close()
    for _ in range(100):
        if private_proxy.engine.closed:
            break
        threading.Event().wait(0.02)
    assert private_proxy.engine.closed == 1


def test_an_unreachable_mariadb_is_reported_to_the_client(tmp_path):
    missing = tmp_path / "no-mariadb.sock"
    proxy = Proxy("127.0.0.1", 0, Upstream(unix_socket=str(missing)), {},
                  engine_class=ScriptedEngine)
    proxy.bind()
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(pymysql.err.OperationalError) as refused:
            connect_private(proxy)
    finally:
        proxy.close()
        thread.join(5)
    assert refused.value.args == (
        1105, f"test double: cannot reach its MariaDB at {missing}: [Errno 2] No "
        "such file or directory; start it with `python -m tests.double start`")


# ResponseTracker over every chunking of a response --------------------------

def response_stream(size):
    """Three results: a result set, another with a row of `size` bytes (over
    MAX_PAYLOAD: a continuation packet follows), then a final OK."""
    more = p.SERVER_STATUS_AUTOCOMMIT | p.SERVER_MORE_RESULTS_EXISTS
    first, seq = p.text_result_set([("a", p.TYPE_LONGLONG)], [(1,), (None,)], more, 1)
    huge = p.lenenc_str(b"z" * size)
    second = bytearray()
    for payload in (b"\x01", p.column_definition("z", p.TYPE_VAR_STRING),
                    p.eof_payload(more), huge, p.eof_payload(more),
                    p.ok_payload(3, p.SERVER_STATUS_AUTOCOMMIT)):
        framed, seq = p.packets(payload, seq)
        second += framed
    return first + bytes(second)


def relay(tracker, stream, chunk):
    """What ClientConnection._relay does, with `chunk`-byte reads."""
    out, buf, have, offset = bytearray(), bytearray(len(stream)), 0, 0
    while not tracker.done:
        assert offset < len(stream), "the tracker wants more than the response"
        part = stream[offset:offset + chunk]
        buf[have:have + len(part)] = part
        have += len(part)
        offset += len(part)
        used = tracker.feed(buf, have)
        out += buf[:used]
        buf[:have - used] = buf[used:have]
        have -= used
    return bytes(out), offset


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64, 1000, 65536, 1 << 25])
def test_tracker_finds_the_end_of_a_response_in_any_chunking(chunk):
    # byte-sized reads over 16 MiB are slow: a small row for small chunks
    stream = response_stream(p.MAX_PAYLOAD + 6 if chunk > 8 else 300)
    tracker = p.ResponseTracker()
    tracker.reset(p.COM_QUERY)
    out, read = relay(tracker, stream, chunk)
    assert (out, read) == (stream, len(stream))
    assert (tracker.error, tracker.status) == (None, p.SERVER_STATUS_AUTOCOMMIT)


def test_tracker_reports_an_error_after_rows_and_shifts_sequence_ids():
    framed, seq = p.text_result_set([("a", p.TYPE_LONGLONG)], [(1,)], 2, 1)
    error = p.err_payload(1242, "21000", "Subquery returns more than 1 row")
    stream = framed[:-9] + p.packets(error, seq - 1)[0]
    tracker = p.ResponseTracker()
    tracker.reset(p.COM_QUERY)
    tracker.seq_delta = 2
    out, _ = relay(tracker, stream, 3)
    assert tracker.error == (1242, "Subquery returns more than 1 row")
    seqs, i = [], 0
    while i < len(out):
        seqs.append(out[i + 3])
        i += 4 + (out[i] | out[i + 1] << 8 | out[i + 2] << 16)
    assert seqs == [3, 4, 5, 6, 7]
