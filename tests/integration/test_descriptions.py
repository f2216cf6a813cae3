"""Column descriptions parsed once per connection (descriptions.py)."""

import pytest
from django.db import connection

from django_singlestore import descriptions
from django_singlestore.base import DatabaseWrapper


@pytest.fixture
def parses(monkeypatch):
    """The column-definition packets the driver's parser was given."""
    seen = []
    parse = descriptions.CachedDescriptions._parse

    def counting(self, conn, packets, end):
        seen.append(len(packets))
        return parse(self, conn, packets, end)

    monkeypatch.setattr(descriptions.CachedDescriptions, "_parse", counting)
    return seen


def run(cursor, sql):
    """The rows (decoded by the columns' decoders) and the column names."""
    cursor.execute(sql)
    return cursor.fetchall(), [column[0] for column in cursor.description]


def on_a_new_connection(*statements):
    connection.close()
    with connection.cursor() as cursor:
        return [run(cursor, sql) for sql in statements]


@pytest.mark.django_db(transaction=True)
def test_a_repeated_result_shape_is_parsed_once(parses):
    assert on_a_new_connection(
        "SELECT 7 AS a, 'x' AS b", "SELECT 8 AS a, 'y' AS b"
    ) == [
        ([(7, "x")], ["a", "b"]),
        ([(8, "y")], ["a", "b"]),
    ]
    assert parses == [2]
    assert len(connection.connection.descriptions) == 1


@pytest.mark.django_db(transaction=True)
def test_a_column_that_differs_is_parsed_anew(parses):
    assert on_a_new_connection("SELECT 7 AS a", "SELECT '7' AS a", "SELECT 7 AS c") == [
        ([(7,)], ["a"]),
        ([("7",)], ["a"]),
        ([(7,)], ["c"]),
    ]
    assert parses == [1, 1, 1]


@pytest.mark.django_db(transaction=True)
def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(descriptions, "CACHED_SHAPES", 3)
    shapes = [f"SELECT 1 AS c{number}" for number in range(5)]
    assert on_a_new_connection(*shapes) == [([(1,)], [f"c{n}"]) for n in range(5)]
    # Full at the fourth shape: emptied, then the fourth and fifth kept.
    assert len(connection.connection.descriptions) == 2


@pytest.mark.django_db(transaction=True)
def test_without_the_drivers_c_extension(parses):
    wrapper = DatabaseWrapper(
        {**connection.settings_dict, "OPTIONS": {"pure_python": True}}, alias="pure"
    )
    try:
        wrapper.ensure_connection()
        parses.clear()  # the version check's query on the alias's first connection
        with wrapper.cursor() as cursor:
            assert run(cursor, "SELECT 7 AS a") == (((7,),), ["a"])
            assert run(cursor, "SELECT 8 AS a") == (((8,),), ["a"])
        assert wrapper.connection.resultclass is descriptions.Result
        assert parses == [1]
    finally:
        wrapper.close()
