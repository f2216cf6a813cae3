"""The SQL layer without a server: parsers and the exact MariaDB text it forwards.

Statements here never need the catalog's connection, so the engine's side
connection is one that fails if used, and the catalog knows no table (so no
query here is on a sharded table whose rows the double shuffles).
"""

import zlib

import pytest

from tests.double.sql import Engine, Fail, Forward, Ok
from tests.double.sql.ddl import parse_column, parse_key
from tests.double.sql.tokens import parse, significant

S = "_singlestore_double"


def no_side_connection():
    raise AssertionError("this statement must not touch the catalog")


@pytest.fixture
def session(monkeypatch):
    engine = Engine(no_side_connection, {"memsql_version": "8.7.1"})
    monkeypatch.setattr(engine.catalog, "get", lambda db, name: None)
    session = engine.session()
    session.database = "app"
    return session


def forwarded(session, sql):
    outcome = session.handle(sql)
    assert isinstance(outcome, Forward), outcome
    return outcome.sql


@pytest.mark.parametrize(
    "sql, expected",
    [
        ("SELECT x :> BIGINT", "SELECT CAST(x AS SIGNED) AS `x :> BIGINT`"),
        ("SELECT x :> INT UNSIGNED y", "SELECT CAST(x AS UNSIGNED) y"),
        ("SELECT (a + 1) :> TEXT AS t", "SELECT CAST((a + 1) AS CHAR) AS t"),
        ("SELECT t.c :> VARCHAR(5) z", "SELECT CAST(t.c AS CHAR(5)) z"),
        ("SELECT f(x) !:> DOUBLE d", "SELECT CAST(f(x) AS DOUBLE) d"),
        ("SELECT x :> DECIMAL(10, 2) d", "SELECT CAST(x AS DECIMAL(10, 2)) d"),
        ("SELECT x :> DATETIME(6) d", "SELECT CAST(x AS DATETIME(6)) d"),
        ("SELECT '[]' :> JSON j", f"SELECT {S}.json_unescape(JSON_COMPACT('[]')) j"),
        ("SELECT '[1]' :> VECTOR(1) v", f"SELECT {S}.to_vector('[1]', 1) v"),
        ("SELECT _binary'ab' :> BLOB b", "SELECT CAST(_binary'ab' AS BINARY) b"),
    ],
)
def test_casts(session, sql, expected):
    assert forwarded(session, sql) == expected


@pytest.mark.parametrize(
    "sql, expected",
    [
        (
            "SELECT d::a::$b c FROM t",
            f'SELECT {S}.json_string(JSON_EXTRACT(d, \'$."a"."b"\')) c FROM t',
        ),
        (
            "SELECT JSON_EXTRACT_JSON(d, 'k\"q', 2) c FROM t",
            'SELECT JSON_COMPACT(JSON_EXTRACT(d, \'$."k\\\\"q"[2]\')) c FROM t',
        ),
        (
            "SELECT JSON_EXTRACT_DOUBLE(d) c FROM t",
            f"SELECT {S}.json_double(d) c FROM t",
        ),
        (
            "SELECT id FROM t WHERE JSON_MATCH_ANY_EXISTS(t.d, 'a', 0)",
            "SELECT id FROM t WHERE JSON_CONTAINS_PATH(t.d, 'one', '$.\"a\"[0]')",
        ),
        (
            "SELECT id FROM t WHERE d::%n > 1 AND name = 'a::b'",
            f"SELECT id FROM t WHERE {S}.json_double(JSON_EXTRACT(d, '$.\"n\"')) > 1"
            " AND name = 'a::b'",
        ),
        (
            "SELECT JSON_EXTRACT_BIGINT(d, @k) c FROM t",
            f"SELECT {S}.json_bigint({S}.json_step(d, @k)) c FROM t",
        ),
        (
            "SELECT JSON_EXTRACT_JSON(d, 'a', '0') c FROM t",
            f"SELECT JSON_COMPACT({S}.json_step({S}.json_step(d, 'a'), '0')) c FROM t",
        ),
        (
            "SELECT JSON_EXTRACT_JSON(d, '-1') c FROM t",
            f"SELECT JSON_COMPACT({S}.json_step(d, '-1')) c FROM t",
        ),
        (
            "SELECT JSON_BUILD_ARRAY(1, 'a') c",
            "SELECT JSON_COMPACT(JSON_ARRAY(1, 'a')) c",
        ),
    ],
)
def test_json(session, sql, expected):
    assert forwarded(session, sql) == expected


def test_untouched_statements_are_forwarded_byte_for_byte(session):
    sql = "SELECT 'x :> INT', `a::b` /* :: */ FROM t WHERE c = 'JSON_EXTRACT_STRING('"
    assert forwarded(session, sql) == sql


def test_mysql_version_variable(session):
    assert forwarded(session, "SELECT @@version, @@session.version v, VERSION()") == (
        "SELECT '5.7.32' AS `@@version`, '5.7.32' v, '5.7.32' AS `VERSION()`"
    )
    assert session.wants("SELECT @@version")
    assert not session.wants("INSERT INTO t (`version`) VALUES (1)")


def test_variables_and_version(session):
    assert forwarded(session, "SELECT @@memsql_version, @@GLOBAL.memsql_version v") == (
        "SELECT '8.7.1' AS `@@memsql_version`, '8.7.1' v"
    )


def test_vector_operators(session):
    assert forwarded(session, "SELECT id FROM t ORDER BY v <-> '[1,2]' LIMIT 3") == (
        f"SELECT id FROM t ORDER BY {S}.vector_op(v, '[1,2]', 'E') LIMIT 3"
    )


def test_driver_variables_are_answered_ok_and_split_from_others(session):
    assert session.handle("SET @@SESSION.enable_extended_types_metadata=on") == Ok()
    assert forwarded(
        session, "SET NAMES utf8mb4, @@SESSION.vector_type_project_format=JSON"
    ) == ("SET  NAMES utf8mb4")


def test_savepoint_is_refused_without_the_server(session):
    assert session.handle("RELEASE SAVEPOINT x") == Fail(
        1706, "HY000", "Feature 'SAVEPOINT' is not supported by SingleStore."
    )


def test_parse_key_forms():
    def key(text):
        return parse_key(significant(parse(text)))

    assert key("CONSTRAINT `u1` UNIQUE (`a`, `b` DESC)").name == "u1"
    assert key("CONSTRAINT `u1` UNIQUE (`a`, `b` DESC)").descending == [False, True]
    unenforced = key("UNIQUE KEY k (a) USING HASH UNENFORCED RELY")
    assert (unenforced.kind, unenforced.unenforced, unenforced.rely) == (
        "unique",
        True,
        True,
    )
    assert key("SHARD KEY ()").columns == []
    assert key("SORT KEY s (a DESC, b)").descending == [True, False]
    fulltext = key("FULLTEXT USING VERSION 2 ft (a, b)")
    assert (fulltext.name, fulltext.version, fulltext.columns) == ("ft", 2, ["a", "b"])
    vector = key("VECTOR INDEX vi (v) INDEX_OPTIONS '{\"nlist\":2}'")
    assert (vector.kind, vector.options) == ("vector", "'{\"nlist\":2}'")
    assert key("`id` BIGINT") is None


def test_parse_column_forms():
    column = parse_column(parse("`v` VECTOR(16, I8) NOT NULL"))
    assert (column.name, column.vector, column.not_null) == ("v", [16, "I8"], True)
    column = parse_column(parse("id BIGINT AUTO_INCREMENT PRIMARY KEY"))
    assert (column.type_text, column.auto_increment, column.primary) == (
        "BIGINT",
        True,
        True,
    )
    assert parse_column(parse("e VARCHAR(9) UNIQUE KEY")).unique
    assert parse_column(parse("n DECIMAL(10, 2)")).type_text == "DECIMAL(10, 2)"


def test_cast_of_a_case_expression(session):
    assert (
        forwarded(
            session, "SELECT CASE WHEN a THEN CASE b WHEN 1 THEN 2 END END :> TEXT c"
        )
        == "SELECT CAST(CASE WHEN a THEN CASE b WHEN 1 THEN 2 END END AS CHAR) c"
    )


def test_bm25_query_argument_keeps_its_text():
    from tests.double.sql.catalog import TableMeta

    class Catalog:
        def get(self, db, table):
            return TableMeta(
                fulltext={"name": "ft", "columns": ["t", "b"], "version": 2}
            )

    engine = Engine(no_side_connection, {})
    engine.catalog = Catalog()
    session = engine.session()
    session.database = "app"
    # a is a sharded table: its rows come back shuffled (order.py)
    translated = "SELECT MATCH (`t`, `b`) AGAINST (CONCAT('x', 'y')) s FROM a"
    seed = zlib.crc32(translated.encode())
    assert forwarded(session, "SELECT BM25(a, CONCAT('x', 'y')) s FROM a") == (
        f"{translated} ORDER BY RAND({seed})"
    )


def test_create_view_bodies_are_translated(session):
    assert forwarded(session, "CREATE OR REPLACE VIEW v AS SELECT d::$k FROM t") == (
        f"CREATE OR REPLACE VIEW v AS SELECT {S}.json_string(JSON_EXTRACT(d, "
        "'$.\"k\"')) AS `d::$k` FROM t"
    )


@pytest.mark.parametrize(
    "sql",
    [
        "ALTER TABLE",
        "ALTER TABLE t",
        "CREATE TABLE x (",
        "CREATE INDEX i",
        "RENAME TABLE a TO",
    ],
)
def test_malformed_statements_go_to_mariadb_for_its_syntax_error(session, sql):
    assert session.handle(sql) == Forward(sql)


def test_where_the_row_shuffle_goes():
    from tests.double.sql.catalog import TableMeta

    class Catalog:
        def get(self, db, table):
            return TableMeta(reference=table.startswith("ref"), shard_key=None)

    engine = Engine(no_side_connection, {})
    engine.catalog = Catalog()
    session = engine.session()
    session.database = "app"

    def seed(sql):
        return zlib.crc32(sql.encode())

    sql = "SELECT a FROM t WHERE a > 1 LIMIT 5"
    assert forwarded(session, sql) == (
        f"SELECT a FROM t WHERE a > 1 ORDER BY RAND({seed(sql)}) LIMIT 5"
    )
    sql = "SELECT a FROM t ORDER BY a DESC FOR UPDATE"
    assert forwarded(session, sql) == (
        f"SELECT a FROM t ORDER BY a DESC, RAND({seed(sql)}) FOR UPDATE"
    )
    sql = "SELECT a FROM ref1 UNION SELECT a FROM t ORDER BY 1"
    assert forwarded(session, sql) == f"{sql}, RAND({seed(sql)})"
    for untouched in (
        "SELECT a FROM ref1 JOIN ref2 ON ref1.a = ref2.a",
        "SELECT 1",
        "SELECT a FROM t; SELECT b FROM t",
    ):
        assert forwarded(session, untouched) == untouched
