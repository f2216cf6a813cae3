"""The double's marks on statements that touch a lenient gap (sql/lenient.py),
read back per connection with DOUBLE SHOW LENIENT."""

import struct

import pymysql
import pytest
from pymysql.constants import COMMAND

from tests.double.sql import lenient
from tests.double_tests.util import rows, run, url_params

CORRELATED = (
    "SELECT `author`.`id` FROM `author` WHERE EXISTS (SELECT 1 FROM `book` U0"
    " WHERE U0.`author_id` = `author`.`id`)"
)

ALL_GAPS = [
    "all_subquery",
    "alter_temporary",
    "auto_increment_not_bigint",
    "char_non_ascii",
    "collate_expression",
    "columnstore_collation_or_comment",
    "correlated_subselect",
    "index_on_shard_or_sort_key",
    "like_escape",
    "limit_after_union",
    "limit_not_constant",
    "multi_table_write",
    "prepared_statement",
    "reference_auto_increment_rename",
    "session_collation",
    "several_shard_or_sort_keys",
    "shard_key_column_change",
    "shard_key_on_reference",
    "sort_key_on_rowstore",
    "unique_on_keyless",
    "uuid_default",
]


@pytest.fixture
def db(s2, is_double):
    if not is_double:
        pytest.skip("DOUBLE statements exist only in the test double")
    run(
        s2,
        "CREATE TABLE book (id BIGINT PRIMARY KEY, author_id BIGINT)",
        "CREATE TABLE author (id BIGINT PRIMARY KEY, name VARCHAR(20))",
        "CREATE ROWSTORE REFERENCE TABLE rbook (id BIGINT PRIMARY KEY,"
        " author_id BIGINT)",
        "CREATE ROWSTORE REFERENCE TABLE rauthor (id BIGINT PRIMARY KEY)",
        "INSERT INTO author VALUES (1, 'a'), (2, 'b')",
        "INSERT INTO book VALUES (1, 1)",
    )
    return s2


def marked(conn):
    """The gaps DOUBLE SHOW LENIENT counts on ``conn``, with their counts."""
    return {gap: count for gap, count in rows(conn, "DOUBLE SHOW LENIENT") if count}


def test_a_new_connection_lists_every_gap_at_zero(db):
    cursor = run(db, "DOUBLE SHOW LENIENT")
    assert [d[0] for d in cursor.description] == ["Gap", "Statements"]
    assert [tuple(r) for r in cursor.fetchall()] == [(g, 0) for g in ALL_GAPS]
    assert sorted(lenient.GAPS) == ALL_GAPS


def test_correlated_subquery_on_sharded_tables_is_counted_per_statement(db):
    assert rows(db, CORRELATED) == [(1,)]
    assert rows(db, CORRELATED + " ORDER BY `author`.`id`") == [(1,)]
    assert marked(db) == {"correlated_subselect": 2}


def test_uncorrelated_and_reference_only_statements_are_not_counted(db):
    assert rows(
        db, "SELECT `author`.`id` FROM `author` WHERE `author`.`id` IN"
        " (SELECT U0.`author_id` FROM `book` U0)"
    ) == [(1,)]
    assert rows(
        db, CORRELATED.replace("`book`", "`rbook`").replace("`author`", "`rauthor`")
    ) == []
    assert marked(db) == {}


def test_counts_belong_to_the_connection_that_sent_the_statements(db, s2_connect):
    other = s2_connect()
    assert rows(db, CORRELATED) == [(1,)]
    assert marked(other) == {}
    assert marked(db) == {"correlated_subselect": 1}


def test_a_statement_counts_once_per_gap(db):
    run(db, "SELECT name COLLATE utf8mb4_bin, name COLLATE utf8mb4_bin FROM author")
    assert marked(db) == {"collate_expression": 1}


# CREATE TABLE


@pytest.mark.parametrize(
    "statement, gap",
    [
        ("CREATE ROWSTORE TABLE t (id BIGINT PRIMARY KEY, SORT KEY (id))",
         "sort_key_on_rowstore"),
        ("CREATE ROWSTORE REFERENCE TABLE t (id BIGINT PRIMARY KEY, SHARD KEY (id))",
         "shard_key_on_reference"),
        ("CREATE TABLE t (a BIGINT, b BIGINT, SHARD KEY (a), SORT KEY (a),"
         " SORT KEY (b))", "several_shard_or_sort_keys"),
        ("CREATE TABLE t (a BIGINT, b BIGINT, SHARD KEY (a), SHARD KEY (b))",
         "several_shard_or_sort_keys"),
        ("CREATE TABLE t (id BIGINT, code VARCHAR(10), UNIQUE KEY (code),"
         " SHARD KEY ())", "unique_on_keyless"),
        ("CREATE ROWSTORE TABLE t (code VARCHAR(10), UNIQUE KEY (code))",
         "unique_on_keyless"),
        ("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY)",
         "auto_increment_not_bigint"),
        ("CREATE TABLE t (id BIGINT PRIMARY KEY, token CHAR(36) DEFAULT (UUID()))",
         "uuid_default"),
    ],
)
def test_create_table_gaps_are_counted(db, statement, gap):
    run(db, statement)
    assert marked(db) == {gap: 1}


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY, code VARCHAR(10),"
        " SORT KEY (code))",
        "CREATE ROWSTORE REFERENCE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY,"
        " token CHAR(36) DEFAULT (UUID()), code VARCHAR(10), UNIQUE KEY (code))",
        "CREATE TABLE t (id BIGINT, code VARCHAR(10), SHARD KEY ())",
    ],
)
def test_create_table_within_the_documented_rules_is_not_counted(db, statement):
    run(db, statement)
    assert marked(db) == {}


# ALTER TABLE


def test_dropping_modifying_or_renaming_a_shard_key_column_is_counted(db):
    run(db, "CREATE ROWSTORE TABLE s (a BIGINT, b BIGINT, c BIGINT, d BIGINT,"
            " SHARD KEY (a, b, c))")
    run(db, "ALTER TABLE s DROP COLUMN b")
    run(db, "ALTER TABLE s MODIFY a BIGINT NOT NULL")
    run(db, "ALTER TABLE s CHANGE c e BIGINT")
    run(db, "ALTER TABLE s CHANGE d f BIGINT")
    run(db, "ALTER TABLE s MODIFY f BIGINT NOT NULL")
    assert marked(db) == {"shard_key_column_change": 3}


def test_renaming_a_reference_tables_auto_increment_column_is_counted(db):
    run(db, "CREATE ROWSTORE REFERENCE TABLE ra (id BIGINT AUTO_INCREMENT"
            " PRIMARY KEY, n BIGINT)")
    run(db, "ALTER TABLE ra CHANGE n m BIGINT")
    assert marked(db) == {}
    run(db, "ALTER TABLE ra CHANGE id ident BIGINT AUTO_INCREMENT")
    assert marked(db) == {"reference_auto_increment_rename": 1}


def test_comment_and_collation_changes_on_columnstore_are_counted(db):
    run(db, "ALTER TABLE author MODIFY name VARCHAR(20)")
    assert marked(db) == {}
    run(db, "ALTER TABLE author MODIFY name VARCHAR(20) COMMENT 'the name'")
    run(db, "ALTER TABLE author MODIFY name VARCHAR(20) COMMENT 'the name'")
    assert marked(db) == {"columnstore_collation_or_comment": 1}
    run(db, "ALTER TABLE author MODIFY name VARCHAR(20) COLLATE utf8mb4_bin"
            " COMMENT 'the name'")
    run(db, "ALTER TABLE author COLLATE utf8mb4_bin")
    run(db, "ALTER TABLE author DEFAULT CHARACTER SET utf8mb4")
    assert marked(db) == {"columnstore_collation_or_comment": 4}


def test_comment_and_collation_changes_on_rowstore_are_not_counted(db):
    run(db, "CREATE ROWSTORE TABLE r (id BIGINT PRIMARY KEY, name VARCHAR(20))")
    run(db, "ALTER TABLE r MODIFY name VARCHAR(20) COLLATE utf8mb4_bin"
            " COMMENT 'the name'")
    run(db, "ALTER TABLE r COLLATE utf8mb4_bin")
    assert marked(db) == {}


def test_a_multi_column_index_on_a_shard_or_sort_key_column_is_counted(db):
    run(db, "CREATE TABLE ix (id BIGINT, a BIGINT, b BIGINT, c BIGINT, d BIGINT,"
            " e BIGINT, SHARD KEY (id), SORT KEY (a))")
    run(db, "CREATE INDEX ix_bc ON ix (b, c)")
    assert marked(db) == {}
    run(db, "CREATE INDEX ix_ad ON ix (a, d)")
    run(db, "ALTER TABLE ix ADD INDEX ix_ide (id, e)")
    run(db, "CREATE INDEX ix_a ON ix (a)")
    assert marked(db) == {"index_on_shard_or_sort_key": 2}


def test_modify_on_a_temporary_columnstore_table_is_counted(db):
    run(db, "CREATE TEMPORARY TABLE tt (id BIGINT PRIMARY KEY, n INT)")
    run(db, "ALTER TABLE tt MODIFY n BIGINT")
    assert rows(db, "SHOW COLUMNS FROM tt LIKE 'n'")[0][1] == "bigint(20)"
    assert marked(db) == {"alter_temporary": 1}


# DML


@pytest.mark.parametrize(
    "statement, gap",
    [
        ("SELECT name COLLATE utf8mb4_bin FROM author", "collate_expression"),
        ("SELECT id FROM author WHERE name LIKE 'a!%' ESCAPE '!'", "like_escape"),
        ("SELECT id FROM author WHERE id >= ALL (SELECT id FROM author)",
         "all_subquery"),
        ("SELECT id FROM author UNION SELECT id FROM book LIMIT 1",
         "limit_after_union"),
        ("(SELECT id FROM author) UNION ALL (SELECT id FROM book) LIMIT 1, 1",
         "limit_after_union"),
        ("SELECT CHAR(200 USING utf8mb4)", "char_non_ascii"),
        ("SELECT CHAR(id, 300) FROM author", "char_non_ascii"),
        ("UPDATE author JOIN rbook ON rbook.author_id = author.id"
         " SET author.name = 'x'", "multi_table_write"),
        ("UPDATE author JOIN book ON book.author_id = author.id"
         " SET book.author_id = 2", "multi_table_write"),
        ("DELETE book FROM author JOIN book ON book.author_id = author.id"
         " WHERE author.id = 9", "multi_table_write"),
        ("DELETE FROM rbook USING rbook, author WHERE rbook.author_id = author.id"
         " AND author.id = 9", "multi_table_write"),
    ],
)
def test_dml_gaps_are_counted(db, statement, gap):
    run(db, statement)
    assert marked(db) == {gap: 1}


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT id FROM author WHERE name LIKE 'a%'",
        "SELECT id FROM author UNION ALL (SELECT id FROM book)",
        "SELECT * FROM (SELECT id FROM author UNION SELECT id FROM book) u LIMIT 1",
        "SELECT id FROM author LIMIT 1 OFFSET 1",
        "SELECT CHAR(77, 78 USING utf8mb4), CAST(id AS CHAR(5)) FROM author",
        "UPDATE author JOIN book ON book.author_id = author.id SET author.name = 'x'",
        "DELETE author FROM author JOIN book ON book.author_id = author.id"
        " WHERE author.id = 9",
        "DELETE FROM book WHERE book.author_id IN (SELECT U0.id FROM rauthor U0)",
        "UPDATE rbook SET author_id = 2",
    ],
)
def test_dml_within_the_documented_rules_is_not_counted(db, statement):
    run(db, statement)
    assert marked(db) == {}


def test_a_non_constant_limit_in_a_procedure_body_is_counted(db):
    run(db, "CREATE PROCEDURE firsts(n BIGINT) AS BEGIN"
            " SELECT id FROM author ORDER BY id LIMIT n; END")
    assert marked(db) == {"limit_not_constant": 1}


# SET and the wire protocol


def test_session_collation_variables_are_counted(db):
    run(db, "SET NAMES utf8mb4")
    run(db, "SET @x = 1")
    assert marked(db) == {}
    run(db, "SET collation_connection = 'utf8mb4_bin'")
    run(db, "SET @@session.collation_database = 'utf8mb4_bin', @y = 2")
    assert marked(db) == {"session_collation": 2}


def test_prepared_statements_are_counted(db, double_url):
    conn = pymysql.connect(
        **url_params(double_url), database=db.db, autocommit=True, charset="utf8mb4"
    )
    try:
        conn._execute_command(COMMAND.COM_STMT_PREPARE, "SELECT ? + 1, 'x'")
        prepared = conn._read_packet().get_all_data()
        statement, columns, params = struct.unpack("<xIHH", prepared[:9])
        assert (columns, params) == (2, 1)
        for _ in range(5):  # two parameter and three column packets, each
            conn._read_packet()  # list ending in EOF
        conn._execute_command(COMMAND.COM_STMT_CLOSE, struct.pack("<I", statement))
        assert marked(conn) == {"prepared_statement": 1}
    finally:
        conn.close()
    assert marked(db) == {}
