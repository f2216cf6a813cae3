"""A migration operation that gives an existing table the layout SINGLESTORE
plans for it.

SingleStore cannot change a table's storage type, shard key or sort key in
place, and ``migrate`` sees no model change when only ``SINGLESTORE`` changed
(checks ``singlestore.W006`` to ``W008`` report the difference). A migration
holding ``ApplyLayout("Model")`` carries the change to every database the
project migrates: it rebuilds the table (django_singlestore.rebuild) when
the live table differs from the plan, and does nothing when it already
matches (a database created after the settings changed).

    from django.db import migrations
    from django_singlestore.layout import ApplyLayout

    class Migration(migrations.Migration):
        dependencies = [("shop", "0007_previous")]
        operations = [ApplyLayout("Order")]
"""

from django.db.migrations.operations.base import Operation

from . import rebuild, tables


class ApplyLayout(Operation):
    """Rebuild ``model_name``'s table when its layout differs from the plan."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name):
        self.model_name = model_name

    def deconstruct(self):
        return self.__class__.__name__, [self.model_name], {}

    def state_forwards(self, app_label, state):
        # The layout lives in SINGLESTORE, not in the migration state.
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        connection = schema_editor.connection
        if connection.vendor != "singlestore" or not self.allow_migrate_model(
            connection.alias, model
        ):
            return
        if schema_editor.collect_sql or differs(connection, model):
            rebuild.Rebuild(schema_editor, rebuild.altered_model(model), {}).run()

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        # The previous layout was never recorded: the table keeps the one the
        # settings plan (change them back and migrate to return to it).
        pass

    def describe(self):
        return f"Apply the SINGLESTORE layout to the table of {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"apply_layout_{self.model_name.lower()}"


def differs(connection, model):
    """Whether ``model``'s live table has another storage type, shard key or
    sort key than its plan."""
    from .checks import compare_live

    plan = tables.plan_for(model)
    with connection.cursor() as cursor:
        live = connection.introspection.get_table_storage(cursor, plan.db_table)
    return bool(compare_live(model, connection.alias, plan, live))
