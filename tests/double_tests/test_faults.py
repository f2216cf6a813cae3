"""Fault injection and the other DOUBLE control statements of the proxy.

Faults are proxy-wide and the double may be shared, so every pattern here
matches only a token unique to the test.
"""

import secrets
import time

import pymysql
import pytest

from tests.double.faults import ControlError, Fault, FaultRegistry, parse_control
from tests.double_tests.util import error_of, url_params


def token():
    return f"tok_{secrets.token_hex(6)}"


@pytest.fixture
def conn(double_url, is_double):
    """A plain PyMySQL connection through the proxy (not the fault helper's)."""
    if not is_double:
        pytest.skip("DOUBLE statements exist only in the test double")
    conn = pymysql.connect(autocommit=True, **url_params(double_url))
    yield conn
    conn.close()


def select(conn, sql):
    with conn.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def test_error_fault_answers_matching_statements_times_n(faults, conn):
    tok = token()
    faults.error(1213, "Deadlock found when trying to get lock", tok, times=2)
    assert faults.show() == [
        ("error", tok, 1213, "Deadlock found when trying to get lock", 0, 2)]
    assert select(conn, "SELECT 'other'") == (("other",),)
    expected = (1213, "Deadlock found when trying to get lock")
    assert error_of(conn, f"SELECT '{tok}'") == expected
    assert faults.show()[0][5] == 1
    assert error_of(conn, f"SELECT 'x{tok}y'") == expected
    assert faults.show() == []
    assert select(conn, f"SELECT '{tok}'") == ((tok,),)


def test_error_fault_without_times_stays_until_clear(faults, conn):
    tok = token()
    faults.error(1105, "it's gone", tok)
    for _ in range(3):
        assert error_of(conn, f"SELECT '{tok}'") == (1105, "it's gone")
    assert faults.show() == [("error", tok, 1105, "it's gone", 0, None)]
    faults.clear()
    assert faults.show() == []
    assert select(conn, f"SELECT '{tok}'") == ((tok,),)


def test_error_fault_sqlstate_is_hy000(faults, conn):
    tok = token()
    faults.error(2000, "boom", tok)
    with pytest.raises(pymysql.err.OperationalError) as failed:
        select(conn, f"SELECT '{tok}'")
    assert (failed.value.args, failed.value.sqlstate) == ((2000, "boom"), "HY000")


def test_regex_is_a_python_search_and_faults_cross_connections(faults, conn):
    tok = token()
    faults.error(1317, "Query execution was interrupted", rf"(?i)update\s+{tok}\b")
    assert error_of(conn, f"  Update   {tok} SET a = 1") == (
        1317, "Query execution was interrupted")
    # not matched: the word boundary fails, so MariaDB answers
    assert error_of(conn, f"UPDATE {tok}x SET a = 1")[0] == 1046


def test_disconnect_fault_drops_the_connection(faults, conn, double_url):
    tok = token()
    faults.disconnect(tok, times=1)
    assert error_of(conn, f"SELECT '{tok}'") == (
        2013, "Lost connection to MySQL server during query")
    assert faults.show() == []
    again = pymysql.connect(autocommit=True, **url_params(double_url))
    try:
        assert select(again, f"SELECT '{tok}'") == ((tok,),)
    finally:
        again.close()


def test_latency_fault_delays_and_lets_the_statement_run(faults, conn):
    tok = token()
    faults.latency(300, tok, times=1)
    assert faults.show() == [("latency", tok, 0, "", 300, 1)]
    start = time.monotonic()
    assert select(conn, f"SELECT '{tok}'") == ((tok,),)
    assert time.monotonic() - start >= 0.3
    assert faults.show() == []


def test_latency_then_error_on_the_same_statement(faults, conn):
    tok = token()
    faults.latency(100, tok, times=1)
    faults.error(1205, "Lock wait timeout exceeded; try restarting transaction", tok,
                 times=1)
    start = time.monotonic()
    assert error_of(conn, f"SELECT '{tok}'") == (
        1205, "Lock wait timeout exceeded; try restarting transaction")
    assert time.monotonic() - start >= 0.1
    assert faults.show() == []


def test_set_switches_settings_proxy_wide(faults, conn, s2_connect):
    assert faults.settings() == {"default_table_type": "columnstore",
                                 "memsql_version": "8.9.3"}
    other = s2_connect()
    try:
        select(conn, "DOUBLE SET MEMSQL_VERSION '8.5.22'")
        select(conn, "double set default_table_type 'ROWSTORE'")
        assert faults.settings() == {"default_table_type": "rowstore",
                                     "memsql_version": "8.5.22"}
        assert select(other, "SELECT @@memsql_version, @@default_table_type") == [
            ("8.5.22", "rowstore")]
    finally:
        faults.set("MEMSQL_VERSION", "8.9.3")
        faults.set("DEFAULT_TABLE_TYPE", "columnstore")
    assert select(other, "SELECT @@memsql_version") == [("8.9.3",)]


def test_show_settings_column_names(conn):
    with conn.cursor() as cursor:
        cursor.execute("DOUBLE SHOW SETTINGS")
        assert [d[0] for d in cursor.description] == ["Name", "Value"]
        cursor.execute("DOUBLE SHOW FAULTS")
        assert [d[0] for d in cursor.description] == [
            "Kind", "Pattern", "Errno", "Message", "Latency_ms", "Remaining"]


@pytest.mark.parametrize("statement, message", [
    ("DOUBLE FAULT EXPLODE", "unknown DOUBLE statement 'FAULT EXPLODE': expected "
     "one of: DOUBLE FAULT ERROR <errno> '<message>' [ROLLBACK] ON '<regex>' "
     "[TIMES n] | DOUBLE FAULT DISCONNECT ON '<regex>' [TIMES n] | "
     "DOUBLE FAULT LATENCY <ms> ON '<regex>' [TIMES n] | DOUBLE FAULT CLEAR | "
     "DOUBLE SET MEMSQL_VERSION '<x.y.z>' | DOUBLE SET DEFAULT_TABLE_TYPE "
     "'<columnstore|rowstore>' | DOUBLE SHOW FAULTS | DOUBLE SHOW SETTINGS | "
     "DOUBLE SHOW LENIENT"),
    ("DOUBLE SET MEMSQL_VERSION 'eight'",
     "MEMSQL_VERSION must look like 8.9.3 (major.minor.patch), not 'eight'"),
    ("DOUBLE SET DEFAULT_TABLE_TYPE 'heap'",
     "DEFAULT_TABLE_TYPE must be 'columnstore' or 'rowstore', not 'heap'"),
    ("DOUBLE FAULT DISCONNECT ON '(' TIMES 1",
     "invalid regex '(' after ON: missing ), unterminated subpattern at position 0"),
    ("DOUBLE FAULT LATENCY 5 ON 'x' TIMES 0",
     "TIMES must be at least 1; leave it out for no limit"),
    ("DOUBLE FAULT ERROR 70000 'm' ON 'x'", "error number 70000 is outside 1..65535"),
])
def test_malformed_control_statements_are_refused(conn, statement, message):
    assert error_of(conn, statement) == (1064, message)


def test_parse_control_unquotes_and_ignores_other_statements():
    command = parse_control("  double fault error 1062 'it''s \\'dup\\'' "
                            "ON 'a\\\\.b' times 3 ;")
    assert command.action == "arm"
    fault = command.fault
    assert (fault.kind, fault.errno, fault.message, fault.pattern, fault.remaining) == (
        "error", 1062, "it's 'dup'", "a\\.b", 3)
    assert parse_control("SELECT 'DOUBLE FAULT CLEAR'") is None
    assert parse_control("DOUBLEX") is None
    with pytest.raises(ControlError, match="^unknown DOUBLE statement ''"):
        parse_control("DOUBLE")


def test_registry_consumes_times_of_every_fault_that_acts():
    registry = FaultRegistry()
    registry.arm(Fault("latency", "a", latency_ms=20, remaining=1))
    registry.arm(Fault("error", "a", errno=1, message="m", remaining=1))
    registry.arm(Fault("disconnect", "a", remaining=5))
    latency, decisive = registry.match("xa")
    assert (latency, decisive.kind) == (0.02, "error")
    assert [(f.kind, f.remaining) for f in registry.snapshot()] == [("disconnect", 5)]
    assert registry.match("b") == (0.0, None)
    assert registry.active
    registry.clear()
    assert not registry.active
