"""Persisted computed columns (``col AS expr PERSISTED type``) through the double.

Sources: D/db/v9.1/reference/sql-reference/data-definition-language-ddl/
create-table/ and alter-table/ (grammar), D/db/v9.1/create-a-database/
using-persistent-computed-columns/ (values, NOT NULL, DESC's Extra).
"""

from tests.double_tests.util import SYNTAX, error_of, rows, run


def show_create(conn, table):
    return rows(conn, f"SHOW CREATE TABLE {table}")[0][1]


def columns(conn, table):
    return rows(
        conn,
        "SELECT COLUMN_NAME, DATA_TYPE, EXTRA FROM information_schema.COLUMNS"
        f" WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}'"
        " ORDER BY ORDINAL_POSITION",
    )


def test_values_are_computed_on_insert_and_update(s2):
    run(
        s2,
        "CREATE TABLE t (id BIGINT PRIMARY KEY, a INT, b INT,"
        " c AS a + b PERSISTED BIGINT, n AS (a :> CHAR) PERSISTED VARCHAR(10),"
        " SORT KEY (c))",
        "INSERT INTO t (id, a, b) VALUES (1, 1, 2), (2, 5, NULL)",
        "UPDATE t SET b = 10 WHERE id = 2",
    )
    assert rows(s2, "SELECT id, c, n FROM t ORDER BY id") == [(1, 3, "1"), (2, 15, "5")]


def test_columns_computed_from_json(s2):
    # Parsing JSON is the first use the computed-column page names.
    run(
        s2,
        "CREATE TABLE d (id BIGINT PRIMARY KEY, doc JSON,"
        " k AS JSON_EXTRACT_STRING(doc, 'k') PERSISTED VARCHAR(20),"
        " n AS JSON_EXTRACT_BIGINT(doc, 'n') * 2 PERSISTED BIGINT,"
        " f AS doc::%f PERSISTED DOUBLE, KEY (k))",
        'INSERT INTO d (id, doc) VALUES (1, \'{"k": "a", "n": 2.5, "f": 1.5}\'),'
        " (2, '{\"n\": true}'), (3, NULL)",
    )
    assert rows(s2, "SELECT id, k, n, f FROM d ORDER BY id") == [
        (1, "a", 6, 1.5),
        (2, None, 2, None),
        (3, None, None, None),
    ]
    assert show_create(s2, "d").splitlines()[3:6] == [
        "  `k` AS JSON_EXTRACT_STRING(doc, 'k') PERSISTED varchar(20),",
        "  `n` AS JSON_EXTRACT_BIGINT(doc, 'n') * 2 PERSISTED bigint(20),",
        "  `f` AS doc::%f PERSISTED double,",
    ]


def test_show_create_table_prints_the_singlestore_definition(s2):
    run(
        s2,
        "CREATE ROWSTORE TABLE t (id BIGINT PRIMARY KEY, a INT NOT NULL,"
        " c AS (a * 2) PERSISTED BIGINT NOT NULL,"
        " s AS CONCAT('x', a) PERSISTED VARCHAR(20) COLLATE utf8mb4_bin"
        " COMMENT 'made')",
    )
    assert show_create(s2, "t").splitlines()[:5] == [
        "CREATE ROWSTORE TABLE `t` (",
        "  `id` bigint(20) NOT NULL,",
        "  `a` int(11) NOT NULL,",
        "  `c` AS (a * 2) PERSISTED bigint(20) NOT NULL,",
        "  `s` AS CONCAT('x', a) PERSISTED varchar(20) CHARACTER SET utf8mb4"
        " COLLATE utf8mb4_bin COMMENT 'made',",
    ]
    assert columns(s2, "t") == [
        ("id", "bigint", ""),
        ("a", "int", ""),
        ("c", "bigint", "computed"),
        ("s", "varchar", "computed"),
    ]


def test_add_column_as_computed(s2):
    run(
        s2,
        "CREATE TABLE t (id BIGINT PRIMARY KEY, a INT)",
        "INSERT INTO t VALUES (1, 4)",
        "ALTER TABLE t ADD COLUMN d AS a - 1 PERSISTED BIGINT",
        "ALTER TABLE t ADD e AS a + 1 PERSISTED BIGINT",
    )
    assert rows(s2, "SELECT d, e FROM t") == [(3, 5)]
    assert "  `d` AS a - 1 PERSISTED bigint(20) DEFAULT NULL," not in show_create(
        s2, "t"
    )
    assert "\n  `d` AS a - 1 PERSISTED bigint(20),\n" in show_create(s2, "t")


def test_renamed_and_dropped_computed_columns(s2):
    run(
        s2,
        "CREATE TABLE t (id BIGINT PRIMARY KEY, a INT, c AS a + 1 PERSISTED BIGINT,"
        " d AS a + 2 PERSISTED BIGINT)",
        "ALTER TABLE t CHANGE c c2",
        "ALTER TABLE t DROP COLUMN d",
    )
    assert show_create(s2, "t").splitlines()[3:5] == [
        "  `c2` AS a + 1 PERSISTED bigint(20),",
        "  PRIMARY KEY (`id`),",
    ]


def test_mysql_generated_column_syntax_is_refused(s2):
    assert error_of(
        s2, "CREATE TABLE t (a INT, c BIGINT GENERATED ALWAYS AS (a + 1) STORED)"
    ) == (1064, SYNTAX.format("GENERATED ALWAYS AS (a + 1) STORED)"))
    run(s2, "CREATE TABLE u (a INT)")
    assert error_of(s2, "ALTER TABLE u ADD c BIGINT AS (a + 1) VIRTUAL") == (
        1064,
        SYNTAX.format("AS (a + 1) VIRTUAL"),
    )


def test_a_computed_column_needs_persisted_and_a_type(s2):
    assert error_of(s2, "CREATE TABLE t (a INT, c AS a + 1)") == (
        1064,
        SYNTAX.format("a + 1)"),
    )
    assert error_of(s2, "CREATE TABLE t (a INT, c AS a + 1 PERSISTED)") == (
        1064,
        SYNTAX.format(""),
    )
    assert error_of(s2, "CREATE TABLE t (a INT, c AS a + 1 PERSISTED AUTO)") == (
        1706,
        "The test double cannot infer the type of the computed column 'c' "
        "(PERSISTED AUTO); name its type.",
    )


def test_modify_takes_no_computed_definition(s2):
    run(s2, "CREATE ROWSTORE TABLE t (id BIGINT PRIMARY KEY, a INT, b INT)")
    assert error_of(s2, "ALTER TABLE t MODIFY b AS a + 1 PERSISTED BIGINT") == (
        1064,
        SYNTAX.format("AS a + 1 PERSISTED BIGINT"),
    )
    assert error_of(s2, "ALTER TABLE t ADD (c AS a + 1 PERSISTED BIGINT)") == (
        1064,
        SYNTAX.format("(c AS a + 1 PERSISTED BIGINT)"),
    )
