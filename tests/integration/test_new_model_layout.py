"""makemigrations records the layout of a new model that SINGLESTORE gives
one, in the migration that creates it, and follows it from there.

The app (tests/integration/apps_newlayout) gets its migrations written by
makemigrations into a package under the test's tmp_path, as in a real project.
"""

import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

pytestmark = pytest.mark.django_db(transaction=True)

APPS = [*settings.INSTALLED_APPS, "tests.integration.apps_newlayout"]
PACKAGE = "newlayout_migrations"
SHIPMENT = "newlayout_shipment"
LAYOUT = {
    "SHARD_KEYS": {"newlayout.Shipment": ["sku"]},
    "SORT_KEYS": {"newlayout.Shipment": ["-weight"]},
}
RECORDED = {"STORAGE": "COLUMNSTORE", "SHARD_KEY": ["sku"], "SORT_KEY": ["-weight"]}
CHANGED = {"STORAGE": {"newlayout.Shipment": "ROWSTORE"}}
CHANGED_RECORD = {"STORAGE": "ROWSTORE", "SHARD_KEY": None, "SORT_KEY": None}
ROWS = [(1, "s1", 5), (2, "s2", 9), (3, "s1", 7)]


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The app installed with an empty migrations package of its own."""
    (tmp_path / PACKAGE).mkdir()
    (tmp_path / PACKAGE / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    with override_settings(
        INSTALLED_APPS=APPS, MIGRATION_MODULES={"newlayout": PACKAGE}
    ):
        try:
            yield tmp_path / PACKAGE
        finally:
            call_command("migrate", "newlayout", "zero", verbosity=0)
            MigrationRecorder(connection).migration_qs.filter(app="newlayout").delete()
            for name in [name for name in sys.modules if name.startswith(PACKAGE)]:
                del sys.modules[name]


def operations():
    """{migration name: the deconstructed operations} of the app."""
    loader = MigrationLoader(connection)
    return {
        name: [
            (operation.__class__.__name__, *operation.deconstruct()[1:])
            for operation in migration.operations
        ]
        for (app, name), migration in sorted(loader.disk_migrations.items())
        if app == "newlayout"
    }


def makemigrations(*args):
    out = StringIO()
    call_command("makemigrations", "newlayout", *args, stdout=out)
    return out.getvalue()


def table():
    """(storage, shard key, sort key) of the table, and its rows."""
    with connection.cursor() as cursor:
        live = connection.introspection.get_table_storage(cursor, SHIPMENT)
        cursor.execute(f"SELECT `id`, `sku`, `weight` FROM `{SHIPMENT}` ORDER BY `id`")
        return live, list(cursor.fetchall())


def test_a_new_models_layout_is_recorded_and_followed(project):
    with override_settings(SINGLESTORE=LAYOUT):
        makemigrations()
        assert [
            (name, [operation[:2] for operation in ops])
            for name, ops in operations().items()
        ] == [
            (
                "0001_initial",
                [
                    ("CreateModel", []),
                    ("CreateModel", []),
                    ("ApplyLayout", ["Shipment"]),
                ],
            )
        ]
        assert operations()["0001_initial"][2] == (
            "ApplyLayout",
            ["Shipment"],
            {"layout": RECORDED},
        )
        # sqlmigrate prints the table CREATE TABLE makes, with the layout,
        # and no rebuild: the table already has it.
        out = StringIO()
        call_command("sqlmigrate", "newlayout", "0001", stdout=out)
        assert out.getvalue().splitlines()[-4:] == [
            "--",
            "-- Apply the SINGLESTORE layout to the table of Shipment",
            "--",
            "-- (no-op)",
        ]
        assert (
            "CREATE TABLE `newlayout_shipment` (`id` bigint AUTO_INCREMENT NOT "
            "NULL, `sku` varchar(20) NOT NULL, `weight` integer NOT NULL, KEY "
            "`newlayout_shipment_id_36633b7a_key` (`id`), SHARD KEY (`sku`), SORT "
            "KEY (`weight` DESC));"
        ) in out.getvalue().splitlines()
        call_command("migrate", "newlayout", verbosity=0)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO `{SHIPMENT}` (`id`, `sku`, `weight`) VALUES (%s, %s, %s)",
                ROWS,
            )
        assert table() == (("COLUMNSTORE", ("sku",), (("weight", True),)), ROWS)
        # Nothing changed since: nothing to write.
        assert (
            makemigrations("--check", "--dry-run")
            == "No changes detected in app 'newlayout'\n"
        )

    # SINGLESTORE changes: the next migration carries it, from the recorded
    # layout, and the rows survive both ways.
    with override_settings(SINGLESTORE=CHANGED):
        makemigrations("--name", "rowstore")
        assert operations()["0002_rowstore"] == [
            (
                "ApplyLayout",
                ["Shipment"],
                {"previous": RECORDED, "layout": CHANGED_RECORD},
            )
        ]
        call_command("migrate", "newlayout", verbosity=0)
        assert table() == (("ROWSTORE", ("id",), None), ROWS)
        call_command("migrate", "newlayout", "0001", verbosity=0)
        assert table() == (("COLUMNSTORE", ("sku",), (("weight", True),)), ROWS)
