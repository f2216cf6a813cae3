"""Rows of a query on a sharded table come back in no particular order
(order.py); reference tables and a total ORDER BY keep theirs."""

import pytest

from tests.double_tests.util import rows, run

IDS = list(range(1, 21))


@pytest.fixture
def db(s2):
    values = ", ".join(f"({i}, {i % 3})" for i in IDS)
    run(
        s2,
        "CREATE TABLE cs (id BIGINT PRIMARY KEY, g INT)",
        "CREATE ROWSTORE TABLE rs (id BIGINT PRIMARY KEY, g INT)",
        "CREATE ROWSTORE REFERENCE TABLE ref (id BIGINT PRIMARY KEY, g INT)",
        f"INSERT INTO cs VALUES {values}",
        f"INSERT INTO rs VALUES {values}",
        f"INSERT INTO ref VALUES {values}",
    )
    return s2


def ids(conn, sql):
    return [r[0] for r in rows(conn, sql)]


@pytest.mark.parametrize("table", ["cs", "rs"])
def test_sharded_rows_come_back_shuffled_and_the_same_each_time(db, table):
    first = ids(db, f"SELECT id FROM {table}")
    assert sorted(first) == IDS
    assert first != IDS
    assert ids(db, f"SELECT id FROM {table}") == first


def test_reference_tables_keep_their_order(db):
    assert ids(db, "SELECT id FROM ref") == IDS


def test_a_total_order_by_is_kept(db):
    assert ids(db, "SELECT id FROM cs ORDER BY id DESC") == IDS[::-1]
    assert ids(db, "SELECT id FROM cs WHERE id > 10 ORDER BY id LIMIT 3") == [
        11,
        12,
        13,
    ]


def test_ties_of_a_partial_order_by_are_shuffled(db):
    got = rows(db, "SELECT g, id FROM cs ORDER BY g")
    assert [g for g, _ in got] == sorted(g for g, _ in got)
    assert sorted(got) == sorted((i % 3, i) for i in IDS)
    assert got != sorted(got)


def test_limit_without_order_by_picks_rows_the_key_order_would_not(db):
    picked = ids(db, "SELECT id FROM cs LIMIT 5")
    assert len(picked) == 5
    assert picked != IDS[:5]


def test_joins_unions_and_for_update(db):
    joined = ids(db, "SELECT cs.id FROM cs JOIN ref ON ref.id = cs.id")
    assert sorted(joined) == IDS and joined != IDS
    union = ids(db, "SELECT id FROM cs WHERE id < 5 UNION SELECT id FROM ref")
    assert sorted(union) == IDS and union != IDS
    db.autocommit(False)
    locked = ids(db, "SELECT id FROM rs WHERE id <= 10 FOR UPDATE")
    db.rollback()
    db.autocommit(True)
    assert sorted(locked) == IDS[:10] and locked != IDS[:10]


def test_aggregates_and_subqueries_are_unchanged(db):
    assert rows(db, "SELECT COUNT(*), SUM(id) FROM cs") == [(20, 210)]
    assert rows(
        db, "SELECT COUNT(*) FROM cs WHERE id IN (SELECT id FROM ref WHERE g = 0)"
    ) == [(6,)]
