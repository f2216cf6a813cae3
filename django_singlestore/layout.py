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
from django.db.migrations.autodetector import (
    MigrationAutodetector,
    OperationDependency,
)
from django.db.migrations.operations.base import Operation, OperationCategory

from . import rebuild, tables
from .conf import get_settings, parse_storage

LAYOUT_KEYS = frozenset({"STORAGE", "SHARD_KEY", "SORT_KEY"})


class ApplyLayout(Operation):
    """Rebuild ``model_name``'s table when its layout differs from the plan.

    ``previous`` is the layout to return to when the migration is unapplied:
    a dict with ``"STORAGE"`` (a storage type), ``"SHARD_KEY"`` and
    ``"SORT_KEY"`` (field names as in SINGLESTORE, ``"-name"`` for a
    descending sort column; None or absent for the default). Without it,
    unapplying leaves the table as it is. ``layout``, in the same shape, is
    the layout to apply (default: the one SINGLESTORE gives the model); it
    also records the layout for ``makemigrations`` (see LayoutAutodetector).
    """

    # sqlmigrate prints the rebuild's statements (Django prints "THIS
    # OPERATION CANNOT BE WRITTEN AS SQL" otherwise).
    reduces_to_sql = True
    reversible = True
    category = OperationCategory.ALTERATION

    def __init__(self, model_name, previous=None, layout=None):
        self.model_name = model_name
        self.previous = previous
        self.layout = layout
        for name, value in (("previous", previous), ("layout", layout)):
            if value is None:
                continue
            unknown = sorted(set(value) - LAYOUT_KEYS)
            if unknown:
                raise ImproperlyConfigured(
                    f"ApplyLayout({model_name!r}) has unknown {name} layout "
                    f"key(s) {', '.join(map(repr, unknown))}; allowed: "
                    f"{', '.join(map(repr, sorted(LAYOUT_KEYS)))}."
                )
            if value.get("STORAGE") is not None:
                parse_storage(value["STORAGE"], f"ApplyLayout's {name}['STORAGE']")

    def deconstruct(self):
        kwargs = {
            name: value
            for name, value in (("previous", self.previous), ("layout", self.layout))
            if value is not None
        }
        return self.__class__.__name__, [self.model_name], kwargs

    def state_forwards(self, app_label, state):
        # The layout lives in SINGLESTORE, not in the migration state.
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        settings = get_settings()
        if self.layout is not None:
            model = to_state.apps.get_model(app_label, self.model_name)
            settings = with_layout(settings, model, self.layout)
        self._apply(app_label, schema_editor, to_state, settings)

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
        if schema_editor.collect_sql:
            # sqlmigrate sees no table. The operation makemigrations writes
            # after a CreateModel (a layout, no previous one) finds the table
            # CREATE TABLE made from SINGLESTORE, and rebuilds it only when the
            # recorded layout plans another one.
            if self.previous is not None or self.layout is None:
                rebuilds = True
            else:
                rebuilds = plan != tables.plan_for(model)
        else:
            rebuilds = differs(connection, model, plan)
        if rebuilds:
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
        storage = parse_storage(storage, "ApplyLayout's layout['STORAGE']")
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


def configured_layout(model, settings):
    """The layout ``settings`` give ``model``, in ApplyLayout's shape."""
    shard_key, sort_key = settings.shard_key_for(model), settings.sort_key_for(model)
    return {
        "STORAGE": settings.storage_for(model),
        "SHARD_KEY": list(shard_key) if shard_key is not None else None,
        "SORT_KEY": (
            [("-" if descending else "") + name for name, descending in sort_key]
            if sort_key is not None
            else None
        ),
    }


def _comparable(layout):
    storage = layout.get("STORAGE")
    return (
        parse_storage(storage, "a layout's STORAGE") if storage is not None else None,
        *(
            tuple(layout[key]) if layout.get(key) is not None else None
            for key in ("SHARD_KEY", "SORT_KEY")
        ),
    )


def recorded_layouts(graph):
    """{(app label, model name in lower case): layout} from the last
    ApplyLayout with a ``layout`` of each model in the history of its app."""
    found = {}
    for leaf in graph.leaf_nodes():
        for key in graph.forwards_plan(leaf):
            if key[0] != leaf[0]:
                continue
            for operation in graph.nodes[key].operations:
                if isinstance(operation, ApplyLayout) and operation.layout is not None:
                    found[key[0], operation.model_name.lower()] = operation.layout
    return found


class LayoutAutodetector(MigrationAutodetector):
    """Django's autodetector, which also writes ``ApplyLayout(model,
    previous=..., layout=...)`` when SINGLESTORE gives a model another layout
    than the last ApplyLayout of its app recorded, and ``ApplyLayout(model,
    layout=...)`` after the CreateModel of a new model that SINGLESTORE gives
    a layout, which starts its record. A model whose migrations record no
    layout is not followed: its tables' layout may be anything (checks W006
    to W008 compare it with the database)."""

    def _detect_changes(self, convert_apps=None, graph=None):
        self._graph = graph
        return super()._detect_changes(convert_apps, graph)

    def generate_altered_db_table(self):
        # Django's last step; the layouts come after every model change.
        super().generate_altered_db_table()
        settings = get_settings()
        self._record_new_layouts(settings)
        if self._graph is None:
            return
        for (app_label, model_name), previous in sorted(
            recorded_layouts(self._graph).items()
        ):
            if (app_label, model_name) not in self.to_state.models:
                continue
            model = self.to_state.apps.get_model(app_label, model_name)
            current = configured_layout(model, settings)
            if _comparable(current) != _comparable(previous):
                name = self.to_state.models[app_label, model_name].name
                self.add_operation(
                    app_label,
                    ApplyLayout(name, previous=previous, layout=current),
                )

    def _record_new_layouts(self, settings):
        """Write ``ApplyLayout(model, layout=...)`` after the CreateModel of each
        new model that SINGLESTORE gives a storage type, shard key or sort key,
        so that its later layout changes are followed."""
        for app_label, model_name in sorted(self.new_model_keys - self.old_model_keys):
            model = self.to_state.apps.get_model(app_label, model_name)
            if not has_layout_entry(model, settings):
                continue
            created = OperationDependency(
                app_label, model_name, None, OperationDependency.Type.CREATE
            )
            self.add_operation(
                app_label,
                ApplyLayout(
                    self.to_state.models[app_label, model_name].name,
                    layout=configured_layout(model, settings),
                ),
                dependencies=[created],
            )


def has_layout_entry(model, settings):
    """Whether SINGLESTORE (or an upstream environment variable) names a
    storage type for ``model`` or its app, or a shard or sort key for it."""
    opts = model._meta
    return bool(
        {opts.label_lower, opts.app_label} & set(settings.storage)
        or opts.app_label.upper() in settings.env_storage
        or settings.shard_key_for(model) is not None
        or settings.sort_key_for(model) is not None
    )
