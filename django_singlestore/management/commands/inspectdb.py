"""inspectdb for SingleStore: models that recreate each table, and its layout.

Django's command, with these differences on a SingleStore connection:

- a computed column becomes ``GeneratedField(expression=RawSQL(...),
  output_field=..., db_persist=True)`` over the expression SHOW CREATE TABLE
  prints;
- an AUTO_INCREMENT column outside the primary key (the ``id`` of the
  backend's many-to-many tables) becomes
  :class:`django_singlestore.fields.AutoIncrementField`, and the module
  imports ``django_singlestore.fields``;
- a plain (non-unique) key becomes ``db_index=True`` or a ``Meta.indexes``
  entry, so the recreated table has the same keys;
- a VECTOR column becomes :class:`django_singlestore.vector.VectorField`
  with its dimensions and element type, and a VECTOR INDEX a
  :class:`django_singlestore.vector.VectorIndex` in ``Meta.indexes`` with its
  index type, metric and options (the module then imports
  ``django_singlestore.vector``);
- each model's class ends with a comment block holding the ``SINGLESTORE``
  entries (STORAGE, SHARD_KEYS, SORT_KEYS, UNENFORCED_UNIQUE) that give its
  table the same layout, ready to paste; ``--app-label`` names the app the
  models go into (``app_label`` otherwise).

A table layout cannot be said in a model class: it lives in the settings.
"""

import re

from django.core.management.commands import inspectdb
from django.db import connections

FIELDS_MODULE = "django_singlestore.fields"
VECTOR_MODULE = "django_singlestore.vector"
VECTOR_TYPE_RE = re.compile(r"vector\((\d+)(?:,\s*(\w+))?\)")


class Source(str):
    """Python source that the model text holds as it is (repr() is itself)."""

    def __repr__(self):
        return str(self)


class Command(inspectdb.Command):
    help = (
        inspectdb.Command.help
        + " On SingleStore, each model also gets the SINGLESTORE settings entries "
        "of its table's layout, as a comment."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--app-label",
            default="app_label",
            help="The app label of the models in the SINGLESTORE entries "
            "(default: 'app_label', to be replaced).",
        )

    def handle_inspection(self, options):
        connection = connections[options["database"]]
        self.singlestore = connection if connection.vendor == "singlestore" else None
        self.app_label = options["app_label"]
        self._indexes = {}
        lines = list(super().handle_inspection(options))
        if self.singlestore:
            at = next(i for i, line in enumerate(lines) if line.endswith(" models"))
            for module in (VECTOR_MODULE, FIELDS_MODULE):
                if any(module + "." in line for line in lines):
                    lines.insert(at + 1, f"import {module}")
        yield from lines

    def get_field_type(self, connection, table_name, row):
        field_type, params, notes = super().get_field_type(connection, table_name, row)
        if connection.vendor != "singlestore":
            return field_type, params, notes
        if row.computed is not None:
            arguments = ", ".join(f"{key}={value!r}" for key, value in params.items())
            return (
                "GeneratedField",
                {
                    "expression": Source(
                        f"models.expressions.RawSQL({row.computed!r}, [])"
                    ),
                    "output_field": Source(f"models.{field_type}({arguments})"),
                    "db_persist": True,
                },
                notes,
            )
        if "auto_increment" in row.extra and not row.primary_key:
            return f"{FIELDS_MODULE}.AutoIncrementField", params, notes
        if row.data_type == "vector":
            dimensions, element_type = VECTOR_TYPE_RE.match(row.column_type).groups()
            params["dimensions"] = int(dimensions)
            if element_type and element_type.upper() != "F32":
                params["element_type"] = element_type.upper()
            return f"{VECTOR_MODULE}.VectorField", params, notes
        # The one primary-key field has its key already; a column of a
        # composite primary key needs its own.
        sole_primary_key = row.primary_key and not self.composite_key(table_name)
        if not sole_primary_key and (row.name,) in self.plain_indexes(table_name):
            params["db_index"] = True
        return field_type, params, notes

    def composite_key(self, table_name):
        with self.singlestore.cursor() as cursor:
            columns = self.singlestore.introspection.get_primary_key_columns(
                cursor, table_name
            )
        return len(columns) > 1

    def plain_indexes(self, table_name):
        """Column tuples of the table's non-unique keys, in key order (cached)."""
        if table_name not in self._indexes:
            introspection = self.singlestore.introspection
            with self.singlestore.cursor() as cursor:
                constraints = introspection.get_constraints(cursor, table_name)
            self._indexes[table_name] = [
                tuple(info["columns"])
                for info in constraints.values()
                if info["index"]
                and not info["unique"]
                and not info["primary_key"]
                and info["type"] != "vec"
            ]
        return self._indexes[table_name]

    def get_meta(self, table_name, constraints, column_to_field_name, *args):
        meta = super().get_meta(table_name, constraints, column_to_field_name, *args)
        is_view = args[0]
        if self.singlestore is None or is_view:
            return meta
        composite = [
            [column_to_field_name[column] for column in columns]
            for columns in self.plain_indexes(table_name)
            if len(columns) > 1
        ]
        indexes = [f"models.Index(fields={names!r})" for names in composite]
        indexes += [
            vector_index_source(name, info, column_to_field_name)
            for name, info in sorted(constraints.items())
            if info["type"] == "vec"
        ]
        if indexes:
            meta.append("        indexes = [{}]".format(", ".join(indexes)))
        return [
            *meta,
            *self.layout_lines(table_name, constraints, column_to_field_name),
        ]

    def layout_lines(self, table_name, constraints, column_to_field_name):
        """Comment lines with the SINGLESTORE entries of the table's layout.

        STORAGE always; SHARD_KEYS when the shard key is not the primary key
        the model declares (TablePlan's default); SORT_KEYS when there is a
        sort key; UNENFORCED_UNIQUE when a unique key is UNENFORCED.
        """
        introspection = self.singlestore.introspection
        with self.singlestore.cursor() as cursor:
            storage, shard_key, sort_key = introspection.get_table_storage(
                cursor, table_name
            )
            primary_key = introspection.get_primary_key_columns(cursor, table_name)
        label = f"{self.app_label}.{self.normalize_table_name(table_name)}"

        def name(column):
            return column_to_field_name.get(column, column)

        entries = {"STORAGE": {label: storage}}
        # Without a primary key the model gets Django's automatic id.
        model_key = list(primary_key) or ["id"]
        if shard_key is not None and list(shard_key) != model_key:
            entries["SHARD_KEYS"] = {label: [name(column) for column in shard_key]}
        if sort_key:
            entries["SORT_KEYS"] = {
                label: [
                    ("-" if desc else "") + name(column) for column, desc in sort_key
                ]
            }
        if any(not info.get("enforced", True) for info in constraints.values()):
            entries["UNENFORCED_UNIQUE"] = [label]
        missing = []
        if not primary_key:
            missing = [
                "    # No primary key and no AUTO_INCREMENT column: Django gives the",
                "    # model an id column, which the table does not have.",
            ]
        return [
            "",
            *missing,
            "    # SingleStore layout; put in settings.SINGLESTORE"
            + (
                " (app_label: this app's label):"
                if self.app_label == "app_label"
                else ":"
            ),
            *(f"    #     {key!r}: {value!r}," for key, value in entries.items()),
        ]


def vector_index_source(name, info, column_to_field_name):
    """``VectorIndex(...)`` source for a get_constraints() vector entry."""
    arguments = {
        "fields": [column_to_field_name[column] for column in info["columns"]],
        "name": name,
    }
    if info["index_type"] != "AUTO":
        arguments["index_type"] = info["index_type"]
    if info["metric"]:
        arguments["metric"] = info["metric"]
    if info["options"]:
        arguments["options"] = info["options"]
    return "{}.VectorIndex({})".format(
        VECTOR_MODULE, ", ".join(f"{key}={value!r}" for key, value in arguments.items())
    )
