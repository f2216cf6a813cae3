"""SingleStore's refusals for transactions and DML shapes."""

import datetime

import pytest

from tests.double_tests.util import SYNTAX, error_of, feature, rows, run


@pytest.fixture
def db(s2):
    run(
        s2,
        "CREATE TABLE cs (id BIGINT PRIMARY KEY, a INT, b VARCHAR(10))",
        "CREATE ROWSTORE TABLE rs (id BIGINT PRIMARY KEY, a INT, k INT, SHARD"
        " KEY (id))",
        "CREATE ROWSTORE REFERENCE TABLE ref (id BIGINT PRIMARY KEY, a INT)",
        "INSERT INTO cs VALUES (1, 10, 'x'), (2, 20, 'y')",
        "INSERT INTO rs VALUES (1, 10, 1), (2, 20, 2)",
        "INSERT INTO ref VALUES (1, 10), (2, 20)",
    )
    return s2


@pytest.mark.parametrize(
    "sql",
    [
        "SAVEPOINT s1",
        "ROLLBACK TO SAVEPOINT s1",
        "ROLLBACK TO s1",
        "RELEASE SAVEPOINT s1",
    ],
)
def test_savepoints_are_refused(s2, sql):
    assert error_of(s2, sql) == feature("SAVEPOINT")


@pytest.mark.parametrize(
    "sql, level",
    [
        ("SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SERIALIZABLE"),
        ("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", "REPEATABLE READ"),
        (
            "SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED",
            "READ UNCOMMITTED",
        ),
        ("SET SESSION transaction_isolation = 'REPEATABLE-READ'", "REPEATABLE READ"),
    ],
)
def test_isolation_levels_other_than_read_committed(s2, sql, level):
    assert error_of(s2, sql) == feature(f"{level} isolation level")


def test_a_new_session_reads_what_others_committed_inside_its_transaction(
    db, s2_connect
):
    # READ COMMITTED without any SET: "once a change is observed in one
    # transaction, it will be visible to all transactions", and a row need
    # not stay the same for every read of one transaction
    # (docs.singlestore.com/db/v9.1/introduction/faqs/durability).
    database = rows(db, "SELECT DATABASE()")[0][0]
    other = s2_connect(database)
    db.autocommit(False)
    try:
        run(db, "BEGIN")
        assert rows(db, "SELECT a FROM rs WHERE id = 1") == [(10,)]
        run(other, "UPDATE rs SET a = 11 WHERE id = 1")
        assert rows(db, "SELECT a FROM rs WHERE id = 1") == [(11,)]
    finally:
        db.rollback()
        db.autocommit(True)


def test_read_committed_and_transactions_work(db):
    run(db, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
    db.autocommit(False)
    run(db, "BEGIN", "UPDATE cs SET a = 99 WHERE id = 1", "ROLLBACK")
    db.autocommit(True)
    assert rows(db, "SELECT a FROM cs WHERE id = 1") == [(10,)]


def test_update_and_delete_with_order_by(db):
    assert error_of(db, "UPDATE ref SET a = 1 ORDER BY id") == feature(
        "UPDATE with ORDER BY"
    )
    assert error_of(db, "DELETE FROM cs ORDER BY id LIMIT 1") == feature(
        "DELETE with ORDER BY"
    )


def test_update_limit_on_sharded_tables(db):
    assert error_of(db, "UPDATE cs SET a = 1 LIMIT 1") == feature(
        "UPDATE...LIMIT must be constrained to a single partition"
    )
    run(db, "UPDATE ref SET a = 5 WHERE id = 1 LIMIT 1")
    assert rows(db, "SELECT a FROM ref WHERE id = 1") == [(5,)]


def test_update_of_a_shard_key_column(db):
    assert error_of(db, "UPDATE cs SET id = 3 WHERE id = 1") == feature(
        "Updating the shard key column 'id'"
    )
    assert error_of(db, "UPDATE rs r SET r.id = 3, a = 1") == feature(
        "Updating the shard key column 'id'"
    )
    run(db, "UPDATE ref SET id = 3 WHERE id = 1", "UPDATE cs SET a = a + 1, b = 'z'")
    assert rows(db, "SELECT id, a, b FROM cs ORDER BY id") == [
        (1, 11, "z"),
        (2, 21, "z"),
    ]


def test_limit_inside_in_subquery(db):
    assert error_of(
        db, "SELECT id FROM cs WHERE id IN (SELECT id FROM rs ORDER BY id LIMIT 1)"
    ) == feature("LIMIT within an IN subquery")
    assert error_of(
        db, "DELETE FROM cs WHERE id NOT IN (SELECT id FROM rs LIMIT 1)"
    ) == feature("LIMIT within an IN subquery")
    assert rows(
        db,
        "SELECT id FROM cs WHERE id IN (SELECT id FROM (SELECT id FROM rs LIMIT 1) x)",
    ) == [(1,)]


def test_for_update_with_join_or_subquery_on_columnstore(db):
    message = feature("FOR UPDATE with subselect or join involving a columnstore table")
    assert (
        error_of(db, "SELECT * FROM cs JOIN rs ON rs.id = cs.id FOR UPDATE") == message
    )
    assert (
        error_of(db, "SELECT * FROM rs WHERE id IN (SELECT id FROM cs) FOR UPDATE")
        == message
    )
    assert rows(db, "SELECT id FROM cs WHERE id = 1 FOR UPDATE") == [(1,)]
    assert rows(
        db, "SELECT rs.id FROM rs JOIN ref ON ref.id = rs.id WHERE rs.id = 2 FOR UPDATE"
    ) == [(2,)]


@pytest.mark.parametrize(
    "tail, near",
    [("NOWAIT", "NOWAIT"), ("SKIP LOCKED", "SKIP LOCKED"), ("OF rs", "OF rs")],
)
def test_for_update_options_mysql_has(db, tail, near):
    assert error_of(db, f"SELECT * FROM rs FOR UPDATE {tail}") == (
        1064,
        SYNTAX.format(near),
    )


def test_insert_returning_and_ignore_with_on_duplicate_key(db):
    assert error_of(db, "INSERT INTO ref VALUES (9, 9) RETURNING id") == (
        1064,
        SYNTAX.format("RETURNING id"),
    )
    assert error_of(
        db, "INSERT IGNORE INTO ref VALUES (1, 1) ON DUPLICATE KEY UPDATE a = 2"
    ) == feature("INSERT IGNORE … ON DUPLICATE KEY UPDATE")
    run(db, "INSERT INTO ref VALUES (1, 1) ON DUPLICATE KEY UPDATE a = VALUES(a)")
    assert rows(db, "SELECT a FROM ref WHERE id = 1") == [(1,)]


def test_update_returning_before_9_1(db):
    assert error_of(db, "UPDATE ref SET a = 1 RETURNING id") == (
        1064,
        SYNTAX.format("RETURNING id"),
    )


@pytest.mark.parametrize(
    "sql",
    [
        "AGGREGATOR SYNC AUTO_INCREMENT",
        "AGGREGATOR SYNC AUTO_INCREMENT ON {db}.cs ALL",
    ],
)
def test_aggregator_sync_auto_increment_commits(db, s2_connect, sql):
    name = rows(db, "SELECT DATABASE()")[0][0]
    run(db, "BEGIN", "INSERT INTO cs VALUES (3, 30, 'z')", sql.format(db=name))
    run(db, "ROLLBACK")
    other = s2_connect(name)
    assert rows(other, "SELECT id, a, b FROM cs WHERE id = 3") == [(3, 30, "z")]


def test_dates_before_the_year_1000_are_refused(s2):
    run(
        s2,
        "CREATE TABLE ev (id BIGINT PRIMARY KEY, d DATE, dt DATETIME(6))",
        "INSERT INTO ev VALUES (1, '1000-01-01', '1000-01-01 00:00:00')",
        # the zero value is in SingleStore's table of DATE values
        "INSERT INTO ev VALUES (4, '0000-00-00', NULL)",
        "DELETE FROM ev WHERE id = 4",
    )
    assert error_of(s2, "INSERT INTO ev VALUES (2, '0999-12-31', NULL)") == (
        1292,
        "Incorrect date value: '0999-12-31' for column 'd'",
    )
    assert error_of(s2, "UPDATE ev SET dt = '0800-05-01 10:00:00' WHERE id = 1") == (
        1292,
        "Incorrect datetime value: '0800-05-01 10:00:00.000000' for column 'dt'",
    )
    run(s2, "ALTER TABLE ev ADD COLUMN later DATETIME")
    assert error_of(s2, "INSERT INTO ev (id, later) VALUES (3, '0001-01-01')") == (
        1292,
        "Incorrect datetime value: '0001-01-01 00:00:00' for column 'later'",
    )
    assert rows(s2, "SELECT id, d, dt FROM ev") == [
        (1, datetime.date(1000, 1, 1), datetime.datetime(1000, 1, 1))
    ]


def test_collate_in_order_by_is_a_syntax_error(db):
    assert error_of(db, "SELECT b FROM cs ORDER BY b COLLATE utf8mb4_bin") == (
        1064,
        SYNTAX.format("COLLATE utf8mb4_bin"),
    )
    assert error_of(
        db, "SELECT id FROM cs WHERE id IN (SELECT id FROM ref ORDER BY a COLLATE x)"
    ) == (1064, SYNTAX.format("COLLATE x)"))
    assert rows(db, "SELECT b COLLATE utf8mb4_bin FROM cs ORDER BY b") == [
        ("x",),
        ("y",),
    ]


@pytest.mark.parametrize(
    "sql, near",
    [
        ("SELECT @n := 1", ":= 1"),
        (
            "SELECT id, @total := @total + a FROM cs ORDER BY id",
            ":= @total + a FROM cs ORDER BY id",
        ),
        ("UPDATE ref SET a = (@v := 5) WHERE id = 1", ":= 5) WHERE id = 1"),
        # A parenthesised compound SELECT goes through the same rules.
        ("(SELECT @x := 1) UNION (SELECT 2)", ":= 1) UNION (SELECT 2)"),
    ],
)
def test_user_variable_assignment_inside_a_statement(db, sql, near):
    assert error_of(db, sql) == (1064, SYNTAX.format(near))


def test_user_variables_set_and_select_into(db):
    run(db, "SET @n = 2", "SELECT a INTO @m FROM cs WHERE id = 1")
    assert rows(db, "SELECT @n, @m") == [(2, 10)]
