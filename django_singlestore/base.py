"""SingleStore database backend for Django, on the singlestoredb driver.

Django's MySQL ``base`` module imports mysqlclient, so the wrapper is our own;
every other component subclasses the MySQL one.
"""

import re

import singlestoredb as Database
from django.db import IntegrityError, NotSupportedError, ProgrammingError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import typecast_time
from django.db.transaction import TransactionManagementError
from django.utils.asyncio import async_unsafe
from django.utils.functional import cached_property
from singlestoredb.mysql.constants import FIELD_TYPE
from singlestoredb.mysql.converters import conversions

from . import __version__, functions
from .client import DatabaseClient
from .conf import get_settings
from .creation import DatabaseCreation
from .driver import Connection
from .features import DatabaseFeatures
from .introspection import DatabaseIntrospection
from .operations import DatabaseOperations
from .params import connection_settings
from .schema import DatabaseSchemaEditor
from .transactions import SavepointLedger, server_in_transaction
from .validation import DatabaseValidation

functions.register()

# Django wants TIME as datetime.time (the driver gives timedelta).
DJANGO_CONVERTERS = {**conversions, FIELD_TYPE.TIME: typecast_time}
CONNECTION_ATTRIBUTES = {
    "_connector_name": "django-singlestore",
    "_connector_version": __version__,
}
VERSION_RE = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")
SERVER_DATA_SQL = (
    "SELECT @@memsql_version, VERSION(), @@sql_mode, @@default_table_type, "
    "@@collation_server, CONVERT_TZ('2001-01-01 01:00:00', 'UTC', 'UTC') IS NOT NULL"
)


def parse_version(text, what):
    match = VERSION_RE.match(text or "")
    if not match:
        raise Database.DatabaseError(f"Unable to read the {what} from {text!r}.")
    return tuple(int(part or 0) for part in match.groups())


def _placeholders(args):
    # The driver substitutes escaped values (strings) with Python's %
    # operator; strings reproduce whatever that substitution raises.
    if isinstance(args, dict):
        return {key: "''" for key in args}
    return tuple("''" for _ in args)


def check_format(query, args, error):
    """Raise ProgrammingError if ``error`` came from substituting ``args``."""
    if args is None or not isinstance(query, str):
        return
    try:
        query % _placeholders(args)
    except (TypeError, ValueError):
        raise ProgrammingError(
            f"The parameters cannot be substituted into the statement ({error}): "
            "every '%' that is not a placeholder must be written '%%'. Django "
            "does not double a '%' in a table or column name, so such a name "
            "works only in statements without parameters; rename the table or "
            "column."
        ) from error


class CursorWrapper:
    """The driver's cursor, with the errors Django expects.

    IntegrityError for the errors the driver files as operational,
    ProgrammingError for a statement its parameters do not fit, and a fetch
    after a failed execute() raises that failure again instead of returning
    no rows (the driver's buffered cursor would return None or []). Every
    statement's outcome inside a transaction goes to the connection's
    SavepointLedger; in autocommit mode there is no savepoint to answer for
    (the ledger starts over when a transaction begins), so a statement that
    succeeds is not classified (a regex scan of its text, up to 13 µs).
    """

    codes_for_integrityerror = (
        1048,  # Column cannot be null
        1690,  # BIGINT UNSIGNED value is out of range
    )

    def __init__(self, cursor, wrapper):
        self.cursor = cursor
        self.wrapper = wrapper
        self.ledger = wrapper.savepoints
        # The statement and parameters of the last execute(), as sent (after
        # Django's execute wrappers), for operations.last_executed_query.
        self.statement = None
        self.failure = None

    def _run(self, method, query, args):
        self.failure = None
        try:
            result = method(query, args)
        except Database.Error as e:
            self.failure = e
            self.ledger.failed(
                e,
                lambda: server_in_transaction(self.cursor.connection),
                partial=method == self.cursor.executemany,
            )
            if (
                isinstance(e, Database.OperationalError)
                and e.args
                and e.args[0] in self.codes_for_integrityerror
            ):
                self.failure = IntegrityError(*e.args)
                raise self.failure from e
            raise
        if not self.wrapper.autocommit:
            self.ledger.succeeded(query, self.cursor.rowcount)
        return result

    def execute(self, query, args=None):
        self.statement = (query, args)
        try:
            return self._run(self.cursor.execute, query, args)
        except (TypeError, ValueError) as error:
            check_format(query, args, error)
            raise

    def executemany(self, query, args):
        # The driver needs a sized sequence; Django also passes iterators.
        args = list(args)
        try:
            return self._run(self.cursor.executemany, query, args)
        except (TypeError, ValueError) as error:
            for row in args[:1]:
                check_format(query, row, error)
            raise

    def _fetch(self, method, *args):
        if self.failure is not None:
            raise type(self.failure)(*self.failure.args) from self.failure
        return method(*args)

    def fetchone(self):
        return self._fetch(self.cursor.fetchone)

    def fetchmany(self, size=None):
        return self._fetch(self.cursor.fetchmany, size or self.cursor.arraysize)

    def fetchall(self):
        return self._fetch(self.cursor.fetchall)

    def __getattr__(self, attr):
        return getattr(self.cursor, attr)

    def __iter__(self):
        return iter(self.fetchone, None)


class DatabaseWrapper(BaseDatabaseWrapper):
    vendor = "singlestore"
    display_name = "SingleStore"

    # Django's MySQL base module (which imports mysqlclient) holds the same
    # mapping; it is restated here because that module cannot be imported.
    data_types = {
        # Auto fields are widened to BIGINT by the schema editor; see schema.py.
        "AutoField": "integer AUTO_INCREMENT",
        "BigAutoField": "bigint AUTO_INCREMENT",
        "BinaryField": "longblob",
        "BooleanField": "bool",
        "CharField": "varchar(%(max_length)s)",
        "DateField": "date",
        "DateTimeField": "datetime(6)",
        "DecimalField": "numeric(%(max_digits)s, %(decimal_places)s)",
        "DurationField": "bigint",
        "FileField": "varchar(%(max_length)s)",
        "FilePathField": "varchar(%(max_length)s)",
        "FloatField": "double precision",
        "IntegerField": "integer",
        "BigIntegerField": "bigint",
        "IPAddressField": "char(15)",
        "GenericIPAddressField": "char(39)",
        "JSONField": "json",
        "OneToOneField": "integer",
        "PositiveBigIntegerField": "bigint UNSIGNED",
        "PositiveIntegerField": "integer UNSIGNED",
        "PositiveSmallIntegerField": "smallint UNSIGNED",
        "SlugField": "varchar(%(max_length)s)",
        "SmallAutoField": "smallint AUTO_INCREMENT",
        "SmallIntegerField": "smallint",
        "TextField": "longtext",
        "TimeField": "time(6)",
        "UUIDField": "char(32)",
    }
    # Types that take no default before SingleStore 8.1.12 and no full-width
    # index (read by the MySQL schema editor).
    _limited_data_types = (
        "tinyblob",
        "blob",
        "mediumblob",
        "longblob",
        "tinytext",
        "text",
        "mediumtext",
        "longtext",
        "json",
    )

    # Case-insensitive lookups lower both sides: since 9.0 the server
    # collation may be case-sensitive (utf8mb4_bin), and a collation cannot be
    # set per session.
    operators = {
        "exact": "= %s",
        "iexact": "LIKE LOWER(%s)",
        "contains": "LIKE BINARY %s",
        "icontains": "LIKE LOWER(%s)",
        "gt": "> %s",
        "gte": ">= %s",
        "lt": "< %s",
        "lte": "<= %s",
        "startswith": "LIKE BINARY %s",
        "endswith": "LIKE BINARY %s",
        "istartswith": "LIKE LOWER(%s)",
        "iendswith": "LIKE LOWER(%s)",
    }
    pattern_esc = r"REPLACE(REPLACE(REPLACE({}, '\\', '\\\\'), '%%', '\%%'), '_', '\_')"
    pattern_ops = {
        "contains": "LIKE BINARY CONCAT('%%', {}, '%%')",
        "icontains": "LIKE LOWER(CONCAT('%%', {}, '%%'))",
        "startswith": "LIKE BINARY CONCAT({}, '%%')",
        "istartswith": "LIKE LOWER(CONCAT({}, '%%'))",
        "endswith": "LIKE BINARY CONCAT('%%', {})",
        "iendswith": "LIKE LOWER(CONCAT('%%', {}))",
    }

    Database = Database
    SchemaEditorClass = DatabaseSchemaEditor
    client_class = DatabaseClient
    creation_class = DatabaseCreation
    features_class = DatabaseFeatures
    introspection_class = DatabaseIntrospection
    ops_class = DatabaseOperations
    validation_class = DatabaseValidation

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.savepoints = SavepointLedger()

    def get_connection_params(self):
        kwargs, self.isolation_level = connection_settings(self.settings_dict)
        kwargs["conn_attrs"] = {
            **kwargs.get("conn_attrs", {}),
            **CONNECTION_ATTRIBUTES,
        }
        # Django expects the number of matched rows from UPDATE, TIME values
        # as datetime.time, JSON as text, and "%%" collapsed whenever a
        # parameter sequence (even an empty one) is given. autocommit=None
        # keeps the server's mode on connect: Django's connect() then sets
        # the AUTOCOMMIT setting, which costs a statement only when the
        # server's mode differs.
        kwargs.update(
            autocommit=None,
            client_found_rows=True,
            conv=DJANGO_CONVERTERS,
            parse_json=False,
            interpolate_query_with_empty_args=True,
        )
        return kwargs

    @async_unsafe
    def get_new_connection(self, conn_params):
        return Connection(**conn_params)

    @async_unsafe
    def create_cursor(self, name=None):
        if name is None:
            return CursorWrapper(self.connection.cursor(), self)
        return CursorWrapper(self.connection.streaming_cursor(), self)

    @async_unsafe
    def chunked_cursor(self):
        # QuerySet.iterator() streams its rows (driver.Connection.streaming_cursor);
        # DISABLE_SERVER_SIDE_CURSORS keeps Django from asking for this cursor.
        return self._cursor(name="iterator")

    def _commit(self):
        self.savepoints.reset()
        super()._commit()

    def _rollback(self):
        self.savepoints.reset()
        try:
            super()._rollback()
        except Database.NotSupportedError:
            pass

    def _set_autocommit(self, autocommit):
        skip = not autocommit and get_settings().skip_autocommit
        self.savepoints.reset(autocommits=skip)
        if skip:
            # SKIP_AUTOCOMMIT: stay in autocommit so writes to reference
            # tables work on child aggregators (error 2549); atomic() blocks
            # then give no atomicity.
            return
        with self.wrap_database_errors:
            self.connection.autocommit(autocommit)

    # SingleStore has no SAVEPOINT: savepoints are emulated where a rollback
    # to them is provably a no-op (see transactions.py), which works whatever
    # features.uses_savepoints says.
    def _savepoint_allowed(self):
        return not self.get_autocommit()

    def _savepoint(self, sid):
        self.savepoints.begin(sid)

    def _savepoint_commit(self, sid):
        self.savepoints.release(sid)

    def _savepoint_rollback(self, sid):
        try:
            self.savepoints.rollback(sid)
        except NotSupportedError:
            # As without the emulation: only the whole transaction can go.
            if self.in_atomic_block:
                self.needs_rollback = True
            raise

    def validate_no_broken_transaction(self):
        try:
            super().validate_no_broken_transaction()
        except TransactionManagementError as error:
            if self.savepoints.refusal is None:
                raise
            raise TransactionManagementError(
                f"{error} {self.savepoints.refusal}"
            ) from error.__cause__

    def disable_constraint_checking(self):
        # SingleStore never enforces foreign keys: nothing to switch off.
        return False

    def _close(self):
        # singlestoredb raises "Already closed" for a second close() of the
        # same connection; Django's close() must reach "no connection" anyway.
        if self.connection is not None and getattr(self.connection, "_closed", False):
            return None
        return super()._close()

    def is_usable(self):
        try:
            self.connection.ping(reconnect=False)
        except Database.Error:
            return False
        return True

    def get_database_version(self):
        return self.singlestore_version

    @cached_property
    def server_data(self):
        with self.temporary_connection() as cursor:
            cursor.execute(SERVER_DATA_SQL)
            row = cursor.fetchone()
        return {
            "singlestore_version": row[0],
            "version": row[1],
            "sql_mode": row[2],
            "default_table_type": (row[3] or "columnstore").lower(),
            "collation_server": row[4],
            "has_zoneinfo_database": bool(row[5]),
        }

    @cached_property
    def singlestore_version(self):
        return parse_version(
            self.server_data["singlestore_version"], "SingleStore version"
        )

    # Attributes Django's MySQL components read.
    @cached_property
    def mysql_server_data(self):
        return {
            **self.server_data,
            "default_storage_engine": "MemSQL",
            "sql_auto_is_null": False,
            "lower_case_table_names": False,
        }

    @cached_property
    def mysql_server_info(self):
        return self.server_data["version"]

    @cached_property
    def mysql_version(self):
        return parse_version(self.server_data["version"], "MySQL-compatible version")

    mysql_is_mariadb = False

    @cached_property
    def sql_mode(self):
        sql_mode = self.server_data["sql_mode"]
        return set(sql_mode.split(",") if sql_mode else ())

    @cached_property
    def data_type_check_constraints(self):
        return {}
