"""The SingleStore metadata MariaDB cannot hold, kept inside MariaDB.

One row per table in `_singlestore_double.tables`, the metadata as JSON, so
it survives restarts of the proxy. The engine caches it in memory; writes go
through to MariaDB right after the DDL that caused them succeeded.
"""

import json
import threading
from dataclasses import asdict, dataclass, field

from . import triggers

SCHEMA = "_singlestore_double"

COLUMNSTORE = "COLUMNSTORE"
ROWSTORE = "INMEMORY_ROWSTORE"


@dataclass
class TableMeta:
    storage: str = COLUMNSTORE
    reference: bool = False
    temporary: bool = False
    # None for reference tables; [] for keyless sharding.
    shard_key: list | None = field(default_factory=list)
    shard_explicit: bool = False
    # [[column, descending], ...]
    sort_key: list = field(default_factory=list)
    sort_name: str | None = None
    # index name -> {"columns": [...], "rely": bool}
    unenforced: dict = field(default_factory=dict)
    json_columns: list = field(default_factory=list)
    # column -> [dimensions, element type]
    vectors: dict = field(default_factory=dict)
    # index name -> {"column": c, "options": '<json text>' or None}
    vector_indexes: dict = field(default_factory=dict)
    # {"name": n, "columns": [...], "version": 1|2} or None
    fulltext: dict | None = None
    # computed column -> {"expression": SingleStore text, "not_null": bool}
    computed: dict = field(default_factory=dict)

    @property
    def columnstore(self):
        return self.storage == COLUMNSTORE

    @property
    def sharded(self):
        return not self.reference

    def to_json(self):
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text):
        return cls(**json.loads(text))

    def copy(self):
        return TableMeta.from_json(self.to_json())

    def rename_column(self, old, new):
        def swap(c):
            return new if c == old else c

        if self.shard_key:
            self.shard_key = [swap(c) for c in self.shard_key]
        self.sort_key = [[swap(c), d] for c, d in self.sort_key]
        for key in self.unenforced.values():
            key["columns"] = [swap(c) for c in key["columns"]]
        self.json_columns = [swap(c) for c in self.json_columns]
        if old in self.vectors:
            self.vectors[new] = self.vectors.pop(old)
        if old in self.computed:
            self.computed[new] = self.computed.pop(old)
        for index in self.vector_indexes.values():
            index["column"] = swap(index["column"])
        if self.fulltext:
            self.fulltext["columns"] = [swap(c) for c in self.fulltext["columns"]]

    def drop_column(self, name):
        self.vectors.pop(name, None)
        self.computed.pop(name, None)
        self.json_columns = [c for c in self.json_columns if c != name]
        self.sort_key = [[c, d] for c, d in self.sort_key if c != name]
        for key_name, key in list(self.unenforced.items()):
            key["columns"] = [c for c in key["columns"] if c != name]
            if not key["columns"]:
                del self.unenforced[key_name]
        for index_name, index in list(self.vector_indexes.items()):
            if index["column"] == name:
                del self.vector_indexes[index_name]
        if self.fulltext:
            cols = [c for c in self.fulltext["columns"] if c != name]
            self.fulltext = dict(self.fulltext, columns=cols) if cols else None

    def drop_index(self, name):
        self.unenforced.pop(name, None)
        self.vector_indexes.pop(name, None)
        if self.fulltext and self.fulltext["name"] == name:
            self.fulltext = None


class Catalog:
    """Table metadata by (database, table), cached over the side connection."""

    def __init__(self, side_factory):
        self._side_factory = side_factory
        self._side = None
        self._lock = threading.RLock()
        self._tables = None

    def query(self, sql, args=None):
        with self._lock:
            for attempt in (1, 2):
                try:
                    if self._side is None:
                        self._side = self._side_factory()
                    with self._side.cursor() as cur:
                        cur.execute(sql, args)
                        return cur.fetchall()
                except Exception as exc:
                    self._side = None
                    if attempt == 2 or not _is_connection_error(exc):
                        raise
            return None

    def install(self):
        self.query(
            f"CREATE DATABASE IF NOT EXISTS {SCHEMA} "
            "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
        )
        self.query(
            f"CREATE TABLE IF NOT EXISTS {SCHEMA}.tables ("
            " db VARCHAR(64) NOT NULL, name VARCHAR(64) NOT NULL,"
            " meta LONGTEXT NOT NULL, PRIMARY KEY (db, name))"
            " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
        )

        self.query(
            f"CREATE TABLE IF NOT EXISTS {SCHEMA}.key_columns ("
            " db VARCHAR(64) NOT NULL, tbl VARCHAR(64) NOT NULL,"
            " index_name VARCHAR(64) NOT NULL, seq INT NOT NULL,"
            " column_name VARCHAR(64), index_type VARCHAR(32) NOT NULL,"
            " collation CHAR(1), non_unique INT NOT NULL,"
            " PRIMARY KEY (db, tbl, index_type, index_name, seq))"
            " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
        )
        self.query(
            f"CREATE TABLE IF NOT EXISTS {SCHEMA}.column_types ("
            " db VARCHAR(64) NOT NULL, tbl VARCHAR(64) NOT NULL,"
            " col VARCHAR(64) NOT NULL, data_type VARCHAR(16) NOT NULL,"
            " column_type VARCHAR(32) NOT NULL, PRIMARY KEY (db, tbl, col))"
            " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
        )
        self.query(
            f"CREATE OR REPLACE VIEW {SCHEMA}.table_kinds AS SELECT db, name,"
            " JSON_VALUE(meta, '$.storage') AS storage_type,"
            " IF(JSON_VALUE(meta, '$.reference') IN ('true', '1'), 0, 1) AS distributed"
            f" FROM {SCHEMA}.tables"
        )

    def _write_keys(self, db, name, meta):
        self.query(
            f"DELETE FROM {SCHEMA}.key_columns WHERE db = %s AND tbl = %s", (db, name)
        )
        rows = []
        if meta.shard_key is not None and not meta.reference:
            for seq, col in enumerate(meta.shard_key, 1):
                rows.append((db, name, "__SHARDKEY", seq, col, "SHARD", None, 1))
        for seq, (col, desc) in enumerate(meta.sort_key, 1):
            rows.append(
                (
                    db,
                    name,
                    meta.sort_name or col,
                    seq,
                    col,
                    "CLUSTERED COLUMNSTORE",
                    "D" if desc else "A",
                    1,
                )
            )
        for index, key in meta.unenforced.items():
            for seq, col in enumerate(key["columns"], 1):
                rows.append((db, name, index, seq, col, "UNENFORCED", None, 0))
        self._write_column_types(db, name, meta)
        for row in rows:
            self.query(
                f"INSERT INTO {SCHEMA}.key_columns VALUES "
                "(%s, %s, %s, %s, %s, %s, %s, %s)",
                row,
            )

    def _write_column_types(self, db, name, meta):
        """SingleStore's DATA_TYPE/COLUMN_TYPE for columns MariaDB stores as text."""
        self.query(
            f"DELETE FROM {SCHEMA}.column_types WHERE db = %s AND tbl = %s", (db, name)
        )
        types = [(col, "json", "json") for col in meta.json_columns]
        types += [
            (col, "vector", f"vector({dims}, {elem})")
            for col, (dims, elem) in meta.vectors.items()
        ]
        for col, data_type, column_type in types:
            self.query(
                f"INSERT INTO {SCHEMA}.column_types VALUES (%s, %s, %s, %s, %s)",
                (db, name, col, data_type, column_type),
            )

    def _load(self):
        if self._tables is None:
            rows = self.query(f"SELECT db, name, meta FROM {SCHEMA}.tables")
            self._tables = {(db, name): TableMeta.from_json(m) for db, name, m in rows}
        return self._tables

    def get(self, db, name):
        """The table's metadata, or None when the double never saw it created.

        The cached object itself: callers that change it work on .copy().
        """
        with self._lock:
            return self._load().get((db, name))

    def put(self, db, name, meta):
        with self._lock:
            self.query(
                f"REPLACE INTO {SCHEMA}.tables (db, name, meta) VALUES (%s, %s, %s)",
                (db, name, meta.to_json()),
            )
            self._write_keys(db, name, meta)
            triggers.sync(self.query, db, name, meta, SCHEMA)
            self._load()[(db, name)] = meta.copy()

    def delete(self, db, name):
        with self._lock:
            triggers.drop(self.query, db, name)
            self.query(
                f"DELETE FROM {SCHEMA}.tables WHERE db = %s AND name = %s", (db, name)
            )
            self.query(
                f"DELETE FROM {SCHEMA}.key_columns WHERE db = %s AND tbl = %s",
                (db, name),
            )
            self._load().pop((db, name), None)

    def drop_database(self, db):
        with self._lock:
            self.query(f"DELETE FROM {SCHEMA}.tables WHERE db = %s", (db,))
            self.query(f"DELETE FROM {SCHEMA}.key_columns WHERE db = %s", (db,))
            self.query(f"DELETE FROM {SCHEMA}.column_types WHERE db = %s", (db,))
            for key in [k for k in self._load() if k[0] == db]:
                del self._tables[key]


def _is_connection_error(exc):
    return type(exc).__name__ in ("OperationalError", "InterfaceError") and (
        not exc.args or exc.args[0] in (0, 2006, 2013, 2014, 2055)
    )
