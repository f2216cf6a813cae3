"""The per-proxy engine: options, the catalog, and the MariaDB routines."""

import itertools
import threading

from . import routines
from .catalog import SCHEMA, Catalog
from .session import Session


class Engine:
    def __init__(self, side_factory, options):
        self.side_factory = side_factory
        self.options = dict(options)
        self.options.setdefault("memsql_version", "8.9.3")
        self.options.setdefault("default_table_type", "columnstore")
        if self.options["default_table_type"] not in ("columnstore", "rowstore"):
            raise ValueError(
                "default_table_type must be 'columnstore' or 'rowstore', got "
                f"{self.options['default_table_type']!r}"
            )
        self.catalog = Catalog(side_factory)
        self._probes = itertools.count()
        self._probe_lock = threading.Lock()

    @property
    def default_table_type(self):
        return self.options["default_table_type"]

    def install(self):
        self.catalog.install()
        routines.install(self.catalog.query)

    def session(self):
        return Session(self)

    def probe_type(self, type_text):
        """MariaDB's COLUMN_TYPE for a type as written, or None if it is invalid."""
        if not type_text:
            return None
        name = f"{SCHEMA}.probe_{next(self._probes)}"
        with self._probe_lock:
            try:
                self.catalog.query(f"CREATE TEMPORARY TABLE {name} (c {type_text})")
                rows = self.catalog.query(f"SHOW COLUMNS FROM {name}")
            except Exception:
                return None
            finally:
                try:
                    self.catalog.query(f"DROP TEMPORARY TABLE IF EXISTS {name}")
                except Exception:
                    pass
        return rows[0][1].lower()
