"""The double's marks on statements that touch a lenient gap (sql/lenient.py),
read back per connection with DOUBLE SHOW LENIENT."""

import pytest

from tests.double_tests.util import rows, run

CORRELATED = (
    "SELECT `author`.`id` FROM `author` WHERE EXISTS (SELECT 1 FROM `book` U0"
    " WHERE U0.`author_id` = `author`.`id`)"
)


@pytest.fixture
def db(s2, is_double):
    if not is_double:
        pytest.skip("DOUBLE statements exist only in the test double")
    run(
        s2,
        "CREATE TABLE book (id BIGINT PRIMARY KEY, author_id BIGINT)",
        "CREATE TABLE author (id BIGINT PRIMARY KEY)",
        "CREATE ROWSTORE REFERENCE TABLE rbook (id BIGINT PRIMARY KEY,"
        " author_id BIGINT)",
        "CREATE ROWSTORE REFERENCE TABLE rauthor (id BIGINT PRIMARY KEY)",
        "INSERT INTO author VALUES (1), (2)",
        "INSERT INTO book VALUES (1, 1)",
    )
    return s2


def test_a_new_connection_counts_nothing(db):
    cursor = run(db, "DOUBLE SHOW LENIENT")
    assert [d[0] for d in cursor.description] == ["Gap", "Statements"]
    assert [tuple(r) for r in cursor.fetchall()] == [("correlated_subselect", 0)]


def test_correlated_subquery_on_sharded_tables_is_counted_per_statement(db):
    assert rows(db, CORRELATED) == [(1,)]
    assert rows(db, CORRELATED + " ORDER BY `author`.`id`") == [(1,)]
    assert rows(db, "DOUBLE SHOW LENIENT") == [("correlated_subselect", 2)]


def test_uncorrelated_and_reference_only_statements_are_not_counted(db):
    assert rows(
        db, "SELECT `author`.`id` FROM `author` WHERE `author`.`id` IN"
        " (SELECT U0.`author_id` FROM `book` U0)"
    ) == [(1,)]
    assert rows(
        db, CORRELATED.replace("`book`", "`rbook`").replace("`author`", "`rauthor`")
    ) == []
    assert rows(db, "DOUBLE SHOW LENIENT") == [("correlated_subselect", 0)]


def test_counts_belong_to_the_connection_that_sent_the_statements(db, s2_connect):
    other = s2_connect()
    assert rows(db, CORRELATED) == [(1,)]
    assert rows(other, "DOUBLE SHOW LENIENT") == [("correlated_subselect", 0)]
    assert rows(db, "DOUBLE SHOW LENIENT") == [("correlated_subselect", 1)]
