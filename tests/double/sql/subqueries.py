"""SingleStore's refusals of subquery shapes.

A distributed query (one that reads a sharded table) is pushed down to the
leaves, and real SingleStore servers refuse some correlated and scalar
subquery shapes in it (UP features.py, measured on 8.9; GRAMMAR.md lists each
shape). A query that reads only reference tables runs on the aggregator and
is not refused. A select inside an INSERT's VALUES is refused whatever the
table kind.

The statement is read as a tree of scopes: each SELECT (the statement, or a
parenthesised subquery) knows the clause of its parent it sits in, the tables
and aliases its FROM defines, and the qualifiers (`alias`.`column`) it uses.
A qualifier resolves to the nearest enclosing scope that defines it.
"""

from dataclasses import dataclass, field

from . import errors, lenient
from .ddl import is_name, name_of, qualified_name
from .tables import table_meta
from .tokens import Group, significant
from .translate import Refuse

AGGREGATES = {
    "AVG",
    "BIT_AND",
    "BIT_OR",
    "BIT_XOR",
    "COUNT",
    "GROUP_CONCAT",
    "JSON_AGG",
    "MAX",
    "MEDIAN",
    "MIN",
    "STD",
    "STDDEV",
    "STDDEV_POP",
    "STDDEV_SAMP",
    "SUM",
    "VARIANCE",
    "VAR_POP",
    "VAR_SAMP",
}
_NOT_SCALAR = {"IN", "EXISTS", "ANY", "SOME", "ALL"}
_COMPOUND = {"UNION", "EXCEPT", "INTERSECT", "MINUS", "ALL", "DISTINCT"}
_CLAUSES = {
    "SELECT": "select",
    "FROM": "from",
    "JOIN": "from",
    "ON": "where",
    "WHERE": "where",
    "GROUP": "group",
    "HAVING": "having",
    "ORDER": "order",
    "LIMIT": "limit",
    "VALUES": "values",
    "VALUE": "values",
    "SET": "set",
    "INTO": "into",
    "UPDATE": "from",
}
# The words a table name follows.
_TABLE_WORDS = {"FROM", "JOIN", "INTO", "UPDATE"}
# Words after a table name that are not its alias.
_NOT_ALIAS = {
    "ON",
    "USING",
    "WHERE",
    "GROUP",
    "HAVING",
    "ORDER",
    "LIMIT",
    "JOIN",
    "INNER",
    "LEFT",
    "RIGHT",
    "CROSS",
    "STRAIGHT_JOIN",
    "NATURAL",
    "OUTER",
    "UNION",
    "EXCEPT",
    "INTERSECT",
    "MINUS",
    "FOR",
    "LOCK",
    "SET",
    "VALUES",
    "SELECT",
    "WINDOW",
    "USE",
    "FORCE",
    "IGNORE",
}


@dataclass
class Scope:
    parent: "Scope | None" = None
    clause: str = ""
    scalar: bool = True
    in_aggregate: bool = False
    tables: list = field(default_factory=list)
    qualifiers: set = field(default_factory=set)
    references: set = field(default_factory=set)
    clauses: set = field(default_factory=set)
    distinct: bool = False
    children: list = field(default_factory=list)
    # Where a subquery in a select list stands: its 1-based item and alias.
    position: int = 0
    alias: str | None = None
    # The select-list items GROUP BY names by position or alias.
    group_refs: set = field(default_factory=set)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def level_of(self, qualifier):
        """How many scopes up `qualifier` is defined (0 = here), or None."""
        scope, level = self, 0
        while scope is not None:
            if qualifier in scope.qualifiers:
                return level
            scope, level = scope.parent, level + 1
        return None

    def reaches_out(self):
        """Does this scope, or one inside it, use a qualifier defined above it?"""
        for inner in self.walk():
            depth = inner.depth_below(self)
            for qualifier in inner.references:
                level = inner.level_of(qualifier)
                if level is not None and level > depth:
                    return True
        return False

    def depth_below(self, ancestor):
        depth, scope = 0, self
        while scope is not ancestor:
            scope, depth = scope.parent, depth + 1
        return depth


def read(session, sig):
    root = Scope(clause="statement")
    _read(session, sig, root, "statement", False, top=True)
    return root


def _read(session, sig, scope, clause, in_aggregate, top=False):
    """Read `sig` into `scope`; `top` when it is the scope's own statement
    rather than a parenthesised expression inside it."""
    i = 0
    while i < len(sig):
        item = sig[i]
        if isinstance(item, Group):
            i = _group(session, sig, i, scope, clause, in_aggregate)
            continue
        word = item.upper if item.kind == "word" else ""
        if word in _CLAUSES and not (word == "SET" and clause != "statement"):
            clause = _CLAUSES[word]
            scope.clauses.add(clause)
            if word == "SELECT":
                scope.position = 1
                if i + 1 < len(sig) and sig[i + 1].is_word("DISTINCT"):
                    scope.distinct = True
            i += 1
            if word in _TABLE_WORDS:
                i = _table(session, sig, i, scope)
            continue
        if clause == "from" and item.text == "," and i + 1 < len(sig):
            i = _table(session, sig, i + 1, scope)
            continue
        if top and clause == "select" and item.text == ",":
            scope.position += 1
        if top and clause == "group":
            _group_ref(sig, i, scope)
        if is_name(item) and i + 2 < len(sig) and sig[i + 1].text == ".":
            if is_name(sig[i + 2]) and i + 4 < len(sig) and sig[i + 3].text == ".":
                scope.references.add(name_of(sig[i + 2]))
                i += 5
                continue
            scope.references.add(name_of(item))
            i += 3
            continue
        i += 1


def _group(session, sig, i, scope, clause, in_aggregate):
    group = sig[i]
    inner = significant(group.items)
    prev = sig[i - 1] if i else None
    prev_word = prev.upper if prev is not None and prev.kind == "word" else ""
    is_query = bool(inner) and inner[0].is_word("SELECT", "WITH")
    if is_query and (prev is None or prev_word in _COMPOUND):
        # a branch of a compound query, or the statement in parentheses
        _read(session, inner, scope, "statement", in_aggregate)
        return i + 1
    if is_query:
        child = Scope(
            parent=scope,
            clause=clause,
            scalar=prev_word not in _NOT_SCALAR,
            in_aggregate=in_aggregate,
        )
        scope.children.append(child)
        _read(session, inner, child, "statement", False, top=True)
        if clause == "from":
            return _alias(sig, i + 1, scope)
        if clause == "select":
            child.position = scope.position
            return _select_alias(sig, i + 1, child)
        return i + 1
    _read(session, inner, scope, clause, in_aggregate or prev_word in AGGREGATES)
    return i + 1


def _select_alias(sig, i, child):
    if i < len(sig) and sig[i].is_word("AS"):
        i += 1
    if i < len(sig) and is_name(sig[i]) and sig[i].upper not in _NOT_ALIAS:
        child.alias = name_of(sig[i])
        return i + 1
    return i


def _group_ref(sig, i, scope):
    """A GROUP BY item that is a position or a bare name (an alias)."""
    item = sig[i]
    before = sig[i - 1] if i else None
    after = sig[i + 1] if i + 1 < len(sig) else None
    if (before is None or before.text == "," or before.is_word("BY")) and (
        after is None or after.text == "," or after.kind == "word"
    ):
        if item.kind == "num" and item.text.isdigit():
            scope.group_refs.add(int(item.text))
        elif is_name(item) and not item.is_word("BY"):
            scope.group_refs.add(name_of(item))


def _table(session, sig, i, scope):
    if i >= len(sig) or not is_name(sig[i]):
        return i
    db, table, nxt = qualified_name(sig, i)
    scope.tables.append((db or session.database, table))
    return _alias(sig, nxt, scope, table)


def _alias(sig, i, scope, table=None):
    """Read an alias at `i`; it hides the table name, as in MySQL."""
    if i < len(sig) and sig[i].is_word("AS"):
        i += 1
    if i < len(sig) and is_name(sig[i]) and sig[i].upper not in _NOT_ALIAS:
        scope.qualifiers.add(name_of(sig[i]))
        return i + 1
    if table is not None:
        scope.qualifiers.add(table)
    return i


def check(session, sig):
    """Refuse the statement if SingleStore refuses one of its subqueries."""
    root = read(session, sig)
    scopes = list(root.walk())[1:]
    if not scopes:
        return
    if any(s.clause == "values" for s in scopes):
        raise Refuse(errors.fail("select_in_values"))
    if not any(_sharded(session, t) for s in root.walk() for t in s.tables):
        return
    for error, refused in _RULES:
        if any(refused(session, scope) for scope in scopes):
            raise Refuse(errors.fail(error))
    if any(scope.reaches_out() for scope in scopes):
        lenient.note(session, "correlated_subselect")


def _levels_up(session, scope):
    levels = (scope.level_of(q) for q in scope.references)
    return any(level is not None and level > 1 for level in levels)


def _nested_project(session, scope):
    parent = scope.parent
    return (
        scope.clause == "select"
        and scope.scalar
        and parent.parent is not None
        and parent.clause == "select"
        and parent.scalar
    )


def _grouped_by_reference(session, scope):
    refs = scope.parent.group_refs
    return scope.clause == "select" and (
        scope.position in refs or (scope.alias is not None and scope.alias in refs)
    )


def _project_of_grouped_columnstore(session, scope):
    parent = scope.parent
    return (
        scope.clause == "select"
        and not scope.scalar
        and scope.reaches_out()
        and ("group" in parent.clauses or parent.distinct)
        and any(table_meta(session, *t).columnstore for t in parent.tables)
    )


# In the order they are checked: the first that matches names the error.
_RULES = (
    ("subselect_levels_up", _levels_up),
    ("subselect_in_aggregate", lambda session, scope: scope.in_aggregate),
    (
        "correlated_order_by",
        lambda session, scope: scope.clause == "order" and scope.reaches_out(),
    ),
    (
        "scalar_group_order",
        lambda session, scope: (
            scope.clause in ("group", "order") or _grouped_by_reference(session, scope)
        ),
    ),
    (
        "correlated_having",
        lambda session, scope: scope.clause == "having" and scope.reaches_out(),
    ),
    ("nested_project_list", _nested_project),
    ("correlated_project_columnstore", _project_of_grouped_columnstore),
)


def _sharded(session, table):
    db, name = table
    return db is not None and table_meta(session, db, name).sharded
