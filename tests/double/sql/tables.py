"""CREATE/DROP/RENAME TABLE and DROP DATABASE: rules, MariaDB DDL, catalog.

ALTER TABLE and the index statements are in alter.py and share the helpers
here.

Each handler checks SingleStore's restrictions (errors.py names them),
renders the MariaDB statement, and returns a Forward whose on_done writes
the catalog only when MariaDB succeeded.
"""

from . import computed, errors, lenient, vectors
from .catalog import COLUMNSTORE, ROWSTORE, TableMeta
from .ddl import definition_kind, is_name, parse_column, parse_key, qualified_name
from .outcomes import Forward
from .tokens import Group, Tok, quote_ident, render, significant, split_commas

_STRIPPED_COLUMN_WORDS = ("SPARSE",)


def sig_positions(items):
    return [i for i, item in enumerate(items) if item.kind not in ("ws", "comment")]


def offset_of(items, index):
    return len(render(items[:index]))


def table_ref(session, items, pos):
    sig = [items[i] for i in sig_positions(items)]
    db, name, nxt = qualified_name(sig, pos)
    return db or session.database, name, nxt


def render_column(part):
    """A column definition in MariaDB terms: VECTOR(n) as LONGTEXT, no SPARSE."""
    out = []
    items = list(part)
    i = 0
    while i < len(items):
        item = items[i]
        if item.kind == "word" and item.upper == "VECTOR" and out and _has_name(out):
            out.append(Tok("word", "LONGTEXT"))
            if i + 1 < len(items) and isinstance(items[i + 1], Group):
                i += 1
            i += 1
            continue
        if item.kind == "word" and item.upper in _STRIPPED_COLUMN_WORDS:
            i += 1
            continue
        if (
            item.is_word("SERIES")
            and i + 2 < len(items)
            and items[i + 2].is_word("TIMESTAMP")
        ):
            i += 3
            continue
        out.append(item)
        i += 1
    return render(out)


def is_json(column):
    return column.type_text.upper().startswith("JSON")


def index_of(items, target):
    return next(i for i, item in enumerate(items) if item is target)


def _has_name(out):
    return any(is_name(t) for t in out)


def render_key(key):
    name = quote_ident(key.name) + " " if key.name else ""
    if key.kind == "primary":
        return "PRIMARY KEY " + key.cols_text
    if key.kind == "unique" and not key.unenforced:
        return "UNIQUE KEY " + name + key.cols_text
    if key.kind == "fulltext":
        return "FULLTEXT KEY " + name + key.cols_text
    return "KEY " + name + key.cols_text


def _check_keys(meta, keys, columns):
    """SingleStore's CREATE TABLE key rules, in the order it reports them."""
    uniques = [k for k in keys if k.kind in ("primary", "unique") and not k.unenforced]
    uniques += [_col_key(c) for c in columns if c.unique or c.primary]
    if meta.reference and not any(k.kind == "primary" for k in uniques):
        return errors.fail("reference_no_pk")
    if meta.columnstore and _float_primary(keys, columns):
        return errors.fail("float_primary_columnstore")
    if meta.sharded:
        for key in uniques:
            if not set(meta.shard_key) <= set(key.columns):
                return errors.fail("unique_shard", name=key.name)
    if (
        meta.columnstore
        and len(uniques) > 1
        and any(len(k.columns) > 1 for k in uniques)
    ):
        return errors.fail("multi_unique_columnstore")
    if meta.columnstore:
        hashed = [
            tuple(k.columns)
            for k in keys
            if k.kind in ("primary", "unique", "key") and not k.unenforced
        ]
        hashed += [(c.name,) for c in columns if c.unique or c.primary]
        if len(hashed) != len(set(hashed)):
            return errors.fail("same_columns_hash")
    fulltext = [k for k in keys if k.kind == "fulltext"]
    if fulltext and not meta.columnstore:
        return errors.fail("fulltext_rowstore")
    if len(fulltext) > 1:
        return errors.fail("two_fulltext")
    if any(k.kind == "vector" for k in keys) and not meta.columnstore:
        return errors.fail("vector_rowstore")
    return None


_FLOAT_TYPES = ("FLOAT", "DOUBLE", "REAL")


def _float_primary(keys, columns):
    primary = {c.name for c in columns if c.primary}
    for key in keys:
        if key.kind == "primary":
            primary.update(key.columns)
    return any(
        c.name in primary and c.type_text.upper().startswith(_FLOAT_TYPES)
        for c in columns
    )


def _col_key(column):
    from .ddl import Key

    kind = "primary" if column.primary else "unique"
    return Key(kind, "PRIMARY" if column.primary else column.name, [column.name])


def create_table(session, sql, items):
    pos = sig_positions(items)
    sig = [items[i] for i in pos]
    words = [t.upper if t.kind == "word" else "" for t in sig]
    table_at = words.index("TABLE")
    modifiers = set(words[1:table_at])
    nxt = table_at + 1
    if_not_exists = words[nxt : nxt + 3] == ["IF", "NOT", "EXISTS"]
    if if_not_exists:
        nxt += 3
    db, name, nxt = table_ref(session, items, nxt)
    engine = session.engine
    default = ROWSTORE if engine.default_table_type == "rowstore" else COLUMNSTORE
    meta = TableMeta(
        storage=ROWSTORE if "ROWSTORE" in modifiers else default,
        reference="REFERENCE" in modifiers,
        temporary="TEMPORARY" in modifiers,
    )
    out = list(items)
    for i in pos[1:table_at]:
        if sig[pos.index(i)].upper in ("ROWSTORE", "REFERENCE", "GLOBAL"):
            out[i] = Tok("ws", "")
    body = sig[nxt] if nxt < len(sig) else None
    if body is not None and body.is_word("LIKE"):
        src_db, src, _ = table_ref(session, items, nxt + 1)
        source = session.known_table(src_db, src)
        meta = source.copy() if source else meta
        meta.temporary = "TEMPORARY" in modifiers
    elif isinstance(body, Group):
        outcome = _create_body(session, sql, meta, body)
        if not isinstance(outcome, str):
            return outcome
        out[pos[nxt]] = Tok("raw", "(" + outcome + ")")
    if meta.reference:
        meta.shard_key = None
    if db is None:
        return Forward(render(out))
    existed = if_not_exists and session.known_table(db, name) is not None

    def on_done(error):
        if error is None and not existed:
            session.store_table(db, name, meta)

    return Forward(render(out), on_done)


def _create_body(session, sql, meta, body):
    """Check the definitions, fill `meta`, return the MariaDB body or a Fail."""
    keys, columns, parts = [], [], []
    for part in split_commas(body.items):
        kind = definition_kind(part)
        if kind == "check":
            return errors.fail("check_constraint")
        if kind == "foreign":
            return errors.fail("foreign_key")
        if kind == "column_group":
            continue
        if kind == "key":
            key = parse_key(significant(part))
            keys.append(key)
            if key.kind not in ("shard", "sort", "vector"):
                parts.append(" " + render_key(key))
            continue
        column = parse_column(part)
        if column.check:
            return errors.fail("check_constraint")
        refused = computed.refusal(sql, column)
        if refused:
            return refused
        columns.append(column)
        if column.vector:
            meta.vectors[column.name] = column.vector
        if column.computed is not None:
            meta.computed[column.name] = computed.catalog_entry(column)
            parts.append(" " + computed.render_mariadb(session, column))
            continue
        if is_json(column):
            meta.json_columns.append(column.name)
        parts.append(render_column(part))
    shard = [k for k in keys if k.kind == "shard"]
    primary = [k for k in keys if k.kind == "primary"] + [
        _col_key(c) for c in columns if c.primary
    ]
    if shard:
        meta.shard_key = shard[0].columns
        meta.shard_explicit = True
    elif primary:
        meta.shard_key = list(primary[0].columns)
    if meta.reference:
        meta.shard_key = []
    for key in keys:
        if key.kind == "sort":
            meta.sort_key = [
                [c, d] for c, d in zip(key.columns, key.descending, strict=True)
            ]
            meta.sort_name = key.name
        elif key.kind == "unique" and key.unenforced:
            meta.unenforced[key.name] = {"columns": key.columns, "rely": key.rely}
        elif key.kind == "vector":
            meta.vector_indexes[key.name] = {
                "column": key.columns[0],
                "options": key.options,
            }
        elif key.kind == "fulltext":
            meta.fulltext = {
                "name": key.name,
                "columns": key.columns,
                "version": key.version,
            }
    failed = _check_keys(meta, keys, columns)
    if failed:
        return failed
    by_name = {column.name: column for column in columns}
    for key in keys:
        if key.kind == "vector":
            column = by_name.get(key.columns[0])
            failed = vectors.index_refusal(
                key,
                column.vector if column else None,
                column.not_null or column.primary if column else None,
                session.engine.options,
            )
            if failed:
                return failed
    lenient.note_create(session, meta, keys, columns)
    return ",".join(parts)


def _indexes(engine, db, table):
    rows = engine.catalog.query(
        f"SHOW INDEX FROM {quote_ident(db)}.{quote_ident(table)}"
    )
    found = {}
    for row in rows:
        found.setdefault(row[2], {"unique": not row[1], "columns": []})[
            "columns"
        ].append(row[4])
    return found


def table_meta(session, db, table):
    """The catalog entry, or one inferred from MariaDB for tables made elsewhere."""
    meta = session.known_table(db, table)
    if meta is not None:
        return meta
    engine = session.engine
    default = ROWSTORE if engine.default_table_type == "rowstore" else COLUMNSTORE
    try:
        indexes = _indexes(engine, db, table)
    except Exception:
        indexes = {}
    primary = indexes.get("PRIMARY", {}).get("columns", [])
    return TableMeta(storage=default, shard_key=list(primary))


def drop_table(session, sql, items):
    """`DROP [TEMPORARY] TABLE [IF EXISTS] name [FORCE]`, SingleStore's whole
    grammar (D/db/v9.1/reference/sql-reference/data-definition-language-ddl/
    drop-table); MySQL's RESTRICT and CASCADE are not in it. FORCE (kill the
    running queries first) has nothing to wait for here and is dropped."""
    pos = sig_positions(items)
    sig = [items[i] for i in pos]
    names = []
    i = 2
    while i < len(sig):
        if sig[i].is_word("RESTRICT", "CASCADE"):
            return errors.syntax_error(sql, offset_of(items, pos[i]))
        if sig[i].is_word("FORCE") and i == len(sig) - 1 and names:
            items = items[: pos[i]]
            sql = render(items)
            break
        if sig[i].is_word("IF", "EXISTS", "TEMPORARY") or sig[i].text == ",":
            i += 1
            continue
        if not is_name(sig[i]):
            break
        db, name, i = table_ref(session, items, i)
        names.append((db, name))

    def on_done(error):
        if error is None:
            for db, name in names:
                if db is not None:
                    session.forget_table(db, name)

    return Forward(sql, on_done)


def rename_table(session, sql, items):
    pos = sig_positions(items)
    sig = [items[i] for i in pos]
    pairs = []
    i = 2
    while i < len(sig):
        db, old, i = table_ref(session, items, i)
        if i >= len(sig) or not sig[i].is_word("TO"):
            return Forward(sql)
        new_db, new, i = table_ref(session, items, i + 1)
        pairs.append((db, old, new_db, new))
        if i < len(sig) and sig[i].text == ",":
            i += 1

    def on_done(error):
        if error is None:
            for db, old, new_db, new in pairs:
                meta = session.known_table(db, old) if db is not None else None
                if meta is not None:
                    meta = meta.copy()
                    session.forget_table(db, old)
                    session.store_table(new_db or db, new, meta)

    return Forward(sql, on_done)


def drop_database(session, sql, items):
    sig = significant(items)
    names = [t for t in sig[2:] if is_name(t) and not t.is_word("IF", "EXISTS")]
    if not names:
        return Forward(sql)
    db = names[0].text.strip("`")
    catalog = session.engine.catalog

    def on_done(error):
        if error is None:
            catalog.drop_database(db)

    return Forward(sql, on_done)
