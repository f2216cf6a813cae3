"""Column descriptions parsed once per connection, and rows read by the
driver's Python reader and its C extension (descriptions.py)."""

import struct
from datetime import date, datetime, time
from decimal import Decimal

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
            # Lists, as with the C extension: Django's fetchmany() loop ends
            # at DatabaseFeatures.empty_fetchmany_value ([]); the driver's
            # own pure-Python reader gives tuples, and the loop never ended.
            assert run(cursor, "SELECT 7 AS a") == ([(7,)], ["a"])
            assert run(cursor, "SELECT 8 AS a") == ([(8,)], ["a"])
            assert cursor.fetchmany(10) == wrapper.features.empty_fetchmany_value
        assert wrapper.connection.resultclass is descriptions.Result
        assert parses == [1]
    finally:
        wrapper.close()


# Every column type Django's fields use, and VECTOR, with NULLs; the rows
# of one result go through the driver's Python reader (the first
# PYTHON_ROWS) and its C extension (the rest).
TYPES_TABLE = (
    "CREATE ROWSTORE TABLE decode_types (id BIGINT NOT NULL, small SMALLINT, "
    "flag BOOL, amount DECIMAL(12, 3), ratio DOUBLE, rough FLOAT, day DATE, "
    "moment DATETIME(6), clock TIME(6), name VARCHAR(40), body LONGTEXT, "
    "raw LONGBLOB, doc JSON, code CHAR(32), embedding VECTOR(3), "
    "PRIMARY KEY (id))"
)
TYPES_ROW = (
    "INSERT INTO decode_types VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
    "%s, %s, %s, %s, %s)"
)


def type_rows(count):
    for n in range(count):
        if n % 5 == 4:
            yield (n, *([None] * 14))
            continue
        yield (
            n, n - 7, n % 2, f"{n}.125", n / 3, 1.5, f"2024-02-{n + 1:02d}",
            f"2024-02-03 04:05:{n:02d}.{n:06d}", f"23:59:{n:02d}.5",
            f"näme {n} ✓", "x" * n * 50, bytes(range(n)), f'{{"n": {n}}}',
            f"{n:032x}", f"[{n}, 0.5, -1]",
        )


def decoded(monkeypatch, python_rows):
    monkeypatch.setattr(descriptions, "PYTHON_ROWS", python_rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM decode_types ORDER BY id")
        rows = cursor.fetchall()
    return [[(type(value), value) for value in row] for row in rows]


@pytest.mark.django_db(transaction=True)
def test_python_and_c_readers_decode_every_type_alike(monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS decode_types")
        cursor.execute(TYPES_TABLE)
        try:
            cursor.executemany(TYPES_ROW, list(type_rows(20)))
            in_c = decoded(monkeypatch, 0)
            in_python = decoded(monkeypatch, 1000)
            mixed = decoded(monkeypatch, descriptions.PYTHON_ROWS)
        finally:
            cursor.execute("DROP TABLE decode_types")
    assert len(in_c) == 20
    assert in_python == in_c
    assert mixed == in_c
    assert in_c[3][:8] == [
        (int, 3), (int, -4), (int, 1), (Decimal, Decimal("3.125")),
        (float, 1.0), (float, 1.5), (date, date(2024, 2, 4)),
        (datetime, datetime(2024, 2, 3, 4, 5, 3, 3)),
    ]
    assert in_c[3][8:14] == [
        (time, time(23, 59, 3, 500000)), (str, "näme 3 ✓"), (str, "x" * 150),
        (bytes, b"\x00\x01\x02"), (str, '{"n":3}'), (str, f"{3:032x}"),
    ]
    # JSON array text from the double, packed float32 from SingleStore (the
    # driver sets vector_type_project_format=binary).
    assert in_c[3][14] in [
        (str, "[3,0.5,-1]"),
        (bytes, struct.pack("<3f", 3, 0.5, -1)),
    ]
    assert in_c[4] == [(int, 4)] + [(type(None), None)] * 14


@pytest.mark.django_db(transaction=True)
def test_a_long_result_is_read_in_python_then_in_c(monkeypatch):
    """All rows arrive, in order, whichever reader read them; fetchmany()
    ends with an empty list, as Django expects of this backend."""
    assert descriptions.PYTHON_ROWS == 8
    with connection.cursor() as cursor:
        for count in (0, 7, 8, 9, 30):
            cursor.execute(
                "SELECT n FROM (SELECT 1 AS n"
                + "".join(f" UNION ALL SELECT {k}" for k in range(2, count + 1))
                + ") AS t ORDER BY n LIMIT %s",
                (count,),
            )
            assert cursor.fetchall() == [(k,) for k in range(1, count + 1)]
            cursor.execute("SELECT 1 FROM DUAL WHERE 1 = 0")
            assert cursor.fetchmany(5) == []


def end_of_result(cursor, sql):
    cursor.execute(sql)
    rows = cursor.fetchall()
    result = cursor.cursor._result
    return rows, result.warning_count, result.has_next


def drivers_read_rows(self, limit=None):
    """The driver's way to read rows and the EOF packet, as the oracle."""
    conn, rows = self.connection, []
    while True:
        packet = conn._read_packet()
        if self._check_packet_is_eof(packet):
            self.connection = None
            return rows
        rows.append(self._read_row_from_packet(packet))


@pytest.mark.django_db(transaction=True)
def test_the_end_of_a_result_read_in_python_keeps_its_warning_count(monkeypatch):
    """The EOF packet after rows decoded in Python (descriptions.read_rows)
    gives the result the warning count and has_next the driver's own reader
    gives it."""
    statements = ("SELECT CAST('1x' AS SIGNED) AS n", "SELECT 2 AS n")
    with connection.cursor() as cursor:
        ours = [end_of_result(cursor, sql) for sql in statements]
        monkeypatch.setattr(
            descriptions.CachedDescriptions, "read_rows", drivers_read_rows
        )
        drivers = [end_of_result(cursor, sql) for sql in statements]
    assert ours == drivers
    # The cast that drops trailing text warns (the double's MariaDB does).
    assert ours[0][0] == [(1,)] and ours[0][1] >= 1
    assert ours[1] == ([(2,)], 0, 0)
