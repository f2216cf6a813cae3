"""SingleStore's refusals for DML and session statements.

Each check looks at the top level of the statement's token tree (a nested
group is a subquery or an argument list) and raises Refuse with the error
named in errors.py.
"""

import re

from . import errors, lenient, subqueries
from .ddl import is_name, name_of, qualified_name
from .tables import table_meta
from .tokens import Group, render, significant, split_commas
from .translate import Refuse

_CLAUSE_END = {"WHERE", "ORDER", "LIMIT", "RETURNING", "OPTION"}


def _words(sig):
    return [t.upper if t.kind == "word" else "" for t in sig]


def _error_at(sql, word):
    at = sql.upper().rfind(word.upper())
    return errors.syntax_error(sql, max(at, 0))


def check_statement(session, sql, sig):
    # A statement that opens with "(" is a parenthesised compound SELECT, as
    # Django writes `(SELECT ...) UNION (SELECT ...)`.
    verb = sig[0].upper if sig[0].kind == "word" else ""
    if isinstance(sig[0], Group):
        verb = "("
    words = _words(sig)
    if verb in ("INSERT", "REPLACE"):
        _check_insert(sql, sig, words)
    elif verb == "UPDATE":
        _check_update(session, sql, sig, words)
    elif verb == "DELETE":
        _check_delete(session, sql, words)
    elif verb in ("SELECT", "WITH", "("):
        _check_for_update(session, sql, sig, words)
    _check_in_limit(sig)
    if verb in ("SELECT", "WITH", "(", "INSERT", "REPLACE", "UPDATE", "DELETE"):
        _check_assignments(sql, sig)
        _check_order_by_collate(sql, sig)
        _check_set_operators(sql, sig)
    if verb in ("SELECT", "WITH", "(", "INSERT", "REPLACE", "UPDATE", "DELETE"):
        subqueries.check(session, sig)
        lenient.note_dml(session, sig, lambda db, t: table_meta(session, db, t))


def _check_insert(sql, sig, words):
    if "RETURNING" in words:
        raise Refuse(_error_at(sql, "RETURNING"))
    if (
        len(words) > 1
        and words[1] == "IGNORE"
        and _has_sequence(words, "DUPLICATE", "KEY")
    ):
        raise Refuse(errors.fail("insert_ignore_odku"))


def _has_sequence(words, *seq):
    n = len(seq)
    return any(tuple(words[i : i + n]) == seq for i in range(len(words) - n + 1))


def _returning_supported(session):
    version = session.engine.options.get("memsql_version", "8.9.3")
    parts = tuple(int(p) for p in version.split(".")[:2] if p.isdigit())
    return parts >= (9, 1)


def _check_update(session, sql, sig, words):
    if _has_sequence(words, "ORDER", "BY"):
        raise Refuse(errors.fail("update_delete_order_by", verb="UPDATE"))
    if "RETURNING" in words and not _returning_supported(session):
        raise Refuse(_error_at(sql, "RETURNING"))
    at = 2 if len(words) > 1 and words[1] in ("LOW_PRIORITY", "IGNORE") else 1
    if at >= len(sig) or not is_name(sig[at]):
        return
    db, table, nxt = qualified_name(sig, at)
    db = db or session.database
    if db is None:
        return
    meta = table_meta(session, db, table)
    if not meta.sharded:
        return
    if "LIMIT" in words:
        raise Refuse(errors.fail("update_limit"))
    alias = table
    if (
        nxt < len(sig)
        and is_name(sig[nxt])
        and words[nxt] not in ("SET", "JOIN", "INNER")
    ):
        alias = name_of(sig[nxt + 1] if words[nxt] == "AS" else sig[nxt])
    if "SET" not in words:
        return
    start = words.index("SET") + 1
    end = next(
        (i for i in range(start, len(words)) if words[i] in _CLAUSE_END), len(sig)
    )
    for target in _assigned_columns(sig[start:end]):
        qualifier, column = target
        if qualifier not in (None, table, alias):
            continue
        if column in (meta.shard_key or []):
            raise Refuse(errors.fail("update_shard_key", col=column))


def _assigned_columns(sig):
    group = Group(items=list(sig))
    for part in split_commas(group.items):
        part = significant(part)
        eq = next((i for i, t in enumerate(part) if t.text == "="), None)
        if eq is None:
            continue
        lhs = part[:eq]
        if len(lhs) == 3 and lhs[1].text == ".":
            yield name_of(lhs[0]), name_of(lhs[2])
        elif len(lhs) == 1 and is_name(lhs[0]):
            yield None, name_of(lhs[0])


def _check_delete(session, sql, words):
    if _has_sequence(words, "ORDER", "BY"):
        raise Refuse(errors.fail("update_delete_order_by", verb="DELETE"))
    if "RETURNING" in words and not _returning_supported(session):
        raise Refuse(_error_at(sql, "RETURNING"))


def _check_for_update(session, sql, sig, words):
    at = None
    for i in range(len(words) - 1):
        if words[i] == "FOR" and words[i + 1] == "UPDATE":
            at = i
    if at is None:
        return
    for word in words[at + 2 :]:
        if word in ("NOWAIT", "SKIP", "OF", "WAIT"):
            raise Refuse(_error_at(sql, word))
    tables = list(_referenced_tables(session, sig))
    joined = "JOIN" in words or _has_top_level_comma_from(sig, words)
    subquery = any(_is_subquery(item) for item in _all_groups(sig))
    if not (joined or subquery):
        return
    for db, table in tables:
        if db is not None and table_meta(session, db, table).columnstore:
            raise Refuse(errors.fail("for_update_columnstore"))


def _has_top_level_comma_from(sig, words):
    if "FROM" not in words:
        return False
    start = words.index("FROM") + 1
    for i in range(start, len(sig)):
        if words[i] in ("WHERE", "GROUP", "ORDER", "LIMIT", "FOR", "HAVING", "UNION"):
            return False
        if sig[i].text == ",":
            return True
    return False


def _all_groups(items):
    for item in items:
        if isinstance(item, Group):
            yield item
            yield from _all_groups(item.items)


def _is_subquery(group):
    sig = significant(group.items)
    return bool(sig) and sig[0].kind == "word" and sig[0].upper in ("SELECT", "WITH")


def _referenced_tables(session, items):
    """(db, table) after every FROM and JOIN, at any depth."""
    sig = significant(items)
    words = _words(sig)
    for i, word in enumerate(words):
        if word in ("FROM", "JOIN") and i + 1 < len(sig) and is_name(sig[i + 1]):
            db, table, _ = qualified_name(sig, i + 1)
            yield db or session.database, table
            j = i + 1
            while True:
                j = _next_comma_table(sig, words, j)
                if j is None:
                    break
                db, table, _ = qualified_name(sig, j)
                yield db or session.database, table
    for item in items:
        if isinstance(item, Group):
            yield from _referenced_tables(session, item.items)


def _next_comma_table(sig, words, j):
    for k in range(j, len(sig)):
        if words[k] in (
            "WHERE",
            "GROUP",
            "ORDER",
            "LIMIT",
            "FOR",
            "JOIN",
            "ON",
            "HAVING",
        ):
            return None
        if sig[k].text == "," and k + 1 < len(sig) and is_name(sig[k + 1]):
            return k + 1
    return None


def _check_in_limit(items):
    sig = significant(items)
    for i, item in enumerate(sig):
        if isinstance(item, Group):
            if (
                i > 0
                and sig[i - 1].kind == "word"
                and sig[i - 1].upper in ("IN", "ANY", "SOME", "ALL")
            ):
                inner = significant(item.items)
                if _is_subquery(item) and "LIMIT" in _words(inner):
                    raise Refuse(errors.fail("limit_in_subquery"))
            _check_in_limit(item.items)


def check_set(session, sql, sig):
    """SET TRANSACTION ISOLATION LEVEL and the isolation variables."""
    words = _words(sig)
    if "ISOLATION" in words:
        at = words.index("ISOLATION")
        level = " ".join(w for w in words[at + 2 : at + 4] if w)
        if level not in ("READ COMMITTED",):
            raise Refuse(errors.fail("isolation", level=level))
        return
    text = render(sig).upper().replace(" ", "")
    for var in ("TX_ISOLATION=", "TRANSACTION_ISOLATION="):
        if var in text:
            value = (
                text.split(var, 1)[1].split(",", 1)[0].strip("'\"").replace("-", " ")
            )
            if value != "READ COMMITTED":
                raise Refuse(errors.fail("isolation", level=value))


def _check_assignments(sql, items):
    """User variables are set by `SET @v = expr` or `SELECT ... INTO @v`
    only (D/db/v9.1/reference/sql-reference/user-defined-variables): MySQL's
    `@v := expr` inside a statement is not in the grammar."""
    for item in items:
        if isinstance(item, Group):
            _check_assignments(sql, item.items)
        elif item.kind == "op" and item.text == ":=":
            raise Refuse(_error_at(sql, ":="))


_ORDER_BY_END = {"LIMIT", "UNION", "EXCEPT", "INTERSECT", "MINUS", "FOR", "INTO"}


def _check_order_by_collate(sql, items):
    """COLLATE is not allowed in ORDER BY (UP features.py, 2 tests;
    singlestore-facts §5)."""
    sig = significant(items)
    words = _words(sig)
    in_order_by = False
    for i, item in enumerate(sig):
        if isinstance(item, Group):
            _check_order_by_collate(sql, item.items)
        elif words[i] == "ORDER" and i + 1 < len(sig) and words[i + 1] == "BY":
            in_order_by = True
        elif words[i] in _ORDER_BY_END:
            in_order_by = False
        elif in_order_by and words[i] == "COLLATE":
            raise Refuse(_error_at(sql, "COLLATE"))


def _check_set_operators(sql, items):
    """`SELECT ... {EXCEPT | MINUS} SELECT ...` takes no ALL or DISTINCT
    (D/db/v9.1/reference/sql-reference/data-manipulation-language-dml/
    except-and-minus); UNION ALL stays."""
    found = _EXCEPT_ALL.search(sql.upper())
    if found:
        raise Refuse(errors.syntax_error(sql, found.start(1)))


_EXCEPT_ALL = re.compile(r"\b(?:EXCEPT|MINUS)\s+((?:ALL|DISTINCT)\b)")
