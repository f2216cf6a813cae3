"""Marks on statements the double runs although SingleStore may refuse them:
the lenient gaps of KNOWN_GAPS.md that the double can see in a statement.

Each gap has a name; ``note`` counts a statement that touched it on the
session that sent it, and ``DOUBLE SHOW LENIENT`` (faults.py, proxy.py) gives
that session its counts, so a test runner can tell which of its passing tests
sent such a statement (tests/suite_settings/suite_lenient.py). A statement
counts once per gap however often it touches it.

The handlers call the ``note_*`` functions below once a statement has passed
every rule, with what they already parsed: CREATE TABLE (tables.py), the
ALTER TABLE specifications (alter.py), DML (rules.py), SET (session.py) and
COM_STMT_PREPARE (proxy.py).
"""

from .tokens import Group, significant, split_commas

# Gap name: what the double runs that SingleStore may refuse.
GAPS = {
    "all_subquery": (
        "an ALL (SELECT ...) predicate, which SingleStore's grammar does not list"
    ),
    "alter_temporary": (
        "MODIFY or CHANGE on a temporary columnstore table, whose current "
        "column the double cannot see, so the type, NULL and AUTO_INCREMENT "
        "change rules are not applied"
    ),
    "auto_increment_not_bigint": (
        "an AUTO_INCREMENT column that is not BIGINT on a sharded table"
    ),
    "char_non_ascii": (
        "CHAR() of a code point that may be beyond ASCII (a literal above 127, "
        "or any argument that is not a literal)"
    ),
    "collate_expression": "COLLATE on an expression outside ORDER BY",
    "columnstore_collation_or_comment": (
        "a column comment or collation change, or ALTER TABLE ... COLLATE / "
        "CHARACTER SET, on a columnstore table"
    ),
    "correlated_subselect": (
        "a correlated subquery on a sharded table that the double runs; "
        "SingleStore refuses the ones it cannot rewrite into a join that "
        "matches on shard keys"
    ),
    "index_on_shard_or_sort_key": (
        "a new multi-column index on columnstore with a column of the shard "
        "key or sort key, which MariaDB does not hold as indexes"
    ),
    "like_escape": "LIKE ... ESCAPE",
    "limit_after_union": "a LIMIT after a UNION",
    "limit_not_constant": "a LIMIT or OFFSET that is not a number",
    "multi_table_write": (
        "a multi-table UPDATE or DELETE whose tables include a reference table "
        "or whose target is not the first table of the join"
    ),
    "prepared_statement": (
        "a prepared statement, relayed to MariaDB without the double's rules"
    ),
    "reference_auto_increment_rename": (
        "renaming the AUTO_INCREMENT column of a reference table"
    ),
    "session_collation": (
        "SET collation_connection, collation_database or collation_server"
    ),
    "several_shard_or_sort_keys": "more than one SHARD KEY or SORT KEY",
    "shard_key_column_change": (
        "dropping, modifying or renaming a shard-key column of a sharded table"
    ),
    "shard_key_on_reference": "SHARD KEY on a reference table",
    "sort_key_on_rowstore": "SORT KEY on a rowstore table",
    "unique_on_keyless": (
        "a unique or primary key on a keyless sharded table (SHARD KEY () or "
        "no primary key)"
    ),
    "uuid_default": "a UUID() default on a sharded table",
}


def note(session, gap):
    """Count one statement of ``session`` that touched ``gap``."""
    if gap not in GAPS:
        raise KeyError(f"unknown lenient gap {gap!r}")
    session.lenient[gap] = session.lenient.get(gap, 0) + 1


def counts(session):
    """The session's (gap, statements) pairs, every gap listed, by name."""
    return [(gap, session.lenient.get(gap, 0)) for gap in sorted(GAPS)]


def _note_all(session, gaps):
    for gap in sorted(set(gaps)):
        note(session, gap)


# CREATE TABLE ---------------------------------------------------------------


def note_create(session, meta, keys, columns):
    """A CREATE TABLE the double accepted: ``meta`` the table's catalog entry,
    ``keys`` and ``columns`` the parsed definitions (ddl.py)."""
    gaps = []
    kinds = [key.kind for key in keys]
    if "sort" in kinds and not meta.columnstore:
        gaps.append("sort_key_on_rowstore")
    if "shard" in kinds and meta.reference:
        gaps.append("shard_key_on_reference")
    if kinds.count("shard") > 1 or kinds.count("sort") > 1:
        gaps.append("several_shard_or_sort_keys")
    if meta.sharded and not meta.shard_key:
        unique = any(
            key.kind in ("primary", "unique") and not key.unenforced for key in keys
        ) or any(column.primary or column.unique for column in columns)
        if unique:
            gaps.append("unique_on_keyless")
    if meta.sharded:
        for column in columns:
            if column.auto_increment and not column.type_text.upper().startswith(
                "BIGINT"
            ):
                gaps.append("auto_increment_not_bigint")
            if _calls(column.after_type, "UUID"):
                gaps.append("uuid_default")
    _note_all(session, gaps)


def _calls(items, function):
    """Whether ``items`` call ``function`` at any depth (the name followed by
    its argument list)."""
    sig = significant(items)
    for i, item in enumerate(sig):
        if isinstance(item, Group):
            if _calls(item.items, function):
                return True
        elif (
            item.is_word(function)
            and i + 1 < len(sig)
            and isinstance(sig[i + 1], Group)
        ):
            return True
    return False


# ALTER TABLE ----------------------------------------------------------------


def note_alter(session, gaps):
    """The gaps the specifications of an accepted ALTER TABLE touched
    (alter.py collects them while it checks each one)."""
    _note_all(session, gaps)


def column_attributes(after_type):
    """(comment, collation) a column definition states after its type, each
    None when not stated: the comment as its literal's text, the collation
    lower-cased."""
    sig = significant(after_type)
    comment = collation = None
    for i, item in enumerate(sig[:-1]):
        if item.is_word("COMMENT") and sig[i + 1].kind == "str":
            comment = sig[i + 1].text
        elif item.is_word("COLLATE"):
            collation = sig[i + 1].text.strip("`'\"").lower()
    return comment, collation


# DML ------------------------------------------------------------------------

_UNION_WORDS = ("UNION", "EXCEPT", "INTERSECT", "MINUS")


def note_dml(session, sig, table_meta):
    """A DML statement that passed every rule; ``table_meta(db, table)`` is
    the catalog entry of a table (tables.table_meta)."""
    gaps = set()
    _scan(sig, gaps)
    verb = sig[0].upper if sig and sig[0].kind == "word" else ""
    if verb in ("UPDATE", "DELETE") and _multi_table_write(
        session, sig, verb, table_meta
    ):
        gaps.add("multi_table_write")
    _note_all(session, gaps)


def _words(sig):
    return [t.upper if t.kind == "word" else "" for t in sig]


def _scan(sig, gaps):
    """The expression-level gaps of one nesting level, and of those inside."""
    words = _words(sig)
    if "COLLATE" in words:
        gaps.add("collate_expression")
    if "ESCAPE" in words and "LIKE" in words:
        gaps.add("like_escape")
    last_union = max((i for i, w in enumerate(words) if w in _UNION_WORDS), default=-1)
    for i, item in enumerate(sig):
        if isinstance(item, Group):
            if _is_subquery(item) and _is_all_predicate(words, i):
                gaps.add("all_subquery")
            if words[i - 1 : i] == ["CHAR"] and not words[i - 2 : i - 1] == ["AS"]:
                if _char_beyond_ascii(item):
                    gaps.add("char_non_ascii")
            _scan(significant(item.items), gaps)
        elif words[i] in ("LIMIT", "OFFSET"):
            if last_union >= 0 and words[i] == "LIMIT" and i > last_union:
                gaps.add("limit_after_union")
            if i + 1 < len(sig) and sig[i + 1].kind != "num":
                gaps.add("limit_not_constant")
        elif item.text == "," and i > 1 and words[i - 2] == "LIMIT":
            # LIMIT offset, count: the count.
            if i + 1 < len(sig) and sig[i + 1].kind != "num":
                gaps.add("limit_not_constant")


def _is_subquery(group):
    sig = significant(group.items)
    return bool(sig) and sig[0].kind == "word" and sig[0].upper in ("SELECT", "WITH")


def _is_all_predicate(words, i):
    """ALL before the subquery at ``i``, not UNION ALL or SELECT ALL."""
    return (
        i > 0
        and words[i - 1] == "ALL"
        and (i < 2 or words[i - 2] not in (*_UNION_WORDS, "SELECT"))
    )


def _char_beyond_ascii(group):
    """CHAR(n, ... [USING charset]): any code that is not a literal up to 127."""
    for part in split_commas(group.items):
        sig = significant(part)
        words = _words(sig)
        if "USING" in words:
            sig = sig[: words.index("USING")]
        if not sig:
            continue
        if len(sig) != 1 or sig[0].kind != "num" or float(sig[0].text) > 127:
            return True
    return False


_TABLE_LIST_END = {"SET", "WHERE", "ORDER", "LIMIT", "USING"}


def _multi_table_write(session, sig, verb, table_meta):
    words = _words(sig)
    if verb == "UPDATE":
        start = 1
        targets = _update_targets(sig, words)
    else:
        if "FROM" not in words:
            return False
        start = words.index("FROM") + 1
        targets = [
            t.text.strip("`").split(".")[-1]
            for t in sig[1 : words.index("FROM")]
            if t.kind in ("word", "ident")
            and t.upper not in ("LOW_PRIORITY", "QUICK", "IGNORE")
        ]
    tables, joined = _table_list(sig, words, start)
    if not tables:
        return False
    if not joined and "USING" not in words:
        return False
    for db, name, _alias in tables:
        db = db or session.database
        if db is not None and table_meta(db, name).reference:
            return True
    first = {tables[0][1], tables[0][2]}
    return any(target not in first for target in targets)


def _table_list(sig, words, start):
    """[(db, table, alias)] of the top-level table list from ``start``, and
    whether it joins (JOIN or a comma)."""
    from .ddl import is_name, name_of, qualified_name

    tables, joined, i = [], False, start
    expect_table = True
    while i < len(sig) and words[i] not in _TABLE_LIST_END:
        item = sig[i]
        if words[i] == "JOIN" or item.text == ",":
            joined = True
            expect_table = True
            i += 1
            continue
        if expect_table and is_name(item) and words[i] not in (
            "INNER", "LEFT", "RIGHT", "CROSS", "OUTER", "STRAIGHT_JOIN",
            "LOW_PRIORITY", "IGNORE", "QUICK",
        ):
            db, name, i = qualified_name(sig, i)
            alias = name
            if i < len(sig) and words[i] == "AS":
                i += 1
            if i < len(sig) and is_name(sig[i]) and words[i] not in (
                _TABLE_LIST_END | {"JOIN", "INNER", "LEFT", "RIGHT", "CROSS", "ON"}
            ):
                alias = name_of(sig[i])
                i += 1
            tables.append((db, name, alias))
            expect_table = False
            continue
        i += 1
    return tables, joined


_SET_END = ("WHERE", "ORDER", "LIMIT")


def _update_targets(sig, words):
    """The qualifiers of the SET assignments of a multi-table UPDATE."""
    from .ddl import name_of

    if "SET" not in words:
        return []
    start = words.index("SET") + 1
    ends = [i for i in range(start, len(words)) if words[i] in _SET_END]
    end = ends[0] if ends else len(sig)
    targets = []
    for part in split_commas(Group(items=list(sig[start:end])).items):
        part = significant(part)
        if len(part) >= 3 and part[1].text == "." and part[0].kind in ("word", "ident"):
            targets.append(name_of(part[0]))
    return targets


# SET ------------------------------------------------------------------------

_SESSION_COLLATIONS = ("COLLATION_CONNECTION", "COLLATION_DATABASE", "COLLATION_SERVER")


def note_set(session, sig):
    """A SET statement: a session value of one of the collation variables."""
    for part in split_commas(sig[1:]):
        target = significant(part)
        equals = next((i for i, t in enumerate(target) if t.text in ("=", ":=")), 0)
        names = [t.upper.lstrip("@") for t in target[:equals] if t.kind == "word"]
        if any(
            name in _SESSION_COLLATIONS and "GLOBAL" not in names for name in names
        ):
            note(session, "session_collation")
            return
