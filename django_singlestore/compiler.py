"""SQL compilers: MySQL's, with three SingleStore differences.

- UPDATE takes no ORDER BY (SingleStore refuses it), so the base update
  compiler is used instead of MySQL's.
- An UPDATE never SETs a shard-key column, which SingleStore refuses: rows
  whose shard-key value changes are moved instead (shard_updates.py).
- A LIMIT after a UNION/INTERSECT applies to the last branch only on
  SingleStore, so a sliced compound query is wrapped in a derived table (with
  the alias MySQL-family parsers require) before ORDER BY and LIMIT are
  appended.
"""

from django.db.backends.mysql import compiler as mysql
from django.db.models.sql import compiler

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


class SQLCompiler(mysql.SQLCompiler):
    def get_combinator_sql(self, combinator, all):
        parts, params = super().get_combinator_sql(combinator, all)
        if self.query.is_sliced:
            parts = ["SELECT * FROM ({}) AS `__compound`".format(" ".join(parts))]
        return parts, params


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
