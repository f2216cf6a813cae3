"""A failed statement inside an open transaction (see tests/double/TRANSACTIONS.md).

The transaction's state is read from the SERVER_STATUS_IN_TRANS flag of the
next OK packet (an ERR packet carries no status, and the driver keeps none
from a result set's EOF), here the answer to the backend's probe statement.
Faults are proxy-wide: each matches a token of its own.
"""

import pytest

from django_singlestore.transactions import PROBE
from tests.double_tests.test_faults import token
from tests.double_tests.util import error_of

IN_TRANS = 0x0001


@pytest.fixture
def conn(s2):
    """The test database's connection; a transaction a failed test leaves open
    would hold the locks that dropping the database waits for."""
    yield s2
    s2.rollback()


def rows(conn, sql):
    with conn.cursor() as cursor:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]


def in_transaction(conn):
    rows(conn, PROBE)
    return bool(conn.server_status & IN_TRANS)


def open_transaction(conn):
    rows(conn, "CREATE ROWSTORE TABLE t (id INT PRIMARY KEY)")
    conn.autocommit(False)
    rows(conn, "INSERT INTO t VALUES (1)")
    assert in_transaction(conn)


def test_duplicate_key_undoes_the_statement_and_keeps_the_transaction(conn):
    open_transaction(conn)
    assert error_of(conn, "INSERT INTO t VALUES (2), (1)")[0] == 1062
    assert in_transaction(conn)
    assert rows(conn, "SELECT id FROM t ORDER BY id") == [(1,)]
    conn.commit()
    assert rows(conn, "SELECT id FROM t ORDER BY id") == [(1,)]


def test_error_fault_leaves_the_transaction_open(conn, faults):
    tok = token()
    faults.error(1205, "Lock wait timeout exceeded; try restarting transaction",
                 tok, times=1)
    open_transaction(conn)
    assert error_of(conn, f"UPDATE t SET id = 3 WHERE '{tok}' <> ''") == (
        1205, "Lock wait timeout exceeded; try restarting transaction")
    assert in_transaction(conn)
    conn.commit()
    assert rows(conn, "SELECT id FROM t ORDER BY id") == [(1,)]


def test_error_fault_with_rollback_ends_the_transaction(conn, faults):
    tok = token()
    faults.execute(f"DOUBLE FAULT ERROR 1213 'Deadlock found when trying to get "
                   f"lock; try restarting transaction' ROLLBACK ON '{tok}' TIMES 1")
    assert faults.show() == [
        ("error rollback", tok, 1213,
         "Deadlock found when trying to get lock; try restarting transaction", 0, 1)]
    open_transaction(conn)
    assert error_of(conn, f"UPDATE t SET id = 3 WHERE '{tok}' <> ''") == (
        1213, "Deadlock found when trying to get lock; try restarting transaction")
    assert not in_transaction(conn)
    conn.commit()
    assert rows(conn, "SELECT id FROM t ORDER BY id") == []
    assert faults.show() == []
