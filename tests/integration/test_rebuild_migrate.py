"""Rebuilds run by ``migrate``: their progress in its output, and a key column
that foreign keys point at changing type with every table that points at it."""

import types
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from django_singlestore import rebuild

pytestmark = pytest.mark.django_db(transaction=True)

APPS = [*settings.INSTALLED_APPS, "tests.integration.apps_rebuild"]
STATION, READING = "rebuilds_station", "rebuilds_reading"
STATIONS = [("ams",), ("oslo",)]
READINGS = [(1, 7, "ams"), (2, -3, "oslo"), (3, 2**31 - 1, "ams")]


def migrate(*target, verbosity=0):
    out = StringIO()
    call_command(
        "migrate", "rebuilds", *target, verbosity=verbosity, stdout=out, no_color=True
    )
    return out.getvalue()


@pytest.fixture
def rebuilds(monkeypatch):
    """The app migrated to 0001 with rows; every rebuild takes 2.5 s."""
    ticks = iter(range(100))
    clock = types.SimpleNamespace(monotonic=lambda: 2.5 * next(ticks))
    monkeypatch.setattr(rebuild, "time", clock)
    with override_settings(INSTALLED_APPS=APPS):
        migrate("0001")
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO `{STATION}` VALUES (%s)", STATIONS)
            cursor.executemany(
                f"INSERT INTO `{READING}` (`id`, `value`, `station_id`) "
                f"VALUES (%s, %s, %s)",
                READINGS,
            )
        try:
            yield
        finally:
            connection.close()
            migrate("zero")
            for table in (STATION, READING):
                for name in rebuild.leftover_names(connection, table):
                    with connection.cursor() as cursor:
                        cursor.execute(f"DROP TABLE IF EXISTS `{name}`")


def shape():
    """(column types of both tables, their rows)."""
    connection.close()
    with connection.cursor() as cursor:
        types_ = [
            (table, info.name, info.data_type, info.internal_size)
            for table in (STATION, READING)
            for info in connection.introspection.get_table_description(cursor, table)
        ]
        cursor.execute(f"SELECT `code` FROM `{STATION}` ORDER BY `code`")
        stations = list(cursor.fetchall())
        cursor.execute(
            f"SELECT `id`, `value`, `station_id` FROM `{READING}` ORDER BY `id`"
        )
        readings = list(cursor.fetchall())
    return types_, stations, readings


SIZES = {"bigint": 20, "int": 11}


def column_types(code, value):
    """(table, column, type, size) of both tables: ``code`` is the length of
    the station codes, ``value`` the type of the readings."""
    return [
        (STATION, "code", "varchar", code),
        (READING, "id", "bigint", 20),
        (READING, "value", value, SIZES[value]),
        (READING, "station_id", "varchar", code),
    ]


def test_migrate_prints_each_rebuild_with_its_rows_and_time(rebuilds):
    assert migrate("0002", verbosity=1) == (
        "Operations to perform:\n"
        "  Target specific migration: 0002_widen_value, from rebuilds\n"
        "Running migrations:\n"
        "  Applying rebuilds.0002_widen_value...\n"
        f"    Rebuilding table {READING}.\n"
        f"    Rebuilt table {READING}: 3 rows copied in 2.5 s. OK\n"
    )
    assert shape() == (column_types(4, "bigint"), STATIONS, READINGS)
    # Quiet at verbosity 0, and the logger is left as it was.
    assert migrate("0001") == ""
    assert rebuild.logger.handlers == []
    assert rebuild.logger.level == 0
    assert shape() == (column_types(4, "int"), STATIONS, READINGS)
