"""Introspection from information_schema, with singlestoredb's type codes.

Django's MySQL introspection imports mysqlclient, so this one is our own.
Besides Django's API it reads what only SingleStore has: the storage type,
the shard key and the sort key (:meth:`get_table_storage`), and whether a
unique key is UNENFORCED.

Constraints: the shard key (``__SHARDKEY``, index type SHARD) and the sort
key (CLUSTERED COLUMNSTORE) are not constraints Django manages and are left
out of :meth:`get_constraints`. An ``UNIQUE KEY ... UNENFORCED`` key is
reported as ``unique: True`` (the model declares it unique, and migrations
find it by that) with ``"enforced": False``. A ``VECTOR INDEX``, printed
only by SHOW CREATE TABLE, has ``type`` ``"vec"`` and its ``index_type``,
``metric`` and other ``options``. A FULLTEXT key has the type ``"ft"``
(``FullTextIndex.suffix``) and its ``"version"`` (1 or 2). A computed
column's expression,
printed only by SHOW CREATE TABLE, is ``FieldInfo.computed`` (None for the
other columns). A table without a PRIMARY KEY reports
its AUTO_INCREMENT column, if any, as the primary key column (the column
SingleStore keeps unique, and the model's primary key in TablePlan's terms).
Foreign keys are never stored by
SingleStore, so :meth:`get_relations` is empty and ``inspectdb`` writes
foreign-key columns as integer fields.
"""

import re
from collections import namedtuple

from django.db.backends.base.introspection import BaseDatabaseIntrospection
from django.db.backends.base.introspection import FieldInfo as BaseFieldInfo
from django.db.backends.base.introspection import TableInfo as BaseTableInfo
from django.db.models import Index
from singlestoredb.mysql.constants import FIELD_TYPE

from .computed import COMPUTED_EXTRA, computed_columns
from .fulltext import FullTextIndex
from .vector.indexes import VectorIndex, parse_index_options

FieldInfo = namedtuple(
    "FieldInfo",
    BaseFieldInfo._fields
    + (
        "extra",
        "is_unsigned",
        "comment",
        "data_type",
        "primary_key",
        "computed",
        "column_type",
    ),
)
TableInfo = namedtuple("TableInfo", BaseTableInfo._fields + ("comment",))
ColumnLine = namedtuple(
    "ColumnLine",
    "name data_type max_len num_prec num_scale extra default collation "
    "is_unsigned comment column_type",
)
# information_schema.TABLES (STORAGE_TYPE, DISTRIBUTED) -> SINGLESTORE storage
STORAGE_NAMES = {
    ("COLUMNSTORE", 1): "COLUMNSTORE",
    ("COLUMNSTORE", 0): "REFERENCE",
    ("INMEMORY_ROWSTORE", 1): "ROWSTORE",
    ("INMEMORY_ROWSTORE", 0): "ROWSTORE REFERENCE",
}
SHARD_INDEX_TYPE = "SHARD"
SORT_INDEX_TYPE = "CLUSTERED COLUMNSTORE"
UNENFORCED_RE = re.compile(r"UNIQUE KEY `((?:[^`]|``)+)`[^\n]*\bUNENFORCED\b")
# SHOW CREATE TABLE's vector index lines: name, column, INDEX_OPTIONS JSON.
VECTOR_INDEX_RE = re.compile(
    r"^\s*VECTOR (?:INDEX|KEY) `((?:[^`]|``)+)` \(`((?:[^`]|``)+)`\)"
    r"(?: INDEX_OPTIONS\s*=?\s*'((?:[^'\\]|\\.|'')*)')?",
    re.MULTILINE,
)


def vector_indexes(ddl):
    """get_constraints() entries of the VECTOR INDEX lines of ``ddl``: type
    ``"vector"``, with the index type, metric and options of INDEX_OPTIONS."""
    found = {}
    for name, column, options in VECTOR_INDEX_RE.findall(ddl):
        index_type, metric, extra = parse_index_options(
            options.replace("''", "'").replace("\\'", "'")
        )
        found[name.replace("``", "`")] = {
            "columns": [column.replace("``", "`")],
            "orders": ["ASC"],
            "primary_key": False,
            "unique": False,
            "index": True,
            "check": False,
            "foreign_key": None,
            "type": VectorIndex.suffix,
            "index_type": index_type,
            "metric": metric,
            "options": extra,
        }
    return found


FULLTEXT_RE = re.compile(r"\n  FULLTEXT( USING VERSION 2)? KEY `((?:[^`]|``)+)`")


class DatabaseIntrospection(BaseDatabaseIntrospection):
    data_types_reverse = {
        FIELD_TYPE.BLOB: "TextField",
        FIELD_TYPE.CHAR: "CharField",
        FIELD_TYPE.DECIMAL: "DecimalField",
        FIELD_TYPE.NEWDECIMAL: "DecimalField",
        FIELD_TYPE.DATE: "DateField",
        FIELD_TYPE.DATETIME: "DateTimeField",
        FIELD_TYPE.DOUBLE: "FloatField",
        FIELD_TYPE.FLOAT: "FloatField",
        FIELD_TYPE.INT24: "IntegerField",
        FIELD_TYPE.JSON: "JSONField",
        FIELD_TYPE.LONG: "IntegerField",
        FIELD_TYPE.LONGLONG: "BigIntegerField",
        FIELD_TYPE.SHORT: "SmallIntegerField",
        FIELD_TYPE.STRING: "CharField",
        FIELD_TYPE.TIME: "TimeField",
        FIELD_TYPE.TIMESTAMP: "DateTimeField",
        FIELD_TYPE.TINY: "IntegerField",
        FIELD_TYPE.TINY_BLOB: "TextField",
        FIELD_TYPE.MEDIUM_BLOB: "TextField",
        FIELD_TYPE.LONG_BLOB: "TextField",
        FIELD_TYPE.VAR_STRING: "CharField",
    }

    def get_field_type(self, data_type, description):
        field_type = super().get_field_type(data_type, description)
        # Only a primary key is an AutoField: the id column of a many-to-many
        # table stays AUTO_INCREMENT (with a plain KEY) outside its primary
        # key, and is a plain integer to Django.
        if "auto_increment" in description.extra and description.primary_key:
            return {
                "IntegerField": "AutoField",
                "BigIntegerField": "BigAutoField",
                "SmallIntegerField": "SmallAutoField",
            }.get(field_type, field_type)
        if description.is_unsigned:
            return {
                "BigIntegerField": "PositiveBigIntegerField",
                "IntegerField": "PositiveIntegerField",
                "SmallIntegerField": "PositiveSmallIntegerField",
            }.get(field_type, field_type)
        if description.data_type == "json":
            return "JSONField"
        if description.column_type == "tinyint(1)":
            # BOOL is TINYINT(1), what BooleanField creates.
            return "BooleanField"
        return field_type

    def get_table_list(self, cursor):
        cursor.execute(
            "SELECT TABLE_NAME, TABLE_TYPE, TABLE_COMMENT "
            "FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
        )
        return [
            TableInfo(name, {"BASE TABLE": "t", "VIEW": "v"}.get(kind), comment)
            for name, kind, comment in cursor.fetchall()
        ]

    def _columns(self, cursor, table_name):
        cursor.execute(
            "SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, "
            "NUMERIC_PRECISION, NUMERIC_SCALE, EXTRA, COLUMN_DEFAULT, "
            "CASE WHEN COLLATION_NAME = %s THEN NULL ELSE COLLATION_NAME END, "
            "COLUMN_TYPE LIKE '%% unsigned', COLUMN_COMMENT, COLUMN_TYPE "
            "FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s "
            "ORDER BY ORDINAL_POSITION",
            # The server's collation is every column's default: not reported.
            [self.connection.server_data["collation_server"], table_name],
        )
        return {row[0]: ColumnLine(*row) for row in cursor.fetchall()}

    def get_table_description(self, cursor, table_name):
        columns = self._columns(cursor, table_name)
        primary = set(self._primary_columns(cursor, table_name, columns))
        expressions = {}
        if any(info.extra == COMPUTED_EXTRA for info in columns.values()):
            expressions = computed_columns(self._create_table(cursor, table_name))
        cursor.execute(
            f"SELECT * FROM {self.connection.ops.quote_name(table_name)} LIMIT 1"
        )

        def as_int(value):
            return int(value) if value is not None else None

        fields = []
        for line in cursor.description:
            info = columns[line[0]]
            fields.append(
                FieldInfo(
                    line[0],
                    line[1],
                    as_int(info.max_len) or line[2],
                    as_int(info.max_len) or line[3],
                    as_int(info.num_prec) or line[4],
                    as_int(info.num_scale) or line[5],
                    line[6],
                    info.default,
                    info.collation,
                    (info.extra or "").lower(),
                    bool(info.is_unsigned),
                    info.comment,
                    (info.data_type or "").lower(),
                    line[0] in primary,
                    expressions.get(line[0]),
                    (info.column_type or "").lower(),
                )
            )
        return fields

    def _primary_columns(self, cursor, table_name, columns):
        """The PRIMARY KEY's columns in key order; for a table without one, its
        AUTO_INCREMENT column, which SingleStore keeps unique by generating
        the values (TablePlan gives this shape to a model sharded by a column
        outside its primary key)."""
        primary = [
            column
            for name, column, *_ in self._statistics(cursor, table_name)
            if name == "PRIMARY"
        ]
        if primary:
            return primary
        return [
            name
            for name, info in columns.items()
            if "auto_increment" in (info.extra or "").lower()
        ][:1]

    def get_primary_key_columns(self, cursor, table_name):
        columns = self._columns(cursor, table_name)
        return self._primary_columns(cursor, table_name, columns)

    def get_sequences(self, cursor, table_name, table_fields=()):
        for info in self.get_table_description(cursor, table_name):
            if "auto_increment" in info.extra:
                return [{"table": table_name, "column": info.name}]
        return []

    def get_relations(self, cursor, table_name):
        return {}

    def _statistics(self, cursor, table_name):
        cursor.execute(
            "SELECT INDEX_NAME, COLUMN_NAME, NON_UNIQUE, INDEX_TYPE, COLLATION "
            "FROM information_schema.STATISTICS "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s "
            "ORDER BY INDEX_NAME, SEQ_IN_INDEX",
            [table_name],
        )
        return cursor.fetchall()

    def _create_table(self, cursor, table_name):
        cursor.execute(
            f"SHOW CREATE TABLE {self.connection.ops.quote_name(table_name)}"
        )
        row = cursor.fetchone()
        return row[1] if row else ""

    def _fulltext_versions(self, ddl):
        # SHOW CREATE TABLE says USING VERSION 2; a bare FULLTEXT is version 1.
        return {
            name.replace("``", "`"): 2 if using else 1
            for using, name in FULLTEXT_RE.findall(ddl)
        }

    def get_constraints(self, cursor, table_name):
        constraints = {}
        ddl = self._create_table(cursor, table_name)
        unenforced = {name.replace("``", "`") for name in UNENFORCED_RE.findall(ddl)}
        fulltext = self._fulltext_versions(ddl)
        for name, column, non_unique, index_type, order in self._statistics(
            cursor, table_name
        ):
            if index_type in (SHARD_INDEX_TYPE, SORT_INDEX_TYPE):
                continue
            if name not in constraints:
                constraints[name] = {
                    "columns": [],
                    "orders": [],
                    "primary_key": name == "PRIMARY",
                    "unique": not non_unique or name in unenforced,
                    "enforced": name not in unenforced,
                    "index": True,
                    "check": False,
                    "foreign_key": None,
                    "type": FullTextIndex.suffix if name in fulltext else Index.suffix,
                }
                if name in fulltext:
                    constraints[name]["version"] = fulltext[name]
            constraints[name]["columns"].append(column)
            constraints[name]["orders"].append("DESC" if order == "D" else "ASC")
        constraints.update(vector_indexes(ddl))
        return constraints

    def get_table_storage(self, cursor, table_name):
        """Return (storage, shard key, sort key) of ``table_name``.

        storage is one of conf.STORAGE_TYPES; the shard key is a tuple of
        columns (``()`` for keyless sharding) or None for reference tables;
        the sort key is a tuple of (column, descending) pairs (``()`` when
        unordered) or None for rowstore tables.
        """
        cursor.execute(
            "SELECT STORAGE_TYPE, DISTRIBUTED FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s",
            [table_name],
        )
        row = cursor.fetchone()
        if row is None:
            raise LookupError(f"Table {table_name!r} does not exist.")
        storage = STORAGE_NAMES[(row[0], int(row[1]))]
        shard, sort = [], []
        for _, column, _, index_type, order in self._statistics(cursor, table_name):
            if index_type == SHARD_INDEX_TYPE:
                shard.append(column)
            elif index_type == SORT_INDEX_TYPE:
                sort.append((column, order == "D"))
        shard_key = tuple(shard) if int(row[1]) else None
        sort_key = tuple(sort) if row[0] == "COLUMNSTORE" else None
        return storage, shard_key, sort_key
