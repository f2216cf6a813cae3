"""SQL compilers: MySQL's, with two SingleStore differences.

- UPDATE takes no ORDER BY (SingleStore refuses it), so the base update
  compiler is used instead of MySQL's.
- A LIMIT after a UNION/INTERSECT applies to the last branch only on
  SingleStore, so a sliced compound query is wrapped in a derived table (with
  the alias MySQL-family parsers require) before ORDER BY and LIMIT are
  appended.
"""

from django.db.backends.mysql import compiler as mysql
from django.db.models.sql.compiler import SQLUpdateCompiler

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
