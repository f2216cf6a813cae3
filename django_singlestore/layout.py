"""A migration operation that gives an existing table the layout SINGLESTORE
plans for it.

SingleStore cannot change a table's storage type, shard key or sort key in
place, and ``migrate`` sees no model change when only ``SINGLESTORE`` changed
(checks ``singlestore.W006`` to ``W008`` report the difference). A migration
holding ``ApplyLayout("Model")`` carries the change to every database the
project migrates: it rebuilds the table (django_singlestore.rebuild) when
the live table differs from the plan, and does nothing when it already
matches (a database created after the settings changed). With
``previous=`` (the layout before the change), unapplying the migration
rebuilds the table with that layout.

    from django.db import migrations
    from django_singlestore.layout import ApplyLayout

    class Migration(migrations.Migration):
        dependencies = [("shop", "0007_previous")]
        operations = [ApplyLayout("Order")]
"""

import dataclasses
from types import MappingProxyType

from django.core.exceptions import ImproperlyConfigured
from django.db.migrations.operations.base import Operation

from . import rebuild, tables
from .conf import get_settings, parse_storage

LAYOUT_KEYS = frozenset({"STORAGE", "SHARD_KEY", "SORT_KEY"})
PREVIOUS_STORAGE = "ApplyLayout's previous['STORAGE']"


class ApplyLayout(Operation):
    """Rebuild ``model_name``'s table when its layout differs from the plan.

    ``previous`` is the layout to return to when the migration is unapplied:
    a dict with ``"STORAGE"`` (a storage type), ``"SHARD_KEY"`` and
    ``"SORT_KEY"`` (field names as in SINGLESTORE, ``"-name"`` for a
    descending sort column; None or absent for the default). Without it,
    unapplying leaves the table as it is.
    """

    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name, previous=None):
        self.model_name = model_name
        self.previous = previous
        if previous is not None:
            unknown = sorted(set(previous) - LAYOUT_KEYS)
            if unknown:
                raise ImproperlyConfigured(
                    f"ApplyLayout({model_name!r}) has unknown previous layout "
                    f"key(s) {', '.join(map(repr, unknown))}; allowed: "
                    f"{', '.join(map(repr, sorted(LAYOUT_KEYS)))}."
                )
            if previous.get("STORAGE") is not None:
                parse_storage(previous["STORAGE"], PREVIOUS_STORAGE)

    def deconstruct(self):
        kwargs = {"previous": self.previous} if self.previous is not None else {}
        return self.__class__.__name__, [self.model_name], kwargs

    def state_forwards(self, app_label, state):
        # The layout lives in SINGLESTORE, not in the migration state.
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._apply(app_label, schema_editor, to_state, get_settings())

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self.previous is not None:
            model = to_state.apps.get_model(app_label, self.model_name)
            settings = with_layout(get_settings(), model, self.previous)
            self._apply(app_label, schema_editor, to_state, settings)

    def _apply(self, app_label, schema_editor, state, settings):
        model = state.apps.get_model(app_label, self.model_name)
        connection = schema_editor.connection
        if connection.vendor != "singlestore" or not self.allow_migrate_model(
            connection.alias, model
        ):
            return
        plan = tables.plan_for(model, settings)
        if schema_editor.collect_sql or differs(connection, model, plan):
            new_model = rebuild.altered_model(model)
            rebuild.Rebuild(schema_editor, new_model, {}, plan=plan).run()

    def describe(self):
        return f"Apply the SINGLESTORE layout to the table of {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"apply_layout_{self.model_name.lower()}"


def with_layout(settings, model, layout):
    """``settings`` with ``model``'s storage, shard key and sort key replaced
    by ``layout`` (see ApplyLayout's ``previous``)."""
    label = model._meta.label_lower

    def replaced(mapping, value):
        entries = {key: item for key, item in mapping.items() if key != label}
        if value is not None:
            entries[label] = value
        return MappingProxyType(entries)

    storage = layout.get("STORAGE")
    if storage is not None:
        storage = parse_storage(storage, PREVIOUS_STORAGE)
    sort_key = layout.get("SORT_KEY")
    if sort_key is not None:
        sort_key = tuple((name.lstrip("-"), name.startswith("-")) for name in sort_key)
    return dataclasses.replace(
        settings,
        storage=replaced(settings.storage, storage),
        shard_keys=replaced(settings.shard_keys, layout.get("SHARD_KEY")),
        sort_keys=replaced(settings.sort_keys, sort_key),
    )


def differs(connection, model, plan=None):
    """Whether ``model``'s live table has another storage type, shard key or
    sort key than ``plan`` (default: the one SINGLESTORE gives it)."""
    from .checks import compare_live

    plan = plan if plan is not None else tables.plan_for(model)
    with connection.cursor() as cursor:
        live = connection.introspection.get_table_storage(cursor, plan.db_table)
    return bool(compare_live(model, connection.alias, plan, live))
