"""Rebuilds run by ``migrate``: their progress in its output, and a key column
that foreign keys point at changing type with every table that points at it."""

import types
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command
from django.db import DataError, Error, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ProjectState
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from django_singlestore import rebuild
from django_singlestore.layout import ApplyLayout, LayoutAutodetector
from tests.integration.test_rebuild import FAULT_TEXT, arm, faults  # noqa: F401

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


def fill():
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO `{STATION}` VALUES (%s)", STATIONS)
        cursor.executemany(
            f"INSERT INTO `{READING}` (`id`, `value`, `station_id`) "
            f"VALUES (%s, %s, %s)",
            READINGS,
        )


@pytest.fixture
def rebuilds(monkeypatch):
    """The app migrated to 0001 with rows; every rebuild takes 2.5 s."""
    ticks = iter(range(100))
    clock = types.SimpleNamespace(monotonic=lambda: 2.5 * next(ticks))
    monkeypatch.setattr(rebuild, "time", clock)
    with override_settings(INSTALLED_APPS=APPS):
        migrate("0001")
        fill()
        try:
            yield
        finally:
            # Whatever state a test left: drop the tables, forget the migrations.
            connection.close()
            with connection.cursor() as cursor:
                for table in (STATION, READING):
                    for name in (table, *rebuild.leftover_names(connection, table)):
                        cursor.execute(f"DROP TABLE IF EXISTS `{name}`")
            MigrationRecorder(connection).migration_qs.filter(app="rebuilds").delete()


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


def rebuilt(table, rows):
    return (
        f"    Rebuilding table {table}.\n"
        f"    Rebuilt table {table}: {rows} rows copied in 2.5 s."
    )


def test_a_key_column_changes_type_with_the_columns_pointing_at_it(rebuilds):
    migrate("0002")
    # Both tables are columnstore: each is rebuilt, the referenced one first.
    assert migrate("0003", verbosity=1) == (
        "Operations to perform:\n"
        "  Target specific migration: 0003_longer_code, from rebuilds\n"
        "Running migrations:\n"
        "  Applying rebuilds.0003_longer_code...\n"
        f"{rebuilt(STATION, 2)}\n"
        f"{rebuilt(READING, 3)} OK\n"
    )
    assert shape() == (column_types(8, "bigint"), STATIONS, READINGS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO `{STATION}` VALUES ('tromsoe')")
        cursor.execute(
            f"INSERT INTO `{READING}` (`id`, `value`, `station_id`) "
            f"VALUES (4, 1, 'tromsoe')"
        )
    # Back to 4 characters: a value that does not fit in the referencing
    # table refuses the change before either table changes.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM `{STATION}` WHERE `code` = 'tromsoe'")
    with pytest.raises(DataError) as error:
        migrate("0002")
    assert str(error.value) == (
        f"Refusing to change column {READING}.station_id from varchar(8) to "
        f"varchar(4): 1 row holds a value that does not fit the new type. "
        f"Nothing was changed. Fix or delete those rows in a data migration "
        f"first, or keep the wider type."
    )
    assert shape() == (
        column_types(8, "bigint"),
        STATIONS,
        [*READINGS, (4, 1, "tromsoe")],
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM `{READING}` WHERE `id` = 4")
    migrate("0002")
    assert shape() == (column_types(4, "bigint"), STATIONS, READINGS)


def test_a_rowstore_table_pointing_at_the_key_changes_in_place(rebuilds):
    migrate("zero")
    with override_settings(SINGLESTORE={"STORAGE": {"rebuilds.Reading": "ROWSTORE"}}):
        migrate("0002")
        fill()
        with CaptureQueriesContext(connection) as captured:
            output = migrate("0003", verbosity=1)
    assert output.endswith(
        f"  Applying rebuilds.0003_longer_code...\n{rebuilt(STATION, 2)} OK\n"
    )
    assert [sql for sql in (query["sql"] for query in captured) if READING in sql] == [
        f"ALTER TABLE `{READING}` MODIFY `station_id` varchar(8) NOT NULL",
    ]
    assert shape() == (column_types(8, "bigint"), STATIONS, READINGS)


@pytest.mark.parametrize("kind", ["error", "disconnect"])
@pytest.mark.parametrize("table", [STATION, READING])
def test_a_fault_in_either_table_leaves_rows_that_migrate_again_finishes(
    rebuilds,
    faults,  # noqa: F811
    table,
    kind,
):
    migrate("0002")
    arm(faults, kind, f"^INSERT INTO `{table}__rebuild_new`")
    with pytest.raises(Error) as error:
        migrate("0003")
    assert str(error.value) == (
        f"Rebuilding table {table} failed while copying the rows: "
        f"{FAULT_TEXT[kind]}. The rebuild was undone and the table is unchanged; "
        f"fix the cause and run migrate again."
    )
    assert faults.show() == []
    # The station table is changed only when the fault hit the second one.
    code = 8 if table == READING else 4
    types_ = column_types(4, "bigint")
    types_[0] = (STATION, "code", "varchar", code)
    assert shape() == (types_, STATIONS, READINGS)
    migrate("0003")
    assert shape() == (column_types(8, "bigint"), STATIONS, READINGS)


def test_sqlmigrate_prints_the_rebuild_of_every_table(rebuilds):
    out = StringIO()
    call_command("sqlmigrate", "rebuilds", "0003", stdout=out, no_color=True)
    database = connection.settings_dict["NAME"]
    assert out.getvalue().splitlines() == [
        "--",
        "-- Alter field code on station",
        "--",
        f"CREATE TABLE `{STATION}__rebuild_new` (`code` varchar(8) NOT NULL, "
        f"PRIMARY KEY (`code`), SHARD KEY (`code`), SORT KEY ());",
        f"ALTER TABLE `{STATION}` RENAME TO `{STATION}__rebuild_old`;",
        f"INSERT INTO `{STATION}__rebuild_new` (`code`) SELECT `code` :> VARCHAR(8) "
        f"FROM `{STATION}__rebuild_old`;",
        f"ALTER TABLE `{STATION}__rebuild_new` RENAME TO `{STATION}`;",
        f"DROP TABLE `{STATION}__rebuild_old`;",
        f"CREATE TABLE `{READING}__rebuild_new` (`id` bigint AUTO_INCREMENT NOT "
        f"NULL, `value` bigint NOT NULL, `station_id` varchar(8) NOT NULL, PRIMARY "
        f"KEY (`id`), KEY `rebuilds_reading_station_id_1726efff` (`station_id`), "
        f"SHARD KEY (`id`), SORT KEY ());",
        f"ALTER TABLE `{READING}` RENAME TO `{READING}__rebuild_old`;",
        f"INSERT INTO `{READING}__rebuild_new` (`id`, `value`, `station_id`) SELECT "
        f"`id`, `value`, `station_id` :> VARCHAR(8) FROM `{READING}__rebuild_old`;",
        f"ALTER TABLE `{READING}__rebuild_new` RENAME TO `{READING}`;",
        f"AGGREGATOR SYNC AUTO_INCREMENT ON `{database}`.`{READING}` ALL;",
        f"DROP TABLE `{READING}__rebuild_old`;",
    ]
    # Nothing ran.
    assert shape() == (column_types(4, "int"), STATIONS, READINGS)


RECORDED = {"STORAGE": "COLUMNSTORE", "SHARD_KEY": None, "SORT_KEY": None}
SORTED = {**RECORDED, "SORT_KEY": ["-value"]}


def detected():
    """The operations makemigrations would write for the app."""
    loader = MigrationLoader(connection)
    autodetector = LayoutAutodetector(
        loader.project_state(), ProjectState.from_apps(django_apps)
    )
    changes = autodetector.changes(graph=loader.graph)
    return [
        operation.deconstruct()
        for migration in changes.get("rebuilds", [])
        for operation in migration.operations
    ]


def test_makemigrations_writes_a_layout_change_against_the_recorded_one(rebuilds):
    # 0004 records the layout SINGLESTORE gives the readings: nothing to write.
    assert detected() == []
    with override_settings(SINGLESTORE={"SORT_KEYS": {"rebuilds.Reading": ["-value"]}}):
        assert detected() == [
            ("ApplyLayout", ["Reading"], {"previous": RECORDED, "layout": SORTED})
        ]
        out = StringIO()
        call_command("makemigrations", "rebuilds", dry_run=True, stdout=out)
        assert out.getvalue().splitlines()[-1] == (
            "    ~ Apply the SINGLESTORE layout to the table of Reading"
        )


def test_an_operation_with_a_layout_applies_it_and_returns_to_the_previous(
    rebuilds,
):
    migrate("0004")
    loader = MigrationLoader(connection)
    state = loader.project_state(("rebuilds", "0004_record_layout"))
    operation = ApplyLayout("Reading", previous=RECORDED, layout=SORTED)
    storage = connection.introspection.get_table_storage
    with connection.schema_editor() as editor:
        operation.database_forwards("rebuilds", editor, state, state)
    with connection.cursor() as cursor:
        assert storage(cursor, READING) == ("COLUMNSTORE", ("id",), (("value", True),))
    with connection.schema_editor() as editor:
        operation.database_backwards("rebuilds", editor, state, state)
    with connection.cursor() as cursor:
        assert storage(cursor, READING) == ("COLUMNSTORE", ("id",), ())
    assert shape() == (column_types(8, "bigint"), STATIONS, READINGS)
