"""SQL compilers: MySQL's, with three SingleStore differences.

- UPDATE takes no ORDER BY (SingleStore refuses it), so the base update
  compiler is used instead of MySQL's.
- An UPDATE never SETs a shard-key column, which SingleStore refuses: rows
  whose shard-key value changes are moved instead (shard_updates.py).
- A LIMIT after a UNION/INTERSECT applies to the last branch only on
  SingleStore, so a sliced compound query is wrapped in a derived table (with
  the alias MySQL-family parsers require) before ORDER BY and LIMIT are
  appended.
- SELECT ... FOR UPDATE that joins or subselects a columnstore table is
  refused before it is sent, with the way out (SingleStore refuses it with
  error 1706; locking.py).
"""

from django.db import NotSupportedError
from django.db.backends.mysql import compiler as mysql
from django.db.models.sql import compiler
from django.db.models.sql.datastructures import Join
from django.db.models.sql.where import WhereNode

from .checks import lock_message
from .locking import columnstore_tables
from .shard_updates import ShardKeyUpdate

SQLAggregateCompiler = mysql.SQLAggregateCompiler
SQLDeleteCompiler = mysql.SQLDeleteCompiler
SQLInsertCompiler = mysql.SQLInsertCompiler

__all__ = [
    "SQLAggregateCompiler",
    "SQLCompiler",
    "SQLDeleteCompiler",
    "SQLInsertCompiler",
    "SQLUpdateCompiler",
]


def _joined_model(join):
    """The model whose table ``join`` adds (None when no field tells)."""
    field = join.join_field
    for model in (getattr(field, "related_model", None), getattr(field, "model", None)):
        if model is not None and model._meta.db_table == join.table_name:
            return model
    return None


def _has_subquery(node):
    if isinstance(node, WhereNode):
        return any(_has_subquery(child) for child in node.children)
    return bool(
        getattr(node, "subquery", False) or getattr(node, "contains_subquery", False)
    )


class SQLCompiler(mysql.SQLCompiler):
    # The models of the tables in the FROM clause of the last as_sql().
    from_models = ()

    def get_combinator_sql(self, combinator, all):
        parts, params = super().get_combinator_sql(combinator, all)
        if self.query.is_sliced:
            parts = ["SELECT * FROM ({}) AS `__compound`".format(" ".join(parts))]
        return parts, params

    def get_from_clause(self):
        # The aliases in use are known only here: as_sql() resets the
        # reference counts of the joins it added before it returns.
        if self.query.select_for_update:
            self.from_models = [
                _joined_model(table) if isinstance(table, Join) else self.query.model
                for alias, table in self.query.alias_map.items()
                if self.query.alias_refcount[alias]
            ]
        return super().get_from_clause()

    def as_sql(self, with_limits=True, with_col_aliases=False):
        sql, params = super().as_sql(with_limits, with_col_aliases)
        if self.query.select_for_update and not self.query.subquery:
            self.refuse_columnstore_lock()
        return sql, params

    def refuse_columnstore_lock(self):
        """Raise NotSupportedError for a FOR UPDATE SingleStore refuses (1706)."""
        model = self.query.model
        models = [m for m in self.from_models if m is not None]
        subquery = _has_subquery(self.query.where) or any(
            _has_subquery(e) for e in self.query.annotation_select.values()
        )
        if len(self.from_models) < 2 and not subquery:
            return
        columnstore = columnstore_tables(models)
        if not columnstore:
            return
        parents = model._meta.get_parent_list()
        if not subquery and set(models[1:]) <= set(parents):
            lock = lock_message(model, parents, columnstore)
            raise NotSupportedError(f"{lock.msg} {lock.hint}")
        joined = ", ".join(repr(m._meta.db_table) for m in models[1:])
        shape = f"joins the tables {joined}" if joined else "has a subquery"
        if joined and subquery:
            shape += " and has a subquery"
        raise NotSupportedError(
            f"select_for_update() on {model._meta.label} cannot lock: the query "
            f"{shape}, and SingleStore refuses FOR UPDATE with a join or subselect "
            f"involving a columnstore table ({', '.join(map(repr, columnstore))}). "
            f"Lock with a query on {model._meta.label} alone (no select_related() "
            f"and no filter across a relation or on a subquery: read the primary "
            f"keys first, then lock filter(pk__in=[...])), or store these tables as "
            f"rowstore tables (SINGLESTORE['STORAGE'])."
        )


class SQLUpdateCompiler(compiler.SQLUpdateCompiler):
    shard_key_update = None

    def execute_sql(self, result_type):
        self.shard_key_update = ShardKeyUpdate.of(self)
        if self.shard_key_update is None:
            return super().execute_sql(result_type)
        return self.shard_key_update.execute(result_type, super().execute_sql)

    def pre_sql_setup(self):
        super().pre_sql_setup()
        if self.shard_key_update is not None:
            self.shard_key_update.restrict()
