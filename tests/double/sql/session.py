"""One client connection's view: the fast-path test and the dispatcher."""

import re

from . import (
    alter,
    errors,
    introspect,
    lenient,
    order,
    procedures,
    rules,
    tables,
    vectors,
)
from .outcomes import Forward, Ok
from .tokens import Group, Tok, parse, render, significant, split_commas
from .translate import Context, Refuse, translate

# Everything SingleStore-specific, and every word a rule inspects. A
# statement without any of these is plain MySQL and is forwarded untouched.
TRIGGER_WORDS = (
    r"JSON_\w+ DATE_TRUNC MATCH BM25\w* HIGHLIGHT DOT_PRODUCT EUCLIDEAN_DISTANCE"
    r" VECTOR MEMSQL_\w+ DEFAULT_TABLE_TYPE TABLE_NAME_CASE_SENSITIVITY SAVEPOINT"
    r" ROLLBACK\s+(?:WORK\s+)?TO RELEASE ISOLATION TX_ISOLATION TRANSACTION_ISOLATION"
    r" ENABLE_EXTENDED_TYPES_METADATA VECTOR_TYPE_PROJECT_FORMAT TIME_ZONE OPTIMIZE"
    r" AGGREGATOR SEARCH_OPTIONS"
    r" CREATE ALTER DROP RENAME SHOW INFORMATION_SCHEMA EXPLAIN UPDATE DELETE"
    r" RETURNING YEARWEEK SHA2 REGEXP_\w+ VERSION\s*\( IN\s*\(\s*SELECT"
    r" ANY\s*\(\s*SELECT"
    r" ALL\s*\(\s*SELECT SOME\s*\(\s*SELECT @@(?:GLOBAL\.|SESSION\.)?VERSION"
    r" COLLATE EXCEPT MINUS NULLS MEDIAN PERCENTILE_CONT TIME_BUCKET"
    r" COLLATION_(?:CONNECTION|DATABASE|SERVER)"
).split()


def _wants_pattern(words, extra=""):
    """One regex over upper-cased text, its words grouped by first letter.

    The grouping and the first-letter lookahead let the regex engine reject
    most positions after one character test; it runs on every statement.
    """
    by_first = {}
    for word in words:
        by_first.setdefault(word[0], []).append(word[1:])
    branches = "|".join(
        first + "(?:" + "|".join(sorted(rest, key=len, reverse=True)) + ")"
        for first, rest in sorted(by_first.items())
    )
    firsts = "".join(sorted(by_first))
    return re.compile(
        r":>|::|<\*>|<->|->|^\s*USE\b"
        + extra
        + rf"|(?<![\w$])(?=[{firsts}])(?:{branches})(?![\w$])"
    )


# Subqueries are inspected for the shapes SingleStore refuses (subqueries.py),
# and every query for its row order (order.py).
WANTS = _wants_pattern(
    TRIGGER_WORDS, r"|:=|\(\s*(?:SELECT|WITH)\b|^[\s(]*(?:SELECT|WITH)\b"
)

# The subset that asks for expression translation (the rest only for rules).
TRANSLATE = _wants_pattern(
    r"JSON_\w+ DATE_TRUNC MATCH BM25\w* HIGHLIGHT DOT_PRODUCT EUCLIDEAN_DISTANCE"
    r" MEMSQL_\w+ SEARCH_OPTIONS"
    r" DEFAULT_TABLE_TYPE TABLE_NAME_CASE_SENSITIVITY INFORMATION_SCHEMA YEARWEEK"
    r" SHA2 REGEXP_\w+ VERSION\s*\( @@(?:GLOBAL\.|SESSION\.)?VERSION"
    r" MINUS NULLS MEDIAN PERCENTILE_CONT TIME_BUCKET".split()
)

_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")

# Accepted and ignored: the driver's extended-metadata switches, and
# time_zone, which "exists in SingleStore only to conform to MySQL standards.
# Setting this variable does not do anything" (D/db/v9.1/user-and-cluster-
# administration/maintain-your-cluster/setting-the-time-zone/
# time-zone-engine-variables).
_IGNORED_VARIABLES = (
    "ENABLE_EXTENDED_TYPES_METADATA",
    "VECTOR_TYPE_PROJECT_FORMAT",
    "TIME_ZONE",
)

_SELECT_LIST_END = {
    "FROM",
    "INTO",
    "WHERE",
    "GROUP",
    "HAVING",
    "ORDER",
    "LIMIT",
    "UNION",
    "WINDOW",
    "FOR",
    "LOCK",
    "EXCEPT",
    "INTERSECT",
    "MINUS",
}
_SELECT_MODIFIERS = {
    "DISTINCT",
    "ALL",
    "DISTINCTROW",
    "HIGH_PRIORITY",
    "STRAIGHT_JOIN",
    "SQL_CALC_FOUND_ROWS",
    "SQL_NO_CACHE",
    "SQL_CACHE",
    "SQL_SMALL_RESULT",
    "SQL_BIG_RESULT",
    "SQL_BUFFER_RESULT",
}


class Session:
    def __init__(self, engine):
        self.engine = engine
        self.database = None
        # Temporary tables live as long as this connection: their metadata
        # stays here and never shadows a catalog entry of the same name.
        self.temporary = {}
        # Statements that touched a lenient gap, per gap (lenient.py).
        self.lenient = {}

    def wants(self, sql):
        return WANTS.search(sql.upper()) is not None

    def close(self):
        self.temporary.clear()

    def known_table(self, db, name):
        """The metadata of a table created through the double, or None."""
        meta = self.temporary.get((db, name))
        return meta if meta is not None else self.engine.catalog.get(db, name)

    def store_table(self, db, name, meta):
        if meta.temporary:
            self.temporary[(db, name)] = meta.copy()
        else:
            self.engine.catalog.put(db, name, meta)

    def forget_table(self, db, name):
        if self.temporary.pop((db, name), None) is None:
            self.engine.catalog.delete(db, name)

    def handle(self, sql):
        try:
            return self._handle(sql)
        except Refuse as refused:
            return refused.outcome
        except (IndexError, StopIteration, ValueError):
            # Too malformed for the parsers: MariaDB reports the syntax error.
            return Forward(sql)
        except Exception as exc:
            if _is_server_error(exc):
                # A catalog lookup failed, e.g. the table does not exist:
                # MariaDB gives the same answer to the statement itself.
                return Forward(sql)
            raise

    def _handle(self, sql):
        items = parse(sql)
        sig = significant(items)
        if not sig or sig[0].kind != "word":
            outcome = self._dml(sql, items, sig)
            return order.shuffled(self, outcome) if sig else outcome
        verb = sig[0].upper
        words = [t.upper if t.kind == "word" else "" for t in sig[:6]] + ["", "", ""]
        if verb in ("SAVEPOINT", "RELEASE") or (
            verb == "ROLLBACK" and "TO" in words[1:3]
        ):
            return errors.fail("savepoint")
        if verb == "AGGREGATOR" and words[1] == "SYNC":
            # Counters advance on one InnoDB server, so the sync has nothing to
            # do, but "This command causes implicit commits" (D/cloud/reference/
            # sql-reference/data-manipulation-language-dml/
            # aggregator-sync-auto-increment/): so does the double.
            return Forward("COMMIT")
        if verb == "OPTIMIZE":
            # Segment flushes have nothing to do: rows are visible at once.
            return Ok()
        if verb == "USE" and len(sig) == 2:
            return self._use(sql, sig[1].text.strip("`"))
        if verb == "SET":
            return self._set(sql, items, sig)
        if verb == "CREATE" and "PROCEDURE" in words[1:4]:
            return procedures.create_procedure(self, sql, items)
        if verb == "CREATE":
            kinds = [w for w in words[1:6] if w in ("TABLE", "INDEX", "VIEW")]
            if kinds and kinds[0] == "TABLE":
                return tables.create_table(self, sql, items)
            if kinds and kinds[0] == "INDEX":
                return alter.create_index(self, sql, items)
            if kinds and kinds[0] == "VIEW":
                return self._dml(sql, items, sig)
            return Forward(sql)
        if verb == "ALTER" and "TABLE" in words[1:3]:
            return alter.alter_table(self, sql, items)
        if verb == "DROP":
            if words[1] == "INDEX":
                return alter.drop_index(self, sql, items)
            if "TABLE" in words[1:3]:
                return tables.drop_table(self, sql, items)
            if words[1] in ("DATABASE", "SCHEMA"):
                return tables.drop_database(self, sql, items)
            return Forward(sql)
        if verb == "RENAME" and words[1] == "TABLE":
            return tables.rename_table(self, sql, items)
        if verb == "SHOW":
            return introspect.show(self, sql, items, sig)
        if verb == "EXPLAIN":
            ann = vectors.explain_ann(self, sql)
            if ann is not None:
                return ann
        if verb == "EXPLAIN" and words[1] == "JSON":
            rest = sql[sql.upper().index("JSON") + 4 :]
            inner = self._dml(rest, parse(rest), significant(parse(rest)))
            if isinstance(inner, Forward):
                return Forward("EXPLAIN FORMAT=JSON " + inner.sql)
            return inner
        outcome = self._dml(sql, items, sig)
        if verb in ("SELECT", "WITH", "("):
            return order.shuffled(self, outcome)
        return outcome

    def _use(self, sql, database):
        def on_done(error):
            if error is None:
                self.database = database

        return Forward(sql, on_done)

    def _set(self, sql, items, sig):
        rules.check_set(self, sql, sig)
        lenient.note_set(self, sig)
        parts = split_commas(items[_index_of(items, sig[0]) + 1 :])
        kept = [p for p in parts if not _is_ignored_variable(p)]
        if not kept:
            return Ok()
        if len(kept) == len(parts):
            return self._dml(sql, items, sig)
        text = "SET " + ",".join(render(p) for p in kept)
        return self._dml(text, parse(text), significant(parse(text)))

    def translate_statement(self, sql):
        """`sql` (a DML statement) as MariaDB should run it; Refuse if refused."""
        items = parse(sql)
        return self._dml(sql, items, significant(items)).sql

    def translate_expression(self, text):
        """A SingleStore expression as MariaDB's; Refuse if refused."""
        items = parse(text)
        if TRANSLATE.search(text.upper()) is not None:
            _translate_all(items, Context(self, text))
        return render(items)

    def _dml(self, sql, items, sig):
        if sig:
            rules.check_statement(self, sql, sig)
        if TRANSLATE.search(sql.upper()) is None:
            return Forward(sql)
        ctx = Context(self, sql)
        _translate_select_lists(items, ctx)
        _translate_all(items, ctx)
        if not ctx.changed:
            return Forward(sql)
        return Forward(render(items))


def _is_server_error(exc):
    return type(exc).__module__.startswith("pymysql") and bool(exc.args)


def _translate_all(items, ctx):
    vectors.strip_search_options(items, ctx)
    introspect.rewrite_information_schema(ctx.session, items, ctx)
    introspect.rewrite_match(ctx.session, items, ctx)
    translate(items, ctx)


def _index_of(items, target):
    return next(i for i, item in enumerate(items) if item is target)


def _is_ignored_variable(part):
    sig = significant(part)
    names = [t.upper.lstrip("@") for t in sig[:3] if t.kind == "word"]
    return any(name.split(".")[-1] in _IGNORED_VARIABLES for name in names) or any(
        t.upper in _IGNORED_VARIABLES for t in sig[:4] if t.kind == "word"
    )


def _translate_select_lists(items, ctx):
    """Translate each select list item alone; alias changed ones to their text."""
    for item in items:
        if isinstance(item, Group):
            _translate_select_lists(item.items, ctx)
    for pos, item in enumerate(items):
        if isinstance(item, Group) or not item.is_word("SELECT"):
            continue
        start = pos + 1
        while start < len(items) and (
            items[start].kind in ("ws", "comment")
            or (items[start].kind == "word" and items[start].upper in _SELECT_MODIFIERS)
        ):
            start += 1
        end = start
        while end < len(items) and not (
            items[end].kind == "word" and items[end].upper in _SELECT_LIST_END
        ):
            end += 1
        new = []
        for part in split_commas(items[start:end]):
            new.extend(_select_item(part, ctx))
            new.append(Tok("punct", ","))
        items[start:end] = new[:-1]
        break


def _select_item(part, ctx):
    original = render(part)
    # MySQL names an unaliased column after its text, cut at 256 characters.
    # MariaDB identifiers hold no characters beyond the BMP (an emoji in a
    # JSON key); those become '?' in the name.
    label = _BEYOND_BMP.sub("?", original.strip()[:256])
    before = ctx.changed
    ctx.changed = False
    _translate_all(part, ctx)
    changed = ctx.changed
    ctx.changed = before or changed
    if not changed or _has_alias(part) or label == "*" or label.endswith(".*"):
        return part
    trailing = original[len(original.rstrip()) :]
    body = render(part).rstrip()
    return [Tok("raw", body + " AS `" + label.replace("`", "``") + "`" + trailing)]


def _has_alias(part):
    sig = significant(part)
    if len(sig) >= 2 and sig[-2].is_word("AS"):
        return True
    if (
        len(sig) >= 2
        and sig[-1].kind in ("ident", "word")
        and not isinstance(sig[-2], Group)
    ):
        prev = sig[-2]
        return (
            prev.kind in ("word", "ident", "num", "str", "raw")
            and prev.text != "."
            and (
                sig[-1].kind == "ident"
                or sig[-1].upper not in ("END", "NULL", "TRUE", "FALSE")
            )
        )
    if (
        len(sig) >= 2
        and isinstance(sig[-2], Group)
        and sig[-1].kind in ("ident", "word")
    ):
        return True
    return False
