"""Statement kinds and the savepoint ledger (django_singlestore/transactions.py)."""

import pytest
from django.db import NotSupportedError

from django_singlestore.transactions import SavepointLedger, kind_of


@pytest.mark.parametrize("sql, kind", [
    ("SELECT 1", "read"),
    ("  select `a` FROM t", "read"),
    ("(SELECT 1) UNION (SELECT 2)", "read"),
    ("SHOW TABLES", "read"),
    ("DESCRIBE t", "read"),
    ("EXPLAIN SELECT 1", "read"),
    ("SELECT * FROM t WHERE id = 1 FOR UPDATE", "lock"),
    ("SELECT * FROM t LOCK IN SHARE MODE", "lock"),
    ("INSERT INTO t VALUES (1)", "write"),
    ("UPDATE t SET a = 1", "write"),
    ("SET @x = 1", "write"),
    ("/* c */ SELECT 1", "write"),
    ("SELECTED", "write"),
    (b"SELECT 1", "write"),
])
def test_kind_of(sql, kind):
    assert kind_of(sql) == kind


@pytest.mark.parametrize("sql, rowcount, kind", [
    ("UPDATE t SET a = 1 WHERE id = 9", 0, "lock"),
    ("DELETE FROM t WHERE id = 9;", 0, "lock"),
    ("INSERT IGNORE INTO t VALUES (1)", 0, "lock"),
    ("UPDATE t SET a = 1 WHERE id = 9", 1, "write"),
    ("UPDATE t SET a = 1; DELETE FROM u", 0, "write"),
    ("UPDATE t SET a = ';' WHERE id = 9", 0, "write"),
    ("CREATE TABLE u (id INT)", 0, "write"),
    ("UPDATE t SET a = 1", None, "write"),
])
def test_dml_that_matched_no_row_changed_nothing(sql, rowcount, kind):
    assert kind_of(sql, rowcount) == kind


def test_rollback_counts_only_the_writes_since_the_savepoint():
    ledger = SavepointLedger()
    ledger.succeeded("INSERT INTO t VALUES (1)")
    ledger.begin("s1")
    ledger.succeeded("SELECT 1")
    ledger.failed(Exception("dup"), lambda: True)
    assert ledger.rollback("s1") is None
    ledger.succeeded("UPDATE t SET a = 2")
    ledger.succeeded("DELETE FROM t")
    with pytest.raises(NotSupportedError) as raised:
        ledger.rollback("s1")
    assert "it had run 2 writing statements since it began" in str(raised.value)


def test_probe_only_inside_a_savepoint_and_when_something_is_held():
    asked = []

    def probe():
        asked.append(True)
        return False

    ledger = SavepointLedger()
    ledger.succeeded("INSERT INTO t VALUES (1)")
    ledger.failed("outside", probe)
    ledger.begin("s1")
    ledger.failed("inside", probe)
    assert asked == [True]
    assert ledger.lost == "inside"
    ledger.reset()
    ledger.begin("s1")
    ledger.succeeded("SELECT 1")
    ledger.failed("read only", probe)
    assert asked == [True]
    assert ledger.lost is None


def test_server_that_autocommits_loses_nothing():
    ledger = SavepointLedger()
    ledger.reset(autocommits=True)
    ledger.succeeded("INSERT INTO t VALUES (1)")
    ledger.begin("s1")
    ledger.failed("dup", lambda: False)
    assert ledger.lost is None
    assert ledger.rollback("s1") is None
    ledger.succeeded("INSERT INTO t VALUES (2)")
    with pytest.raises(NotSupportedError) as raised:
        ledger.rollback("s1")
    assert str(raised.value) == (
        "SingleStore has no savepoints, and with SKIP_AUTOCOMMIT every statement "
        "commits on its own: the nested atomic() block cannot be rolled back: it "
        "had run 1 writing statement since it began, each committed as it ran."
    )


def test_failed_executemany_counts_as_a_write():
    ledger = SavepointLedger()
    ledger.begin("s1")
    ledger.failed("dup", lambda: True, partial=True)
    with pytest.raises(NotSupportedError):
        ledger.rollback("s1")
