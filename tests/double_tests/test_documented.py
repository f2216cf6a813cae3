"""Documented SingleStore SQL that MariaDB lacks, run by the double
(GRAMMAR.md names the page for each)."""

import datetime

import pytest

from tests.double_tests.util import SYNTAX, error_of, rows, run


@pytest.fixture
def db(s2):
    run(
        s2,
        "CREATE TABLE m (id BIGINT PRIMARY KEY, g INT, v DOUBLE, ts DATETIME(6),"
        " doc JSON)",
        "INSERT INTO m VALUES"
        " (1, 1, 1, '2024-03-04 10:15:00', '{\"a\":1}'),"
        " (2, 1, 2, '2024-03-04 11:45:30', NULL),"
        " (3, 1, 4, '2024-03-05 00:00:00', NULL),"
        " (4, 2, 10, '2024-03-10 23:59:59', NULL),"
        " (5, 2, NULL, NULL, NULL)",
        "CREATE ROWSTORE REFERENCE TABLE r (id BIGINT PRIMARY KEY)",
        "INSERT INTO r VALUES (2), (4)",
    )
    return s2


@pytest.mark.parametrize(
    "order, expected",
    [
        ("v ASC NULLS LAST", [1, 2, 3, 4, 5]),
        ("v NULLS FIRST", [5, 1, 2, 3, 4]),
        ("v DESC NULLS LAST", [4, 3, 2, 1, 5]),
        ("v DESC NULLS FIRST", [5, 4, 3, 2, 1]),
        ("g DESC, v ASC NULLS LAST", [4, 5, 1, 2, 3]),
    ],
)
def test_order_by_nulls_first_and_last(db, order, expected):
    assert [r[0] for r in rows(db, f"SELECT id FROM m ORDER BY {order}")] == expected


def test_nulls_ordering_in_a_subquery_and_with_limit(db):
    assert rows(
        db,
        "SELECT id FROM (SELECT id, v FROM m ORDER BY v DESC NULLS FIRST LIMIT 2) t"
        " ORDER BY id",
    ) == [(4,), (5,)]


def test_except_and_minus(db):
    assert rows(db, "SELECT id FROM m EXCEPT SELECT id FROM r ORDER BY id") == [
        (1,),
        (3,),
        (5,),
    ]
    assert rows(db, "SELECT id FROM m MINUS SELECT id FROM r ORDER BY id") == [
        (1,),
        (3,),
        (5,),
    ]
    assert rows(db, "SELECT id FROM m INTERSECT SELECT id FROM r ORDER BY id") == [
        (2,),
        (4,),
    ]


@pytest.mark.parametrize("operator", ["EXCEPT", "MINUS"])
def test_set_operators_take_no_all(db, operator):
    assert error_of(db, f"SELECT id FROM m {operator} ALL SELECT id FROM r") == (
        1064,
        SYNTAX.format("ALL SELECT id FROM r"),
    )


def test_median_and_percentile_cont_aggregates(db):
    assert rows(
        db,
        "SELECT g, MEDIAN(v), PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY v)"
        " FROM m GROUP BY g ORDER BY g",
    ) == [(1, 2.0, 1.5), (2, 10.0, 10.0)]
    assert rows(
        db, "SELECT PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY v DESC) FROM m"
    ) == [(5.5,)]
    assert rows(db, "SELECT MEDIAN(v) FROM m WHERE id = 5") == [(None,)]


def test_median_is_named_after_its_text(db):
    cur = run(db, "SELECT MEDIAN(v) FROM m")
    assert [d[0] for d in cur.description] == ["MEDIAN(v)"]
    assert cur.fetchall() == [(3.0,)]


@pytest.mark.parametrize(
    "call, expected",
    [
        ("TIME_BUCKET('1d', ts)", datetime.datetime(2024, 3, 4)),
        ("TIME_BUCKET('1h', ts)", datetime.datetime(2024, 3, 4, 11)),
        ("TIME_BUCKET('1h30m', ts)", datetime.datetime(2024, 3, 4, 10, 30)),
        ("TIME_BUCKET(INTERVAL 15 MINUTE, ts)", datetime.datetime(2024, 3, 4, 11, 45)),
        # weeks start on the default origin's Monday, or on the given origin
        ("TIME_BUCKET('1w', ts)", datetime.datetime(2024, 3, 4)),
        (
            "TIME_BUCKET('1w', ts, '2000-01-05 08:00:00')",
            datetime.datetime(2024, 2, 28, 8),
        ),
    ],
)
def test_time_bucket(db, call, expected):
    assert rows(db, f"SELECT {call} AS b FROM m WHERE id = 2") == [(expected,)]


def test_json_set_functions(db):
    assert rows(
        db,
        "SELECT JSON_SET_JSON(doc, 'b', '[1,2]'), JSON_SET_STRING(doc, 'a', 'x'),"
        " JSON_SET_DOUBLE(doc, 'c', 1.5) FROM m WHERE id = 1",
    ) == [('{"a":1,"b":[1,2]}', '{"a":"x"}', '{"a":1,"c":1.5}')]
    run(db, "UPDATE m SET doc = JSON_SET_STRING(doc, 'a', 'y') WHERE id = 1")
    assert rows(db, "SELECT doc FROM m WHERE id = 1") == [('{"a":"y"}',)]


def test_nulls_ordering_of_a_select_list_position(db):
    assert rows(
        db,
        "SELECT id, v * 2 AS `twice` FROM m ORDER BY 2 DESC NULLS FIRST, 1",
    ) == [(5, None), (4, 20.0), (3, 8.0), (2, 4.0), (1, 2.0)]
    assert rows(db, "SELECT id, v * 2 FROM m ORDER BY 2 ASC NULLS LAST") == [
        (1, 2.0),
        (2, 4.0),
        (3, 8.0),
        (4, 20.0),
        (5, None),
    ]
    assert rows(
        db,
        "SELECT v AS `v` FROM m WHERE id < 3 UNION SELECT v AS `v` FROM m"
        " WHERE id > 3 ORDER BY 1 ASC NULLS FIRST",
    ) == [(None,), (1.0,), (2.0,), (10.0,)]


def test_nulls_ordering_of_an_aggregate_alias(db):
    assert rows(
        db,
        "SELECT g, SUM(v) AS `total` FROM m GROUP BY g"
        " ORDER BY `total` DESC NULLS LAST",
    ) == [(1, 7.0), (2, 10.0)][::-1]
    assert rows(
        db, "SELECT id, MAX(v) AS `top` FROM m GROUP BY id ORDER BY 2 DESC NULLS FIRST"
    ) == [(5, None), (4, 10.0), (3, 4.0), (2, 2.0), (1, 1.0)]
