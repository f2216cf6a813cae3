"""loaddata for SingleStore: the auto-increment counters catch up afterwards.

A fixture row carries its primary key, and on a sharded table "the
auto_increment counter completely ignores the inserts" of explicit values
(SingleStore's AGGREGATOR SYNC AUTO_INCREMENT page). The next ``create()``
could then be handed an id a loaded row already holds: a duplicate-key error
where the id is the primary key, a second row with the same id where the
table is sharded by another column and declares no primary key.

After loading, the command runs ``AGGREGATOR SYNC AUTO_INCREMENT ON db.table
ALL`` for every loaded model whose sharded table has an AUTO_INCREMENT column.
The statement commits implicitly, so it waits for the fixture's transaction
to commit (``transaction.on_commit``): at once for ``manage.py loaddata``,
never for a fixture a test loads inside its own transaction, whose rows are
rolled back anyway.
"""

from functools import partial

from django.core.management.commands import loaddata
from django.db import transaction

from ... import tables


def counter_sync_sql(connection, models):
    """The AGGREGATOR SYNC statements ``models`` need after explicit ids."""
    quote = connection.ops.quote_name
    database = quote(connection.settings_dict["NAME"])
    # A multi-table child's row carries its parents' ids too.
    written = {
        concrete
        for model in models
        for concrete in (
            model._meta.concrete_model,
            *model._meta.concrete_model._meta.get_parent_list(),
        )
    }
    return [
        f"AGGREGATOR SYNC AUTO_INCREMENT ON {database}.{quote(table)} ALL"
        for table in sorted(
            model._meta.db_table
            for model in written
            if _generates_values(connection, model)
            and tables.plan_for(model).sharded
        )
    ]


def _generates_values(connection, model):
    return any(
        "AUTO_INCREMENT" in (field.db_type(connection) or "").upper()
        for field in model._meta.local_concrete_fields
    )


def _run(connection, statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class Command(loaddata.Command):
    def reset_sequences(self, connection, models):
        super().reset_sequences(connection, models)
        if connection.vendor != "singlestore":
            return
        statements = counter_sync_sql(connection, models)
        if statements:
            transaction.on_commit(
                partial(_run, connection, statements), using=connection.alias
            )
