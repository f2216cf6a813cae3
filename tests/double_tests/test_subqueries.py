"""Subquery shapes SingleStore refuses in distributed queries (subqueries.py)."""

import pytest

from tests.double_tests.util import error_of, feature, rows, run

CANNOT = (
    "The query cannot be executed. SingleStore does not support this type of query: "
)


@pytest.fixture
def db(s2):
    run(
        s2,
        "CREATE TABLE book (id BIGINT PRIMARY KEY, author_id BIGINT, pages INT)",
        "CREATE TABLE author (id BIGINT PRIMARY KEY, name VARCHAR(20))",
        "CREATE ROWSTORE REFERENCE TABLE rbook (id BIGINT PRIMARY KEY,"
        " author_id BIGINT, pages INT)",
        "CREATE ROWSTORE REFERENCE TABLE rauthor (id BIGINT PRIMARY KEY,"
        " name VARCHAR(20))",
        "INSERT INTO author VALUES (1, 'a'), (2, 'b')",
        "INSERT INTO book VALUES (1, 1, 100), (2, 1, 200), (3, 2, 50)",
        "INSERT INTO rauthor VALUES (1, 'a'), (2, 'b')",
        "INSERT INTO rbook VALUES (1, 1, 100), (2, 1, 200), (3, 2, 50)",
    )
    return s2


def on_reference_tables(sql):
    return sql.replace("`book`", "`rbook`").replace("`author`", "`rauthor`")


NESTED_OUTERREF = (
    "SELECT `author`.`id` FROM `author` WHERE EXISTS (SELECT 1 FROM `book` U0"
    " WHERE U0.`author_id` IN (SELECT V0.`id` FROM `author` V0"
    " WHERE V0.`id` = `author`.`id`))"
)
GROUP_BY_SUBQUERY = (
    "SELECT (SELECT MAX(U0.`pages`) FROM `book` U0"
    " WHERE U0.`author_id` = `author`.`id`) AS `m`, COUNT(`author`.`id`)"
    " FROM `author` GROUP BY (SELECT MAX(U0.`pages`) FROM `book` U0"
    " WHERE U0.`author_id` = `author`.`id`)"
)
ORDER_BY_EXISTS = (
    "SELECT `author`.`id` FROM `author` ORDER BY EXISTS (SELECT 1 FROM `book` U0"
    " WHERE U0.`author_id` = `author`.`id`) DESC"
)
ORDER_BY_SCALAR = (
    "SELECT `author`.`id` FROM `author` ORDER BY (SELECT MAX(U0.`pages`)"
    " FROM `book` U0)"
)
AGGREGATE_OF_SUBQUERY = (
    "SELECT COUNT(CASE WHEN EXISTS (SELECT 1 FROM `book` U0"
    " WHERE U0.`author_id` = `author`.`id`) THEN 1 END) FROM `author`"
)
HAVING_CORRELATED = (
    "SELECT `author`.`id`, COUNT(`author`.`id`) FROM `author` GROUP BY"
    " `author`.`id` HAVING COUNT(`author`.`id`) < (SELECT COUNT(*) FROM `book` U0"
    " WHERE U0.`author_id` = `author`.`id`)"
)
NESTED_PROJECT = (
    "SELECT `author`.`id`, (SELECT (SELECT MAX(V0.`pages`) FROM `book` V0)"
    " FROM `book` U0 LIMIT 1) AS `x` FROM `author`"
)
PROJECT_WITH_GROUP_BY = (
    "SELECT EXISTS (SELECT 1 FROM `book` U0 WHERE U0.`author_id` = `author`.`id`)"
    " AS `has_books`, MAX(`author`.`name`) FROM `author` GROUP BY `author`.`id`"
)


@pytest.mark.parametrize(
    "sql, error",
    [
        (
            NESTED_OUTERREF,
            (
                1706,
                CANNOT + "scalar subselect references field belonging to outer"
                " select that is more than one level up",
            ),
        ),
        (
            GROUP_BY_SUBQUERY,
            feature(
                "scalar subselect inside the GROUP/ORDER BY of a pushed down query",
                distributed=True,
            ),
        ),
        (ORDER_BY_EXISTS, (1706, CANNOT + "correlated subselect in ORDER BY")),
        (
            ORDER_BY_SCALAR,
            feature(
                "scalar subselect inside the GROUP/ORDER BY of a pushed down query",
                distributed=True,
            ),
        ),
        (AGGREGATE_OF_SUBQUERY, feature("Subselect in aggregate functions")),
        (HAVING_CORRELATED, (1706, CANNOT + "correlated subselect inside HAVING")),
        (NESTED_PROJECT, (1706, CANNOT + "nested scalar subselects in project list")),
        (
            PROJECT_WITH_GROUP_BY,
            feature(
                "Correlated subselect in the project list of a columnstore query"
                " with an ORDER BY, GROUP BY,or DISTINCT"
            ),
        ),
    ],
)
def test_refused_on_sharded_tables_and_run_on_reference_tables(db, sql, error):
    assert error_of(db, sql) == error
    run(db, on_reference_tables(sql))


@pytest.mark.parametrize("group_by", ["1", "`m`"])
def test_group_by_naming_a_subquery_of_the_select_list(db, group_by):
    sql = (
        "SELECT (SELECT MAX(U0.`pages`) FROM `book` U0"
        " WHERE U0.`author_id` = `author`.`id`) AS `m`, COUNT(`author`.`id`)"
        f" FROM `author` GROUP BY {group_by}"
    )
    assert error_of(db, sql) == feature(
        "scalar subselect inside the GROUP/ORDER BY of a pushed down query",
        distributed=True,
    )


def test_scalar_subquery_in_the_select_list_of_a_grouped_query_runs(db):
    # Django groups by the outer columns such a subquery uses (the upstream
    # notes show these queries passing on a cluster)
    assert rows(
        db,
        "SELECT `author`.`id`, (SELECT MAX(U0.`pages`) FROM `book` U0"
        " WHERE U0.`author_id` = `author`.`id`) AS `m`, COUNT(`author`.`id`)"
        " FROM `author` GROUP BY `author`.`id` ORDER BY `author`.`id`",
    ) == [(1, 200, 1), (2, 50, 1)]


def test_the_results_on_reference_tables(db):
    assert rows(db, on_reference_tables(ORDER_BY_EXISTS)) == [(1,), (2,)]
    assert rows(db, on_reference_tables(HAVING_CORRELATED)) == [(1, 1)]


@pytest.mark.parametrize(
    "sql, expected",
    [
        # one level up in WHERE and in the project list: SingleStore runs them
        (
            "SELECT `author`.`id` FROM `author` WHERE EXISTS (SELECT 1 FROM `book` U0"
            " WHERE U0.`author_id` = `author`.`id` AND U0.`pages` > 150)",
            [(1,)],
        ),
        (
            "SELECT `author`.`id`, (SELECT MAX(U0.`pages`) FROM `book` U0"
            " WHERE U0.`author_id` = `author`.`id`) AS `m` FROM `author`"
            " ORDER BY `author`.`id`",
            [(1, 200), (2, 50)],
        ),
        # an uncorrelated IN subquery, and one nested inside another
        (
            "SELECT `book`.`id` FROM `book` WHERE `book`.`author_id` IN"
            " (SELECT U0.`id` FROM `author` U0 WHERE U0.`id` IN"
            " (SELECT V0.`author_id` FROM `book` V0 WHERE V0.`pages` = 50))",
            [(3,)],
        ),
        # a derived table
        (
            "SELECT COUNT(*) FROM (SELECT U0.`id` FROM `book` U0) subquery",
            [(3,)],
        ),
        # the inner alias shadows the outer table name: not correlated
        (
            "SELECT `author`.`id` FROM `author` WHERE `author`.`id` IN"
            " (SELECT `author`.`id` FROM `author` ORDER BY `author`.`id`)",
            [(1,), (2,)],
        ),
    ],
)
def test_shapes_sharded_tables_run(db, sql, expected):
    assert sorted(rows(db, sql)) == expected


def test_select_within_values_is_refused_on_every_table_kind(db):
    for table in ("book", "rbook"):
        sql = (
            f"INSERT INTO `{table}` (`id`, `author_id`, `pages`) VALUES"
            " (9, 1, (SELECT MAX(U0.`pages`) FROM `rbook` U0))"
        )
        assert error_of(db, sql) == feature("select within values clause")
    run(
        db,
        "INSERT INTO `book` (`id`, `author_id`, `pages`)"
        " SELECT 9, 1, MAX(U0.`pages`) FROM `rbook` U0",
    )
    assert rows(db, "SELECT `pages` FROM `book` WHERE `id` = 9") == [(200,)]
