"""UPDATEs that assign a shard-key column of a sharded table.

SingleStore refuses any UPDATE that SETs a shard-key column of a sharded table
(error 1706), whatever the value: the shard key picks the row's partition.
Django's ``save()`` restates every column, so a model sharded by a non-key
column could not be saved at all. :class:`ShardKeyUpdate` splits such an
UPDATE in two:

1. the *stay* statement: the other columns, for the rows whose shard-key value
   does not change (``AND sku <=> <new value>``, which also works for
   expressions such as ``F()`` and the ``Case``/``When`` of ``bulk_update``);
2. the *move*: the rows whose shard-key value does change are read (new values
   computed by the server from the old row), deleted and re-inserted with the
   new values inside one transaction, so the primary key value and every other
   column are kept.

The move is skipped when the stay statement already matched every row the
filter can reach (a filter on primary-key values whose uniqueness the table
guarantees), so ``save()`` of a row whose shard key keeps its value costs one
statement, as before. The returned row count is the number of rows matched by
both steps: a wrong 0 would make ``save()`` insert a second row with the same
id on a table that declares no PRIMARY KEY.
"""

import weakref

from django.core.exceptions import EmptyResultSet, FieldError, FullResultSet
from django.db import IntegrityError, NotSupportedError, transaction
from django.db.models import BooleanField, Func, Value
from django.db.models.fields import AutoFieldMixin
from django.db.models.lookups import Exact, In
from django.db.models.sql.constants import ROW_COUNT
from django.db.models.sql.query import Query
from django.db.models.sql.subqueries import DeleteQuery

from .conf import get_settings
from .tables import plan_for

__all__ = ["ShardKeyUpdate"]


class NullSafeEqual(Func):
    """``lhs <=> (rhs)``: true when both are equal or both are NULL."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection):
        (lhs, lhs_params), (rhs, rhs_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        return f"{lhs} <=> ({rhs})", [*lhs_params, *rhs_params]


def _resolve(compiler, field, value):
    """The new value of ``field`` as a resolved expression, as Django saves it."""
    query = compiler.query
    if hasattr(value, "resolve_expression"):
        value = value.resolve_expression(query, allow_joins=False, for_save=True)
        # Django's own words for what its SET clause refuses.
        if value.contains_aggregate:
            what = "Aggregate functions"
        elif value.contains_over_clause:
            what = "Window expressions"
        else:
            return value
        raise FieldError(
            f"{what} are not allowed in this query ({field.name}={value!r})."
        )
    if hasattr(value, "prepare_database_save") and field.remote_field:
        value = value.prepare_database_save(field)
    return Value(value, output_field=field).resolve_expression(query, for_save=True)


def _has_subquery(node):
    if isinstance(node, Query) or getattr(node, "subquery", False):
        return True
    parts = list(getattr(node, "children", ()))
    parts += [getattr(node, side, None) for side in ("lhs", "rhs")]
    if hasattr(node, "get_source_expressions"):
        parts += node.get_source_expressions()
    return any(part is not None and _has_subquery(part) for part in parts)


def _unique_pk(model, plan):
    """Whether the table holds at most one row per primary-key value."""
    pk_columns = tuple(field.column for field in model._meta.pk_fields)
    if isinstance(model._meta.pk, AutoFieldMixin) or plan.primary_key == pk_columns:
        return True
    return any(
        key.enforced and set(key.columns) == set(pk_columns) for key in plan.uniques
    )


def _pk_bound(where, pk):
    """The most rows a filter on primary-key values can match, else None."""
    if where.connector != "AND" or where.negated:
        return None
    bounds = []
    for child in where.children:
        target = getattr(getattr(child, "lhs", None), "target", None)
        rhs = getattr(child, "rhs", None)
        if target != pk or hasattr(rhs, "resolve_expression"):
            continue
        if isinstance(child, Exact):
            bounds.append(1)
        elif isinstance(child, In) and not isinstance(rhs, Query):
            bounds.append(len(set(rhs)))
    return min(bounds, default=None)


# model -> (what its plan was computed from, the plan); see plan_of().
_plans = weakref.WeakKeyDictionary()


def plan_of(model):
    """``plan_for(model)``, computed again only when its inputs changed.

    Every UPDATE (each ``save()``) asks for the plan of its model, and
    computing it costs about 15 µs. It is a function of the SINGLESTORE
    settings (a new object whenever they change, ``override_settings`` and
    the environment included) and of the model's fields, primary key and
    unique sets, so it is kept until one of those objects is replaced.
    """
    settings = get_settings()
    meta = model._meta
    basis = (
        settings,
        meta.local_concrete_fields,
        meta.pk,
        meta.unique_together,
        *meta.constraints,
    )
    known = _plans.get(model)
    if known is not None and len(known[0]) == len(basis):
        if all(old is new for old, new in zip(known[0], basis, strict=True)):
            return known[1]
    plan = plan_for(model, settings)
    _plans[model] = (basis, plan)
    return plan


class ShardKeyUpdate:
    """One UPDATE query that assigns shard-key columns; see the module."""

    @classmethod
    def of(cls, compiler):
        """Return a ShardKeyUpdate when the query SETs a shard-key column."""
        model = compiler.query.model._meta.concrete_model
        plan = plan_of(model)
        shard_key = set(plan.shard_key or ())
        if not any(field.column in shard_key for field, _, _ in compiler.query.values):
            return None
        return cls(compiler, model, plan, shard_key)

    def __init__(self, compiler, model, plan, shard_key):
        self.compiler = compiler
        self.model = model
        self.plan = plan
        self.table = model._meta.db_table
        self.values = values = compiler.query.values
        self.assigned = [
            (field, _resolve(compiler, field, value)) for field, _, value in values
        ]
        self.moving = [field for field, _ in self.assigned if field.column in shard_key]
        # Django's own SET clause keeps the other columns.
        compiler.query.values = [v for v in values if v[0].column not in shard_key]
        self.guards = [
            NullSafeEqual(field.get_col(self.table), value)
            for field, value in self.assigned
            if field.column in shard_key
        ]
        self.bound = None
        if _unique_pk(model, plan):
            self.bound = _pk_bound(compiler.query.where, model._meta.pk)
        self.where = None
        self.subquery = False
        self.restricted = False
        self.empty = False

    def restrict(self):
        """Called after Django's pre_sql_setup: keep the stay statement's rows."""
        compiler = self.compiler
        query = compiler.query
        self.restricted = True
        self.subquery = _has_subquery(query.where)
        try:
            self.where = compiler.compile(query.where)
        except FullResultSet:
            self.where = None
        except EmptyResultSet:
            self.empty = True
            raise
        if get_settings().skip_autocommit and self._read(lock=False):
            raise NotSupportedError(self._refusal())
        for guard in self.guards:
            query.where.add(guard, "AND")

    def execute(self, result_type, run_update):
        """Run the stay statement with ``run_update`` (Django's), then the move."""
        query = self.compiler.query
        # One atomic block unless the stay statement and the move cannot both
        # write: a single row, or a stay statement that only counts.
        single = self.bound == 1 or not query.values
        try:
            if single and not query.related_updates:
                rows = self._run(run_update)
            else:
                with transaction.atomic(using=self.compiler.using, savepoint=False):
                    rows = self._run(run_update)
        finally:
            # UpdateQuery.update_batch() runs the same query once per batch.
            query.values = self.values
        return rows if result_type == ROW_COUNT else None

    def _run(self, run_update):
        others = bool(self.compiler.query.values)
        stay = run_update(ROW_COUNT)
        if self.empty or not self.restricted:
            return 0
        if not others:
            stay = self._count()
        if self.bound is not None and stay >= self.bound:
            return stay
        # SingleStore refuses FOR UPDATE with a subquery on columnstore tables.
        lock = not self.subquery
        if self.compiler.connection.in_atomic_block:
            return stay + self._move(self._read(lock=lock))
        rows = self._read(lock=False)
        if not rows:
            return stay
        with transaction.atomic(using=self.compiler.using, savepoint=False):
            return stay + self._move(self._read(lock=True) if lock else rows)

    def _condition(self, keep):
        """The WHERE clause of the rows that keep (or change) their shard key."""
        parts, params = [], []
        for guard in self.guards:
            sql, guard_params = self.compiler.compile(guard)
            parts.append(sql)
            params.extend(guard_params)
        sql = " AND ".join(parts)
        if not keep:
            sql = f"NOT ({sql})"
        if self.where is not None:
            sql = f"({self.where[0]}) AND {sql}"
            params = [*self.where[1], *params]
        return sql, params

    def _quote(self, name):
        return self.compiler.connection.ops.quote_name(name)

    def _fetch(self, sql, params):
        with self.compiler.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _count(self):
        where, params = self._condition(keep=True)
        sql = f"SELECT COUNT(*) FROM {self._quote(self.table)} WHERE {where}"
        return self._fetch(sql, params)[0][0]

    def _columns(self):
        return [f for f in self.model._meta.local_concrete_fields if not f.generated]

    def _read(self, lock):
        """The rows that change their shard key: old columns, then new values."""
        table = self._quote(self.table)
        select = [f"{table}.{self._quote(field.column)}" for field in self._columns()]
        params = []
        for _, value in self.assigned:
            sql, value_params = self.compiler.compile(value)
            select.append(sql)
            params.extend(value_params)
        where, where_params = self._condition(keep=False)
        sql = f"SELECT {', '.join(select)} FROM {table} WHERE {where}"
        if lock:
            sql += " FOR UPDATE"
        return self._fetch(sql, [*params, *where_params])

    def _move(self, rows):
        """Delete ``rows`` and insert them again with their new values."""
        if not rows:
            return 0
        columns = self._columns()
        names = [field.column for field in columns]
        positions = [names.index(field.column) for field, _ in self.assigned]
        pk_at = [names.index(field.column) for field in self.model._meta.pk_fields]
        moved = []
        for row in rows:
            new = list(row[: len(columns)])
            for position, value in zip(positions, row[len(columns) :], strict=True):
                new[position] = value
            moved.append(new)
        pks = [
            row[pk_at[0]] if len(pk_at) == 1 else tuple(row[i] for i in pk_at)
            for row in rows
        ]
        deleted = DeleteQuery(self.model).delete_batch(pks, self.compiler.using)
        if deleted != len(rows):
            raise IntegrityError(self._duplicates(len(rows), deleted))
        placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
        sql = "INSERT INTO {} ({}) VALUES {}".format(
            self._quote(self.table),
            ", ".join(self._quote(name) for name in names),
            ", ".join([placeholders] * len(moved)),
        )
        with self.compiler.connection.cursor() as cursor:
            cursor.execute(sql, [value for row in moved for value in row])
        return len(rows)

    def _fields(self):
        return ", ".join(repr(field.name) for field in self.moving)

    def _refusal(self):
        label = self.model._meta.label
        return (
            f"Cannot change the shard key ({self._fields()}) of {label} rows while "
            f"SINGLESTORE['SKIP_AUTOCOMMIT'] is on: SingleStore cannot UPDATE a "
            f"shard-key column, and moving a row to its new partition (delete and "
            f"re-insert) needs a transaction, which SKIP_AUTOCOMMIT turns off. "
            f"Delete the row and create it with the new value, or turn "
            f"SKIP_AUTOCOMMIT off."
        )

    def _duplicates(self, read, deleted):
        label = self.model._meta.label
        return (
            f"Cannot change the shard key ({self._fields()}) of {label} rows: "
            f"{read} rows were to move, but deleting them by primary key removed "
            f"{deleted} rows of {self.table}: rows that share a primary-key value, "
            f"or rows another connection changed meanwhile. Nothing was changed; "
            f"remove rows that share a primary-key value, or try again."
        )
