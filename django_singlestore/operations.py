"""SQL that SingleStore accepts, as deltas from Django's MySQL operations.

Time zones: SingleStore has no tz-aware datetime type and its session
time_zone cannot be changed, so with USE_TZ = True values are stored as UTC
(the connection's time zone is UTC) and converted in Python. Extracting or
truncating in another zone uses CONVERT_TZ, which knows named zones
("Europe/Paris", even "UTC") only when the server's time zone tables are
loaded. Without them (``features.has_zoneinfo_database`` is False) CONVERT_TZ
would return NULL, so the backend raises NotSupportedError for a named zone
instead of returning NULLs; UTC and fixed offsets (a zone such as
``datetime.timezone(timedelta(hours=5, minutes=30))``) always work.
"""

import datetime
import functools
import re

import singlestoredb as Database
from django.conf import settings
from django.db import NotSupportedError
from django.db.backends.mysql.operations import (
    DatabaseOperations as MySQLDatabaseOperations,
)
from django.db.models.constants import OnConflict
from django.db.models.expressions import Col
from django.utils import dateparse, timezone

BIGINT_RANGE = MySQLDatabaseOperations.integer_field_ranges["BigAutoField"]
CASE_INSENSITIVE = ("iexact", "icontains", "istartswith", "iendswith")
OFFSET_RE = re.compile(r"[+-]\d{2}:\d{2}")
JSON_TEXT_LOOKUPS = (
    "iexact",
    "contains",
    "icontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "regex",
    "iregex",
)


# Parameters per bulk statement (bulk_create, bulk_update, deletion batches):
# a statement, and the memory to build it, stays a few MB however many
# objects are given.
BULK_PARAMETERS = 50_000


# Parsers for temporal values that arrive as text: COALESCE or GREATEST of a
# column and a parameter is a string on the MySQL family.
TEXT_PARSERS = {
    "DateField": dateparse.parse_date,
    "DateTimeField": dateparse.parse_datetime,
    "TimeField": dateparse.parse_time,
}


@functools.cache
def text_converter(kind):
    """The converter of a ``kind`` expression's value that arrives as text,
    or None for a kind without a parser; one per kind, made once."""
    parse = TEXT_PARSERS.get(kind)
    if parse is None:
        return None

    def convert_text(value, expression, connection):
        if not isinstance(value, str):
            return value
        parsed = parse(value)
        if parsed is None:
            raise ValueError(
                f"SingleStore returned {value!r} for an expression whose "
                f"output_field is a {kind}; it is not in the server's "
                f"date/time format. Give the expression the output_field "
                f"that matches what it returns."
            )
        return parsed

    return convert_text


class DatabaseOperations(MySQLDatabaseOperations):
    compiler_module = "django_singlestore.compiler"

    # Auto-increment columns are BIGINT on SingleStore (see schema.py).
    integer_field_ranges = {
        **MySQLDatabaseOperations.integer_field_ranges,
        "AutoField": BIGINT_RANGE,
        "SmallAutoField": BIGINT_RANGE,
    }
    # Targets of the ":>" cast, which takes any column type.
    cast_data_types = {
        "AutoField": "BIGINT",
        "BigAutoField": "BIGINT",
        "SmallAutoField": "BIGINT",
        "CharField": "VARCHAR(%(max_length)s)",
        "DecimalField": "DECIMAL(%(max_digits)s, %(decimal_places)s)",
        "TextField": "LONGTEXT",
        "IntegerField": "INT",
        "BigIntegerField": "BIGINT",
        "SmallIntegerField": "SMALLINT",
        "PositiveBigIntegerField": "BIGINT UNSIGNED",
        "PositiveIntegerField": "INT UNSIGNED",
        "PositiveSmallIntegerField": "SMALLINT UNSIGNED",
        "DurationField": "BIGINT",
        "FloatField": "DOUBLE",
        "BooleanField": "BOOL",
        "JSONField": "JSON",
    }
    cast_char_field_without_max_length = "LONGTEXT"

    def bulk_batch_size(self, fields, objs):
        # Django's MySQL backend sends every object in one statement.
        return max(1, min(len(objs), BULK_PARAMETERS // max(1, len(fields))))

    def last_executed_query(self, cursor, sql, params):
        # The driver records the statement only after it succeeds; bind the
        # parameters of what the cursor was given (execute wrappers included)
        # so failed statements are logged as sent too. When they cannot be
        # bound (or the cursor is closed), show them apart.
        if getattr(cursor, "statement", None) is not None:
            sql, params = cursor.statement
        try:
            return cursor.mogrify(sql, params)
        except (TypeError, ValueError, KeyError, Database.Error):
            return super(MySQLDatabaseOperations, self).last_executed_query(
                cursor, sql, params
            )

    def get_db_converters(self, expression):
        converters = super().get_db_converters(expression)
        # A column arrives as the column's type; only expressions (COALESCE
        # of a column and a parameter, ...) can bring a date as text, so a
        # plain column pays no extra call per row.
        if not isinstance(expression, Col):
            convert = text_converter(expression.output_field.get_internal_type())
            if convert is not None:
                converters.insert(0, convert)
        return converters

    def convert_durationfield_value(self, value, expression, connection):
        # A duration times or over a number is a DECIMAL or DOUBLE count of
        # microseconds; round it half to even, as timedelta arithmetic does.
        if value is not None:
            return datetime.timedelta(microseconds=round(value))
        return value

    def subtract_temporals(self, internal_type, lhs, rhs):
        if internal_type != "TimeField":
            return super().subtract_temporals(internal_type, lhs, rhs)
        # Microseconds since midnight from integer parts only (TIME_TO_SEC
        # keeps the fraction on some servers and drops it on others).
        micros = (
            "((HOUR({0}) * 3600 + MINUTE({0}) * 60 + SECOND({0})) * 1000000 "
            "+ MICROSECOND({0}))"
        )
        (lhs_sql, lhs_params), (rhs_sql, rhs_params) = lhs, rhs
        return (
            f"({micros.format(lhs_sql)} - {micros.format(rhs_sql)})",
            (*lhs_params * 4, *rhs_params * 4),
        )

    def adapt_datetimefield_value(self, value):
        if getattr(value, "tzinfo", None) and timezone.is_aware(value):
            if not settings.USE_TZ:
                # Django's wording first: code and tests match on it.
                raise ValueError(
                    f"SingleStore backend does not support timezone-aware "
                    f"datetimes when USE_TZ is False. It stores naive datetimes, "
                    f"and {value!r} is aware. Set USE_TZ = True (values are then "
                    f"stored as UTC) or pass a naive datetime."
                )
        return super().adapt_datetimefield_value(value)

    def adapt_timefield_value(self, value):
        if getattr(value, "tzinfo", None) and timezone.is_aware(value):
            raise ValueError(
                f"SingleStore backend does not support timezone-aware times. "
                f"TIME columns have no time zone, and {value!r} is aware. Pass "
                f"a naive time."
            )
        return super().adapt_timefield_value(value)

    def date_extract_sql(self, lookup_type, sql, params):
        if lookup_type == "iso_year":
            # No YEARWEEK(): the ISO year is the year of the week's Thursday.
            return (
                f"YEAR(DATE_ADD({sql}, INTERVAL 3 - WEEKDAY({sql}) DAY))",
                (*params, *params),
            )
        return super().date_extract_sql(lookup_type, sql, params)

    def _convert_sql_to_tz(self, sql, params, tzname):
        if not (tzname and settings.USE_TZ and self.connection.timezone_name != tzname):
            return sql, params
        source = self._zone(self.connection.timezone_name)
        target = self._zone(self._prepare_tzname_delta(tzname))
        return f"CONVERT_TZ({sql}, %s, %s)", (*params, source, target)

    def _zone(self, name):
        """A CONVERT_TZ argument the server understands (see module docstring)."""
        if self.connection.features.has_zoneinfo_database or OFFSET_RE.fullmatch(name):
            return name
        if name == "UTC":
            return "+00:00"
        raise NotSupportedError(
            f"Converting datetimes to the time zone {name!r} needs SingleStore's "
            f"time zone tables, which this server has not loaded (CONVERT_TZ "
            f"would return NULL). Load them, or use UTC or a fixed-offset zone "
            f"for this query."
        )

    def date_trunc_sql(self, lookup_type, sql, params, tzname=None):
        sql, params = self._convert_sql_to_tz(sql, params, tzname)
        # The unit is a parameter: the server rejects unknown units.
        return f"DATE(DATE_TRUNC(%s, {sql}))", (lookup_type, *params)

    def datetime_trunc_sql(self, lookup_type, sql, params, tzname):
        sql, params = self._convert_sql_to_tz(sql, params, tzname)
        return f"DATE_TRUNC(%s, {sql})", (lookup_type, *params)

    def regex_lookup(self, lookup_type):
        option = "c" if lookup_type == "regex" else "i"
        return f"REGEXP_INSTR(%s, %s, 1, 1, 0, '{option}') > 0"

    def lookup_cast(self, lookup_type, internal_type=None):
        lookup = "%s"
        if internal_type == "JSONField" and lookup_type in JSON_TEXT_LOOKUPS:
            lookup = "(%s :> LONGTEXT)"
        if lookup_type in CASE_INSENSITIVE:
            lookup = f"LOWER({lookup})"
        return lookup

    def on_conflict_suffix_sql(self, fields, on_conflict, update_fields, unique_fields):
        if on_conflict != OnConflict.UPDATE:
            return super().on_conflict_suffix_sql(
                fields, on_conflict, update_fields, unique_fields
            )
        return "ON DUPLICATE KEY UPDATE " + ", ".join(
            f"{name} = VALUES({name})" for name in map(self.quote_name, update_fields)
        )

    def explain_query_prefix(self, format=None, **options):
        # EXPLAIN [JSON]: no ANALYZE (SingleStore profiles with PROFILE) and
        # no FORMAT= clause. The base class rejects unknown formats/options.
        if format and format.upper() == "TEXT":
            format = None
        prefix = super(MySQLDatabaseOperations, self).explain_query_prefix(
            format, **options
        )
        return f"{prefix} {format.upper()}" if format else prefix

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        # Foreign keys are not enforced, so no FOREIGN_KEY_CHECKS toggling.
        keyword = "TRUNCATE" if reset_sequences else "DELETE FROM"
        return [
            f"{style.SQL_KEYWORD(keyword)} {style.SQL_FIELD(self.quote_name(t))};"
            for t in tables
        ]

    def sequence_reset_by_name_sql(self, style, sequences):
        # ALTER TABLE ... AUTO_INCREMENT = n is refused on sharded tables.
        return []
