"""SingleStore-shaped introspection served from MariaDB plus the catalog.

SHOW CREATE TABLE and SHOW INDEX are answered by forwarding a SELECT of
literals built from MariaDB's own answer; information_schema.TABLES and
STATISTICS references become derived tables joined to the catalog;
MATCH (TABLE t) AGAINST and BM25 use the table's FULLTEXT columns.
"""

import json
import re

from . import computed, errors, lucene
from .catalog import SCHEMA
from .ddl import is_name, qualified_name
from .outcomes import Forward
from .tables import table_meta
from .tokens import (
    Group,
    Tok,
    quote_ident,
    quote_string,
    render,
    significant,
    split_commas,
    string_value,
    strip,
)
from .translate import Raw, Refuse

S = SCHEMA


def _literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return quote_string(str(value))


def _select_rows(columns, rows):
    """A SELECT of literal rows with these column names (no rows: WHERE 0)."""
    if not rows:
        cols = ", ".join(f"NULL AS {quote_ident(c)}" for c in columns)
        return f"SELECT {cols} FROM DUAL WHERE 0"
    selects = []
    for row in rows:
        cols = ", ".join(
            f"{_literal(v)} AS {quote_ident(c)}"
            for c, v in zip(columns, row, strict=True)
        )
        selects.append("SELECT " + cols)
    return " UNION ALL ".join(selects)


def show(session, sql, items, sig):
    words = [t.upper if t.kind == "word" else "" for t in sig] + ["", ""]
    if words[1] == "CREATE" and words[2] == "TABLE":
        return _show_create(session, sig, 3)
    if words[1] in ("INDEX", "INDEXES", "KEYS") and words[2] in ("FROM", "IN"):
        return _show_index(session, sql, sig, words)
    if words[1] == "EXTENDED" and words[2] in ("INDEX", "INDEXES", "KEYS"):
        return _show_index(session, sql, sig[1:], words[1:])
    return Forward(sql)


def _target(session, sig, at):
    db, table, nxt = qualified_name(sig, at)
    return db or session.database, table, nxt


def _mariadb_answer(session, statement, db, table):
    """(rows, None) of `statement` on db.table through the catalog connection,
    or (None, Forward) letting MariaDB answer (and give its own error) when the
    database is unknown or the table cannot be read."""
    if db is None:
        return None, Forward(f"{statement} {quote_ident(table)}")
    target = f"{quote_ident(db)}.{quote_ident(table)}"
    try:
        return session.engine.catalog.query(f"{statement} {target}"), None
    except Exception:
        return None, Forward(f"{statement} {target}")


def _show_create(session, sig, at):
    db, table, _ = _target(session, sig, at)
    result, fallback = _mariadb_answer(session, "SHOW CREATE TABLE", db, table)
    if fallback:
        return fallback
    target = f"{quote_ident(db)}.{quote_ident(table)}"
    name, text = result[0][0], result[0][1]
    if not text.startswith("CREATE TABLE") and not text.startswith("CREATE TEMPORARY"):
        return Forward(f"SHOW CREATE TABLE {target}")
    meta = table_meta(session, db, table)
    return Forward(
        _select_rows(["Table", "Create Table"], [(name, singlestore_ddl(text, meta))])
    )


def singlestore_ddl(text, meta):
    """MariaDB's CREATE TABLE text reshaped as SingleStore prints it."""
    kind = ("ROWSTORE " if not meta.columnstore else "") + (
        "REFERENCE " if meta.reference else ""
    )
    text = text.replace("CREATE TABLE", f"CREATE {kind}TABLE", 1)
    text = re.sub(
        r"longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin( [^\n]*?)? ?"
        r"CHECK \(json_valid\(`[^`]*`\)\)",
        lambda m: "JSON COLLATE utf8mb4_bin" + (m.group(1) or ""),
        text,
    )
    for column, (dims, elem) in meta.vectors.items():
        text = re.sub(
            rf"(\n  {re.escape(quote_ident(column))} )longtext",
            rf"\1vector({dims}, {elem})",
            text,
        )
    text = computed.show_create(text, meta.computed)
    for index in meta.unenforced:
        pattern = rf"\n  KEY {re.escape(quote_ident(index))} (\([^\n]*?\))(,?)\n"
        rely = "RELY" if meta.unenforced[index]["rely"] else "NORELY"
        text = re.sub(
            pattern,
            lambda m, i=index, r=rely: (
                f"\n  UNIQUE KEY {quote_ident(i)} {m.group(1)}"
                f" UNENFORCED {r}{m.group(2)}\n"
            ),
            text,
        )
    if meta.columnstore:
        text = re.sub(
            r"(\n  (?:UNIQUE )?KEY `(?:[^`]|``)*` \([^\n]*?\))(,?)(?=\n)",
            r"\1 USING HASH\2",
            text,
        )
    if meta.fulltext and meta.fulltext.get("version") == 2:
        text = text.replace("\n  FULLTEXT KEY", "\n  FULLTEXT USING VERSION 2 KEY")
    extra = []
    for name, index in meta.vector_indexes.items():
        options = f" INDEX_OPTIONS {index['options']}" if index["options"] else ""
        extra.append(
            f"VECTOR INDEX {quote_ident(name)} "
            f"({quote_ident(index['column'])}){options}"
        )
    if not meta.reference:
        cols = ",".join(quote_ident(c) for c in meta.shard_key or [])
        extra.append(
            f"SHARD KEY {quote_ident('__SHARDKEY')} ({cols})"
            if cols
            else "SHARD KEY ()"
        )
    if meta.columnstore:
        if meta.sort_key:
            cols = ",".join(
                quote_ident(c) + (" DESC" if d else "") for c, d in meta.sort_key
            )
            extra.append(
                f"SORT KEY {quote_ident(meta.sort_name or meta.sort_key[0][0])} "
                f"({cols})"
            )
        else:
            extra.append(f"SORT KEY {quote_ident('__UNORDERED')} ()")
    head, sep, tail = text.rpartition("\n)")
    body = head + "".join(",\n  " + e for e in extra) + sep
    options = re.sub(r"ENGINE=\w+ ?", "", tail)
    options = options.replace("DEFAULT CHARSET=", "CHARACTER SET=")
    prefix = " AUTOSTATS_CARDINALITY_MODE=INCREMENTAL AUTOSTATS_HISTOGRAM_MODE=CREATE"
    prefix += " AUTOSTATS_SAMPLING=ON SQL_MODE='STRICT_ALL_TABLES'"
    return body + prefix + options.rstrip()


_INDEX_COLUMNS = [
    "Table",
    "Non_unique",
    "Key_name",
    "Seq_in_index",
    "Column_name",
    "Collation",
    "Cardinality",
    "Sub_part",
    "Packed",
    "Null",
    "Index_type",
    "Comment",
    "Index_comment",
]


def _show_index(session, sql, sig, words):
    db, table, nxt = _target(session, sig, 3)
    if nxt + 1 < len(sig) and words[nxt] in ("FROM", "IN"):
        db = sig[nxt + 1].text.strip("`")
    where = ""
    if "WHERE" in words:
        where = " WHERE " + sql[sql.upper().rindex("WHERE") + 5 :].strip().rstrip(";")
    rows, fallback = _mariadb_answer(session, "SHOW INDEX FROM", db, table)
    if fallback:
        return fallback
    meta = table_meta(session, db, table)
    out = []
    for row in rows:
        non_unique = 0 if row[2] in meta.unenforced else row[1]
        index_type = row[10]
        if index_type == "BTREE" and meta.columnstore:
            index_type = "HASH"
        out.append(
            (
                row[0],
                non_unique,
                row[2],
                row[3],
                row[4],
                row[5] if not meta.columnstore else None,
                None,
                None,
                None,
                row[9],
                index_type,
                "",
                "",
            )
        )
    if meta.shard_key is not None and not meta.reference:
        shard_type = "METADATA_ONLY" if meta.columnstore else "SHARD"
        for seq, col in enumerate(meta.shard_key, 1):
            out.append(
                (
                    table,
                    1,
                    "__SHARDKEY",
                    seq,
                    col,
                    None,
                    None,
                    None,
                    None,
                    "",
                    shard_type,
                    "",
                    "",
                )
            )
    for seq, (col, desc) in enumerate(meta.sort_key, 1):
        out.append(
            (
                table,
                1,
                meta.sort_name or meta.sort_key[0][0],
                seq,
                col,
                "D" if desc else "A",
                None,
                None,
                None,
                "",
                "CLUSTERED COLUMNSTORE",
                "",
                "",
            )
        )
    listing = _select_rows(_INDEX_COLUMNS, out)
    if where:
        return Forward(f"SELECT * FROM ({listing}) AS `indexes`{where}")
    return Forward(listing)


_TABLES = (
    "(SELECT t.*, COALESCE(k.storage_type,"
    " IF(t.TABLE_TYPE = 'BASE TABLE', {default}, NULL)) AS STORAGE_TYPE,"
    " IF(t.TABLE_TYPE = 'BASE TABLE', COALESCE(k.distributed, 1), NULL)"
    " AS DISTRIBUTED FROM information_schema.TABLES t LEFT JOIN {s}.table_kinds k"
    " ON k.db = t.TABLE_SCHEMA AND k.name = t.TABLE_NAME)"
)

_STAT_COLUMNS = (
    "TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME, {nu} AS NON_UNIQUE, INDEX_SCHEMA,"
    " INDEX_NAME,"
    " SEQ_IN_INDEX, COLUMN_NAME, COLLATION, CARDINALITY, SUB_PART, PACKED, NULLABLE,"
    " IF(s.INDEX_TYPE = 'BTREE' AND EXISTS(SELECT 1 FROM {s}.table_kinds k"
    " WHERE k.db = s.TABLE_SCHEMA AND k.name = s.TABLE_NAME"
    " AND k.storage_type = 'COLUMNSTORE'), 'HASH', s.INDEX_TYPE) AS INDEX_TYPE,"
    " COMMENT, INDEX_COMMENT"
)

_STATISTICS = (
    "(SELECT "
    + _STAT_COLUMNS.format(
        nu="IF(EXISTS(SELECT 1 FROM {s}.key_columns u WHERE u.index_type = 'UNENFORCED'"
        " AND u.db = s.TABLE_SCHEMA AND u.tbl = s.TABLE_NAME"
        " AND u.index_name = s.INDEX_NAME),"
        " 0, s.NON_UNIQUE)",
        s="{s}",
    )
    + " FROM information_schema.STATISTICS s"
    " UNION ALL SELECT 'def', db, tbl, non_unique, db, index_name,"
    " CAST(seq AS UNSIGNED), column_name,"
    " collation, NULL, NULL, NULL, '', index_type, '', '' FROM {s}.key_columns"
    " WHERE index_type <> 'UNENFORCED')"
)


_COLUMNS = (
    "(SELECT c.TABLE_CATALOG, c.TABLE_SCHEMA, c.TABLE_NAME, c.COLUMN_NAME,"
    " c.ORDINAL_POSITION, c.COLUMN_DEFAULT, c.IS_NULLABLE,"
    " COALESCE(x.data_type, c.DATA_TYPE) AS DATA_TYPE,"
    " IF(x.col IS NULL, c.CHARACTER_MAXIMUM_LENGTH, NULL) AS CHARACTER_MAXIMUM_LENGTH,"
    " IF(x.col IS NULL, c.CHARACTER_OCTET_LENGTH, NULL) AS CHARACTER_OCTET_LENGTH,"
    " c.NUMERIC_PRECISION, c.NUMERIC_SCALE, c.DATETIME_PRECISION,"
    " c.CHARACTER_SET_NAME, c.COLLATION_NAME,"
    " COALESCE(x.column_type, c.COLUMN_TYPE) AS COLUMN_TYPE, c.COLUMN_KEY,"
    " IF(c.EXTRA = 'STORED GENERATED', '" + computed.EXTRA + "', c.EXTRA) AS EXTRA,"
    " c.PRIVILEGES, c.COLUMN_COMMENT, c.IS_GENERATED, c.GENERATION_EXPRESSION"
    " FROM information_schema.COLUMNS c LEFT JOIN {s}.column_types x"
    " ON x.db = c.TABLE_SCHEMA AND x.tbl = c.TABLE_NAME AND x.col = c.COLUMN_NAME)"
)

_TEMPLATES = {"TABLES": _TABLES, "STATISTICS": _STATISTICS, "COLUMNS": _COLUMNS}


def rewrite_information_schema(session, items, ctx):
    """Swap information_schema.TABLES, STATISTICS and COLUMNS for derived tables
    joined to the catalog."""
    for item in items:
        if isinstance(item, Group):
            rewrite_information_schema(session, item.items, ctx)
    i = 0
    while i + 2 < len(items):
        first, dot, name = items[i], items[i + 1], items[i + 2]
        if (
            is_name(first)
            and first.text.strip("`").lower() == "information_schema"
            and dot.text == "."
            and is_name(name)
            and name.text.strip("`").upper() in _TEMPLATES
        ):
            which = name.text.strip("`").upper()
            default = quote_string(
                "INMEMORY_ROWSTORE"
                if session.engine.default_table_type == "rowstore"
                else "COLUMNSTORE"
            )
            template = _TEMPLATES[which]
            derived = template.format(s=S, default=default)
            alias = "" if _has_alias_after(items, i + 3) else " AS " + name.text
            items[i : i + 3] = [Raw(derived + alias)]
            ctx.changed = True
        i += 1


def _has_alias_after(items, j):
    rest = significant(items[j : j + 4])
    if not rest:
        return False
    first = rest[0]
    if first.kind == "word" and first.upper == "AS":
        return True
    return first.kind == "ident" or (
        first.kind == "word" and first.upper not in _NOT_ALIAS
    )


_NOT_ALIAS = {
    "WHERE",
    "GROUP",
    "ORDER",
    "LIMIT",
    "JOIN",
    "LEFT",
    "RIGHT",
    "INNER",
    "CROSS",
    "NATURAL",
    "ON",
    "USING",
    "UNION",
    "HAVING",
    "FOR",
    "STRAIGHT_JOIN",
    "WINDOW",
    "LOCK",
    "INTO",
    "OUTER",
    "FULL",
}


def rewrite_match(session, items, ctx):
    """MATCH (TABLE t) AGAINST (q) and BM25(t, q) on the FULLTEXT columns.

    A literal q becomes lucene.score_sql's expression; any other q (a column,
    a variable) is searched as MariaDB natural-language text.
    """
    for item in items:
        if isinstance(item, Group):
            rewrite_match(session, item.items, ctx)
    for i, item in enumerate(items):
        if item.kind != "word" or i + 1 >= len(items):
            continue
        group_at = _next_significant(items, i + 1)
        if (
            item.upper == "MATCH"
            and group_at < len(items)
            and isinstance(items[group_at], Group)
        ):
            inner = significant(items[group_at].items)
            if len(inner) >= 2 and inner[0].is_word("TABLE"):
                table = _resolve(session, items, inner[1:])
                columns = _fulltext_columns(
                    session, table, inner[1].text.strip("`"), "fulltext_match"
                )
                against = _next_significant(items, group_at + 1)
                query_at = _next_significant(items, against + 1)
                literal = _literal_query(items, query_at, against)
                if literal is None:
                    items[group_at] = Raw("(" + _column_list(columns) + ")")
                else:
                    items[i] = Raw(_lucene_score(literal, columns))
                    for gone in range(i + 1, query_at + 1):
                        items[gone] = Tok("ws", "")
                ctx.changed = True
        elif (
            item.upper == "HIGHLIGHT"
            and group_at < len(items)
            and isinstance(items[group_at], Group)
        ):
            _rewrite_highlight(items, i, group_at, ctx)
        elif item.upper in ("BM25", "BM25_GLOBAL") and isinstance(items[i + 1], Group):
            parts = split_commas(items[i + 1].items)
            args = [significant(a) for a in parts]
            if len(args) != 2 or not args[0]:
                continue
            table = _resolve(session, items, args[0])
            columns = _fulltext_columns(
                session, table, args[0][-1].text.strip("`"), "fulltext_bm25", item.upper
            )
            if len(args[1]) == 1 and args[1][0].kind == "str":
                items[i] = Raw(_lucene_score(string_value(args[1][0].text), columns))
            else:
                query = render(strip(parts[1]))
                items[i] = Raw(f"MATCH ({_column_list(columns)}) AGAINST ({query})")
            items[i + 1] = Tok("ws", "")
            ctx.changed = True


def _rewrite_highlight(items, i, group_at, ctx):
    """HIGHLIGHT (expr) AGAINST ('q'[, n]) as the highlight routine; any other
    shape is left to MariaDB (a syntax error)."""
    against = _next_significant(items, group_at + 1)
    args_at = _next_significant(items, against + 1)
    if against >= len(items) or not items[against].is_word("AGAINST"):
        return
    if args_at >= len(items) or not isinstance(items[args_at], Group):
        return
    parts = split_commas(items[args_at].items)
    query = significant(parts[0])
    if len(parts) > 2 or len(query) != 1 or query[0].kind != "str":
        return
    words = json.dumps(lucene.highlight_words(string_value(query[0].text)))
    limit = render(strip(parts[1])) if len(parts) == 2 else "NULL"
    expression = render(items[group_at].items)
    items[i] = Raw(f"{S}.highlight({expression}, {quote_string(words)}, {limit})")
    for gone in range(i + 1, args_at + 1):
        items[gone] = Tok("ws", "")
    ctx.changed = True


def _next_significant(items, at):
    while at < len(items) and items[at].kind in ("ws", "comment"):
        at += 1
    return at


def _literal_query(items, query_at, against):
    """The text of AGAINST ('literal'), or None for any other argument."""
    if against >= len(items) or not items[against].is_word("AGAINST"):
        return None
    if query_at >= len(items) or not isinstance(items[query_at], Group):
        return None
    inner = significant(items[query_at].items)
    if len(inner) == 1 and inner[0].kind == "str":
        return string_value(inner[0].text)
    return None


def _lucene_score(text, columns):
    try:
        return "(" + lucene.score_sql(text, columns) + ")"
    except lucene.LuceneSyntaxError as error:
        raise Refuse(errors.fail("lucene_syntax", problem=str(error))) from None


def _column_list(columns):
    return ", ".join(quote_ident(c) for c in columns)


def _resolve(session, items, name_items):
    db, table, _ = qualified_name(name_items, 0)
    return db or session.database, table


def _fulltext_columns(session, target, label, refusal, function="MATCH"):
    # The version 2 functions need a version 2 index (MATCH and BM25 pages):
    # a legacy FULLTEXT key, a CTE or a derived table has none.
    db, table = target
    meta = session.known_table(db, table) if db else None
    if meta is None or not meta.fulltext or meta.fulltext.get("version") != 2:
        raise Refuse(errors.fail(refusal, table=label, function=function))
    return meta.fulltext["columns"]
