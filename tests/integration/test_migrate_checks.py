"""migrate refuses a model shape the checks reject, and runs once it is fixed.

tests/integration/apps_refused.Ticket declares ``code`` unique on the default
sharded columnstore table (shard key (id)): singlestore.E001. ``check`` and
``migrate`` stop on it with SystemCheckError; with the checks skipped the schema
editor refuses the CREATE TABLE itself, with a NotSupportedError naming the
check, before any SQL reaches the server. Each way out the hint names (a shard
key, a reference table, UNENFORCED_UNIQUE) migrates with the exact DDL.
"""

from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import (
    IntegrityError,
    NotSupportedError,
    connection,
    migrations,
    models,
)
from django.db.migrations.state import ProjectState
from django.test.utils import CaptureQueriesContext

from tests.settings import SINGLESTORE as BASE

pytestmark = pytest.mark.django_db(transaction=True)

REFUSED_APPS = [*settings.INSTALLED_APPS, "tests.integration.apps_refused"]


def e001_message(field="code"):
    return (
        f"The unique set from field '{field}' ({field}) cannot be enforced: "
        "SingleStore enforces a unique key on a sharded table only when it "
        "contains every shard-key column, and the shard key is (id)."
    )


def e001_hint(label, field="code"):
    return (
        f"Shard {label} by some of these fields "
        f"(SINGLESTORE['SHARD_KEYS']['{label}'] = ['{field}']), store {label} as a "
        f"reference table (SINGLESTORE['STORAGE']['{label}'] = "
        f"'ROWSTORE REFERENCE'), or list '{label}' in "
        "SINGLESTORE['UNENFORCED_UNIQUE'] to declare the key UNENFORCED RELY "
        "(duplicates are then not rejected)."
    )


def fix_message(label, field="code"):
    """singlestore.I003's text: the test settings plus the shard key of the fix."""
    return (
        "These settings give every model whose unique sets cannot be enforced "
        f"({label}) a layout that enforces them; they replace SINGLESTORE in "
        "settings.py:\n\n"
        "SINGLESTORE = {\n"
        '    "STORAGE": {\n'
        '        "integration.Category": "ROWSTORE REFERENCE",\n'
        '        "integration.Counter": "ROWSTORE",\n'
        "    },\n"
        '    "SORT_KEYS": {\n'
        '        "integration.Item": ["-created"],\n'
        "    },\n"
        '    "SHARD_KEYS": {\n'
        f'        "{label}": ["{field}"],\n'
        "    },\n"
        "}\n"
    )


FIX_HINT = (
    "Or set SINGLESTORE['DEFAULT_STORAGE'] = 'AUTO' to have such a layout chosen "
    "for every model (see the AUTO section of the settings docs first if the "
    "tables already exist)."
)


def refusal(label, table, field="code"):
    return (
        f"SingleStore cannot hold the unique keys of the table {table}. "
        f"singlestore.E001: {e001_message(field)} {e001_hint(label, field)} "
        f"singlestore.I003: {fix_message(label, field)} {FIX_HINT}"
    )


CHECK_ISSUES = (
    "SystemCheckError: System check identified some issues:\n\n"
    "ERRORS:\n"
    "apps_refused.Ticket: (singlestore.E001) " + e001_message() + "\n"
    "\tHINT: " + e001_hint("apps_refused.Ticket") + "\n\n"
    "WARNINGS:\n"
    "integration.Item.id: (singlestore.W002) integration.Item.id is a 32-bit "
    "AutoField on a sharded table; SingleStore's AUTO_INCREMENT values on "
    "sharded tables exceed 32 bits, so the backend stores the column as BIGINT.\n"
    '\tHINT: Set DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField" (or the '
    "app's default_auto_field) and make a migration.\n\n"
    "INFOS:\n"
    "?: (singlestore.I003) " + fix_message("apps_refused.Ticket") + "\n"
    "\tHINT: " + FIX_HINT + "\n"
)
# check counts the issues; migrate's own check run does not.
CHECK_REPORT = CHECK_ISSUES + "\nSystem check identified 3 issues (0 silenced)."
MIGRATE_REPORT = CHECK_ISSUES


def table_names():
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def applied():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM django_migrations WHERE app = 'apps_refused'")
        return [row[0] for row in cursor.fetchall()]


def migrate(*args, **options):
    call_command(
        "migrate", "apps_refused", *args, verbosity=0, stdout=StringIO(), **options
    )


@pytest.fixture
def refused_app(settings):
    """Install apps_refused; afterwards undo the test's migration of it."""
    settings.INSTALLED_APPS = REFUSED_APPS
    yield settings
    if "apps_refused_ticket" in table_names():
        migrate("zero")


# The checks stop check and migrate


def test_check_raises_e001(refused_app):
    with pytest.raises(SystemCheckError) as raised:
        call_command("check", stdout=StringIO(), stderr=StringIO())
    assert str(raised.value) == CHECK_REPORT


def test_migration_matches_the_model(refused_app):
    call_command(
        "makemigrations", "apps_refused", check=True, dry_run=True, stdout=StringIO()
    )


def test_migrate_stops_at_the_checks(refused_app):
    with pytest.raises(SystemCheckError) as raised:
        migrate(skip_checks=False)
    assert str(raised.value) == MIGRATE_REPORT
    assert "apps_refused_ticket" not in table_names()
    assert applied() == []


def test_migrate_without_checks_is_refused_by_the_schema_editor(refused_app):
    with CaptureQueriesContext(connection) as captured:
        with pytest.raises(NotSupportedError) as raised:
            migrate(skip_checks=True)
    assert str(raised.value) == refusal("apps_refused.Ticket", "apps_refused_ticket")
    assert [q["sql"] for q in captured if "apps_refused_ticket" in q["sql"]] == []
    assert "apps_refused_ticket" not in table_names()
    assert applied() == []


# The ways out of the hint


def create_sql(captured):
    return [q["sql"] for q in captured if q["sql"].startswith("CREATE ")]


def assert_duplicate_code_rejected():
    ticket = apps.get_model("apps_refused", "Ticket")
    ticket.objects.create(code="A1", seat=1)
    with pytest.raises(IntegrityError) as raised:
        ticket.objects.create(code="A1", seat=2)
    assert raised.value.args[0] == 1062
    assert list(ticket.objects.values_list("code", "seat")) == [("A1", 1)]


def test_migrate_with_the_shard_key_of_the_hint(refused_app):
    refused_app.SINGLESTORE = {**BASE, "SHARD_KEYS": {"apps_refused.Ticket": ["code"]}}
    with CaptureQueriesContext(connection) as captured:
        migrate(skip_checks=False)
    assert create_sql(captured) == [
        "CREATE TABLE `apps_refused_ticket` (`id` bigint AUTO_INCREMENT NOT NULL, "
        "`code` varchar(20) NOT NULL, `seat` integer NOT NULL, "
        "KEY `apps_refused_ticket_id_52b9f37d_key` (`id`), "
        "UNIQUE KEY `apps_refused_ticket_code_a69d34b4_uniq` (`code`), "
        "SHARD KEY (`code`), SORT KEY ())"
    ]
    assert applied() == ["0001_initial"]
    assert_duplicate_code_rejected()
    with connection.cursor() as cursor:
        storage = connection.introspection.get_table_storage(
            cursor, "apps_refused_ticket"
        )
    assert storage == ("COLUMNSTORE", ("code",), ())


def test_migrate_as_a_reference_table(refused_app):
    storage = {**BASE["STORAGE"], "apps_refused.Ticket": "ROWSTORE REFERENCE"}
    refused_app.SINGLESTORE = {**BASE, "STORAGE": storage}
    with CaptureQueriesContext(connection) as captured:
        migrate(skip_checks=False)
    assert create_sql(captured) == [
        "CREATE ROWSTORE REFERENCE TABLE `apps_refused_ticket` "
        "(`id` bigint AUTO_INCREMENT NOT NULL, `code` varchar(20) NOT NULL, "
        "`seat` integer NOT NULL, PRIMARY KEY (`id`), "
        "UNIQUE KEY `apps_refused_ticket_code_a69d34b4_uniq` (`code`))"
    ]
    assert applied() == ["0001_initial"]
    assert_duplicate_code_rejected()


def test_migrate_with_an_unenforced_key(refused_app):
    refused_app.SINGLESTORE = {**BASE, "UNENFORCED_UNIQUE": ["apps_refused.Ticket"]}
    err = StringIO()
    with CaptureQueriesContext(connection) as captured:
        migrate(skip_checks=False, stderr=err)
    assert (
        "apps_refused.Ticket: (singlestore.W001) The unique set from field 'code' "
        "(code) is declared UNENFORCED RELY, so SingleStore will not reject "
        "duplicates: SingleStore enforces a unique key on a sharded table only when "
        "it contains every shard-key column, and the shard key is (id).\n"
    ) in err.getvalue()
    assert create_sql(captured) == [
        "CREATE TABLE `apps_refused_ticket` (`id` bigint AUTO_INCREMENT NOT NULL, "
        "`code` varchar(20) NOT NULL, `seat` integer NOT NULL, "
        "PRIMARY KEY (`id`), "
        "UNIQUE KEY `apps_refused_ticket_code_a69d34b4_uniq` (`code`) "
        "UNENFORCED RELY, SHARD KEY (`id`), SORT KEY ())"
    ]
    assert applied() == ["0001_initial"]


# Schema changes on an existing table (the operations migrate runs)

DESK_TABLE = "apps_desk_desk"
CREATE_DESK = migrations.CreateModel(
    "Desk",
    [
        ("id", models.BigAutoField(primary_key=True)),
        ("code", models.CharField(max_length=20)),
    ],
)


def run_operations(*operations):
    """Apply migration operations in order, the way the executor does."""
    state = ProjectState()
    for operation in operations:
        new_state = state.clone()
        operation.state_forwards("apps_desk", new_state)
        with connection.schema_editor() as editor:
            operation.database_forwards("apps_desk", editor, state, new_state)
        state = new_state


@pytest.fixture
def drop_desk():
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {DESK_TABLE}")


def desk_alters(captured):
    return [q["sql"] for q in captured if q["sql"].startswith("ALTER TABLE")]


def test_alter_field_to_unique_is_refused(drop_desk):
    make_unique = migrations.AlterField(
        "Desk", "code", models.CharField(max_length=20, unique=True)
    )
    with CaptureQueriesContext(connection) as captured:
        with pytest.raises(NotSupportedError) as raised:
            run_operations(CREATE_DESK, make_unique)
    assert str(raised.value) == refusal("apps_desk.Desk", DESK_TABLE)
    assert desk_alters(captured) == []


def test_add_unique_field_is_refused(drop_desk):
    add_unique = migrations.AddField(
        "Desk", "badge", models.CharField(max_length=20, unique=True, default="x")
    )
    with CaptureQueriesContext(connection) as captured:
        with pytest.raises(NotSupportedError) as raised:
            run_operations(CREATE_DESK, add_unique)
    assert str(raised.value) == refusal("apps_desk.Desk", DESK_TABLE, "badge")
    assert desk_alters(captured) == []
