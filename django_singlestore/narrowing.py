"""Column changes that would not keep every value are refused before any DDL.

SingleStore's columnstore rebuild copies values with ``:>``, which truncates
silently, and a rowstore ``MODIFY`` fails half way with MySQL's 1406/1264.
Both are replaced by one up-front count: :func:`misfit_predicate` says which
rows of the old column do not fit the new one, and the schema editor refuses
the change with :func:`refusal` when any row matches, on every storage type.

A type is read from its column definition (``varchar(30)``, ``integer
UNSIGNED``, ``numeric(5, 2)``, ...) into a :class:`ColumnType`; a change
within a family (string, integer, decimal) is checked by length, range or
digits, text to a date or time by whether it reads as one, any other type
change by converting each value to the new type and back and comparing it
with the original.
"""

import re
from dataclasses import dataclass

from django.db import DataError

_TYPE = re.compile(r"\s*(\w+)\s*(?:\(([^)]*)\))?\s*(\w+)?", re.IGNORECASE)
_INTEGER_BITS = {
    "tinyint": 8,
    "bool": 8,
    "boolean": 8,
    "smallint": 16,
    "mediumint": 24,
    "int": 32,
    "integer": 32,
    "bigint": 64,
}
_STRINGS = {"char", "varchar"}
_TEXTS = {"tinytext", "text", "mediumtext", "longtext"}
_DECIMALS = {"decimal", "numeric", "dec", "fixed"}
_DOUBLES = {"double", "real"}
_TEMPORALS = {"date", "datetime", "time", "timestamp", "year"}


@dataclass(frozen=True)
class ColumnType:
    family: str  # "string", "integer", "decimal", "double" or the type's name
    length: int | None = None  # characters of a string type; None: unlimited
    low: int | None = None  # integer range
    high: int | None = None
    digits: int | None = None  # decimal precision and scale
    places: int | None = None


def column_type(db_type):
    """The :class:`ColumnType` of a column definition such as ``varchar(30)``."""
    match = _TYPE.match(db_type or "")
    if match is None:
        return ColumnType(family=(db_type or "").strip().lower())
    name, args, modifier = match.group(1).lower(), match.group(2), match.group(3)
    numbers = [int(arg) for arg in re.findall(r"\d+", args or "")]
    if name in _STRINGS:
        return ColumnType("string", length=numbers[0] if numbers else 1)
    if name in _TEXTS:
        return ColumnType("string")
    if name in _INTEGER_BITS:
        bits = _INTEGER_BITS[name]
        if modifier and modifier.lower() == "unsigned":
            return ColumnType("integer", low=0, high=2**bits - 1)
        return ColumnType("integer", low=-(2 ** (bits - 1)), high=2 ** (bits - 1) - 1)
    if name in _DECIMALS:
        digits = numbers[0] if numbers else 10
        places = numbers[1] if len(numbers) > 1 else 0
        return ColumnType("decimal", digits=digits, places=places)
    if name in _DOUBLES:
        return ColumnType("double")
    return ColumnType(name)


def _integer_digits(kind):
    """How many digits before the decimal point ``kind`` may need."""
    if kind.family == "integer":
        return len(str(max(abs(kind.low), kind.high)))
    return kind.digits - kind.places


def _holds(old, new):
    """Whether every value of type ``old`` fits type ``new`` unchanged."""
    if old == new:
        return True
    if new.family == "string":
        return old.family == "string" and (
            new.length is None or (old.length is not None and old.length <= new.length)
        )
    if new.family == "integer":
        return old.family == "integer" and new.low <= old.low and old.high <= new.high
    if new.family == "decimal":
        if old.family == "integer":
            return _integer_digits(old) <= _integer_digits(new)
        return (
            old.family == "decimal"
            and old.places <= new.places
            and _integer_digits(old) <= _integer_digits(new)
        )
    if new.family == "double":
        # A double holds every integer up to 2**53 exactly.
        return old.family in ("float", "double") or (
            old.family == "integer" and old.high <= 2**53
        )
    return False


def misfit_predicate(column, old_db_type, new_db_type, old_cast, new_cast):
    """SQL that is true for a row whose ``column`` value would not survive the
    change from ``old_db_type`` to ``new_db_type``, or None when every value
    fits. ``column`` is quoted; ``old_cast``/``new_cast`` are the types for
    ``:>``, used for changes between families."""
    old, new = column_type(old_db_type), column_type(new_db_type)
    if _holds(old, new):
        return None
    numeric = old.family in ("integer", "decimal", "float", "double")
    if new.family == "string" and new.length is not None:
        return f"CHAR_LENGTH({column}) > {new.length}"
    if new.family == "integer" and numeric:
        fraction = (
            "" if old.family == "integer" else f"{column} <> ROUND({column}, 0) OR "
        )
        return f"{fraction}{column} < {new.low} OR {column} > {new.high}"
    if new.family == "decimal" and numeric:
        limit = "1" + "0" * _integer_digits(new)
        return f"{column} <> ROUND({column}, {new.places}) OR ABS({column}) >= {limit}"
    if not (old_cast and new_cast):
        return "TRUE"
    if old.family == "string" and new.family in _TEMPORALS:
        # Text spells a date or time in many ways ('3:16:17.4567' is
        # 03:16:17.456700); what does not fit is text that reads as none.
        return f"{column} IS NOT NULL AND ({column} :> {new_cast}) IS NULL"
    return f"NOT ((({column} :> {new_cast}) :> {old_cast}) <=> {column})"


def refusal(table, column, old_db_type, new_db_type, count, nulls=False):
    """The DataError for a change that ``count`` rows would not survive."""
    rows = "1 row holds" if count == 1 else f"{count} rows hold"
    if nulls:
        return DataError(
            f"Refusing to make column {table}.{column} NOT NULL "
            f"({old_db_type} NULL -> {new_db_type} NOT NULL): {rows} NULL and "
            f"the field has no default. Nothing was changed. Give the field a "
            f"default, fill or delete those rows in a data migration first, or "
            f"keep the column nullable."
        )
    return DataError(
        f"Refusing to change column {table}.{column} from {old_db_type} to "
        f"{new_db_type}: {rows} a value that does not fit the new type. "
        f"Nothing was changed. Fix or delete those rows in a data migration "
        f"first, or keep the wider type."
    )


def key_refusal(table, columns, change, count, nulls=False):
    """The DataError for a primary-key move that ``count`` rows would not
    survive: NULL in a key column, or a key value another row holds too."""
    rows = "1 row holds" if count == 1 else f"{count} rows hold"
    what = "NULL" if nulls else "a value another row holds too"
    return DataError(
        f"Refusing to make ({', '.join(columns)}) the primary key of table "
        f"{table} ({change}): {rows} {what}. Nothing was changed. Fix or "
        f"delete those rows in a data migration first, or keep the current "
        f"primary key."
    )
