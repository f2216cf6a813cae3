"""The SQL layer's tokenizer and fast-path test; pure, no server."""

import pytest

from tests.double.sql.session import WANTS
from tests.double.sql.tokens import Group, parse, render, string_value, tokenize


def kinds(sql):
    return [(t.kind, t.text) for t in tokenize(sql) if t.kind != "ws"]


def test_quotes_backticks_and_comments_hide_operators():
    assert kinds("SELECT 'a::b', `c:>d`, \"e->f\" -- g :> h\n/* i::j */ # k") == [
        ("word", "SELECT"),
        ("str", "'a::b'"),
        ("punct", ","),
        ("ident", "`c:>d`"),
        ("punct", ","),
        ("str", '"e->f"'),
        ("comment", "-- g :> h"),
        ("comment", "/* i::j */"),
        ("comment", "# k"),
    ]


def test_escaped_quotes_stay_inside_the_literal():
    assert kinds(r"SELECT 'it''s \' :>', `a``b`") == [
        ("word", "SELECT"),
        ("str", r"'it''s \' :>'"),
        ("punct", ","),
        ("ident", "`a``b`"),
    ]
    assert string_value(r"'it''s \'x\n'") == "it's 'x\n"


def test_singlestore_operators_are_single_tokens():
    assert kinds("a::$b::%c::d :> INT !:> JSON v<*>w x<->y p->>'$.q' r->'$.s'") == [
        ("word", "a"),
        ("op", "::$"),
        ("word", "b"),
        ("op", "::%"),
        ("word", "c"),
        ("op", "::"),
        ("word", "d"),
        ("op", ":>"),
        ("word", "INT"),
        ("op", "!:>"),
        ("word", "JSON"),
        ("word", "v"),
        ("op", "<*>"),
        ("word", "w"),
        ("word", "x"),
        ("op", "<->"),
        ("word", "y"),
        ("word", "p"),
        ("op", "->>"),
        ("str", "'$.q'"),
        ("word", "r"),
        ("op", "->"),
        ("str", "'$.s'"),
    ]


def test_minus_before_a_number_is_not_a_vector_operator():
    assert kinds("a<-1") == [
        ("word", "a"),
        ("other", "<"),
        ("other", "-"),
        ("num", "1"),
    ]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT f(a, (b + c)) FROM t WHERE x IN (1, 2) -- (",
        "INSERT INTO `t` (`a`) VALUES ('(' , \")\")",
        "SELECT 1 /* unclosed",
        "SELECT ((1)",
        "SELECT 1)",
        "SELECT 'unterminated",
    ],
)
def test_render_gives_back_the_exact_text(sql):
    assert render(parse(sql)) == sql


def test_parentheses_nest():
    items = parse("f(a, (b))")
    assert isinstance(items[1], Group)
    assert isinstance(items[1].items[3], Group)
    assert render(items[1].items[3].items) == "b"


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO `app_model` (`name`) VALUES ('x')",
        "SET NAMES utf8mb4",
        "COMMIT",
        "SET autocommit=0",
        "INSERT INTO `t` (`created_at`, `updated_at`) VALUES ('2024-01-01', NULL)",
    ],
)
def test_plain_mysql_takes_the_fast_path(sql):
    assert WANTS.search(sql.upper()) is None


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1",
        "SELECT `id`, `name` FROM `app_model` WHERE `id` = 5 LIMIT 21",
        " (SELECT `a`.`b` FROM `a`) UNION (SELECT `c`.`b` FROM `c`)",
        "WITH x AS (SELECT 1) SELECT * FROM x",
    ],
)
def test_every_query_is_read_for_its_row_order(sql):
    assert WANTS.search(sql.upper()) is not None


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT @@memsql_version",
        "SELECT x :> INT",
        "SELECT doc::a FROM t",
        "SELECT JSON_EXTRACT_STRING(doc, 'a') FROM t",
        "create table t (a int)",
        "ALTER TABLE t ADD KEY (a)",
        "UPDATE t SET a = 1",
        "DELETE FROM t",
        "SAVEPOINT s",
        "ROLLBACK TO SAVEPOINT s",
        "SHOW CREATE TABLE t",
        "SELECT * FROM information_schema.TABLES",
        "SELECT * FROM t WHERE a IN (SELECT b FROM u LIMIT 1)",
        "SELECT VERSION()",
        "SELECT v <*> '[1]' FROM t",
        "SELECT a->'$.b' FROM t",
        "SET @@SESSION.enable_extended_types_metadata=on",
        "SELECT * FROM t FOR UPDATE",
    ],
)
def test_singlestore_statements_are_handled(sql):
    assert WANTS.search(sql.upper()) is not None
