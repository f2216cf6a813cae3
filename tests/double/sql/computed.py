"""Persisted computed columns: ``col AS expr PERSISTED type [NOT NULL]``.

SingleStore has computed columns only in this form, in CREATE TABLE and in
ALTER TABLE ... ADD [COLUMN] col AS ... (no VIRTUAL, no MySQL
``GENERATED ALWAYS AS``; MODIFY takes a plain column definition only).
D/db/v9.1/reference/sql-reference/data-definition-language-ddl/create-table/ ;
D/db/v9.1/reference/sql-reference/data-definition-language-ddl/alter-table/ ;
D/db/v9.1/create-a-database/using-persistent-computed-columns/ (NOT NULL
allowed, DESC shows Extra ``computed``).

MariaDB holds them as ``col type GENERATED ALWAYS AS (expr) STORED``, with
the expression translated as a SELECT expression would be; the catalog keeps
the SingleStore text so SHOW CREATE TABLE prints it back.
"""

import re

from . import errors
from .catalog import SCHEMA
from .routines import expression_routines
from .tokens import Group, Tok, parse, quote_ident, render, significant, split_commas

EXTRA = "computed"


def split_definition(part):
    """(expression text, items after PERSISTED or None) of a column definition
    ``name AS expr PERSISTED ...``, or None when the column is not computed."""
    sig = significant(part)
    if len(sig) < 2 or not sig[1].is_word("AS"):
        return None
    start = next(i for i, item in enumerate(part) if item is sig[1]) + 1
    for i in range(start, len(part)):
        if part[i].is_word("PERSISTED"):
            return render(part[start:i]).strip(), part[i + 1 :]
    return render(part[start:]).strip(), None


def refusal(sql, column):
    """SingleStore's answer to a column definition it cannot parse, else None:
    MySQL's GENERATED ALWAYS AS, ``AS expr`` without PERSISTED (SingleStore
    has no virtual columns), and PERSISTED AUTO, whose type the double cannot
    infer (KNOWN_GAPS.md)."""
    if column.generated_near is not None:
        return errors.syntax_error(sql, sql.find(column.generated_near))
    if column.computed is None:
        return None
    if column.computed_tail is None:
        at = sql.find(column.computed)
        return errors.syntax_error(sql, at if at >= 0 else len(sql))
    tail = significant(column.computed_tail)
    if not tail:
        return errors.syntax_error(sql, len(sql))
    if tail[0].is_word("AUTO"):
        return errors.fail("computed_auto", col=column.name)
    return None


def render_mariadb(session, column):
    """The MariaDB definition of a computed column. MariaDB takes no NULL or
    NOT NULL on a generated column; the catalog keeps NOT NULL for SHOW CREATE
    TABLE (KNOWN_GAPS.md: not enforced)."""
    expression = inline_routines(session.translate_expression(column.computed))
    # CHARACTER SET and COLLATE belong to MariaDB's type, COMMENT follows STORED.
    before, after = [], []
    for item in significant(column.after_type):
        if item.is_word("COMMENT") or after:
            after.append(render([item]))
        elif not item.is_word("NOT", "NULL"):
            before.append(render([item]))
    kind = " ".join([column.type_text, *before])
    tail = "".join(" " + text for text in after)
    return (
        f"{quote_ident(column.name)} {kind} "
        f"GENERATED ALWAYS AS ({expression}) STORED{tail}"
    )


def inline_routines(text):
    """``text`` with calls of the double's one-expression routines written out.

    MariaDB allows no stored function in a generated column, while the JSON
    functions SingleStore computes columns from translate to such routines.
    Routines with a body (json_member, ...) stay, and MariaDB refuses them.
    """
    items = parse(text)
    _inline(items, expression_routines())
    return render(items)


def _inline(items, known):
    i = 0
    while i < len(items):
        item = items[i]
        if isinstance(item, Group):
            _inline(item.items, known)
        call = items[i : i + 4]
        if (
            len(call) == 4
            and call[0].kind == "word"
            and call[0].text.lower() == SCHEMA
            and call[1].text == "."
            and call[2].kind == "word"
            and call[2].text.lower() in known
            and isinstance(call[3], Group)
        ):
            names, body = known[call[2].text.lower()]
            _inline(call[3].items, known)
            values = [render(part).strip() for part in split_commas(call[3].items)]
            by_name = dict(zip(names, values, strict=True))
            tokens = parse(body)
            _substitute(tokens, by_name)
            items[i : i + 4] = [Tok("raw", "(" + inline_routines(render(tokens)) + ")")]
        i += 1


def _substitute(items, values):
    for position, item in enumerate(items):
        if isinstance(item, Group):
            _substitute(item.items, values)
        elif item.kind == "word" and item.text.lower() in values:
            items[position] = Tok("raw", "(" + values[item.text.lower()] + ")")


def catalog_entry(column):
    return {"expression": column.computed, "not_null": column.not_null}


def show_create(text, computed):
    """MariaDB's SHOW CREATE TABLE lines of computed columns in SingleStore's form."""
    for name, entry in computed.items():
        pattern = re.compile(
            rf"\n  {re.escape(quote_ident(name))} (.*?) GENERATED ALWAYS AS "
            rf"\(.*\) STORED([^\n]*?)(,?)(?=\n)"
        )
        not_null = " NOT NULL" if entry["not_null"] else ""
        text = pattern.sub(
            lambda m, n=name, e=entry, nn=not_null: (
                f"\n  {quote_ident(n)} AS {e['expression']} PERSISTED "
                f"{m.group(1)}{nn}{m.group(2)}{m.group(3)}"
            ),
            text,
        )
    return text
