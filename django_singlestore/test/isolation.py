"""Rows a TestCase class commits outside its tests' transactions, put back.

Without savepoints Django's ``TestCase`` opens no class-wide transaction,
so what ``setUpClass()`` (or ``tearDownClass()``) writes is committed and
stays for every later class. :class:`ClassIsolation` watches the statements
of a class's connections (``connection.execute_wrapper``, Django's public
API) from before ``setUpClass()`` until after its class clean-ups. The first
time a statement outside a test's own transaction writes a table
(``INSERT``, ``REPLACE``, ``UPDATE``, ``DELETE`` or ``TRUNCATE`` naming it),
the table's rows are read first; when the class ends, a table whose rows
differ from that copy gets them back (``DELETE`` and ``INSERT`` in one
transaction). Rows that were there before the class (data migrations:
content types, permissions, sites) therefore stay as they were, and a class
that wrote nothing outside its tests costs nothing.

Not seen: statements of other connections or threads, statements whose text
does not start by naming the table they write (a stored procedure, a
multi-statement string, a table qualified with another database); TEMPORARY
tables are left out (they go with their connection). Writes inside each
test's transaction are rolled back by TestCase itself and are not watched;
with SINGLESTORE["SKIP_AUTOCOMMIT"] there is no such transaction, so every
write is watched and put back when the class ends (not after each test).
"""

import re
from collections import Counter
from contextlib import ExitStack
from functools import partial

from django.db import DatabaseError, ProgrammingError, connections, transaction
from django.test import TestCase

from ..computed import COMPUTED_EXTRA

_NAME = r"(`(?:[^`]|``)+`|[A-Za-z0-9_$]+)"
# The table a writing statement names first, with the modifiers MySQL-family
# grammars allow before it; a name followed by "." is a database's.
WRITE = re.compile(
    r"\s*(?:"
    r"(?:INSERT|REPLACE)\s+(?:(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE)\s+)*"
    r"(?:INTO\s+)?"
    r"|UPDATE\s+(?:(?:LOW_PRIORITY|IGNORE)\s+)*"
    r"|DELETE\s+(?:(?:LOW_PRIORITY|QUICK|IGNORE)\s+)*(?:" + _NAME + r"\s+)?FROM\s+"
    r"|TRUNCATE\s+(?:TABLE\s+)?"
    r")" + _NAME,
    re.IGNORECASE,
)
NO_SUCH_TABLE = 1146
COLUMNS_SQL = (
    "SELECT COLUMN_NAME, EXTRA FROM information_schema.COLUMNS "
    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s ORDER BY ORDINAL_POSITION"
)


def written_table(sql):
    """The table a writing statement names, or None (a read, or unknown)."""
    match = isinstance(sql, str) and WRITE.match(sql)
    if not match or sql[match.end() :].lstrip().startswith("."):
        return None
    name = match.group(match.lastindex)
    if name.startswith("`"):
        return name[1:-1].replace("``", "`")
    return name


def in_test_transaction(connection):
    """Whether a statement now is inside the transaction TestCase opened for
    the running test (marked by Django's TestCase._enter_atomics), which it
    rolls back; under SKIP_AUTOCOMMIT that transaction does not exist."""
    if connection.savepoints.autocommits:
        return False
    return any(
        getattr(block, "_from_testcase", False) for block in connection.atomic_blocks
    )


def watched_aliases(test_class):
    """The aliases of ``test_class`` whose writes outside tests would leak:
    SingleStore connections (no savepoints, so no class transaction)."""
    if not issubclass(test_class, TestCase):
        return []
    databases = test_class.databases
    if databases == "__all__":
        databases = connections
    return [
        alias
        for alias in sorted(databases)
        if connections[alias].vendor == "singlestore"
        and not connections[alias].features.uses_savepoints
    ]


def database_of(connection):
    """What names a database: a test mirror's alias and the alias it mirrors
    share it, so a table they both write has one copy."""
    settings = connection.settings_dict
    return (settings["HOST"], settings["PORT"], settings["NAME"])


class Snapshot:
    """A table's rows (without computed columns, which the server fills)."""

    def __init__(self, columns, rows):
        self.columns = columns
        self.rows = rows

    @classmethod
    def read(cls, connection, table, columns=None):
        """The rows of ``table`` now, or None when it does not exist."""
        with connection.cursor() as cursor:
            if columns is None:
                cursor.execute(COLUMNS_SQL, [table])
                columns = [
                    name for name, extra in cursor.fetchall() if extra != COMPUTED_EXTRA
                ]
                if not columns:
                    return None
            quoted = ", ".join(map(connection.ops.quote_name, columns))
            try:
                cursor.execute(
                    f"SELECT {quoted} FROM {connection.ops.quote_name(table)}"
                )
            except ProgrammingError as error:
                if error.args[0] == NO_SUCH_TABLE:
                    return None  # dropped since
                raise
            return cls(columns, cursor.fetchall())

    def restore(self, connection, table):
        """Give ``table`` these rows again; False if it already has them."""
        now = Snapshot.read(connection, table, self.columns)
        if now is None or Counter(now.rows) == Counter(self.rows):
            return False
        qn = connection.ops.quote_name
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {qn(table)}")
                if self.rows:
                    cursor.executemany(
                        f"INSERT INTO {qn(table)} ({', '.join(map(qn, self.columns))}) "
                        f"VALUES ({', '.join(['%s'] * len(self.columns))})",
                        self.rows,
                    )
        return True


class ClassIsolation:
    """Watch a TestCase class's writes outside its tests; put them back."""

    def __init__(self, aliases):
        self.aliases = aliases
        self.before = {}  # (database, table) -> (alias, Snapshot)
        self.restored = []
        self._watching = ExitStack()

    @classmethod
    def of(cls, test_class):
        """The isolation of ``test_class``, or None if nothing can leak."""
        aliases = watched_aliases(test_class)
        return cls(aliases) if aliases else None

    def begin(self):
        for alias in self.aliases:
            self._watching.enter_context(
                connections[alias].execute_wrapper(partial(self._observe, alias))
            )

    def _observe(self, alias, execute, sql, params, many, context):
        connection = context["connection"]
        if not in_test_transaction(connection):
            table = written_table(sql)
            key = table and (database_of(connection), table)
            if key and key not in self.before:
                snapshot = Snapshot.read(connection, table)
                if snapshot is not None:
                    self.before[key] = (alias, snapshot)
        return execute(sql, params, many, context)

    def end(self):
        """Stop watching and restore; the (alias, table) pairs put back.

        A table that cannot be restored does not stop the others; the first
        such error is raised after them (unittest reports it for the class).
        """
        self._watching.close()
        before, self.before = self.before, {}
        failures = []
        for (_, table), (alias, snapshot) in before.items():
            try:
                if snapshot.restore(connections[alias], table):
                    self.restored.append((alias, table))
            except DatabaseError as error:
                failures.append(error)
        if failures:
            raise failures[0]
        return self.restored
