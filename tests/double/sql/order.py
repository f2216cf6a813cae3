"""Row order like a distributed database.

A sharded table's rows live on many partitions, and SingleStore returns the
rows of a query in no particular order unless ORDER BY says otherwise
(D/db/v9.1/reference/sql-reference/data-manipulation-language-dml/select:
without ORDER BY the order is undefined; rows come back as the leaves answer).
MariaDB returns them in primary-key order, which hides code that relies on an
order nobody asked for. So a SELECT that reads a sharded table gets a
shuffle: `ORDER BY RAND(seed)` when it has no ORDER BY, and `, RAND(seed)`
after the last key when it has one, so rows that tie on every key come back
shuffled too. The seed is the statement's checksum: the same statement on
the same rows comes back in the same order, which keeps failures
reproducible. Queries on reference tables alone keep MariaDB's order.
"""

import zlib

from . import subqueries
from .outcomes import Forward
from .tokens import Tok, parse, render, significant

_COMPOUND = {"UNION", "EXCEPT", "INTERSECT", "MINUS"}
_TAIL = {"LIMIT", "FOR", "LOCK"}


def shuffled(session, outcome):
    """`outcome` with the shuffle added to a Forward of a SELECT on a sharded
    table; anything else unchanged."""
    if not isinstance(outcome, Forward):
        return outcome
    items = parse(outcome.sql)
    sig = significant(items)
    if not _reads_sharded(session, sig) or _has_more_statements(sig):
        return outcome
    at, ordered = _insertion(items)
    seed = zlib.crc32(outcome.sql.encode())
    text = f", RAND({seed})" if ordered else f" ORDER BY RAND({seed})"
    items[at:at] = [Tok("raw", text)]
    return Forward(render(items), outcome.on_done)


def _reads_sharded(session, sig):
    root = subqueries.read(session, sig)
    tables = [t for scope in root.walk() for t in scope.tables]
    for db, name in tables:
        meta = session.known_table(db, name) if db is not None else None
        if meta is not None and meta.sharded:
            return True
    return False


def _has_more_statements(sig):
    semis = [i for i, item in enumerate(sig) if item.text == ";"]
    return any(i < len(sig) - 1 for i in semis)


def _insertion(items):
    """(index in `items` to insert at, whether the last query has ORDER BY)."""
    last_branch = 0
    for i, item in enumerate(items):
        if item.kind == "word" and item.upper in _COMPOUND:
            last_branch = i + 1
    ordered = False
    end = len(items)
    for i in range(last_branch, len(items)):
        item = items[i]
        if item.is_word("ORDER") and _next_word(items, i) == "BY":
            ordered = True
        elif item.kind == "word" and item.upper in _TAIL and _is_tail(items, i):
            end = i
            break
        elif item.text == ";":
            end = i
            break
    while end > last_branch and items[end - 1].kind in ("ws", "comment"):
        end -= 1
    return end, ordered


def _is_tail(items, i):
    word = items[i].upper
    if word == "FOR":
        return _next_word(items, i) in ("UPDATE", "SHARE")
    if word == "LOCK":
        return _next_word(items, i) == "IN"
    return True


def _next_word(items, i):
    for item in items[i + 1 :]:
        if item.kind in ("ws", "comment"):
            continue
        return item.upper if item.kind == "word" else ""
    return ""
