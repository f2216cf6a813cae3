"""DDL for SingleStore: MySQL's schema editor, with tables built from TablePlan.

- CREATE TABLE emits exactly :func:`django_singlestore.tables.plan_for`: the
  table kind, PRIMARY KEY, UNIQUE KEY [UNENFORCED RELY], SHARD KEY and SORT
  KEY, and every plain index inline (a columnstore table takes keys best at
  creation). A plan with an impossible unique set is refused before any SQL
  runs, with the system check's id and text.
- No FOREIGN KEY constraints (SingleStore never enforces them); foreign-key
  columns get a plain index.
- Auto-increment values on sharded tables are not limited to 32 bits, so
  AutoField and SmallAutoField columns, and every foreign-key column that
  points at one, are BIGINT. DEFAULT_AUTO_FIELD can stay AutoField.
- Columnstore tables cannot change a column's type, make it NOT NULL or
  gain a unique key in place; the editor rebuilds the table
  (django_singlestore.rebuild). Values that would not fit the new column
  are refused first (django_singlestore.narrowing).
- A key column changing type takes the foreign-key columns that point at it
  along (Django does that only with FK constraints, which SingleStore lacks).
- ALTER TABLE has no ADD or DROP PRIMARY KEY, so an AddField, RemoveField or
  AlterField that changes which fields form the primary key rebuilds the
  table to what the new model state describes, a table without a primary key
  in between when the state has none (reference tables always need one).
  Rows that cannot be in the new key (NULL, or a value another row holds)
  refuse the change first.
- Columns are renamed with CHANGE, defaults are changed with MODIFY (there is
  no ALTER COLUMN ... SET/DROP DEFAULT), tables are renamed with
  ALTER TABLE ... RENAME TO.
"""

import copy
import re

from django.core import checks
from django.core.exceptions import FieldError
from django.db import NotSupportedError
from django.db.backends.base import schema as base_schema
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.mysql.schema import (
    DatabaseSchemaEditor as MySQLDatabaseSchemaEditor,
)
from django.db.models import BigAutoField
from django.db.models.fields import AutoFieldMixin

from . import narrowing, rebuild, tables
from .computed import unwrap
from .conf import get_settings

NARROW_INTEGER = re.compile(r"^(integer|int|smallint)\b", re.IGNORECASE)


def is_narrow_auto(field):
    """Whether ``field`` is, or points at, an AutoField or SmallAutoField."""
    while field.is_relation:
        try:
            field = field.target_field
        except FieldError:
            # A relation over several columns has no single target.
            return False
    return isinstance(field, AutoFieldMixin) and not isinstance(field, BigAutoField)


def widen(field, db_type):
    """The column type SingleStore gets for ``field`` (see module docstring)."""
    if db_type and is_narrow_auto(field):
        return NARROW_INTEGER.sub("bigint", db_type, count=1)
    return db_type


def declaring_model(field, model):
    """The model whose plan holds ``field``'s unique key: the one it was added
    to, or ``model`` for a field never attached to one (Django's own schema
    tests alter fields built on the fly)."""
    return getattr(field, "model", None) or model


class DatabaseSchemaEditor(MySQLDatabaseSchemaEditor):
    sql_rename_table = "ALTER TABLE %(old_table)s RENAME TO %(new_table)s"
    sql_rename_column = "ALTER TABLE %(table)s CHANGE %(old_column)s %(new_column)s"
    sql_create_column_inline_fk = None
    sql_create_unique = "ALTER TABLE %(table)s ADD UNIQUE KEY %(name)s (%(columns)s)"
    # DROP TABLE takes no CASCADE (D/db/v9.1/.../drop-table; tests/double/GRAMMAR.md).
    sql_delete_table = "DROP TABLE %(table)s"

    _plan_columns = False
    _comment_inline = False

    # Column types

    def _iter_column_sql(
        self, column_db_type, params, model, field, field_db_params, include_default
    ):
        for part in super()._iter_column_sql(
            widen(field, column_db_type),
            params,
            model,
            field,
            field_db_params,
            include_default,
        ):
            # Inside CREATE TABLE the plan declares the keys.
            if self._plan_columns and part in ("PRIMARY KEY", "UNIQUE"):
                continue
            yield part

    def _alter_field(
        self,
        model,
        old_field,
        new_field,
        old_type,
        new_type,
        old_db_params,
        new_db_params,
        strict=False,
    ):
        old_type, new_type = widen(old_field, old_type), widen(new_field, new_type)
        old_db_params = {**old_db_params, "type": old_type}
        new_db_params = {**new_db_params, "type": new_type}
        changes = [
            (model, old_field, new_field, old_type, new_type),
            *self._referencing_changes(old_field, new_field, old_type, new_type),
        ]
        # Every table involved is checked before any of them changes.
        for change in changes:
            self._refuse_misfits(*change)
        if old_field.primary_key and not new_field.primary_key:
            if not self._moves_primary_key(model, old_field, new_field):
                # A field of a composite key losing a stale flag: the key stays,
                # so there is no primary key or unique key to drop.
                old_field = copy.copy(old_field)
                old_field.primary_key = False
                old_field.__dict__.pop("unique", None)
        if self._moves_primary_key(model, old_field, new_field):
            value = self._converted_value(old_field, new_field, old_type, new_type)
            what = "the primary key" if new_field.primary_key else "a plain field"
            self._move_primary_key(
                model,
                f"making field {new_field.name!r} ({new_field.column}) {what}",
                {new_field.column: value},
                old_field=old_field,
                new_field=new_field,
            )
            return
        self._change_column(
            model, old_field, new_field, old_db_params, new_db_params, strict
        )
        for rel_model, old_fk, new_fk, _, _ in changes[1:]:
            old_params, new_params = self._db_params(old_fk), self._db_params(new_fk)
            self._change_column(rel_model, old_fk, new_fk, old_params, new_params)

    def _change_column(
        self, model, old_field, new_field, old_db_params, new_db_params, strict=False
    ):
        """Rebuild the table where SingleStore refuses the change in place;
        otherwise Django's ALTER TABLE statements."""
        old_type, new_type = old_db_params["type"], new_db_params["type"]
        if self._needs_rebuild(model, old_field, new_field, old_type, new_type):
            self._rebuild_table(model, old_field, new_field, old_type, new_type)
            return
        super()._alter_field(
            model,
            old_field,
            new_field,
            old_type,
            new_type,
            old_db_params,
            new_db_params,
            strict,
        )

    def _referencing_changes(self, old_field, new_field, old_type, new_type):
        """(model, old field, new field, old type, new type) of each foreign-key
        column that must take the new type of the key column it points at,
        and of the columns pointing at those in turn.

        Django changes them only alongside foreign-key constraints, which
        SingleStore does not have."""
        keyed = (old_field.primary_key and new_field.primary_key) or (
            old_field.unique and new_field.unique
        )
        if old_type == new_type or not keyed:
            return []
        old_rels, new_rels = (
            [
                rel
                for rel in base_schema._all_related_fields(field.model)
                if base_schema._is_relevant_relation(rel, field)
            ]
            # A field attached to no model has no relations to follow.
            if getattr(field, "model", None) is not None
            else []
            for field in (old_field, new_field)
        )
        if len(old_rels) != len(new_rels):
            columns = sorted(
                f"{rel.related_model._meta.db_table}.{rel.field.column}"
                for rel in old_rels
            )
            raise NotSupportedError(
                f"Cannot change column {old_field.model._meta.db_table}."
                f"{old_field.column} ({old_type} -> {new_type}): the column(s) "
                f"{', '.join(columns)} point at it, and the new model does not "
                f"say what they become. Change the field through a migration, "
                f"whose state holds the models that point at it."
            )
        changes = []
        for old_rel, new_rel in zip(old_rels, new_rels, strict=True):
            old_fk, new_fk = old_rel.field, new_rel.field
            fk_old_type = self._column_type(old_fk)
            fk_new_type = self._column_type(new_fk)
            # The new state of the model: a rebuild of its table plans it whole
            # (the model may point at itself).
            changes.append(
                (new_rel.related_model, old_fk, new_fk, fk_old_type, fk_new_type)
            )
            changes.extend(
                self._referencing_changes(old_fk, new_fk, fk_old_type, fk_new_type)
            )
        return changes

    # Computed columns (GeneratedField): "col AS expr PERSISTED type".

    def column_sql(self, model, field, include_default=False):
        if field.generated:
            return self._computed_column_sql(field)
        return super().column_sql(model, field, include_default)

    def _computed_column_sql(self, field):
        expression, params = field.generated_sql(self.connection)
        db_params = field.db_parameters(connection=self.connection)
        parts = ["AS", unwrap(expression), "PERSISTED", db_params["type"]]
        if db_params.get("collation"):
            parts.append(self._collate_sql(db_params["collation"]))
        if field.db_comment:
            parts.append(self._comment_sql(field.db_comment).strip())
        return " ".join(parts), list(params)

    def _refuse_misfits(self, model, old_field, new_field, old_type, new_type):
        """Raise DataError, before any DDL, when a row's value would not
        survive the change (see django_singlestore.narrowing)."""
        if self.collect_sql or old_field.column is None or new_field.column is None:
            return
        table = model._meta.db_table
        column = self.quote_name(old_field.column)
        if old_type != new_type:
            predicate = narrowing.misfit_predicate(
                column,
                old_type,
                new_type,
                old_field.cast_db_type(self.connection),
                new_field.cast_db_type(self.connection),
            )
            count = predicate and self._count_rows(table, predicate)
            if count:
                raise narrowing.refusal(
                    table, old_field.column, old_type, new_type, count
                )
        if old_field.null and not new_field.null:
            if self._null_fill(new_field)[0] is None:
                count = self._count_rows(table, f"{column} IS NULL")
                if count:
                    raise narrowing.refusal(
                        table, old_field.column, old_type, new_type, count, nulls=True
                    )

    def _count_rows(self, table, predicate, params=()):
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {self.quote_name(table)} WHERE {predicate}",
                list(params) or None,
            )
            return cursor.fetchone()[0]

    # Defaults: literals only, on every column type (SingleStore 8.1.12+).

    @property
    def _supports_limited_data_type_defaults(self):
        return True

    def _column_default_sql(self, field):
        return BaseDatabaseSchemaEditor._column_default_sql(self, field)

    def _modify_sql(self, field, default_sql=None, params=(), null=None):
        """MODIFY restates the whole column: type, collation, comment, default
        and nullability (whatever it leaves out is reset). ``null`` defaults
        to the field's."""
        parts = [self.quote_name(field.column), self._column_type(field)]
        collation = field.db_parameters(connection=self.connection).get("collation")
        if collation:
            parts.append(self._collate_sql(collation))
        if field.db_comment:
            parts.append(self._comment_sql(field.db_comment).strip())
        if default_sql is not None:
            parts.append("DEFAULT " + default_sql)
        parts.append("NULL" if (field.null if null is None else null) else "NOT NULL")
        return "MODIFY " + " ".join(parts), list(params)

    def _column_type(self, field):
        return self._db_params(field)["type"]

    def _db_params(self, field):
        """``field``'s db_parameters, with the type SingleStore gets."""
        params = field.db_parameters(connection=self.connection)
        return {**params, "type": widen(field, params["type"])}

    def _alter_column_default_sql(self, model, old_field, new_field, drop=False):
        # No ALTER COLUMN ... SET/DROP DEFAULT in SingleStore.
        if drop:
            return self._modify_sql(new_field)
        # Setting a default comes before any NOT NULL step: keep the column's
        # current nullability.
        default = self.effective_default(new_field)
        null = old_field.null if old_field is not None else None
        return self._modify_sql(new_field, "%s", [default], null)

    def _alter_column_database_default_sql(
        self, model, old_field, new_field, drop=False
    ):
        if drop:
            return self._modify_sql(new_field)
        default_sql, params = self.db_default_sql(new_field)
        null = old_field.null if old_field is not None else None
        return self._modify_sql(new_field, default_sql, params, null)

    def _alter_column_null_sql(self, model, old_field, new_field):
        if new_field.has_db_default():
            default_sql, params = self.db_default_sql(new_field)
            return self._modify_sql(new_field, default_sql, params)
        return self._modify_sql(new_field)

    # CREATE TABLE from the plan

    def create_model(self, model):
        # table_sql declares the table comment inside CREATE TABLE; the ALTER
        # TABLE ... COMMENT Django sends after it is refused on columnstore.
        self._comment_inline = True
        try:
            super().create_model(model)
        finally:
            self._comment_inline = False

    def alter_db_table_comment(self, model, old_db_table_comment, new_db_table_comment):
        if not self._comment_inline:
            super().alter_db_table_comment(
                model, old_db_table_comment, new_db_table_comment
            )

    def table_sql(self, model, name=None, plan=None):
        """CREATE TABLE for ``model``, named ``name`` (default: its db_table),
        following ``plan`` (default: the one SINGLESTORE gives it)."""
        plan = plan if plan is not None else tables.plan_for(model)
        self._refuse_impossible(model, plan)
        quote = self.quote_name
        definitions, params = [], []
        self._plan_columns = True
        try:
            for field in model._meta.local_fields:
                definition, extra_params = self.column_sql(model, field)
                if definition is None:
                    continue
                suffix = field.db_type_suffix(connection=self.connection)
                if suffix:
                    definition += " " + suffix
                definitions.append(f"{quote(field.column)} {definition}")
                params.extend(extra_params)
        finally:
            self._plan_columns = False
        definitions.extend(self._plan_keys(model, plan))
        definitions.extend(self._inline_indexes(model, plan))
        if plan.shard_key is not None:
            definitions.append(f"SHARD KEY ({self._column_list(plan.shard_key)})")
        if plan.sort_key is not None:
            definitions.append(
                "SORT KEY ({})".format(
                    ", ".join(
                        quote(column) + (" DESC" if descending else "")
                        for column, descending in plan.sort_key
                    )
                )
            )
        sql = self.sql_create_table % {
            "table": quote(name or model._meta.db_table),
            "definition": ", ".join(definitions),
        }
        # CREATE [ROWSTORE] [REFERENCE] TABLE, as the plan says.
        sql = sql.replace("TABLE", plan.create_table_keyword(), 1)
        if model._meta.db_table_comment:
            sql += f" COMMENT = {self.quote_value(model._meta.db_table_comment)}"
        return sql, params

    def _planned_unique(self, declaring_model, columns):
        """The plan's UniqueKey on ``columns`` of ``declaring_model``, or None.

        A unique set the plan calls impossible is refused here, before any
        SQL runs. ``declaring_model`` is the model state that declares the
        set (a migration passes the old model to the editor, the new one on
        the field).
        """
        plan = tables.plan_for(declaring_model)
        for key in plan.uniques:
            if frozenset(key.columns) == frozenset(columns):
                if key.enforcement == tables.IMPOSSIBLE:
                    self._refuse_impossible(declaring_model, plan)
                return key
        return None

    def _create_unique_sql(self, model, fields, *args, **kwargs):
        """ALTER TABLE ... ADD UNIQUE KEY, following the plan's fate of the set."""
        statement = super()._create_unique_sql(model, fields, *args, **kwargs)
        if statement is None or not fields:
            return statement
        key = self._planned_unique(
            declaring_model(fields[0], model), [field.column for field in fields]
        )
        if key is not None and key.enforcement == tables.UNENFORCED:
            statement.template += " UNENFORCED RELY"
        return statement

    # Primary-key moves: ALTER TABLE neither adds nor drops a primary key on
    # SingleStore, so each one rebuilds the table.

    @staticmethod
    def _moves_primary_key(model, old_field, new_field):
        """Whether the change makes ``new_field`` the primary key, or makes a
        field flagged ``primary_key`` a plain field (except a field of a
        composite key, which stays the key)."""
        if new_field.primary_key:
            return not old_field.primary_key
        opts = model._meta
        return old_field.primary_key and not (
            opts.is_composite_pk and old_field in opts.pk_fields
        )

    def _move_primary_key(self, model, change, sources, **altered):
        """Rebuild ``model``'s table with the primary key ``altered`` gives it
        (see rebuild.altered_model), refusing first when a row cannot be in
        the new key or the table cannot be without one."""
        live = None
        if not self.collect_sql:
            with self.connection.cursor() as cursor:
                description = self.connection.introspection.get_table_description(
                    cursor, model._meta.db_table
                )
            live = {column.name for column in description}
        new_model = rebuild.altered_model(model, live=live, **altered)
        try:
            plan = tables.plan_for(new_model)
        except tables.PlanError as error:
            if error.problem != tables.REFERENCE_KEY_PROBLEM:
                raise
            storage = get_settings().storage_for(new_model)
            raise NotSupportedError(
                f"SingleStore cannot drop the primary key of table "
                f"{model._meta.db_table} ({change}): it is a {storage} table, and "
                f"a reference table must have a primary key. Nothing was "
                f"changed. Make the new primary key first (put the AlterField "
                f"or AddField with primary_key=True before the RemoveField of "
                f"the old key), or store {model._meta.label} as COLUMNSTORE or "
                f"ROWSTORE while its primary key changes."
            ) from error
        self._refuse_key_misfits(model._meta.db_table, new_model, sources, change)
        rebuild.Rebuild(self, new_model, sources, plan=plan).run()

    def _refuse_key_misfits(self, table, new_model, sources, change):
        """DataError, before any DDL, when rows of ``table`` would hold NULL or
        a value another row holds in ``new_model``'s primary key; ``sources``
        as for rebuild.Rebuild."""
        columns = tables.primary_key_columns(new_model)
        values = [
            sources.get(column, (self.quote_name(column), [])) for column in columns
        ]
        if self.collect_sql or not columns or None in values:
            # No key, or one the table numbers itself.
            return
        nulls = " OR ".join(f"({sql}) IS NULL" for sql, _ in values)
        params = [param for _, extra in values for param in extra]
        count = self._count_rows(table, nulls, params)
        if count:
            raise narrowing.key_refusal(table, columns, change, count, nulls=True)
        # An added column's default is one value for every row (and a bare
        # number in GROUP BY would name a column): group by the others.
        grouped = [value for value in values if value[0] not in ("%s", "NULL")]
        count = self._duplicate_rows(table, grouped)
        if count:
            raise narrowing.key_refusal(table, columns, change, count)

    def _duplicate_rows(self, table, expressions):
        """How many rows of ``table`` share the values of ``expressions``
        ((sql, params) pairs) with another row."""
        group = ", ".join(sql for sql, _ in expressions)
        params = [param for _, extra in expressions for param in extra]
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n FROM "
                f"{self.quote_name(table)}{' GROUP BY ' + group if group else ''} "
                f"HAVING COUNT(*) > 1) AS shared",
                params or None,
            )
            return int(cursor.fetchone()[0])

    def remove_field(self, model, field):
        # A field still flagged primary_key that the key has moved away from
        # (a migration that made the new key first) is rebuilt away too: the
        # table may index it.
        if field.primary_key or field is model._meta.pk:
            self._move_primary_key(
                model,
                f"removing primary key field {field.name!r} ({field.column})",
                {},
                removed=field,
            )
            return
        super().remove_field(model, field)

    def add_field(self, model, field):
        if field.primary_key:
            value = None
            if field.column is not None and not isinstance(field, AutoFieldMixin):
                value = self._added_value(field)
            self._move_primary_key(
                model,
                f"adding primary key field {field.name!r} ({field.column})",
                {} if field.column is None else {field.column: value},
                new_field=field,
            )
            return
        key = None
        if field.unique and not field.primary_key:
            key = self._planned_unique(declaring_model(field, model), [field.column])
            columnstore = tables.plan_for(model).columnstore
            if key is None and columnstore:
                # A field attached to no model: plan the table with it.
                new_model = rebuild.altered_model(model, new_field=field)
                key = self._planned_unique(new_model, [field.column])
            if columnstore and key is not None and key.enforcement == tables.ENFORCED:
                # SingleStore adds no unique key to a columnstore table in place.
                return self._rebuild_with_field(model, field)
        if key is None or key.enforcement != tables.UNENFORCED:
            return super().add_field(model, field)
        # An inline UNIQUE would be enforced: add the column without it, then
        # the UNENFORCED RELY key.
        self._plan_columns = True
        try:
            super().add_field(model, field)
        finally:
            self._plan_columns = False
        self.execute(self._create_unique_sql(declaring_model(field, model), [field]))

    def _rebuild_with_field(self, model, field):
        """Add ``field`` by rebuilding the table; existing rows get its default."""
        new_model = rebuild.altered_model(model, new_field=field)
        rebuild.Rebuild(self, new_model, {field.column: self._added_value(field)}).run()

    def _added_value(self, field):
        """(sql, params): what existing rows hold in an added ``field``."""
        if field.has_db_default():
            return self.db_default_sql(field)
        default = self.effective_default(field)
        return ("%s", [default]) if default is not None else ("NULL", [])

    # A migration passes the model of its new state, which already declares
    # the added set: the table's current keys are those of the model without it.

    def add_constraint(self, model, constraint):
        constraints = [
            existing
            for existing in model._meta.constraints
            if existing.name != constraint.name
        ]
        old_model = rebuild.altered_model(model, constraints=constraints)
        new_model = rebuild.altered_model(model, constraints=[*constraints, constraint])
        if not self._rebuild_for_uniques(old_model, new_model):
            super().add_constraint(model, constraint)

    def alter_unique_together(self, model, old_unique_together, new_unique_together):
        old_model, new_model = (
            rebuild.altered_model(
                model, unique_together=[tuple(names) for names in together]
            )
            for together in (old_unique_together, new_unique_together)
        )
        if not self._rebuild_for_uniques(old_model, new_model):
            super().alter_unique_together(
                model, old_unique_together, new_unique_together
            )

    def _rebuild_for_uniques(self, old_model, new_model):
        """Rebuild the table when ``new_model`` adds an enforced unique key to a
        columnstore table, which SingleStore refuses in place; return whether
        it did. An impossible key is refused here, before any SQL."""
        plan, new_plan = tables.plan_for(old_model), tables.plan_for(new_model)
        added = {frozenset(key.columns) for key in new_plan.uniques} - {
            frozenset(key.columns) for key in plan.uniques
        }
        keys = [key for key in new_plan.uniques if frozenset(key.columns) in added]
        if any(key.enforcement == tables.IMPOSSIBLE for key in keys):
            self._refuse_impossible(new_model, new_plan)
        if not plan.columnstore or all(
            key.enforcement != tables.ENFORCED for key in keys
        ):
            return False
        rebuild.Rebuild(self, new_model, {}).run()
        return True

    def _delete_composed_index(self, model, fields, constraint_kwargs, sql):
        # A unique set on the primary key's columns was never created (the
        # plan lists it as covered), so there is nothing to drop.
        columns = {model._meta.get_field(name).column for name in fields}
        if constraint_kwargs.get("unique") and columns == set(
            tables.plan_for(model).primary_key
        ):
            return
        super()._delete_composed_index(model, fields, constraint_kwargs, sql)

    def _column_list(self, columns):
        return ", ".join(self.quote_name(column) for column in columns)

    def _refuse_impossible(self, model, plan):
        if all(key.enforcement != tables.IMPOSSIBLE for key in plan.uniques):
            return
        from .checks import layout_fix_messages, singlestore_models

        # The fix covers every model that would be refused next, not only this
        # one (``model`` may be a migration's historical model).
        others = [
            other
            for other in singlestore_models(aliases=[self.connection.alias])
            if other._meta.label_lower != model._meta.label_lower
        ]
        issues = [issue for issue in checks_for(model) if issue.level >= checks.ERROR]
        errors = [
            f"{issue.id}: {issue.msg} {issue.hint}"
            for issue in issues + layout_fix_messages([model, *others])
        ]
        raise NotSupportedError(
            f"SingleStore cannot hold the unique keys of the table "
            f"{model._meta.db_table}. {' '.join(errors)}"
        )

    def _plan_keys(self, model, plan):
        table = model._meta.db_table
        if plan.primary_key:
            yield f"PRIMARY KEY ({self._column_list(plan.primary_key)})"
        for column in plan.demoted_columns:
            name = self._create_index_name(table, [column], suffix="_key")
            yield f"KEY {self.quote_name(name)} ({self.quote_name(column)})"
        for key in plan.uniques:
            name = key.name or self._create_index_name(
                table, list(key.columns), suffix="_uniq"
            )
            sql = (
                f"UNIQUE KEY {self.quote_name(name)} ({self._column_list(key.columns)})"
            )
            if key.enforcement == tables.UNENFORCED:
                sql += " UNENFORCED RELY"
            yield sql

    def _inlinable(self, index):
        return not (
            index.contains_expressions
            or index.condition is not None
            or index.include
            or index.opclasses
        )

    def _inline_indexes(self, model, plan):
        """KEY clauses for db_index/foreign-key columns and Meta.indexes."""
        table = model._meta.db_table
        declared = {frozenset(plan.primary_key)} | {
            frozenset(key.columns) for key in (*plan.uniques, *plan.covered)
        }
        declared |= {frozenset([column]) for column in plan.demoted_columns}
        for field in model._meta.local_fields:
            if not self._field_should_be_indexed(model, field):
                continue
            if frozenset([field.column]) in declared:
                continue
            declared.add(frozenset([field.column]))
            name = self._create_index_name(table, [field.column])
            yield f"KEY {self.quote_name(name)} ({self.quote_name(field.column)})"
        for index in model._meta.indexes:
            if not self._inlinable(index):
                continue
            if hasattr(index, "definition_sql"):
                # An index with its own clause (VECTOR INDEX ...).
                yield index.definition_sql(model, self)
                continue
            columns = [
                model._meta.get_field(name).column for name, _ in index.fields_orders
            ]
            yield f"KEY {self.quote_name(index.name)} ({self._column_list(columns)})"

    def _model_indexes_sql(self, model):
        # Indexes CREATE TABLE could not hold inline (see _inline_indexes).
        return [
            index.create_sql(model, self)
            for index in model._meta.indexes
            if not self._inlinable(index)
        ]

    def _field_should_be_indexed(self, model, field):
        # Every foreign-key column gets an index: there is no FK constraint to
        # bring one along. TEXT/BLOB/JSON columns take no plain index.
        return BaseDatabaseSchemaEditor._field_should_be_indexed(
            self, model, field
        ) and not self._is_limited_data_type(field)

    # Columnstore table rebuild

    def _needs_rebuild(self, model, old_field, new_field, old_type, new_type):
        """Whether SingleStore refuses the change in place: a columnstore table
        takes no column type change, no NULL -> NOT NULL and no new unique
        key."""
        if old_field.column is None or new_field.column is None:
            return False
        if not tables.plan_for(model).columnstore:
            return False
        type_change = old_type != new_type
        null_to_not_null = old_field.null and not new_field.null
        new_unique = new_field.unique and not old_field.unique
        return type_change or null_to_not_null or new_unique

    def _null_fill(self, field):
        """What NULLs become when copied into ``field``: (sql, params).

        A NOT NULL column with a default gets that default, as in Django's
        NOT NULL steps; otherwise (None, []).
        """
        if field.null:
            return None, []
        if field.has_db_default():
            return self.db_default_sql(field)
        default = self.effective_default(field)
        return ("%s", [default]) if default is not None else (None, [])

    def _rebuild_table(self, model, old_field, new_field, old_type, new_type):
        """Change a columnstore column by rebuilding its table (see
        django_singlestore.rebuild); the new table follows the new plan."""
        new_model = rebuild.altered_model(model, old_field, new_field)
        value = self._converted_value(old_field, new_field, old_type, new_type)
        rebuild.Rebuild(self, new_model, {new_field.column: value}).run()

    def _converted_value(self, old_field, new_field, old_type, new_type):
        """(sql, params) that read ``old_field``'s column as ``new_field``'s."""
        value_sql, params = self.quote_name(old_field.column), []
        if old_type != new_type:
            value_sql = f"{value_sql} :> {new_field.cast_db_type(self.connection)}"
        if old_field.null and not new_field.null:
            default_sql, params = self._null_fill(new_field)
            if default_sql is not None:
                value_sql = f"COALESCE({value_sql}, {default_sql})"
        return value_sql, params


def checks_for(model):
    """The system check messages of ``model``'s table plan."""
    from .checks import check_model

    return check_model(model)
