"""Table rebuilds under faults: every step, errors and lost connections."""

import logging
import os
import re
import threading
import time

import pymysql
import pytest
from django.apps.registry import Apps
from django.core import checks
from django.db import (
    DEFAULT_DB_ALIAS,
    Error,
    IntegrityError,
    NotSupportedError,
    connection,
    connections,
    migrations,
    models,
)
from django.db.migrations.state import ProjectState
from django.test import override_settings
from django.test.utils import CaptureQueriesContext, isolate_apps

from django_singlestore import rebuild
from django_singlestore.rebuild import check_interrupted_rebuilds
from tests.double_tests.conftest import NOT_THE_DOUBLE, Faults, close_quietly
from tests.double_tests.util import url_params
from tests.integration.models import Tag
from tests.integration.test_schema import unique_column_sets

pytestmark = pytest.mark.django_db(transaction=True)

TABLE = "t_rebuild_gauge"
NEW = f"{TABLE}__rebuild_new"
OLD = f"{TABLE}__rebuild_old"
ROWS = [(1, 10, "a"), (2, None, "b"), (3, 2**31 - 1, "c"), (4, -5, "d")]


@pytest.fixture
def faults():
    if os.environ.get("SINGLESTORE_URL"):
        pytest.skip(NOT_THE_DOUBLE)
    conn = pymysql.connect(
        autocommit=True, **url_params(os.environ["SINGLESTORE_TEST_URL"])
    )
    helper = Faults(conn)
    yield helper
    helper.clear()
    close_quietly(conn)


def gauge(reading):
    """The model in a registry of its own, with ``reading`` as given."""
    meta = type(
        "Meta", (), {"app_label": "integration", "db_table": TABLE, "apps": Apps()}
    )
    return type(
        "Gauge",
        (models.Model,),
        {
            "__module__": __name__,
            "Meta": meta,
            "reading": reading,
            "site": models.CharField(max_length=5),
        },
    )


OldGauge = gauge(models.IntegerField(null=True, db_index=True))
NewGauge = gauge(models.BigIntegerField(null=True, db_index=True))


@pytest.fixture
def gauge_table():
    with connection.schema_editor() as editor:
        editor.create_model(OldGauge)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO `{TABLE}` (`id`, `reading`, `site`) VALUES (%s, %s, %s)",
            ROWS,
        )
    yield
    connection.close()
    with connection.cursor() as cursor:
        for table in (TABLE, NEW, OLD):
            cursor.execute(f"DROP TABLE IF EXISTS `{table}`")


@pytest.fixture
def editor_tables():
    """Create a model's table; drop it and the given leftovers afterwards."""
    dropped = []

    def create(model, names):
        with connection.schema_editor() as editor:
            editor.create_model(model)
        dropped.extend(names)

    yield create
    connection.close()
    with connection.cursor() as cursor:
        for name in dropped:
            for table in (name, *rebuild.leftover_names(connection, name)):
                cursor.execute(f"DROP TABLE IF EXISTS `{table}`")


def alter(old_model, new_model):
    with connection.schema_editor() as editor:
        editor.alter_field(
            old_model,
            old_model._meta.get_field("reading"),
            new_model._meta.get_field("reading"),
        )


def state():
    """(tables of the rebuild, type of `reading`, rows) as the database has them."""
    connection.close()
    with connection.cursor() as cursor:
        names = sorted(
            name
            for name in connection.introspection.table_names(cursor)
            if name.startswith(TABLE)
        )
        description = connection.introspection.get_table_description(cursor, TABLE)
        cursor.execute(f"SELECT `id`, `reading`, `site` FROM `{TABLE}` ORDER BY `id`")
        rows = list(cursor.fetchall())
    types = [info.data_type for info in description]
    return names, types, rows


BEFORE = ([TABLE], ["bigint", "int", "varchar"], ROWS)
AFTER = ([TABLE], ["bigint", "bigint", "varchar"], ROWS)

# Each statement of the rebuild, as a pattern the double's faults match.
BEFORE_THE_SWAP = {
    "create": f"^CREATE TABLE `{NEW}`",
    "rename old": f"^ALTER TABLE `{TABLE}` RENAME TO `{OLD}`",
    "copy": f"^INSERT INTO `{NEW}`",
    "count old": f"^SELECT COUNT\\(\\*\\) FROM `{OLD}`$",
    "count new": f"^SELECT COUNT\\(\\*\\) FROM `{NEW}`$",
    "swap": f"^ALTER TABLE `{NEW}` RENAME TO `{TABLE}`",
}
AFTER_THE_SWAP = {
    "sync": f"^AGGREGATOR SYNC AUTO_INCREMENT ON `[^`]+`.`{TABLE}`",
    "drop old": f"^DROP TABLE `{OLD}`",
}


STEP_TEXT = {
    "create": f"creating {NEW}",
    "rename old": f"renaming {TABLE} to {OLD}",
    "copy": "copying the rows",
    "count old": "counting the rows",
    "count new": "counting the rows",
    "swap": f"renaming {NEW} to {TABLE}",
}
FAULT_TEXT = {
    "error": "(1205, 'Lock wait timeout exceeded; try restarting transaction', None)",
    "disconnect": "(2013, 'Lost connection to MySQL server during query', None)",
}


def test_a_rebuild_runs_the_documented_statements(gauge_table):
    with CaptureQueriesContext(connection) as captured:
        alter(OldGauge, NewGauge)
    database = connection.settings_dict["NAME"]
    statements = [query["sql"] for query in captured]
    assert statements[-8:] == [
        f"CREATE TABLE `{NEW}` (`id` bigint AUTO_INCREMENT NOT NULL, `reading` "
        f"bigint NULL, `site` varchar(5) NOT NULL, PRIMARY KEY (`id`), "
        f"KEY `t_rebuild_gauge_reading_00fe94c8` (`reading`), SHARD KEY (`id`), "
        f"SORT KEY ())",
        f"ALTER TABLE `{TABLE}` RENAME TO `{OLD}`",
        f"INSERT INTO `{NEW}` (`id`, `reading`, `site`) SELECT `id`, `reading` :> "
        f"BIGINT, `site` FROM `{OLD}`",
        f"SELECT COUNT(*) FROM `{OLD}`",
        f"SELECT COUNT(*) FROM `{NEW}`",
        f"ALTER TABLE `{NEW}` RENAME TO `{TABLE}`",
        f"AGGREGATOR SYNC AUTO_INCREMENT ON `{database}`.`{TABLE}` ALL",
        f"DROP TABLE `{OLD}`",
    ]
    for statement, pattern in zip(
        statements[-8:],
        [*BEFORE_THE_SWAP.values(), *AFTER_THE_SWAP.values()],
        strict=True,
    ):
        assert re.search(pattern, statement), pattern
    assert state() == AFTER


AFTER_THE_SWAP_WARNING = {
    "sync": f"Table {TABLE} was rebuilt, but syncing its auto-increment counter "
    "failed: {fault}. Run AGGREGATOR SYNC AUTO_INCREMENT ON "
    "`{database}`."
    f"`{TABLE}` ALL before the application inserts "
    "rows, or new ids may collide with copied ones.",
    "drop old": f"Table {TABLE} was rebuilt, but dropping {OLD} failed: {{fault}}. "
    "It holds the rows as they were before the change; the next rebuild of the "
    "table drops it.",
}


def arm(faults, kind, pattern):
    if kind == "error":
        faults.error(
            1205,
            "Lock wait timeout exceeded; try restarting transaction",
            pattern,
            times=1,
        )
    else:
        faults.disconnect(pattern, times=1)


@pytest.mark.parametrize("kind", ["error", "disconnect"])
@pytest.mark.parametrize("step", list(BEFORE_THE_SWAP))
def test_a_fault_before_the_swap_undoes_the_rebuild(gauge_table, faults, kind, step):
    arm(faults, kind, BEFORE_THE_SWAP[step])
    with pytest.raises(Error) as error:
        alter(OldGauge, NewGauge)
    assert str(error.value) == (
        f"Rebuilding table {TABLE} failed while {STEP_TEXT[step]}: {FAULT_TEXT[kind]}. "
        f"The rebuild was undone and the table is unchanged; fix the cause and "
        f"run migrate again."
    )
    assert faults.show() == []
    assert state() == BEFORE
    # Running migrate again finishes the change.
    alter(OldGauge, NewGauge)
    assert state() == AFTER


@pytest.mark.parametrize("kind", ["error", "disconnect"])
@pytest.mark.parametrize("step", list(AFTER_THE_SWAP))
def test_a_fault_after_the_swap_keeps_the_change(
    gauge_table, faults, caplog, kind, step
):
    arm(faults, kind, AFTER_THE_SWAP[step])
    with caplog.at_level(logging.WARNING, logger="django_singlestore.rebuild"):
        alter(OldGauge, NewGauge)
    assert faults.show() == []
    assert [record.getMessage() for record in caplog.records] == [
        AFTER_THE_SWAP_WARNING[step].format(
            fault=FAULT_TEXT[kind], database=connection.settings_dict["NAME"]
        )
    ]
    leftover = [OLD] if step == "drop old" else []
    assert state() == ([TABLE, *leftover], *AFTER[1:])
    # Migrating back drops any leftover, then rebuilds the old shape.
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="django_singlestore.rebuild"):
        alter(NewGauge, OldGauge)
    assert [record.getMessage() for record in caplog.records] == [
        f"An interrupted rebuild of table {TABLE} was finished." for _ in leftover
    ]
    assert state() == BEFORE


def test_a_lost_server_leaves_what_the_next_migrate_undoes(gauge_table, faults, caplog):
    # The copy fails, and so does the undo: both copies stay behind.
    faults.disconnect(BEFORE_THE_SWAP["copy"], times=1)
    faults.error(
        1205,
        "Lock wait timeout exceeded; try restarting transaction",
        f"^DROP TABLE `{NEW}`",
        times=1,
    )
    with pytest.raises(Error) as error:
        alter(OldGauge, NewGauge)
    assert str(error.value) == (
        f"Rebuilding table {TABLE} failed while copying the rows: "
        f"{FAULT_TEXT['disconnect']}. Undoing it failed too: {FAULT_TEXT['error']}. "
        f"The rows are intact in {OLD}; run migrate again to undo and retry the "
        f"rebuild."
    )
    with connection.cursor() as cursor:
        assert sorted(
            name
            for name in connection.introspection.table_names(cursor)
            if name.startswith(TABLE)
        ) == [NEW, OLD]
        cursor.execute(f"SELECT `id`, `reading`, `site` FROM `{OLD}` ORDER BY `id`")
        assert list(cursor.fetchall()) == ROWS
    with caplog.at_level(logging.WARNING, logger="django_singlestore.rebuild"):
        alter(OldGauge, NewGauge)
    assert [record.getMessage() for record in caplog.records] == [
        f"An interrupted rebuild of table {TABLE} was undone."
    ]
    assert state() == AFTER


def test_a_copy_that_misses_rows_is_undone(gauge_table, monkeypatch):
    counted = rebuild.Rebuild._count

    def short_copy(self, table):
        return counted(self, table) - (table == self.new)

    monkeypatch.setattr(rebuild.Rebuild, "_count", short_copy)
    with pytest.raises(Error) as error:
        alter(OldGauge, NewGauge)
    assert str(error.value) == (
        f"Rebuilding table {TABLE} failed while counting the rows: the copy holds "
        f"3 rows, the table 4. The rebuild was undone and the table is unchanged; "
        f"fix the cause and run migrate again."
    )
    assert state() == BEFORE


def test_sqlmigrate_shows_the_statements_without_running_them(gauge_table):
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor(collect_sql=True) as editor:
            editor.alter_field(
                OldGauge,
                OldGauge._meta.get_field("reading"),
                NewGauge._meta.get_field("reading"),
            )
    database = connection.settings_dict["NAME"]
    assert [sql for sql in editor.collected_sql if not sql.startswith("CREATE")] == [
        f"ALTER TABLE `{TABLE}` RENAME TO `{OLD}`;",
        f"INSERT INTO `{NEW}` (`id`, `reading`, `site`) SELECT `id`, `reading` :> "
        f"BIGINT, `site` FROM `{OLD}`;",
        f"ALTER TABLE `{NEW}` RENAME TO `{TABLE}`;",
        f"AGGREGATOR SYNC AUTO_INCREMENT ON `{database}`.`{TABLE}` ALL;",
        f"DROP TABLE `{OLD}`;",
    ]
    assert [query["sql"] for query in captured] == []
    assert state() == BEFORE


def ticket(code):
    meta = type(
        "Meta",
        (),
        {"app_label": "integration", "db_table": "t_rebuild_ticket", "apps": Apps()},
    )
    return type(
        "Ticket",
        (models.Model,),
        {"__module__": __name__, "Meta": meta, "code": code},
    )


@override_settings(SINGLESTORE={"SHARD_KEYS": {"integration.Ticket": ["code"]}})
def test_a_unique_key_on_a_columnstore_table_with_rows(editor_tables):
    Old = ticket(models.CharField(max_length=8))
    New = ticket(models.CharField(max_length=8, unique=True))
    editor_tables(Old, ["t_rebuild_ticket"])
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO `t_rebuild_ticket` (`id`, `code`) VALUES (%s, %s)",
            [(1, "a"), (2, "b"), (3, "a")],
        )
    with pytest.raises(IntegrityError) as error:
        with connection.schema_editor() as editor:
            editor.alter_field(
                Old, Old._meta.get_field("code"), New._meta.get_field("code")
            )
    assert str(error.value) == (
        "Rebuilding table t_rebuild_ticket failed while copying the rows: (1062, "
        "\"Duplicate entry 'a' for key 't_rebuild_ticket_code_2b39acb3_uniq'\", "
        "None). The rebuild was undone and the table is unchanged; fix the cause "
        "and run migrate again."
    )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM `t_rebuild_ticket` WHERE `id` = 3")
    with connection.schema_editor() as editor:
        editor.alter_field(
            Old, Old._meta.get_field("code"), New._meta.get_field("code")
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT `id`, `code` FROM `t_rebuild_ticket` ORDER BY `id`")
        assert list(cursor.fetchall()) == [(1, "a"), (2, "b")]
    assert unique_column_sets("t_rebuild_ticket") == [["code"]]
    with pytest.raises(IntegrityError):
        New.objects.create(code="b")


def write_until(stop, first_id, acknowledged):
    """Insert rows and update row 1 until ``stop``; record what was told OK."""
    own = connections[DEFAULT_DB_ALIAS]
    number = 0
    try:
        while not stop.is_set():
            number += 1
            try:
                with own.cursor() as cursor:
                    cursor.execute(
                        f"INSERT INTO `{TABLE}` (`id`, `reading`, `site`) "
                        f"VALUES (%s, %s, 'w')",
                        [first_id + number, number],
                    )
                acknowledged["inserts"].append(first_id + number)
                with own.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE `{TABLE}` SET `reading` = %s WHERE `id` = %s",
                        [number, first_id // 1000],
                    )
                    if cursor.rowcount == 1:
                        acknowledged["update"] = number
            except Error:
                acknowledged["refused"] += 1
                time.sleep(0.01)
    finally:
        own.close()


def test_concurrent_writers_lose_no_acknowledged_write(gauge_table, faults):
    # The copy takes half a second, so the writers meet every step.
    faults.latency(500, BEFORE_THE_SWAP["copy"], times=1)
    stop = threading.Event()
    writers = []
    for row in (1, 2):
        acknowledged = {"inserts": [], "update": None, "refused": 0}
        thread = threading.Thread(
            target=write_until, args=(stop, row * 1000, acknowledged), daemon=True
        )
        writers.append((row, acknowledged, thread))
        thread.start()
    try:
        time.sleep(0.2)
        alter(OldGauge, NewGauge)
        time.sleep(0.2)
    finally:
        stop.set()
        for _, _, thread in writers:
            thread.join()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT `id`, `reading` FROM `{TABLE}`")
        stored = dict(cursor.fetchall())
    for row, acknowledged, _ in writers:
        assert acknowledged["inserts"], "the writer never wrote"
        assert acknowledged["refused"] > 0, "the writer never met the rebuild"
        missing = [id for id in acknowledged["inserts"] if id not in stored]
        assert missing == []
        assert stored[row] == acknowledged["update"]


def booking(**meta):
    meta = type(
        "Meta",
        (),
        {
            "app_label": "integration",
            "db_table": "t_rebuild_booking",
            "apps": Apps(),
            **meta,
        },
    )
    return type(
        "Booking",
        (models.Model,),
        {
            "__module__": __name__,
            "Meta": meta,
            "code": models.CharField(max_length=8),
            "zone": models.IntegerField(),
        },
    )


BOOKINGS = [(1, "a", 1), (2, "a", 2), (3, "b", 1)]
UNIQUE_CODE_ZONE = models.UniqueConstraint(fields=["code", "zone"], name="code_zone")


def booking_rows():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT `id`, `code`, `zone` FROM `t_rebuild_booking` ORDER BY `id`"
        )
        return list(cursor.fetchall())


@pytest.fixture
def bookings(editor_tables):
    Booking = booking()
    editor_tables(Booking, ["t_rebuild_booking"])
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO `t_rebuild_booking` (`id`, `code`, `zone`) "
            "VALUES (%s, %s, %s)",
            BOOKINGS,
        )
    return Booking


@override_settings(SINGLESTORE={"SHARD_KEYS": {"integration.Booking": ["code"]}})
@pytest.mark.parametrize(
    "change, name",
    [
        (
            lambda editor, Booking: editor.add_constraint(Booking, UNIQUE_CODE_ZONE),
            "code_zone",
        ),
        (
            lambda editor, Booking: editor.alter_unique_together(
                Booking, set(), {("code", "zone")}
            ),
            "t_rebuild_booking_code_zone_10d1edd3_uniq",
        ),
    ],
    ids=["AddConstraint", "AlterUniqueTogether"],
)
def test_a_unique_set_on_a_columnstore_table_rebuilds_it(bookings, change, name):
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            change(editor, bookings)
    created = [query["sql"] for query in captured if query["sql"].startswith("CREATE")]
    assert created == [
        "CREATE TABLE `t_rebuild_booking__rebuild_new` (`id` bigint AUTO_INCREMENT "
        "NOT NULL, `code` varchar(8) NOT NULL, `zone` integer NOT NULL, "
        "KEY `t_rebuild_booking_id_0f3121dd_key` (`id`), "
        f"UNIQUE KEY `{name}` (`code`, `zone`), SHARD KEY (`code`), SORT KEY ())"
    ]
    assert unique_column_sets("t_rebuild_booking") == [["code", "zone"]]
    assert booking_rows() == BOOKINGS
    with pytest.raises(IntegrityError):
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO `t_rebuild_booking` (`code`, `zone`) VALUES ('a', 2)"
            )


@override_settings(SINGLESTORE={"SHARD_KEYS": {"integration.Booking": ["code"]}})
def test_a_fault_while_adding_a_unique_set_leaves_the_table_unchanged(bookings, faults):
    faults.disconnect("^INSERT INTO `t_rebuild_booking__rebuild_new`", times=1)
    with pytest.raises(Error) as error:
        with connection.schema_editor() as editor:
            editor.add_constraint(bookings, UNIQUE_CODE_ZONE)
    assert str(error.value) == (
        "Rebuilding table t_rebuild_booking failed while copying the rows: "
        f"{FAULT_TEXT['disconnect']}. The rebuild was undone and the table is "
        "unchanged; fix the cause and run migrate again."
    )
    connection.close()
    assert unique_column_sets("t_rebuild_booking") == []
    assert booking_rows() == BOOKINGS


def test_a_unique_set_the_plan_cannot_enforce_is_refused_before_any_sql(bookings):
    with CaptureQueriesContext(connection) as captured:
        with pytest.raises(NotSupportedError) as error:
            with connection.schema_editor() as editor:
                editor.add_constraint(bookings, UNIQUE_CODE_ZONE)
    assert [
        query["sql"] for query in captured if not query["sql"].startswith("SELECT")
    ] == []
    assert str(error.value).startswith(
        "SingleStore cannot hold the unique keys of the table t_rebuild_booking. "
        "singlestore.E001: "
    )
    assert booking_rows() == BOOKINGS


# Check singlestore.W010: leftovers of an interrupted rebuild.

TAG = "integration_tag"


def leftover_warning(found, hint):
    return checks.Warning(
        f"Table {TAG!r} on database 'default' was being rebuilt when a migration "
        f"stopped: {found}.",
        hint=hint,
        obj=Tag,
        id="singlestore.W010",
    )


W010 = {
    "swapped": leftover_warning(
        f"the change is complete and {TAG}__rebuild_old still holds the rows as "
        f"they were before it",
        f"Drop {TAG}__rebuild_old (DROP TABLE `{TAG}__rebuild_old`) once you no "
        f"longer need it; the next rebuild of {TAG} drops it too.",
    ),
    "not copied": leftover_warning(
        f"{TAG}__rebuild_new was created but never filled",
        f"Run manage.py migrate to retry the rebuild (it drops {TAG}__rebuild_new "
        f"first), or drop {TAG}__rebuild_new (DROP TABLE `{TAG}__rebuild_new`).",
    ),
    "not swapped": leftover_warning(
        f"{TAG}__rebuild_old holds its rows and {TAG} does not exist",
        f"Run manage.py migrate: the migration that stopped runs again, gives "
        f"{TAG}__rebuild_old its name back and retries the rebuild. Until then the "
        f"application cannot read or write {TAG}.",
    ),
    "ambiguous": leftover_warning(
        f"{TAG}, {TAG}__rebuild_new and {TAG}__rebuild_old all exist",
        f"Keep the one that holds the current rows under the name {TAG}, drop the "
        f"others, and run manage.py migrate again.",
    ),
}
LEFTOVERS = {
    "swapped": [f"CREATE TABLE `{TAG}__rebuild_old` (`id` bigint PRIMARY KEY)"],
    "not copied": [f"CREATE TABLE `{TAG}__rebuild_new` (`id` bigint PRIMARY KEY)"],
    "not swapped": [f"ALTER TABLE `{TAG}` RENAME TO `{TAG}__rebuild_old`"],
    "ambiguous": [
        f"CREATE TABLE `{TAG}__rebuild_old` (`id` bigint PRIMARY KEY)",
        f"CREATE TABLE `{TAG}__rebuild_new` (`id` bigint PRIMARY KEY)",
    ],
}


@pytest.mark.parametrize("state", list(W010))
def test_leftovers_of_an_interrupted_rebuild_are_reported(state):
    assert check_interrupted_rebuilds(databases=["default"]) == []
    with connection.cursor() as cursor:
        for statement in LEFTOVERS[state]:
            cursor.execute(statement)
        try:
            assert check_interrupted_rebuilds(databases=["default"]) == [W010[state]]
            assert W010[state] in checks.run_checks(
                tags=[checks.Tags.database], databases=["default"]
            )
        finally:
            if state == "not swapped":
                cursor.execute(f"ALTER TABLE `{TAG}__rebuild_old` RENAME TO `{TAG}`")
            for name in (f"{TAG}__rebuild_old", f"{TAG}__rebuild_new"):
                cursor.execute(f"DROP TABLE IF EXISTS `{name}`")
    assert check_interrupted_rebuilds(databases=["default"]) == []


# Through migration operations, as migrate runs them.

METER = "apps_meter_meter"
CREATE_METER = migrations.CreateModel(
    "Meter",
    [
        ("id", models.BigAutoField(primary_key=True)),
        ("value", models.IntegerField(null=True, db_index=True)),
        ("label", models.CharField(max_length=5)),
    ],
)
WIDEN_METER = migrations.AlterField(
    "Meter", "value", models.BigIntegerField(default=0, db_index=True)
)
METER_ROWS = [(1, 5, "x"), (2, None, "y")]


def meter_tables():
    with connection.cursor() as cursor:
        return sorted(
            name
            for name in connection.introspection.table_names(cursor)
            if name.startswith(METER)
        )


def meter_state():
    """(tables, (name, type, null) of each column, rows)."""
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, METER)
        cursor.execute(f"SELECT `id`, `value`, `label` FROM `{METER}` ORDER BY `id`")
        rows = list(cursor.fetchall())
    columns = [(info.name, info.data_type, info.null_ok) for info in description]
    return meter_tables(), columns, rows


def created_by(app_label, create_model, rows):
    """The state after ``create_model`` (a CreateModel), its table created
    and filled with ``rows`` (every column, in order)."""
    state = ProjectState()
    create_model.state_forwards(app_label, state)
    with connection.schema_editor() as editor:
        create_model.database_forwards(app_label, editor, ProjectState(), state)
    table = state.apps.get_model(app_label, create_model.name)._meta.db_table
    columns = ", ".join(f"`{name}`" for name, _ in create_model.fields)
    marks = ", ".join(["%s"] * len(create_model.fields))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO `{table}` ({columns}) VALUES ({marks})", rows)
    return state


def drop_with_leftovers(table):
    connection.close()
    with connection.cursor() as cursor:
        for name in (table, *rebuild.leftover_names(connection, table)):
            cursor.execute(f"DROP TABLE IF EXISTS `{name}`")


@pytest.fixture
def meter_states():
    """(state before WIDEN_METER, state after), with the table created and filled."""
    before = created_by("apps_meter", CREATE_METER, METER_ROWS)
    after = before.clone()
    WIDEN_METER.state_forwards("apps_meter", after)
    yield before, after
    drop_with_leftovers(METER)


def migrate_meter(before, after, backwards=False):
    connection.close()
    with connection.schema_editor() as editor:
        if backwards:
            WIDEN_METER.database_backwards("apps_meter", editor, after, before)
        else:
            WIDEN_METER.database_forwards("apps_meter", editor, before, after)


METER_BEFORE = (
    [METER],
    [("id", "bigint", False), ("value", "int", True), ("label", "varchar", False)],
    METER_ROWS,
)
METER_AFTER = (
    [METER],
    [("id", "bigint", False), ("value", "bigint", False), ("label", "varchar", False)],
    [(1, 5, "x"), (2, 0, "y")],
)


def test_migrate_again_finishes_and_migrating_back_undoes(meter_states, faults):
    before, after = meter_states
    faults.disconnect(f"^INSERT INTO `{METER}__rebuild_new`", times=1)
    faults.error(
        1205,
        "Lock wait timeout exceeded",
        f"^DROP TABLE `{METER}__rebuild_new`",
        times=1,
    )
    with pytest.raises(Error):
        migrate_meter(before, after)
    connection.close()
    assert meter_tables() == [f"{METER}__rebuild_new", f"{METER}__rebuild_old"]
    migrate_meter(before, after)
    assert meter_state() == METER_AFTER
    faults.disconnect(f"^DROP TABLE `{METER}__rebuild_old`", times=1)
    migrate_meter(before, after, backwards=True)
    assert meter_state()[1:] == (METER_BEFORE[1], [(1, 5, "x"), (2, 0, "y")])
    assert meter_state()[0] == [METER, f"{METER}__rebuild_old"]
    # The next change of the table drops what the last one left.
    migrate_meter(before, after)
    assert meter_state() == METER_AFTER


@override_settings(SINGLESTORE={"STORAGE": {"integration.Booking": "REFERENCE"}})
def test_a_unique_field_added_to_a_columnstore_table_rebuilds_it(bookings):
    badge = models.CharField(max_length=4, unique=True, null=True)
    badge.set_attributes_from_name("badge")
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.add_field(bookings, badge)
    statements = [query["sql"] for query in captured]
    assert [sql for sql in statements if sql.startswith(("CREATE", "INSERT"))] == [
        "CREATE REFERENCE TABLE `t_rebuild_booking__rebuild_new` (`id` bigint "
        "AUTO_INCREMENT NOT NULL, `code` varchar(8) NOT NULL, `zone` integer NOT "
        "NULL, `badge` varchar(4) NULL, PRIMARY KEY (`id`), UNIQUE KEY "
        "`t_rebuild_booking_badge_0ac7a31e_uniq` (`badge`), SORT KEY ())",
        "INSERT INTO `t_rebuild_booking__rebuild_new` (`id`, `code`, `zone`, "
        "`badge`) SELECT `id`, `code`, `zone`, NULL FROM "
        "`t_rebuild_booking__rebuild_old`",
    ]
    assert unique_column_sets("t_rebuild_booking") == [["badge"]]
    assert booking_rows() == BOOKINGS
    with connection.cursor() as cursor:
        cursor.execute("UPDATE `t_rebuild_booking` SET `badge` = 'b1' WHERE `id` = 1")
        with pytest.raises(IntegrityError):
            cursor.execute(
                "UPDATE `t_rebuild_booking` SET `badge` = 'b1' WHERE `id` = 2"
            )


@isolate_apps("tests.integration")
def test_a_nullable_foreign_key_made_not_null_again(editor_tables):
    class Shelf(models.Model):
        class Meta:
            app_label = "integration"
            db_table = "t_rebuild_shelf"

    class Book(models.Model):
        shelf = models.ForeignKey(Shelf, models.CASCADE, null=True)
        parent = models.ForeignKey("self", models.CASCADE, null=True)

        class Meta:
            app_label = "integration"
            db_table = "t_rebuild_book"

    editor_tables(Shelf, ["t_rebuild_shelf"])
    editor_tables(Book, ["t_rebuild_book"])
    Shelf.objects.create(id=1)
    Book.objects.create(id=1, shelf_id=1)
    Book.objects.create(id=2, shelf_id=1, parent_id=1)
    old = Book._meta.get_field("shelf")
    new = models.ForeignKey(Shelf, models.CASCADE)
    new.set_attributes_from_name("shelf")
    new.model = Book
    with connection.schema_editor() as editor:
        editor.alter_field(Book, old, new)
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(
            cursor, "t_rebuild_book"
        )
        constraints = connection.introspection.get_constraints(cursor, "t_rebuild_book")
    assert [(c.name, c.data_type, c.null_ok) for c in description] == [
        ("id", "bigint", False),
        ("shelf_id", "bigint", False),
        ("parent_id", "bigint", True),
    ]
    assert sorted(
        info["columns"] for info in constraints.values() if info["index"]
    ) == [["id"], ["parent_id"], ["shelf_id"]]
    assert sorted(Book.objects.values_list("id", "shelf_id", "parent_id")) == [
        (1, 1, None),
        (2, 1, 1),
    ]


def test_a_rebuild_refuses_to_guess_between_three_copies(gauge_table):
    with connection.cursor() as cursor:
        for name in (NEW, OLD):
            cursor.execute(f"CREATE TABLE `{name}` (`id` bigint PRIMARY KEY)")
    with CaptureQueriesContext(connection) as captured:
        with pytest.raises(NotSupportedError) as error:
            alter(OldGauge, NewGauge)
    assert str(error.value) == (
        f"Tables {TABLE}, {NEW} and {OLD} all exist, so an interrupted rebuild of "
        f"{TABLE} cannot be told apart from later changes. Keep the one that holds "
        f"the current rows under the name {TABLE}, drop the others, and run "
        f"migrate again."
    )
    assert [q["sql"] for q in captured if not q["sql"].startswith("SELECT")] == []
    names, types, rows = state()
    assert (names, types, rows) == ([TABLE, NEW, OLD], BEFORE[1], ROWS)


def serial(id_field):
    meta = type(
        "Meta",
        (),
        {"app_label": "integration", "db_table": "t_rebuild_serial", "apps": Apps()},
    )
    return type(
        "Serial",
        (models.Model,),
        {
            "__module__": __name__,
            "Meta": meta,
            "id": id_field,
            "note": models.CharField(max_length=5),
        },
    )


def test_auto_increment_added_and_dropped_on_a_columnstore_table(editor_tables):
    Plain = serial(models.BigIntegerField(primary_key=True))
    Auto = serial(models.BigAutoField(primary_key=True))
    editor_tables(Plain, ["t_rebuild_serial"])
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO `t_rebuild_serial` (`id`, `note`) VALUES (%s, %s)",
            [(7, "a"), (9, "b")],
        )
    with connection.schema_editor() as editor:
        editor.alter_field(
            Plain, Plain._meta.get_field("id"), Auto._meta.get_field("id")
        )
    created = Auto.objects.create(note="c")
    assert created.id > 9
    assert sorted(Auto.objects.values_list("id", "note"))[:2] == [(7, "a"), (9, "b")]
    with connection.schema_editor() as editor:
        editor.alter_field(
            Auto, Auto._meta.get_field("id"), Plain._meta.get_field("id")
        )
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(
            cursor, "t_rebuild_serial"
        )
        cursor.execute("SELECT COUNT(*) FROM `t_rebuild_serial`")
        assert cursor.fetchone() == (3,)
    assert [(c.name, c.data_type, "auto_increment" in c.extra) for c in description][
        0
    ] == ("id", "bigint", False)


def priced(quantity):
    meta = type(
        "Meta",
        (),
        {"app_label": "integration", "db_table": "t_rebuild_priced", "apps": Apps()},
    )
    return type(
        "Priced",
        (models.Model,),
        {
            "__module__": __name__,
            "Meta": meta,
            "quantity": quantity,
            "price": models.IntegerField(),
            "total": models.GeneratedField(
                expression=models.F("price") * 3,
                output_field=models.BigIntegerField(),
                db_persist=True,
            ),
        },
    )


def test_a_rebuild_recomputes_generated_columns_instead_of_copying_them(
    editor_tables,
):
    Old = priced(models.IntegerField(null=True))
    New = priced(models.BigIntegerField(null=True))
    editor_tables(Old, ["t_rebuild_priced"])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO `t_rebuild_priced` (`id`, `quantity`, `price`) "
            "VALUES (1, 5, 4)"
        )
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.alter_field(
                Old, Old._meta.get_field("quantity"), New._meta.get_field("quantity")
            )
    assert [q["sql"] for q in captured if q["sql"].startswith("INSERT")] == [
        "INSERT INTO `t_rebuild_priced__rebuild_new` (`id`, `quantity`, `price`) "
        "SELECT `id`, `quantity` :> BIGINT, `price` FROM "
        "`t_rebuild_priced__rebuild_old`"
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT `id`, `quantity`, `price`, `total` FROM `t_rebuild_priced`"
        )
        assert list(cursor.fetchall()) == [(1, 5, 4, 12)]


def test_a_rebuild_logs_the_table_the_rows_and_the_time(gauge_table, caplog):
    with caplog.at_level(logging.INFO, logger="django_singlestore.rebuild"):
        alter(OldGauge, NewGauge)
    start, end = (record.getMessage() for record in caplog.records)
    assert start == f"Rebuilding table {TABLE}."
    assert re.fullmatch(rf"Rebuilt table {TABLE}: 4 rows copied in \d+\.\d s\.", end)


@isolate_apps("tests.integration")
def test_a_key_field_of_no_model_with_foreign_keys_pointing_at_it_is_refused():
    class Dock(models.Model):
        code = models.CharField(max_length=4, primary_key=True)

        class Meta:
            app_label = "integration"
            db_table = "t_rebuild_dock"

    class Boat(models.Model):
        dock = models.ForeignKey(Dock, models.CASCADE)

        class Meta:
            app_label = "integration"
            db_table = "t_rebuild_boat"

    # Built on the fly: nothing says what the boats' column becomes.
    code = models.CharField(max_length=8, primary_key=True)
    code.set_attributes_from_name("code")
    with CaptureQueriesContext(connection) as captured:
        with pytest.raises(NotSupportedError) as error:
            with connection.schema_editor() as editor:
                editor.alter_field(Dock, Dock._meta.get_field("code"), code)
    assert str(error.value) == (
        "Cannot change column t_rebuild_dock.code (varchar(4) -> varchar(8)): the "
        "column(s) t_rebuild_boat.dock_id point at it, and the new model does not "
        "say what they become. Change the field through a migration, whose state "
        "holds the models that point at it."
    )
    assert captured.captured_queries == []


NODE = "apps_tree_node"
CREATE_NODE = migrations.CreateModel(
    "Node",
    [
        ("code", models.CharField(max_length=4, primary_key=True)),
        ("parent", models.ForeignKey("apps_tree.Node", models.CASCADE, null=True)),
    ],
)
NODES = [("leaf", "root"), ("root", None)]


def test_a_key_column_a_foreign_key_of_its_own_table_points_at(faults):  # noqa: F811
    before = created_by("apps_tree", CREATE_NODE, [])
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO `{NODE}` (`code`, `parent_id`) VALUES (%s, %s)", NODES
        )
    longer = migrations.AlterField(
        "Node", "code", models.CharField(max_length=8, primary_key=True)
    )
    after = before.clone()
    longer.state_forwards("apps_tree", after)
    try:
        # The table is rebuilt for its key, then again for the column
        # pointing at it; a fault in the second leaves the first done.
        faults.disconnect(
            f"^INSERT INTO `{NODE}__rebuild_new` .* `parent_id` :> ", times=1
        )
        with pytest.raises(Error):
            with connection.schema_editor() as editor:
                longer.database_forwards("apps_tree", editor, before, after)
        connection.close()
        assert node_columns() == [("code", 8), ("parent_id", 4)]
        with connection.schema_editor() as editor:
            longer.database_forwards("apps_tree", editor, before, after)
        assert node_columns() == [("code", 8), ("parent_id", 8)]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT `code`, `parent_id` FROM `{NODE}` ORDER BY `code`")
            assert list(cursor.fetchall()) == NODES
    finally:
        drop_with_leftovers(NODE)


def node_columns():
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, NODE)
    return [(info.name, info.internal_size) for info in description]
