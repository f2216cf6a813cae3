"""Parsing of SingleStore table definitions and index clauses.

Works on the token tree: a definition is one comma-separated part of the
CREATE TABLE parentheses or one ALTER TABLE specification. The parsers
return plain records; ddl_rules.py decides and renders.
"""

from dataclasses import dataclass, field

from .computed import split_definition
from .tokens import Group, render, significant, split_commas, unquote_ident

VECTOR_TYPES = ("F32", "F16", "F64", "I8", "I16", "I32", "I64")


@dataclass
class Key:
    kind: str  # primary | unique | key | fulltext | vector | shard | sort
    name: str | None
    columns: list
    unenforced: bool = False
    rely: bool = False
    descending: list = field(default_factory=list)
    options: str | None = None
    version: int = 1
    cols_text: str = ""


@dataclass
class Column:
    name: str
    type_text: str
    vector: list | None = None
    primary: bool = False
    unique: bool = False
    auto_increment: bool = False
    not_null: bool = False
    check: bool = False
    # Computed columns (computed.py): the expression text, the items after
    # PERSISTED (None without PERSISTED) and the items after the type.
    computed: str | None = None
    computed_tail: list | None = None
    after_type: list = field(default_factory=list)
    # The text from MySQL's generated-column syntax on (GENERATED ALWAYS AS,
    # or "type AS (expr)"), which SingleStore cannot parse.
    generated_near: str | None = None


def is_name(item):
    return item.kind in ("word", "ident")


def name_of(item):
    return unquote_ident(item.text)


def qualified_name(items, pos):
    """(database or None, table, next position) for a name starting at `pos`."""
    sig = items
    first = name_of(sig[pos])
    if pos + 2 < len(sig) and sig[pos + 1].text == "." and is_name(sig[pos + 2]):
        return first, name_of(sig[pos + 2]), pos + 3
    return None, first, pos + 1


def key_columns(group):
    cols, desc = [], []
    for part in split_commas(group.items):
        sig = significant(part)
        if not sig:
            continue
        cols.append(name_of(sig[0]))
        desc.append(any(t.is_word("DESC") for t in sig[1:] if not isinstance(t, Group)))
    return cols, desc


def _words(sig):
    return [t.upper if t.kind == "word" else None for t in sig]


def parse_key(sig):
    """A Key for an index definition, or None when `sig` is not one.

    Accepts the SingleStore forms of CREATE TABLE and ALTER TABLE ... ADD
    (without the ADD): PRIMARY KEY, UNIQUE, KEY/INDEX, FULLTEXT, VECTOR
    INDEX, SHARD KEY, SORT KEY, with an optional CONSTRAINT name prefix.
    """
    words = _words(sig)
    if not sig:
        return None
    start = 0
    constraint = None
    if words[0] == "CONSTRAINT":
        start = 2 if len(sig) > 1 and words[1] not in ("PRIMARY", "UNIQUE") else 1
        if start == 2:
            constraint = name_of(sig[1])
    w = words[start:] + [None, None]
    kinds = {
        ("PRIMARY", "KEY"): "primary",
        ("SHARD", "KEY"): "shard",
        ("SORT", "KEY"): "sort",
        ("VECTOR", "INDEX"): "vector",
        ("VECTOR", "KEY"): "vector",
    }
    kind = kinds.get((w[0], w[1]))
    skip = 2
    if kind is None:
        if w[0] == "UNIQUE":
            kind, skip = "unique", (2 if w[1] in ("KEY", "INDEX") else 1)
        elif w[0] in ("KEY", "INDEX"):
            kind, skip = "key", 1
        elif w[0] == "FULLTEXT":
            kind, skip = "fulltext", (2 if w[1] in ("KEY", "INDEX") else 1)
        else:
            return None
    rest = sig[start + skip :]
    key = Key(kind, None, [])
    i = 0
    while i < len(rest):
        item = rest[i]
        if isinstance(item, Group):
            if not key.columns and not key.cols_text:
                key.columns, key.descending = key_columns(item)
                key.cols_text = "(" + render(item.items) + ")"
            i += 1
            continue
        up = item.upper if item.kind == "word" else None
        if up == "USING":
            if i + 1 < len(rest) and rest[i + 1].is_word("VERSION"):
                key.version = int(rest[i + 2].text)
                i += 3
                continue
            i += 2
            continue
        if up == "UNENFORCED":
            key.unenforced = True
        elif up == "RELY":
            key.rely = True
        elif up == "INDEX_OPTIONS":
            nxt = [t for t in rest[i + 1 :] if t.kind == "str"]
            key.options = nxt[0].text if nxt else None
        elif up in ("NORELY", "METADATA_ONLY", "KEY", "INDEX"):
            pass
        elif is_name(item) and key.name is None and not key.columns:
            key.name = name_of(item)
        i += 1
    if kind == "primary":
        key.name = "PRIMARY"
    elif key.name is None and constraint is not None:
        key.name = constraint
    elif key.name is None and kind in ("unique", "key", "fulltext", "vector"):
        key.name = key.columns[0] if key.columns else None
    return key


def parse_column(part):
    """A Column for a column definition's items (name first)."""
    sig = significant(part)
    col = Column(name_of(sig[0]), "")
    computed = split_definition(part)
    i = 1
    if computed is not None:
        col.computed, col.computed_tail = computed
        sig = [sig[0], *significant(col.computed_tail or [])]
    type_items = []
    while i < len(sig):
        item = sig[i]
        if isinstance(item, Group) or (
            item.kind == "word" and item.upper in _TYPE_WORDS
        ):
            type_items.append(item)
            i += 1
            continue
        break
    if type_items and type_items[0].is_word("VECTOR"):
        col.vector = vector_spec(type_items[1] if len(type_items) > 1 else None)
    col.type_text = render(_spaced(type_items))
    col.after_type = sig[i:]
    mysql_form = [
        item for item in sig[1:] if item.is_word("GENERATED") or item.is_word("AS")
    ]
    if mysql_form and computed is None:
        at = next(j for j, item in enumerate(part) if item is mysql_form[0])
        col.generated_near = render(part[at:]).strip()
    words = _words(sig[i:])
    for j, word in enumerate(words):
        if word == "PRIMARY" or (
            word == "KEY" and (j == 0 or words[j - 1] != "UNIQUE")
        ):
            col.primary = True
        elif word == "UNIQUE":
            col.unique = True
        elif word == "AUTO_INCREMENT":
            col.auto_increment = True
        elif word == "NOT" and j + 1 < len(words) and words[j + 1] == "NULL":
            col.not_null = True
        elif word == "CHECK":
            col.check = True
    return col


_TYPE_WORDS = {
    "TINYINT",
    "SMALLINT",
    "MEDIUMINT",
    "INT",
    "INTEGER",
    "BIGINT",
    "UNSIGNED",
    "SIGNED",
    "ZEROFILL",
    "FLOAT",
    "DOUBLE",
    "PRECISION",
    "REAL",
    "DECIMAL",
    "NUMERIC",
    "DEC",
    "FIXED",
    "BIT",
    "BOOL",
    "BOOLEAN",
    "DATE",
    "TIME",
    "DATETIME",
    "TIMESTAMP",
    "YEAR",
    "CHAR",
    "VARCHAR",
    "BINARY",
    "VARBINARY",
    "TINYTEXT",
    "TEXT",
    "MEDIUMTEXT",
    "LONGTEXT",
    "TINYBLOB",
    "BLOB",
    "MEDIUMBLOB",
    "LONGBLOB",
    "ENUM",
    "SET",
    "JSON",
    "BSON",
    "VECTOR",
    "GEOGRAPHY",
    "GEOGRAPHYPOINT",
    "NATIONAL",
    "VARYING",
    "CHARACTER",
}


def _spaced(items):
    out = []
    for item in items:
        if out and not isinstance(item, Group):
            out.append(_SPACE)
        out.append(item)
    return out


class _Space:
    kind = "ws"
    text = " "


_SPACE = _Space()


def vector_spec(group):
    """[dimensions, element type] from the parentheses of VECTOR(n[, T])."""
    if group is None or not isinstance(group, Group):
        return None
    parts = [significant(p) for p in split_commas(group.items)]
    if not parts or len(parts[0]) != 1 or parts[0][0].kind != "num":
        return None
    elem = "F32"
    if len(parts) > 1:
        if len(parts[1]) != 1 or parts[1][0].upper not in VECTOR_TYPES:
            return None
        elem = parts[1][0].upper
    return [int(parts[0][0].text), elem]


def definition_kind(part):
    """'key', 'check', 'foreign', 'column_group' or 'column' for one definition."""
    sig = significant(part)
    words = _words(sig) + [None, None, None]
    first = (
        2 if words[0] == "CONSTRAINT" and words[1] not in ("CHECK", "PRIMARY") else 0
    )
    if words[0] == "CONSTRAINT" and first == 0:
        first = 1
    lead = words[first]
    if lead == "CHECK":
        return "check"
    if lead == "FOREIGN":
        return "foreign"
    if lead == "COLUMN" and words[first + 1] == "GROUP":
        return "column_group"
    if sig and parse_key(sig) is not None:
        if lead in ("VECTOR", "SHARD", "SORT") and words[first + 1] not in (
            "KEY",
            "INDEX",
        ):
            return "column"
        return "key"
    return "column"
