"""SingleStore DDL through the double: accepted shapes, refusals, catalog.

Each refusal asserts SingleStore's errno and message (errors.py gives the
source of each; KNOWN_GAPS.md lists the inferred errnos).
"""

import pytest

from tests.double_tests.util import SYNTAX, error_of, feature, rows, run


def kinds(conn):
    return rows(
        conn,
        "SELECT TABLE_NAME, STORAGE_TYPE, DISTRIBUTED FROM information_schema.TABLES"
        " WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME",
    )


def test_table_kinds(s2):
    run(
        s2,
        "CREATE TABLE c (id BIGINT PRIMARY KEY)",
        "CREATE ROWSTORE TABLE r (id BIGINT PRIMARY KEY)",
        "CREATE REFERENCE TABLE cr (id BIGINT PRIMARY KEY)",
        "CREATE ROWSTORE REFERENCE TABLE rr (id BIGINT PRIMARY KEY)",
    )
    assert kinds(s2) == [
        ("c", "COLUMNSTORE", 1),
        ("cr", "COLUMNSTORE", 0),
        ("r", "INMEMORY_ROWSTORE", 1),
        ("rr", "INMEMORY_ROWSTORE", 0),
    ]


def test_singlestore_key_clauses_are_accepted(s2):
    run(
        s2,
        "CREATE TABLE t (a BIGINT NOT NULL, b VARCHAR(20), c JSON, v VECTOR(4),"
        " d TEXT, SHARD KEY sk (a), SORT KEY (b DESC), KEY (b) USING HASH,"
        " KEY bt (a, b) USING BTREE, UNIQUE KEY ub (b) UNENFORCED RELY,"
        " FULLTEXT USING VERSION 2 ft (d),"
        ' VECTOR INDEX vi (v) INDEX_OPTIONS \'{"index_type":"AUTO"}\')',
        "INSERT INTO t VALUES (1, 'x', '{}', '[1,2,3,4]', 'hello world'),"
        " (2, 'x', '{}', '[1,2,3,4]', 'other')",
    )
    assert rows(s2, "SELECT COUNT(*) FROM t WHERE b = 'x'") == [(2,)]


def test_keyless_sharding(s2):
    run(s2, "CREATE TABLE k (a INT, b INT, SHARD KEY ())", "CREATE TABLE n (a INT)")
    assert kinds(s2) == [("k", "COLUMNSTORE", 1), ("n", "COLUMNSTORE", 1)]


def test_unique_key_must_contain_the_shard_key(s2):
    assert error_of(
        s2, "CREATE TABLE t (id BIGINT PRIMARY KEY, e VARCHAR(9) UNIQUE)"
    ) == (
        1706,
        "The unique key named: 'e' cannot be created because unique keys must contain"
        " all columns of the shard key",
    )
    assert error_of(
        s2, "CREATE ROWSTORE TABLE t (a INT, b INT, UNIQUE KEY ab (b), SHARD KEY (a))"
    ) == (
        1706,
        "The unique key named: 'ab' cannot be created because unique keys must contain"
        " all columns of the shard key",
    )


def test_unique_key_with_the_shard_key_or_unenforced_is_accepted(s2):
    run(
        s2,
        "CREATE ROWSTORE TABLE t (a INT, b INT, PRIMARY KEY (a, b), UNIQUE KEY (b, a),"
        " SHARD KEY (a))",
        "CREATE TABLE u (id BIGINT PRIMARY KEY, e VARCHAR(9), UNIQUE KEY (e)"
        " UNENFORCED)",
        "CREATE REFERENCE TABLE r (id BIGINT PRIMARY KEY, e VARCHAR(9), UNIQUE"
        " KEY (e))",
    )


def test_reference_table_needs_a_primary_key(s2):
    assert error_of(s2, "CREATE REFERENCE TABLE r (a INT)") == (
        1706,
        "Feature 'Reference Table without a Primary Key' is not supported by"
        " SingleStore Distributed.",
    )


def test_columnstore_multiple_unique_with_multi_column(s2):
    assert error_of(
        s2,
        "CREATE TABLE t (a INT, b INT, c INT, PRIMARY KEY (a), UNIQUE KEY (a, b),"
        " SHARD KEY (a))",
    ) == (
        1706,
        "Feature 'multiple UNIQUE indexes with at least one index containing multiple"
        " columns on columnstore table' is not supported by SingleStore.",
    )
    run(
        s2,
        "CREATE ROWSTORE TABLE r (a INT, b INT, PRIMARY KEY (a), UNIQUE KEY (a, b))",
    )


def test_same_columns_twice_on_columnstore(s2):
    assert error_of(s2, "CREATE TABLE t (id INT PRIMARY KEY, UNIQUE KEY (id))") == (
        1706,
        "Feature 'Multiple HASH indices on the same columns' is not supported by"
        " SingleStore.",
    )


def test_check_and_foreign_keys(s2):
    feature = "Feature 'Check constraints' is not supported by SingleStore."
    assert error_of(s2, "CREATE TABLE t (a INT CHECK (a > 0))") == (1706, feature)
    assert error_of(s2, "CREATE TABLE t (a INT, CONSTRAINT c CHECK (a > 0))") == (
        1706,
        feature,
    )
    run(s2, "CREATE TABLE p (id BIGINT PRIMARY KEY)")
    assert error_of(
        s2,
        "CREATE TABLE t (id BIGINT PRIMARY KEY, p BIGINT, FOREIGN KEY (p)"
        " REFERENCES p (id))",
    ) == (1706, "Feature 'FOREIGN KEY' is not supported by SingleStore Distributed.")


def test_fulltext_rules(s2):
    assert error_of(
        s2, "CREATE ROWSTORE TABLE t (id INT PRIMARY KEY, d TEXT, FULLTEXT (d))"
    ) == (
        1706,
        "Feature 'FULLTEXT index on a rowstore table' is not supported by SingleStore.",
    )
    assert error_of(
        s2,
        "CREATE TABLE t (id INT PRIMARY KEY, d TEXT, e TEXT, FULLTEXT (d),"
        " FULLTEXT (e))",
    ) == (1706, "Feature 'more than one FULLTEXT KEY' is not supported by SingleStore.")
    run(s2, "CREATE TABLE t (id INT PRIMARY KEY, d TEXT, e TEXT, FULLTEXT (d))")
    assert error_of(s2, "ALTER TABLE t ADD FULLTEXT USING VERSION 2 (e)") == (
        1706,
        "Feature 'more than one FULLTEXT KEY' is not supported by SingleStore.",
    )


def test_vector_index_only_on_columnstore(s2):
    assert error_of(
        s2,
        "CREATE ROWSTORE TABLE t (id INT PRIMARY KEY, v VECTOR(2), VECTOR INDEX (v))",
    ) == (
        1706,
        "Feature 'VECTOR index on a rowstore table' is not supported by SingleStore.",
    )
    run(s2, "CREATE ROWSTORE TABLE r (id INT PRIMARY KEY, v VECTOR(2))")
    assert error_of(s2, "ALTER TABLE r ADD VECTOR INDEX vi (v)") == (
        1706,
        "Feature 'VECTOR index on a rowstore table' is not supported by SingleStore.",
    )


@pytest.fixture
def cs(s2):
    run(
        s2,
        "CREATE TABLE cs (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(10),"
        " n INT NULL, m INT NOT NULL DEFAULT 0)",
    )
    return s2


@pytest.mark.parametrize(
    "sql, message",
    [
        (
            "ALTER TABLE cs MODIFY name VARCHAR(20)",
            "ALTER TABLE which modifies type of column 'name' is not supported on a"
            " columnstore table",
        ),
        (
            "ALTER TABLE cs MODIFY COLUMN n INT NOT NULL",
            "ALTER TABLE which modifies column 'n' from NULL to NOT NULL is not"
            " supported on a columnstore table.",
        ),
        (
            "ALTER TABLE cs MODIFY m INT NOT NULL AUTO_INCREMENT",
            "ALTER TABLE which modifies column 'm' by adding or dropping AUTO_INCREMENT"
            " is not supported on a columnstore table",
        ),
        (
            "ALTER TABLE cs MODIFY id BIGINT NOT NULL",
            "ALTER TABLE which modifies column 'id' by adding or dropping"
            " AUTO_INCREMENT"
            " is not supported on a columnstore table",
        ),
        (
            "ALTER TABLE cs ADD UNIQUE KEY un (name)",
            "ALTER TABLE which adds unique/primary/foreign index 'un' is not supported"
            " on a columnstore table",
        ),
        (
            "CREATE UNIQUE INDEX un ON cs (name)",
            "ALTER TABLE which adds unique/primary/foreign index 'un' is not supported"
            " on a columnstore table",
        ),
        (
            "ALTER TABLE cs DROP PRIMARY KEY",
            "ALTER TABLE which changes index `PRIMARY` is not supported on a"
            " columnstore"
            " table.",
        ),
        (
            "ALTER TABLE cs ADD PRIMARY KEY (id)",
            "A primary key cannot be added to a table after creation",
        ),
        (
            "ALTER TABLE cs CHANGE name title VARCHAR(30)",
            "Feature 'ALTER TABLE CHANGE to modify column type' is not supported by"
            " SingleStore. Use MODIFY to change a column's type.",
        ),
        (
            "ALTER TABLE cs AUTO_INCREMENT = 10",
            "Feature 'ALTER TABLE...AUTO_INCREMENT=X for sharded tables' is not"
            " supported by SingleStore Distributed.",
        ),
        (
            "ALTER TABLE cs ADD COLUMN x BIGINT AUTO_INCREMENT",
            "ALTER TABLE which modifies column 'x' by adding or dropping AUTO_INCREMENT"
            " is not supported on a columnstore table",
        ),
    ],
)
def test_columnstore_alter_refusals(cs, sql, message):
    assert error_of(cs, sql) == (1706, message)


def test_drop_explicit_shard_key_index(s2):
    run(s2, "CREATE TABLE t (a INT, b INT, SHARD KEY (a), KEY (b))")
    assert error_of(s2, "ALTER TABLE t DROP INDEX __SHARDKEY") == (
        1706,
        "ALTER TABLE which drops shard index '__SHARDKEY' on sharded table is not"
        " supported on a columnstore table.",
    )


@pytest.mark.parametrize(
    "sql, near",
    [
        ("ALTER TABLE cs ADD CONSTRAINT u UNIQUE (name)", "CONSTRAINT u UNIQUE (name)"),
        (
            "ALTER TABLE cs ADD FOREIGN KEY (n) REFERENCES cs (id)",
            "FOREIGN KEY (n) REFERENCES cs (id)",
        ),
        ("ALTER TABLE cs ALTER COLUMN n SET DEFAULT 1", "COLUMN n SET DEFAULT 1"),
        ("ALTER TABLE cs ALTER n DROP DEFAULT", "n DROP DEFAULT"),
        ("ALTER TABLE cs RENAME COLUMN n TO k", "COLUMN n TO k"),
        ("ALTER TABLE cs RENAME INDEX a TO b", "INDEX a TO b"),
    ],
)
def test_grammar_singlestore_lacks(cs, sql, near):
    assert error_of(cs, sql) == (1064, SYNTAX.format(near))


def test_columnstore_alters_that_work(cs):
    run(
        cs,
        "ALTER TABLE cs MODIFY name VARCHAR(10) NULL COMMENT 'shown'",
        "ALTER TABLE cs MODIFY m INT NOT NULL DEFAULT 5",
        "ALTER TABLE cs ADD COLUMN extra TEXT",
        "ALTER TABLE cs ADD INDEX nm (name)",
        "CREATE INDEX ex ON cs (n)",
        "DROP INDEX ex ON cs",
        "ALTER TABLE cs DROP INDEX nm",
        "ALTER TABLE cs CHANGE name title",
        "ALTER TABLE cs CHANGE COLUMN title label VARCHAR(10)",
        "ALTER TABLE cs DROP COLUMN extra",
        "ALTER TABLE cs ADD UNIQUE KEY uu (label) UNENFORCED",
        "INSERT INTO cs (label, n) VALUES ('a', 1), ('a', 2)",
        "ALTER TABLE cs RENAME TO cs2",
    )
    assert rows(cs, "SELECT label, n FROM cs2 ORDER BY n") == [("a", 1), ("a", 2)]
    assert kinds(cs) == [("cs2", "COLUMNSTORE", 1)]


def test_rowstore_alters_that_columnstore_refuses(s2):
    run(
        s2,
        "CREATE ROWSTORE TABLE r (id BIGINT PRIMARY KEY, name VARCHAR(10), n INT)",
        "ALTER TABLE r MODIFY name VARCHAR(20)",
        "ALTER TABLE r MODIFY n INT NOT NULL",
        "ALTER TABLE r ADD UNIQUE KEY (id, name)",
    )
    assert error_of(s2, "ALTER TABLE r ADD UNIQUE KEY un (name)") == (
        1706,
        "The unique key named: 'un' cannot be created because unique keys must contain"
        " all columns of the shard key",
    )


def test_reference_table_auto_increment_alter_is_allowed(s2):
    run(
        s2,
        "CREATE REFERENCE TABLE r (id BIGINT AUTO_INCREMENT PRIMARY KEY)",
        "ALTER TABLE r AUTO_INCREMENT = 10",
        "INSERT INTO r VALUES (NULL)",
    )
    assert rows(s2, "SELECT id FROM r") == [(10,)]


def test_catalog_follows_rename_and_drop(s2):
    run(
        s2,
        "CREATE ROWSTORE TABLE a (id INT PRIMARY KEY)",
        "RENAME TABLE a TO b",
        "CREATE TABLE c (id INT PRIMARY KEY)",
    )
    assert kinds(s2) == [("b", "INMEMORY_ROWSTORE", 1), ("c", "COLUMNSTORE", 1)]
    run(s2, "DROP TABLE b", "CREATE TABLE b (id INT PRIMARY KEY)")
    assert kinds(s2) == [("b", "COLUMNSTORE", 1), ("c", "COLUMNSTORE", 1)]


def test_failed_create_leaves_no_catalog_entry(s2):
    run(s2, "CREATE ROWSTORE TABLE a (id INT PRIMARY KEY)")
    assert error_of(s2, "CREATE TABLE a (id INT PRIMARY KEY)") == (
        1050,
        "Table 'a' already exists",
    )
    assert kinds(s2) == [("a", "INMEMORY_ROWSTORE", 1)]


def test_create_like_copies_the_kind(s2):
    run(
        s2,
        "CREATE ROWSTORE TABLE a (id INT PRIMARY KEY, d JSON)",
        "CREATE TABLE b LIKE a",
        "INSERT INTO b VALUES (1, '{\"k\": 1}')",
    )
    assert kinds(s2) == [("a", "INMEMORY_ROWSTORE", 1), ("b", "INMEMORY_ROWSTORE", 1)]
    assert rows(s2, "SELECT d FROM b") == [('{"k":1}',)]


def test_create_if_not_exists_keeps_the_first_definition(s2):
    run(
        s2,
        "CREATE ROWSTORE TABLE a (id INT PRIMARY KEY)",
        "CREATE TABLE IF NOT EXISTS a (id INT PRIMARY KEY)",
    )
    assert kinds(s2) == [("a", "INMEMORY_ROWSTORE", 1)]


def test_temporary_tables(s2):
    run(
        s2,
        "CREATE TEMPORARY TABLE tmp (id INT PRIMARY KEY, d JSON, v VECTOR(2))",
        "INSERT INTO tmp VALUES (1, '{}', '[1,2]')",
        "DROP TEMPORARY TABLE tmp",
    )


def test_django_style_table_with_explicit_keys(s2):
    run(
        s2,
        "CREATE TABLE `app_m` (`id` bigint AUTO_INCREMENT NOT NULL PRIMARY KEY,"
        " `name` varchar(10) NOT NULL, `a_id` bigint NOT NULL,"
        " SHARD KEY (`id`), SORT KEY (`name`))",
        "CREATE INDEX `app_m_a_id_idx` ON `app_m` (`a_id`)",
        "INSERT INTO `app_m` (`name`, `a_id`) VALUES ('x', 1), ('y', 2)",
    )
    assert rows(s2, "SELECT `name` FROM `app_m` WHERE `a_id` = 2") == [("y",)]
    assert rows(
        s2,
        "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS"
        " WHERE TABLE_SCHEMA = DATABASE() AND INDEX_TYPE IN"
        " ('SHARD', 'CLUSTERED COLUMNSTORE') ORDER BY INDEX_TYPE",
    ) == [("name", "name"), ("__SHARDKEY", "id")]


def test_m2m_shaped_table_without_id(s2):
    run(
        s2,
        "CREATE TABLE `m2m` (`a_id` bigint NOT NULL, `b_id` bigint NOT NULL,"
        " SHARD KEY (`a_id`), UNIQUE KEY (`a_id`, `b_id`), KEY (`b_id`))",
        "INSERT INTO `m2m` VALUES (1, 2), (1, 3)",
    )
    assert error_of(s2, "INSERT INTO `m2m` VALUES (1, 2)") == (
        1062,
        "Duplicate entry '1-2' for key 'a_id'",
    )


def test_temporary_table_does_not_replace_the_catalog_entry(s2):
    run(
        s2,
        "CREATE ROWSTORE TABLE a (id INT PRIMARY KEY)",
        "CREATE TEMPORARY TABLE a (id INT PRIMARY KEY, n INT)",
    )
    assert error_of(s2, "ALTER TABLE a ADD UNIQUE KEY un (n)") == (
        1706,
        "ALTER TABLE which adds unique/primary/foreign index 'un' is not supported"
        " on a columnstore table",
    )
    run(s2, "DROP TEMPORARY TABLE a")
    assert kinds(s2) == [("a", "INMEMORY_ROWSTORE", 1)]


def test_default_table_type_follows_the_double_setting(s2, faults):
    faults.set("DEFAULT_TABLE_TYPE", "rowstore")
    run(s2, "CREATE TABLE a (id INT PRIMARY KEY)")
    assert rows(s2, "SELECT @@default_table_type") == [("rowstore",)]
    assert kinds(s2) == [("a", "INMEMORY_ROWSTORE", 1)]
    faults.set("MEMSQL_VERSION", "9.1.2")
    assert rows(s2, "SELECT @@memsql_version") == [("9.1.2",)]


@pytest.mark.parametrize(
    "sql, near",
    [
        ("DROP TABLE t CASCADE", "CASCADE"),
        ("DROP TABLE IF EXISTS t RESTRICT", "RESTRICT"),
    ],
)
def test_drop_table_takes_no_cascade_or_restrict(s2, sql, near):
    run(s2, "CREATE TABLE t (id BIGINT PRIMARY KEY)")
    assert error_of(s2, sql) == (1064, SYNTAX.format(near))
    assert kinds(s2) == [("t", "COLUMNSTORE", 1)]


def test_drop_table_force_and_temporary(s2):
    run(
        s2,
        "CREATE TABLE t (id BIGINT PRIMARY KEY)",
        "CREATE TEMPORARY TABLE tmp (id BIGINT PRIMARY KEY)",
        "DROP TABLE t FORCE",
        "DROP TEMPORARY TABLE IF EXISTS tmp",
        "DROP TABLE IF EXISTS t FORCE",
    )
    assert kinds(s2) == []


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE f (id DOUBLE PRIMARY KEY)",
        "CREATE TABLE f (id FLOAT, k INT, PRIMARY KEY (k, id))",
        "CREATE TABLE f (id REAL NOT NULL, PRIMARY KEY (id))",
    ],
)
def test_float_primary_keys_on_columnstore(s2, sql):
    assert error_of(s2, sql) == feature(
        "FLOAT or DOUBLE PRIMARY KEY column on a columnstore table"
    )
    run(s2, sql.replace("CREATE TABLE", "CREATE ROWSTORE TABLE"), "DROP TABLE f")
    run(s2, "CREATE TABLE g (id BIGINT PRIMARY KEY, score DOUBLE, KEY (score))")


def test_table_comment_changes_on_columnstore(s2):
    run(
        s2,
        "CREATE TABLE c (id BIGINT PRIMARY KEY) COMMENT 'first'",
        "CREATE ROWSTORE TABLE r (id BIGINT PRIMARY KEY)",
        "ALTER TABLE r COMMENT 'changed'",
    )
    assert error_of(s2, "ALTER TABLE c COMMENT = 'changed'") == feature(
        "ALTER TABLE COMMENT on a columnstore table"
    )
    assert rows(
        s2,
        "SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES"
        " WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME",
    ) == [("c", "first"), ("r", "changed")]


def test_multi_column_index_over_an_indexed_columnstore_column(s2):
    run(
        s2,
        "CREATE TABLE c (id BIGINT PRIMARY KEY, a INT, b INT, d INT, KEY (a))",
        "CREATE ROWSTORE TABLE r (id BIGINT PRIMARY KEY, a INT, b INT, KEY (a))",
        "CREATE INDEX r_ab ON r (a, b)",
        "CREATE INDEX c_b ON c (b)",
    )
    refused = feature(
        "Adding an INDEX with multiple columns on a columnstore table where any"
        " column in the new index is already in an index"
    )
    assert error_of(s2, "CREATE INDEX c_ab ON c (a, b)") == refused
    assert error_of(s2, "ALTER TABLE c ADD INDEX c_id_d (id, d)") == refused
    run(s2, "ALTER TABLE c ADD COLUMN e INT", "CREATE INDEX c_de ON c (d, e)")
