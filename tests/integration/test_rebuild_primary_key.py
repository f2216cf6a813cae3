"""Primary-key moves: each operation rebuilds the table, forwards and back.

makemigrations writes a move of the primary key from ``id`` to ``code`` as
RemoveField(id) then AlterField(code, primary_key=True). In between, the
migration state's model has no key of its own (Django gives it an automatic
``id`` that is no column), so the first rebuild makes a table without a
primary key, the second one keyed by ``code``. Unapplied, the AlterField
rebuilds it without a key again, and the RemoveField's reverse (an AddField
of the auto-increment ``id``) numbers the rows anew.
"""

import pytest
from django.db import (
    DataError,
    Error,
    NotSupportedError,
    connection,
    migrations,
    models,
)
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.integration.test_rebuild import (
    FAULT_TEXT,
    arm,
    created_by,
    drop_with_leftovers,
    faults,  # noqa: F401
)

pytestmark = pytest.mark.django_db(transaction=True)

APP = "apps_pk"
TICKET = "apps_pk_ticket"
NEW, OLD = f"{TICKET}__rebuild_new", f"{TICKET}__rebuild_old"
CREATE_TICKET = migrations.CreateModel(
    "Ticket",
    [
        ("id", models.BigAutoField(primary_key=True)),
        ("code", models.CharField(max_length=8, null=True)),
    ],
)
TICKETS = [(1, "a"), (2, "b"), (3, "c")]
REMOVE_ID = migrations.RemoveField("Ticket", "id")
CODE_KEY = migrations.AlterField(
    "Ticket", "code", models.CharField(max_length=8, primary_key=True)
)
SORT_KEY = "SORT KEY `__UNORDERED` ()"
# SHOW CREATE TABLE's key lines: keyed by id, without a key, keyed by code.
KEY_LINES = {
    "COLUMNSTORE": (
        ["PRIMARY KEY (`id`)", "SHARD KEY `__SHARDKEY` (`id`)", SORT_KEY],
        ["SHARD KEY ()", SORT_KEY],
        ["PRIMARY KEY (`code`)", "SHARD KEY `__SHARDKEY` (`code`)", SORT_KEY],
    ),
    "ROWSTORE": (
        ["PRIMARY KEY (`id`)", "SHARD KEY `__SHARDKEY` (`id`)"],
        ["SHARD KEY ()"],
        ["PRIMARY KEY (`code`)", "SHARD KEY `__SHARDKEY` (`code`)"],
    ),
    "REFERENCE": (
        ["PRIMARY KEY (`id`)", SORT_KEY],
        None,
        ["PRIMARY KEY (`code`)", SORT_KEY],
    ),
}


@pytest.fixture
def tickets(request):
    """The Ticket table on the storage type of the test's parameter, filled."""
    storage = getattr(request, "param", "COLUMNSTORE")
    with override_settings(SINGLESTORE={"STORAGE": {"apps_pk.Ticket": storage}}):
        try:
            yield storage, created_by(APP, CREATE_TICKET, TICKETS)
        finally:
            drop_with_leftovers(TICKET)


def run(operations, state, backwards=False):
    """Apply ``operations`` (each in a schema editor of its own) from
    ``state``, or unapply them down to it; return the states in order."""
    states = [state]
    for operation in operations:
        after = states[-1].clone()
        operation.state_forwards(APP, after)
        states.append(after)
    steps = list(enumerate(operations))
    for index, operation in reversed(steps) if backwards else steps:
        with connection.schema_editor() as editor:
            if backwards:
                operation.database_backwards(
                    APP, editor, states[index + 1], states[index]
                )
            else:
                operation.database_forwards(
                    APP, editor, states[index], states[index + 1]
                )
    return states


def table():
    """(columns with their types, key lines, rows by code) of the table."""
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW CREATE TABLE `{TICKET}`")
        lines = [line.strip().rstrip(",") for line in cursor.fetchone()[1].splitlines()]
        cursor.execute(
            "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE "
            "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s ORDER BY ORDINAL_POSITION",
            [TICKET],
        )
        columns = list(cursor.fetchall())
        names = ", ".join(f"`{name}`" for name, _ in columns)
        cursor.execute(f"SELECT {names} FROM `{TICKET}` ORDER BY `code`")
        rows = list(cursor.fetchall())
        cursor.execute("SHOW TABLES")
        leftovers = sorted(name for (name,) in cursor.fetchall() if name in (NEW, OLD))
    keys = ("PRIMARY KEY", "UNIQUE KEY", "KEY", "SHARD KEY", "SORT KEY")
    assert leftovers == []
    return columns, [line for line in lines if line.startswith(keys)], rows


BY_ID = [("id", "bigint(20)"), ("code", "varchar(8)")]
BY_CODE = [("code", "varchar(8)")]


@pytest.mark.parametrize("tickets", ["COLUMNSTORE", "ROWSTORE"], indirect=True)
def test_the_key_moves_from_id_to_code_and_back(tickets):
    storage, state = tickets
    by_id, keyless, by_code = KEY_LINES[storage]
    codes = [(code,) for _, code in TICKETS]
    states = run([REMOVE_ID], state)
    assert table() == (BY_CODE, keyless, codes)
    run([CODE_KEY], states[-1])
    assert table() == (BY_CODE, by_code, codes)
    run([CODE_KEY], states[-1], backwards=True)
    assert table() == (BY_CODE, keyless, codes)
    run([REMOVE_ID], state, backwards=True)
    columns, keys, rows = table()
    assert (columns, keys) == (BY_ID, by_id)
    # The dropped ids cannot come back: the rows are numbered anew.
    assert sorted(row[0] for row in rows) == [1, 2, 3]
    assert [row[1] for row in rows] == ["a", "b", "c"]


def test_the_rebuild_that_keys_the_table_runs_the_documented_statements(tickets):
    _, state = tickets
    states = run([REMOVE_ID], state)
    after = states[-1].clone()
    CODE_KEY.state_forwards(APP, after)
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            CODE_KEY.database_forwards(APP, editor, states[-1], after)
    statements = [query["sql"] for query in captured]
    # The NULL count of the NOT NULL step, the table's columns, then the key.
    assert statements[0] == f"SELECT COUNT(*) FROM `{TICKET}` WHERE `code` IS NULL"
    assert statements[-10:] == [
        f"SELECT COUNT(*) FROM `{TICKET}` WHERE (`code`) IS NULL",
        f"SELECT COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n FROM `{TICKET}` "
        f"GROUP BY `code` HAVING COUNT(*) > 1) AS shared",
        "SELECT TABLE_NAME, TABLE_TYPE, TABLE_COMMENT FROM information_schema.TABLES "
        "WHERE TABLE_SCHEMA = DATABASE()",
        f"CREATE TABLE `{NEW}` (`code` varchar(8) NOT NULL, PRIMARY KEY (`code`), "
        f"SHARD KEY (`code`), SORT KEY ())",
        f"ALTER TABLE `{TICKET}` RENAME TO `{OLD}`",
        f"INSERT INTO `{NEW}` (`code`) SELECT `code` FROM `{OLD}`",
        f"SELECT COUNT(*) FROM `{OLD}`",
        f"SELECT COUNT(*) FROM `{NEW}`",
        f"ALTER TABLE `{NEW}` RENAME TO `{TICKET}`",
        f"DROP TABLE `{OLD}`",
    ]


@pytest.mark.parametrize("tickets", ["REFERENCE"], indirect=True)
def test_a_reference_table_keeps_a_key_at_every_step(tickets):
    _, state = tickets
    by_id, _, by_code = KEY_LINES["REFERENCE"]
    before = table()
    with CaptureQueriesContext(connection) as captured:
        with pytest.raises(NotSupportedError) as error:
            run([REMOVE_ID], state)
    assert str(error.value) == (
        f"SingleStore cannot drop the primary key of table {TICKET} (removing "
        f"primary key field 'id' (id)): it is a REFERENCE table, and a reference "
        f"table must have a primary key. Nothing was changed. Make the new "
        f"primary key first (put the AlterField or AddField with "
        f"primary_key=True before the RemoveField of the old key), or store "
        f"apps_pk.Ticket as COLUMNSTORE or ROWSTORE while its primary key "
        f"changes."
    )
    assert all(q["sql"].startswith("SELECT") for q in captured.captured_queries)
    assert table() == before
    # In the order the message gives, each step has a key: id stays a column
    # until its RemoveField.
    codes = [(code,) for _, code in TICKETS]
    states = run([CODE_KEY], state)
    assert table() == (BY_ID, by_code, [(id_, code) for id_, code in TICKETS])
    run([REMOVE_ID], states[-1])
    assert table() == (BY_CODE, by_code, codes)
    run([CODE_KEY, REMOVE_ID], state, backwards=True)
    columns, keys, rows = table()
    assert (columns, keys) == (BY_ID, by_id)
    assert [row[1] for row in rows] == ["a", "b", "c"]


def key_refusal(count, what, change="making field 'code' (code) the primary key"):
    return (
        f"Refusing to make (code) the primary key of table {TICKET} ({change}): "
        f"{count} {what}. Nothing was changed. Fix or delete those rows in a "
        f"data migration first, or keep the current primary key."
    )


@pytest.mark.parametrize(
    "rows, message",
    [
        (
            [(4, "a"), (5, "a")],
            key_refusal("3 rows hold", "a value another row holds too"),
        ),
        # A NULL stops the NOT NULL step that comes with the key.
        (
            [(4, None)],
            f"Refusing to make column {TICKET}.code NOT NULL (varchar(8) NULL -> "
            f"varchar(8) NOT NULL): 1 row holds NULL and the field has no "
            f"default. Nothing was changed. Give the field a default, fill or "
            f"delete those rows in a data migration first, or keep the column "
            f"nullable.",
        ),
    ],
)
def test_values_that_cannot_be_a_key_refuse_the_move_first(tickets, rows, message):
    _, state = tickets
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO `{TICKET}` (`id`, `code`) VALUES (%s, %s)", rows
        )
    states = run([REMOVE_ID], state)
    before = table()
    with CaptureQueriesContext(connection) as captured:
        with pytest.raises(DataError) as error:
            run([CODE_KEY], states[-1])
    assert str(error.value) == message
    assert all(q["sql"].startswith("SELECT") for q in captured.captured_queries)
    assert table() == before


def test_an_added_key_field_with_one_default_for_every_row_is_refused(tickets):
    _, state = tickets
    states = run([REMOVE_ID], state)
    before = table()
    add = migrations.AddField(
        "Ticket", "serial", models.IntegerField(primary_key=True, default=0)
    )
    with pytest.raises(DataError) as error:
        run([add], states[-1])
    assert str(error.value) == (
        f"Refusing to make (serial) the primary key of table {TICKET} (adding "
        f"primary key field 'serial' (serial)): 3 rows hold a value another row "
        f"holds too. Nothing was changed. Fix or delete those rows in a data "
        f"migration first, or keep the current primary key."
    )
    assert table() == before


def test_an_added_auto_field_key_numbers_the_rows(tickets):
    _, state = tickets
    states = run([REMOVE_ID], state)
    add = migrations.AddField("Ticket", "number", models.BigAutoField(primary_key=True))
    states = run([add], states[-1])
    columns, keys, rows = table()
    assert columns == [("code", "varchar(8)"), ("number", "bigint(20)")]
    assert keys == [
        "PRIMARY KEY (`number`)",
        "SHARD KEY `__SHARDKEY` (`number`)",
        SORT_KEY,
    ]
    assert sorted(row[1] for row in rows) == [1, 2, 3]
    Ticket = states[-1].apps.get_model(APP, "Ticket")
    assert Ticket.objects.create(code="d").number > 3


STEPS = {
    "create": (f"^CREATE TABLE `{NEW}`", f"creating {NEW}"),
    "rename old": (
        f"^ALTER TABLE `{TICKET}` RENAME TO `{OLD}`",
        f"renaming {TICKET} to {OLD}",
    ),
    "copy": (f"^INSERT INTO `{NEW}`", "copying the rows"),
    "count": (f"^SELECT COUNT\\(\\*\\) FROM `{NEW}`$", "counting the rows"),
    "swap": (
        f"^ALTER TABLE `{NEW}` RENAME TO `{TICKET}`",
        f"renaming {NEW} to {TICKET}",
    ),
}


@pytest.mark.parametrize("kind", ["error", "disconnect"])
@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize("direction", ["forwards", "backwards"])
def test_a_fault_at_each_step_of_a_key_move_leaves_the_table_as_it_was(
    tickets,
    faults,  # noqa: F811
    direction,
    step,
    kind,  # noqa: F811
):
    storage, state = tickets
    _, keyless, by_code = KEY_LINES[storage]
    codes = [(code,) for _, code in TICKETS]
    states = run([REMOVE_ID], state)
    backwards = direction == "backwards"
    if backwards:
        run([CODE_KEY], states[-1])
    before = table()
    pattern, text = STEPS[step]
    arm(faults, kind, pattern)
    with pytest.raises(Error) as error:
        run([CODE_KEY], states[-1], backwards=backwards)
    assert str(error.value) == (
        f"Rebuilding table {TICKET} failed while {text}: {FAULT_TEXT[kind]}. The "
        f"rebuild was undone and the table is unchanged; fix the cause and run "
        f"migrate again."
    )
    assert faults.show() == []
    assert table() == before
    # Running it again finishes the move.
    run([CODE_KEY], states[-1], backwards=backwards)
    assert table() == (BY_CODE, keyless if backwards else by_code, codes)
