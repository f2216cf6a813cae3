"""SingleStore stored procedures as MariaDB ones, for the simple shapes.

SingleStore's procedural SQL (D/db/v9.1/reference/sql-reference/
procedural-sql-reference/create-procedure):

    CREATE [OR REPLACE] PROCEDURE name ( [param type [modifiers], ...] )
    [RETURNS type] [AUTHORIZE ...] [DEFINER = ...] AS
    [DECLARE var type [= expr]; ...] [...]
    BEGIN body END

The double translates parameters, DECLARE variables, assignments
(`var = expr;`, `var := expr;`) and plain SQL statements (through the same
rules and expression translation as statements sent alone) into MariaDB's
`CREATE PROCEDURE name (params) BEGIN DECLARE ...; SET ...; ... END`.
Anything else (RETURNS, control flow, ECHO, exceptions, non-scalar types,
parameter defaults, savepoints, DDL in the body) is refused with an error
naming the construct, rather than run with different semantics. CALL and
DROP PROCEDURE need no translation.
"""

from . import errors
from .outcomes import Forward
from .tokens import Group, Tok, render, significant, split_commas, strip
from .translate import Refuse

# Statements the double does not model in a body: SingleStore's control flow
# and output, savepoints, and DDL (its catalog would not see the tables).
_UNTRANSLATED = {
    "SAVEPOINT",
    "RELEASE",
    "CREATE",
    "ALTER",
    "DROP",
    "RENAME",
    "IF",
    "WHILE",
    "LOOP",
    "FOR",
    "REPEAT",
    "RETURN",
    "ECHO",
    "RAISE",
    "EXCEPTION",
    "BEGIN",
    "DECLARE",
    "CASE",
    "CONTINUE",
    "EXIT",
    "ITERATE",
    "LEAVE",
    "COLLECT",
    "EXECUTE",
}
_NON_SCALAR = {"ARRAY", "RECORD", "QUERY"}


def _refuse(reason):
    raise Refuse(errors.fail("procedure", reason=reason))


def _top(items):
    """(index, item) of the significant top-level items."""
    return [
        (i, item) for i, item in enumerate(items) if item.kind not in ("ws", "comment")
    ]


def _split_statements(items):
    parts = [[]]
    for item in items:
        if item.kind == "punct" and item.text == ";":
            parts.append([])
        else:
            parts[-1].append(item)
    return [strip(p) for p in parts if significant(p)]


def create_procedure(session, sql, items):
    top = _top(items)
    at = 1
    replace = ""
    if top[1][1].is_word("OR") and top[2][1].is_word("REPLACE"):
        replace = "OR REPLACE "
        at = 3
    if not top[at][1].is_word("PROCEDURE"):
        return Forward(sql)
    params_at = next(
        (n for n in range(at + 1, len(top)) if isinstance(top[n][1], Group)), None
    )
    if params_at is None:
        _refuse("the parameter list `( ... )` after the procedure name is missing")
    name = render(items[top[at + 1][0] : top[params_at][0]]).strip()
    params = _params(top[params_at][1])
    after = top[params_at + 1 :]
    if not after or not after[0][1].is_word("AS"):
        word = after[0][1].text if after else "the end of the statement"
        _refuse(f"'{word}' after the parameter list, where AS is expected")
    rest = items[after[0][0] + 1 :]
    declarations, body = _sections(rest)
    statements = [_declaration(d) for d in declarations]
    statements += [_statement(session, s) for s in body]
    text = f"CREATE {replace}PROCEDURE {name}({params})\nBEGIN\n"
    text += "".join(f"  {s};\n" for s in statements) + "END"
    return Forward(text)


def _params(group):
    out = []
    for part in split_commas(group.items):
        sig = significant(part)
        if not sig:
            continue
        words = {t.upper for t in sig if t.kind == "word"}
        if "DEFAULT" in words:
            _refuse(f"the parameter default in '{render(strip(part))}'")
        if words & _NON_SCALAR:
            _refuse(f"the non-scalar parameter type in '{render(strip(part))}'")
        out.append(render(strip(_drop_nullability(part))))
    return ", ".join(out)


def _drop_nullability(part):
    """MariaDB parameters take no NULL / NOT NULL modifier."""
    kept = list(part)
    for i, item in enumerate(kept):
        if item.is_word("NULL"):
            kept[i] = Tok("ws", "")
            j = i - 1
            while j >= 0 and kept[j].kind == "ws":
                j -= 1
            if j >= 0 and kept[j].is_word("NOT"):
                kept[j] = Tok("ws", "")
    return kept


def _sections(items):
    """(declarations, body statements) of what follows AS."""
    top = _top(items)
    begin = next((n for n, (_, item) in enumerate(top) if item.is_word("BEGIN")), None)
    if begin is None:
        _refuse("BEGIN ... END after AS is missing")
    declarations = []
    for part in _split_statements(items[: top[begin][0]]):
        sig = significant(part)
        if sig[0].is_word("DECLARE"):
            part = part[_position(part, sig[0]) + 1 :]
        if significant(part):
            declarations.append(strip(part))
    last = len(top) - 1
    if top[last][1].kind == "punct" and top[last][1].text == ";":
        last -= 1
    if last <= begin or not top[last][1].is_word("END"):
        _refuse("the procedure body does not end with END")
    body = _split_statements(items[top[begin][0] + 1 : top[last][0]])
    return declarations, body


def _is_assignment(sig):
    """`var = expr` or `var := expr`."""
    return (
        len(sig) >= 3
        and sig[0].kind in ("word", "ident")
        and sig[1].text in ("=", ":=")
    )


def _position(items, target):
    return next(i for i, item in enumerate(items) if item is target)


def _declaration(part):
    sig = significant(part)
    if sig[0].kind not in ("word", "ident") or len(sig) < 2:
        _refuse(f"the declaration '{render(part)}'")
    words = {t.upper for t in sig if t.kind == "word"}
    if words & _NON_SCALAR:
        _refuse(f"the non-scalar variable type in '{render(part)}'")
    eq = next((i for i, t in enumerate(sig) if t.text in ("=", ":=")), None)
    if eq is None:
        return "DECLARE " + render(part)
    start = _position(part, sig[eq])
    head = render(strip(part[:start]))
    value = render(strip(part[start + 1 :]))
    return f"DECLARE {head} DEFAULT {value}"


def _statement(session, part):
    sig = significant(part)
    first = sig[0]
    if first.kind == "word" and first.upper in _UNTRANSLATED:
        _refuse(f"the {first.upper} statement")
    if _is_assignment(sig):
        at = _position(part, sig[1])
        target = render(strip(part[:at]))
        value = session.translate_expression(render(strip(part[at + 1 :])))
        return f"SET {target} = {value}"
    return session.translate_statement(render(part))
