"""Triggers that store JSON and VECTOR values the way SingleStore does.

SingleStore keeps JSON normalised (no insignificant whitespace) and checks
that a VECTOR(n) value has n elements. A BEFORE INSERT and a BEFORE UPDATE
trigger per table compact and unescape valid JSON (the json_store routine;
invalid text is left for MariaDB's json_valid CHECK to refuse) and pass
vectors through the to_vector routine.
"""

import hashlib

from .tokens import quote_ident


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
    """Recreate the table's triggers for its current JSON and VECTOR columns."""
    drop(query, db, table)
    if meta.temporary:
        return
    sets = []
    for column in meta.json_columns:
        col = "NEW." + quote_ident(column)
        sets.append(f"SET {col} = {schema}.json_store({col});")
    for column, (dims, _elem) in sorted(meta.vectors.items()):
        col = "NEW." + quote_ident(column)
        sets.append(f"SET {col} = {schema}.to_vector({col}, {int(dims)});")
    if not sets:
        return
    body = "BEGIN " + " ".join(sets) + " END"
    target = f"{quote_ident(db)}.{quote_ident(table)}"
    for event, verb in (("bi", "INSERT"), ("bu", "UPDATE")):
        name = f"{quote_ident(db)}.{quote_ident(_name(event, table))}"
        query(f"CREATE TRIGGER {name} BEFORE {verb} ON {target} FOR EACH ROW {body}")
