"""Introspection in SingleStore's shape: SHOW CREATE TABLE, SHOW INDEX,
information_schema.TABLES and STATISTICS, from MariaDB plus the catalog."""

import pytest

from tests.double_tests.util import rows, run


def create_lines(conn, table):
    [(name, text)] = rows(conn, f"SHOW CREATE TABLE {table}")
    assert name == table
    return text.split("\n")


@pytest.fixture
def db(s2):
    run(
        s2,
        "CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY, name"
        " VARCHAR(10) NOT NULL,"
        " e VARCHAR(10), v VECTOR(2), body TEXT, SORT KEY (name DESC), KEY ix (name),"
        " UNIQUE KEY ue (e) UNENFORCED RELY, FULLTEXT USING VERSION 2 ft (body),"
        ' VECTOR INDEX vi (v) INDEX_OPTIONS \'{"metric_type":"EUCLIDEAN_DISTANCE"}\')',
        "CREATE ROWSTORE REFERENCE TABLE r (id INT PRIMARY KEY, a INT, KEY (a))",
        "CREATE TABLE k (a INT, b INT, SHARD KEY ())",
        "CREATE ROWSTORE TABLE s (a INT, b INT, PRIMARY KEY (a, b), SHARD KEY (b))",
    )
    return s2


def test_show_create_table_columnstore(db):
    lines = create_lines(db, "t")
    assert lines[0] == "CREATE TABLE `t` ("
    assert "  `v` vector(2, F32) DEFAULT NULL," in lines
    assert "  KEY `ix` (`name`) USING HASH," in lines
    assert "  UNIQUE KEY `ue` (`e`) UNENFORCED RELY," in lines
    assert "  FULLTEXT USING VERSION 2 KEY `ft` (`body`)," in lines
    assert (
        "  VECTOR INDEX `vi` (`v`) INDEX_OPTIONS "
        '\'{"metric_type":"EUCLIDEAN_DISTANCE"}\',' in lines
    )
    assert "  SHARD KEY `__SHARDKEY` (`id`)," in lines
    assert "  SORT KEY `name` (`name` DESC)" in lines
    assert lines[-1].startswith(") AUTOSTATS_CARDINALITY_MODE=INCREMENTAL")


def test_show_create_table_kinds_and_keyless(db):
    assert create_lines(db, "r")[0] == "CREATE ROWSTORE REFERENCE TABLE `r` ("
    assert not [line for line in create_lines(db, "r") if "SHARD KEY" in line]
    keyless = create_lines(db, "k")
    assert keyless[0] == "CREATE TABLE `k` ("
    assert keyless[-3:-1] == ["  SHARD KEY (),", "  SORT KEY `__UNORDERED` ()"]
    rowstore = create_lines(db, "s")
    assert rowstore[0] == "CREATE ROWSTORE TABLE `s` ("
    assert rowstore[-2] == "  SHARD KEY `__SHARDKEY` (`b`)"


def test_show_index_has_shard_and_sort_keys(db):
    assert [r[:5] + (r[10],) for r in rows(db, "SHOW INDEX FROM t")] == [
        ("t", 0, "PRIMARY", 1, "id", "HASH"),
        ("t", 1, "ix", 1, "name", "HASH"),
        ("t", 0, "ue", 1, "e", "HASH"),
        ("t", 1, "ft", 1, "body", "FULLTEXT"),
        ("t", 1, "__SHARDKEY", 1, "id", "METADATA_ONLY"),
        ("t", 1, "name", 1, "name", "CLUSTERED COLUMNSTORE"),
    ]
    assert [r[:5] + (r[10],) for r in rows(db, "SHOW INDEXES FROM s")] == [
        ("s", 0, "PRIMARY", 1, "a", "BTREE"),
        ("s", 0, "PRIMARY", 2, "b", "BTREE"),
        ("s", 1, "__SHARDKEY", 1, "b", "SHARD"),
    ]


def test_show_index_columns(db):
    cur = run(db, "SHOW KEYS FROM r")
    assert [d[0] for d in cur.description] == [
        "Table",
        "Non_unique",
        "Key_name",
        "Seq_in_index",
        "Column_name",
        "Collation",
        "Cardinality",
        "Sub_part",
        "Packed",
        "Null",
        "Index_type",
        "Comment",
        "Index_comment",
    ]
    assert [tuple(r) for r in cur.fetchall()] == [
        ("r", 0, "PRIMARY", 1, "id", "A", None, None, None, "", "BTREE", "", ""),
        ("r", 1, "a", 1, "a", "A", None, None, None, "YES", "BTREE", "", ""),
    ]


def test_information_schema_statistics(db):
    assert rows(
        db,
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME,"
        " INDEX_TYPE"
        " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
        " AND TABLE_NAME IN ('t', 'k') ORDER BY TABLE_NAME, INDEX_TYPE, INDEX_NAME",
    ) == [
        ("t", "name", 1, 1, "name", "CLUSTERED COLUMNSTORE"),
        ("t", "ft", 1, 1, "body", "FULLTEXT"),
        ("t", "PRIMARY", 0, 1, "id", "HASH"),
        ("t", "ix", 1, 1, "name", "HASH"),
        ("t", "ue", 0, 1, "e", "HASH"),
        ("t", "__SHARDKEY", 1, 1, "id", "SHARD"),
    ]


def test_information_schema_tables_with_alias_and_join(db):
    assert rows(
        db,
        "SELECT x.TABLE_NAME, x.STORAGE_TYPE, x.DISTRIBUTED FROM"
        " information_schema.TABLES x"
        " WHERE x.TABLE_SCHEMA = DATABASE() ORDER BY x.TABLE_NAME",
    ) == [
        ("k", "COLUMNSTORE", 1),
        ("r", "INMEMORY_ROWSTORE", 0),
        ("s", "INMEMORY_ROWSTORE", 1),
        ("t", "COLUMNSTORE", 1),
    ]
    assert rows(
        db,
        "SELECT TABLES.TABLE_NAME FROM information_schema.TABLES WHERE"
        " TABLES.TABLE_SCHEMA = DATABASE() AND STORAGE_TYPE = 'COLUMNSTORE'"
        " ORDER BY 1",
    ) == [("k",), ("t",)]


def test_views_have_no_storage_type(db):
    run(db, "CREATE VIEW vw AS SELECT id FROM t")
    assert rows(
        db,
        "SELECT TABLE_NAME, TABLE_TYPE, STORAGE_TYPE, DISTRIBUTED FROM"
        " information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND"
        " TABLE_NAME = 'vw'",
    ) == [("vw", "VIEW", None, None)]


def test_show_index_where(db):
    assert [
        r[2:5] for r in rows(db, "SHOW INDEX FROM t WHERE Key_name = '__SHARDKEY'")
    ] == [("__SHARDKEY", 1, "id")]


def test_information_schema_columns_types(db):
    run(db, "CREATE TABLE j (id BIGINT PRIMARY KEY, doc JSON, emb VECTOR(8, I16))")
    assert rows(
        db,
        "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE FROM information_schema.COLUMNS"
        " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'j'"
        " ORDER BY ORDINAL_POSITION",
    ) == [
        ("id", "bigint", "bigint(20)"),
        ("doc", "json", "json"),
        ("emb", "vector", "vector(8, I16)"),
    ]


def test_information_schema_in_lower_case(db):
    assert rows(
        db,
        "select tables.table_name, tables.storage_type from information_schema.tables"
        " where tables.table_schema = database() and tables.table_name = 'r'",
    ) == [("r", "INMEMORY_ROWSTORE")]
