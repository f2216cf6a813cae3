"""Triggers that store values the way SingleStore does.

SingleStore keeps JSON normalised (no insignificant whitespace), checks
that a VECTOR(n) value has n elements, and holds DATE and DATETIME values
from the year 1000 on. A BEFORE INSERT and a BEFORE UPDATE trigger per table
compact and unescape valid JSON (the json_store routine; invalid text is left
for MariaDB's json_valid CHECK to refuse), pass vectors through the to_vector
routine and refuse earlier dates, which MariaDB would store.
"""

import hashlib

from .errors import ERRORS
from .tokens import quote_ident, quote_string


def _name(event, table):
    name = f"s2_{event}_{table}"
    if len(name) > 64:
        name = f"s2_{event}_" + hashlib.sha1(table.encode()).hexdigest()[:24]
    return name


def drop(query, db, table):
    for event in ("bi", "bu"):
        name = f"{quote_ident(db)}.{quote_ident(_name(event, table))}"
        query(f"DROP TRIGGER IF EXISTS {name}")


def sync(query, db, table, meta, schema):
    """Recreate the table's triggers for its current JSON, VECTOR and date
    columns."""
    drop(query, db, table)
    if meta.temporary:
        return
    checks = _date_checks(query, db, table)
    sets = []
    for column in meta.json_columns:
        col = "NEW." + quote_ident(column)
        sets.append(f"SET {col} = {schema}.json_store({col});")
    for column, (dims, _elem) in sorted(meta.vectors.items()):
        col = "NEW." + quote_ident(column)
        sets.append(f"SET {col} = {schema}.to_vector({col}, {int(dims)});")
    if checks:
        sets = ["DECLARE s2_message VARCHAR(512);", *checks, *sets]
    if not sets:
        return
    body = "BEGIN " + " ".join(sets) + " END"
    target = f"{quote_ident(db)}.{quote_ident(table)}"
    for event, verb in (("bi", "INSERT"), ("bu", "UPDATE")):
        name = f"{quote_ident(db)}.{quote_ident(_name(event, table))}"
        query(f"CREATE TRIGGER {name} BEFORE {verb} ON {target} FOR EACH ROW {body}")


# DATE and DATETIME hold '1000-01-01' to '9999-12-31', and the zero value
# (D/cloud/reference/sql-reference/data-types/time-and-date).
_FIRST_DAY = "1000-01-01"


def _date_checks(query, db, table):
    columns = query(
        "SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS"
        " WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s"
        " AND DATA_TYPE IN ('date', 'datetime') ORDER BY ORDINAL_POSITION",
        (db, table),
    )
    spec = ERRORS["date_range"]
    checks = []
    for column, data_type in columns:
        col = "NEW." + quote_ident(column)
        head, tail = spec.template.format(
            kind=data_type, value="\0", col=column
        ).split("\0")
        checks.append(
            f"IF {col} < '{_FIRST_DAY}' AND {col} <> '0000-00-00' THEN"
            f" SET s2_message = CONCAT({quote_string(head)}, {col},"
            f" {quote_string(tail)});"
            f" SIGNAL SQLSTATE '{spec.sqlstate}' SET MYSQL_ERRNO = {spec.errno},"
            " MESSAGE_TEXT = s2_message; END IF;"
        )
    return checks
