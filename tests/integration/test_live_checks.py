"""``manage.py check --database default`` compares live tables with the plan.

The live tables are the test database's (migrated with
tests.settings) and, for tables the settings never
planned, tables made with raw SQL for the models of tests/integration/apps_live.
The settings are then changed (override_settings) so that the plan and the
live table disagree; the database check reports singlestore.W006 (storage),
W007 (shard key) and W008 (sort key), with the exact texts of checks.CATALOG.
"""

from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test.utils import override_settings

from tests.integration.models import Category, Counter, Item, Tag
from tests.settings import SINGLESTORE as BASE

pytestmark = pytest.mark.django_db


APPLY_LAYOUT = (
    "add a migration to {app} with the operation "
    "django_singlestore.layout.ApplyLayout('{model}') and run migrate, which rebuilds "
    "the table with its rows, "
)
HINT_STORAGE = (
    "SingleStore cannot change a table's storage type in place: "
    + APPLY_LAYOUT
    + "or change SINGLESTORE['STORAGE'] to match the database."
)
HINT_SHARD = (
    "SingleStore cannot change a shard key in place: "
    + APPLY_LAYOUT
    + "or change SINGLESTORE['SHARD_KEYS'] to match the database."
)
HINT_SORT = (
    "SingleStore cannot change a sort key in place: "
    + APPLY_LAYOUT
    + "or change SINGLESTORE['SORT_KEYS'] to match the database."
)

W002 = """\
integration.Item.id: (singlestore.W002) integration.Item.id is a 32-bit AutoField \
on a sharded table; SingleStore's AUTO_INCREMENT values on sharded tables exceed \
32 bits, so the backend stores the column as BIGINT.
\tHINT: Set DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField" (or the app's \
default_auto_field) and make a migration.
"""
I001 = """\
?: (singlestore.I001) SingleStore does not enforce foreign keys: the database \
accepts rows that reference missing rows.
\tHINT: Django's on_delete handling still runs for deletes made through the ORM; \
raw SQL, QuerySet.update() and bulk loads are not checked.
"""


def with_base(**entries):
    """The test settings' SINGLESTORE with ``entries`` merged into its dicts."""
    merged = {key: dict(value) for key, value in BASE.items()}  # STORAGE, SORT_KEYS
    for key, value in entries.items():
        merged[key] = {**merged.get(key, {}), **value}
    return merged


def database_checks():
    return checks.run_checks(databases=["default"], tags=[checks.Tags.database])


def storage_warning(model, live, planned):
    return checks.Warning(
        f"Table {model._meta.db_table!r} on database 'default' is a {live} table, "
        f"but the settings plan a {planned} table.",
        hint=HINT_STORAGE.format(
            app=model._meta.app_label, model=model._meta.object_name
        ),
        obj=model,
        id="singlestore.W006",
    )


def shard_warning(model, live, planned):
    return checks.Warning(
        f"Table {model._meta.db_table!r} on database 'default' has the shard key "
        f"{live}, but the settings plan {planned}.",
        hint=HINT_SHARD.format(
            app=model._meta.app_label, model=model._meta.object_name
        ),
        obj=model,
        id="singlestore.W007",
    )


def sort_warning(model, live, planned):
    return checks.Warning(
        f"Table {model._meta.db_table!r} on database 'default' has the sort key "
        f"{live}, but the settings plan {planned}.",
        hint=HINT_SORT.format(app=model._meta.app_label, model=model._meta.object_name),
        obj=model,
        id="singlestore.W008",
    )


def check_output(*args):
    out, err = StringIO(), StringIO()
    call_command("check", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# Live tables that match the settings


def test_no_drift_no_warning():
    assert database_checks() == []


def test_check_database_default_reports_only_the_model_checks():
    out, err = check_output("--database", "default")
    assert out == ""
    assert err == (
        "System check identified some issues:\n\nWARNINGS:\n"
        + W002
        + "\nSystem check identified 1 issue (0 silenced).\n"
    )


def test_the_foreign_key_note_is_said_by_check_deploy_only():
    # Not by check (nor runserver, shell, test, migrate: they run the same checks).
    out, err = check_output()
    assert out == ""
    assert err == (
        "System check identified some issues:\n\nWARNINGS:\n"
        + W002
        + "\nSystem check identified 1 issue (0 silenced).\n"
    )
    out, err = check_output("--deploy", "--tag", "models")
    assert out == ""
    assert err == (
        "System check identified some issues:\n\nWARNINGS:\n"
        + W002
        + "\nINFOS:\n"
        + I001
        + "\nSystem check identified 2 issues (0 silenced).\n"
    )


# Drift from the settings (override_settings after the tables exist)


@override_settings(
    SINGLESTORE=with_base(STORAGE={"integration.Counter": "COLUMNSTORE"})
)
def test_storage_drift_w006():
    assert database_checks() == [storage_warning(Counter, "ROWSTORE", "COLUMNSTORE")]


@override_settings(SINGLESTORE=with_base(STORAGE={"integration.Category": "REFERENCE"}))
def test_reference_storage_drift_w006():
    assert database_checks() == [
        storage_warning(Category, "ROWSTORE REFERENCE", "REFERENCE")
    ]


@override_settings(SINGLESTORE=with_base(SHARD_KEYS={"integration.Tag": ["name"]}))
def test_shard_key_drift_w007():
    assert database_checks() == [shard_warning(Tag, "(id)", "(name)")]


@override_settings(
    SINGLESTORE=with_base(SORT_KEYS={"integration.Item": ["name", "-price"]})
)
def test_sort_key_drift_w008():
    assert database_checks() == [
        sort_warning(Item, "(created DESC)", "(name, price DESC)")
    ]


@override_settings(SINGLESTORE={"STORAGE": BASE["STORAGE"]})
def test_sort_key_removed_from_the_settings_w008():
    assert database_checks() == [sort_warning(Item, "(created DESC)", "()")]


@override_settings(
    SINGLESTORE={
        "STORAGE": {**BASE["STORAGE"], "integration.Item": "ROWSTORE"},
    }
)
def test_storage_and_sort_drift_on_one_table():
    # A rowstore table has no sort key: the live DESC sort key is drift too.
    # The many-to-many table follows the model that declares it.
    assert database_checks() == [
        storage_warning(Item.tags.through, "COLUMNSTORE", "ROWSTORE"),
        storage_warning(Item, "COLUMNSTORE", "ROWSTORE"),
        sort_warning(Item, "(created DESC)", "()"),
    ]


@override_settings(SINGLESTORE=with_base(SHARD_KEYS={"integration.Tag": ["name"]}))
def test_check_database_default_prints_the_drift():
    _, err = check_output("--database", "default")
    assert err == (
        "System check identified some issues:\n\nWARNINGS:\n"
        + W002
        + "integration.Tag: (singlestore.W007) Table 'integration_tag' on database "
        "'default' has the shard key (id), but the settings plan (name).\n"
        "\tHINT: " + HINT_SHARD.format(app="integration", model="Tag") + "\n\n"
        "System check identified 2 issues (0 silenced).\n"
    )


@override_settings(SINGLESTORE=with_base(SHARD_KEYS={"integration.Tag": ["name"]}))
def test_check_without_database_reads_no_table():
    _, err = check_output()
    assert "singlestore.W007" not in err
    assert err.endswith("System check identified 1 issue (0 silenced).\n")


@override_settings(SINGLESTORE=with_base(SHARD_KEYS={"integration.Tag": ["name"]}))
def test_fail_level_warning_stops_on_drift():
    with pytest.raises(SystemCheckError) as raised:
        call_command("check", "--database", "default", "--fail-level", "WARNING")
    assert (
        "integration.Tag: (singlestore.W007) Table 'integration_tag' on database "
        "'default' has the shard key (id), but the settings plan (name)."
    ) in str(raised.value)


@override_settings(SINGLESTORE=with_base(SHARD_KEYS={"integration.Tag": ["nmae"]}))
def test_unplannable_settings_are_left_to_the_models_check():
    assert database_checks() == []
    errors = [issue.id for issue in checks.run_checks(tags=[checks.Tags.models])]
    assert "singlestore.E007" in errors


# Tables made with raw SQL for models the settings plan differently

LIVE_APPS = [*settings.INSTALLED_APPS, "tests.integration.apps_live"]


def execute(*statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@pytest.fixture
def live_tables():
    """Drop the apps_live tables the test made."""
    yield
    execute(
        "DROP TABLE IF EXISTS apps_live_reading",
        "DROP TABLE IF EXISTS apps_live_sensor",
    )


@pytest.mark.django_db(transaction=True)
@override_settings(INSTALLED_APPS=LIVE_APPS)
def test_missing_tables_are_not_drift(live_tables):
    assert database_checks() == []


@pytest.mark.django_db(transaction=True)
@override_settings(INSTALLED_APPS=LIVE_APPS)
def test_raw_sql_tables_that_drift(live_tables):
    execute(
        "CREATE ROWSTORE TABLE apps_live_reading (id BIGINT AUTO_INCREMENT, "
        "value INT NOT NULL, PRIMARY KEY (id), SHARD KEY (id))",
        "CREATE TABLE apps_live_sensor (id BIGINT AUTO_INCREMENT, "
        "name VARCHAR(20) NOT NULL, KEY (id), SHARD KEY (), SORT KEY (name))",
    )
    reading = apps.get_model("apps_live", "Reading")
    sensor = apps.get_model("apps_live", "Sensor")
    assert database_checks() == [
        storage_warning(reading, "ROWSTORE", "COLUMNSTORE"),
        shard_warning(sensor, "()", "(id)"),
        sort_warning(sensor, "(name)", "()"),
    ]


@pytest.mark.django_db(transaction=True)
@override_settings(INSTALLED_APPS=LIVE_APPS)
def test_schema_editor_tables_match(live_tables):
    reading = apps.get_model("apps_live", "Reading")
    sensor = apps.get_model("apps_live", "Sensor")
    with connection.schema_editor() as editor:
        editor.create_model(reading)
        editor.create_model(sensor)
    assert database_checks() == []
