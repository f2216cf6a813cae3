"""CREATE/ALTER/DROP/RENAME for tables and indexes: rules, MariaDB DDL, catalog.

Each handler checks SingleStore's restrictions (errors.py names them),
renders the MariaDB statement, and returns a Forward whose on_done writes
the catalog only when MariaDB succeeded.
"""

from . import errors
from .catalog import COLUMNSTORE, ROWSTORE, TableMeta
from .ddl import definition_kind, is_name, parse_column, parse_key, qualified_name
from .outcomes import Forward
from .tokens import Group, Tok, quote_ident, render, significant, split_commas, strip

_STRIPPED_COLUMN_WORDS = ("SPARSE",)


def _sig_positions(items):
    return [i for i, item in enumerate(items) if item.kind not in ("ws", "comment")]


def _offset_of(items, index):
    return len(render(items[:index]))


def _table_ref(session, items, pos):
    sig = [items[i] for i in _sig_positions(items)]
    db, name, nxt = qualified_name(sig, pos)
    return db or session.database, name, nxt


def _render_column(part):
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


def _is_json(column):
    return column.type_text.upper().startswith("JSON")


def _index_of(items, target):
    return next(i for i, item in enumerate(items) if item is target)


def _has_name(out):
    return any(is_name(t) for t in out)


def _render_key(key):
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


def _col_key(column):
    from .ddl import Key

    kind = "primary" if column.primary else "unique"
    return Key(kind, "PRIMARY" if column.primary else column.name, [column.name])


def create_table(session, sql, items):
    pos = _sig_positions(items)
    sig = [items[i] for i in pos]
    words = [t.upper if t.kind == "word" else "" for t in sig]
    table_at = words.index("TABLE")
    modifiers = set(words[1:table_at])
    nxt = table_at + 1
    if_not_exists = words[nxt : nxt + 3] == ["IF", "NOT", "EXISTS"]
    if if_not_exists:
        nxt += 3
    db, name, nxt = _table_ref(session, items, nxt)
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
        src_db, src, _ = _table_ref(session, items, nxt + 1)
        source = session.known_table(src_db, src)
        meta = source.copy() if source else meta
        meta.temporary = "TEMPORARY" in modifiers
    elif isinstance(body, Group):
        outcome = _create_body(meta, body)
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


def _create_body(meta, body):
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
                parts.append(" " + _render_key(key))
            continue
        column = parse_column(part)
        if column.check:
            return errors.fail("check_constraint")
        columns.append(column)
        if column.vector:
            meta.vectors[column.name] = column.vector
        if _is_json(column):
            meta.json_columns.append(column.name)
        parts.append(_render_column(part))
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
    return ",".join(parts)


def _columns(engine, db, table):
    rows = engine.catalog.query(
        f"SHOW FULL COLUMNS FROM {quote_ident(db)}.{quote_ident(table)}"
    )
    return {
        r[0]: {"type": r[1].lower(), "null": r[3] == "YES", "extra": r[6].lower()}
        for r in rows
    }


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


def alter_table(session, sql, items):
    pos = _sig_positions(items)
    sig = [items[i] for i in pos]
    at = 2 if sig[1].is_word("ONLINE") else 1
    if not sig[at].is_word("TABLE"):
        return Forward(sql)
    db, table, nxt = _table_ref(session, items, at + 1)
    if db is None or nxt >= len(sig):
        return Forward(sql)
    engine = session.engine
    meta = table_meta(session, db, table).copy()
    head = render(items[: pos[nxt]])
    specs = split_commas(items[pos[nxt] :])
    state = _AlterState(engine, db, table, meta, sql, _offset_of(items, pos[nxt]))
    rendered = []
    for spec in specs:
        result = state.spec(spec)
        if not isinstance(result, str):
            return result
        if result:
            rendered.append(result)
        state.offset += len(render(spec)) + 1
    text = head + ",".join(rendered) if rendered else "DO 0"
    new_meta = state.meta

    def on_done(error):
        if error is not None:
            return
        if state.new_name:
            session.forget_table(db, table)
            session.store_table(state.new_name[0] or db, state.new_name[1], new_meta)
        else:
            session.store_table(db, table, new_meta)

    return Forward(text, on_done)


class _AlterState:
    def __init__(self, engine, db, table, meta, sql, offset):
        self.engine = engine
        self.db = db
        self.table = table
        self.meta = meta
        self.sql = sql
        self.offset = offset
        self.new_name = None
        self._cols = None

    def columns(self):
        if self._cols is None:
            self._cols = _columns(self.engine, self.db, self.table)
        return self._cols

    def syntax(self, spec, word_index):
        text = render(spec)
        lead = len(text) - len(text.lstrip())
        sig_text = render(strip(spec))
        inner = sig_text.split(None, word_index)
        near = inner[-1] if len(inner) > word_index else sig_text
        start = self.offset + lead + sig_text.find(near)
        return errors.syntax_error(self.sql, start)

    def spec(self, spec):
        sig = significant(spec)
        if not sig:
            return ""
        words = [t.upper if t.kind == "word" else "" for t in sig] + ["", "", ""]
        verb = words[0]
        if verb == "ADD":
            return self.add(spec, sig, words)
        if verb == "DROP":
            return self.drop(spec, sig, words)
        if verb == "MODIFY":
            if words[1] in ("INDEX", "KEY"):
                return ""
            return self.modify(spec, sig, 2 if words[1] == "COLUMN" else 1)
        if verb == "CHANGE":
            return self.change(spec, sig, 2 if words[1] == "COLUMN" else 1)
        if verb == "ALTER":
            return self.syntax(spec, 1)
        if verb == "RENAME":
            if words[1] in ("COLUMN", "INDEX", "KEY"):
                return self.syntax(spec, 1)
            start = 2 if words[1] in ("TO", "AS") else 1
            db, name, _ = qualified_name(sig, start)
            self.new_name = (db, name)
            return render(spec)
        if verb == "AUTO_INCREMENT":
            if self.meta.sharded:
                return errors.fail("auto_increment_sharded")
            return render(spec)
        if verb.startswith("AUTOSTATS_") or verb in (
            "COMPRESSION",
            "BACKGROUND_MERGER",
            "TIMEOUT",
        ):
            return ""
        return render(spec)

    def add(self, spec, sig, words):
        second = words[1]
        if second in ("CONSTRAINT", "FOREIGN", "CHECK", "SHARD", "SORT"):
            return self.syntax(spec, 1)
        if second == "PRIMARY":
            return errors.fail("primary_after_create")
        if second == "COLUMN" and words[2] == "GROUP":
            return ""
        key = parse_key(sig[1:]) if second != "COLUMN" else None
        if key is not None and second in (
            "UNIQUE",
            "KEY",
            "INDEX",
            "FULLTEXT",
            "VECTOR",
        ):
            return self.add_key(key)
        rest = sig[2:] if second == "COLUMN" else sig[1:]
        if rest and isinstance(rest[0], Group):
            parts = split_commas(rest[0].items)
            out = []
            for part in parts:
                done = self.add_column(part)
                if not isinstance(done, str):
                    return done
                out.append(done)
            return "ADD COLUMN (" + ",".join(out) + ")"
        idx = _index_of(spec, rest[0])
        done = self.add_column(spec[idx:])
        if not isinstance(done, str):
            return done
        return "ADD COLUMN " + done

    def add_column(self, part):
        column = parse_column(part)
        if column.check:
            return errors.fail("check_constraint")
        if self.meta.columnstore and column.auto_increment:
            return errors.fail("auto_increment_change", col=column.name)
        if column.primary:
            return errors.fail("primary_after_create")
        if column.unique and self.meta.columnstore:
            return errors.fail("add_unique_index", name=column.name)
        if column.unique and self.meta.sharded and self.meta.shard_key:
            if set(self.meta.shard_key) - {column.name}:
                return errors.fail("unique_shard", name=column.name)
        if column.vector:
            self.meta.vectors[column.name] = column.vector
        if _is_json(column):
            self.meta.json_columns.append(column.name)
        return _render_column(strip(part)).strip()

    def add_key(self, key):
        meta = self.meta
        if key.kind == "unique" and not key.unenforced:
            if meta.columnstore:
                return errors.fail("add_unique_index", name=key.name)
            if meta.sharded and not set(meta.shard_key or []) <= set(key.columns):
                return errors.fail("unique_shard", name=key.name)
        if key.kind == "unique" and key.unenforced:
            meta.unenforced[key.name] = {"columns": key.columns, "rely": key.rely}
        if key.kind == "fulltext":
            if not meta.columnstore:
                return errors.fail("fulltext_rowstore")
            if meta.fulltext:
                return errors.fail("two_fulltext")
            meta.fulltext = {
                "name": key.name,
                "columns": key.columns,
                "version": key.version,
            }
        if key.kind == "vector":
            if not meta.columnstore:
                return errors.fail("vector_rowstore")
            meta.vector_indexes[key.name] = {
                "column": key.columns[0],
                "options": key.options,
            }
            return ""
        return "ADD " + _render_key(key)

    def drop(self, spec, sig, words):
        second = words[1]
        meta = self.meta
        if second in ("FOREIGN", "CONSTRAINT", "CHECK"):
            return self.syntax(spec, 1)
        if second == "PRIMARY":
            if meta.columnstore:
                return errors.fail("change_primary")
            return render(spec)
        if second in ("INDEX", "KEY"):
            name = sig[2].text.strip("`")
            if name.upper() == "PRIMARY" and meta.columnstore:
                return errors.fail("change_primary")
            if meta.columnstore and meta.shard_explicit and name == "__SHARDKEY":
                return errors.fail("drop_shard_index", name=name)
            vector = name in meta.vector_indexes
            meta.drop_index(name)
            return "" if vector else render(spec)
        if second == "COLUMN" and words[2] == "GROUP":
            return ""
        column = sig[2] if second == "COLUMN" else sig[1]
        meta.drop_column(column.text.strip("`"))
        return render(spec)

    def modify(self, spec, sig, at):
        name = sig[at].text.strip("`")
        column = parse_column(spec[_index_of(spec, sig[at]) :])
        if self.meta.columnstore:
            failed = self.columnstore_change(name, column)
            if failed:
                return failed
        if column.vector:
            self.meta.vectors[name] = column.vector
        else:
            self.meta.vectors.pop(name, None)
        self.meta.json_columns = [c for c in self.meta.json_columns if c != name]
        if _is_json(column):
            self.meta.json_columns.append(name)
        head = render(spec[: _index_of(spec, sig[at])])
        return head + _render_column(spec[_index_of(spec, sig[at]) :])

    def columnstore_change(self, name, column):
        current = self.columns().get(name)
        if current is None:
            return None
        old_vector = self.meta.vectors.get(name)
        if old_vector or column.vector:
            changed = old_vector != column.vector
        else:
            new_type = self.engine.probe_type(column.type_text)
            changed = new_type is not None and new_type != current["type"]
        if changed:
            return errors.fail("modify_type", col=name)
        if current["null"] and column.not_null:
            return errors.fail("null_to_not_null", col=name)
        if ("auto_increment" in current["extra"]) != column.auto_increment:
            return errors.fail("auto_increment_change", col=name)
        return None

    def change(self, spec, sig, at):
        old = sig[at].text.strip("`")
        if at + 1 >= len(sig):
            return self.syntax(spec, at)
        new = sig[at + 1].text.strip("`")
        if at + 2 < len(sig):
            column = parse_column(spec[_index_of(spec, sig[at + 1]) :])
            current = self.columns().get(old)
            if current is not None:
                old_vector = self.meta.vectors.get(old)
                if old_vector or column.vector:
                    changed = old_vector != column.vector
                else:
                    new_type = self.engine.probe_type(column.type_text)
                    changed = new_type is not None and new_type != current["type"]
                if changed:
                    return errors.fail("change_type")
        self.meta.rename_column(old, new)
        if old == new:
            return ""
        return f"RENAME COLUMN {quote_ident(old)} TO {quote_ident(new)}"


def create_index(session, sql, items):
    """CREATE [UNIQUE|FULLTEXT] INDEX name ... ON t (cols) as ALTER TABLE t ADD ..."""
    pos = _sig_positions(items)
    sig = [items[i] for i in pos]
    on = next(i for i, t in enumerate(sig) if t.is_word("ON"))
    db, table, after = _table_ref(session, items, on + 1)
    key_text = (
        render(items[pos[1] : pos[on]])
        + " "
        + render(items[pos[after] :] if after < len(sig) else [])
    )
    target = (
        quote_ident(table) if db is None else f"{quote_ident(db)}.{quote_ident(table)}"
    )
    alter = f"ALTER TABLE {target} ADD {key_text.strip()}"
    from .tokens import parse

    return alter_table(session, alter, parse(alter))


def drop_index(session, sql, items):
    pos = _sig_positions(items)
    sig = [items[i] for i in pos]
    if len(sig) < 5 or not sig[3].is_word("ON"):
        return Forward(sql)
    db, table, _ = _table_ref(session, items, 4)
    target = (
        quote_ident(table) if db is None else f"{quote_ident(db)}.{quote_ident(table)}"
    )
    alter = f"ALTER TABLE {target} DROP INDEX {sig[2].text}"
    from .tokens import parse

    return alter_table(session, alter, parse(alter))


def drop_table(session, sql, items):
    pos = _sig_positions(items)
    sig = [items[i] for i in pos]
    names = []
    i = 2
    while i < len(sig):
        if (
            sig[i].is_word("IF", "EXISTS", "TEMPORARY", "RESTRICT", "CASCADE")
            or sig[i].text == ","
        ):
            i += 1
            continue
        if not is_name(sig[i]):
            break
        db, name, i = _table_ref(session, items, i)
        names.append((db, name))
    def on_done(error):
        if error is None:
            for db, name in names:
                if db is not None:
                    session.forget_table(db, name)

    return Forward(sql, on_done)


def rename_table(session, sql, items):
    pos = _sig_positions(items)
    sig = [items[i] for i in pos]
    pairs = []
    i = 2
    while i < len(sig):
        db, old, i = _table_ref(session, items, i)
        if i >= len(sig) or not sig[i].is_word("TO"):
            return Forward(sql)
        new_db, new, i = _table_ref(session, items, i + 1)
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
