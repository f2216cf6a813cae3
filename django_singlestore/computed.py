"""Persisted computed columns: what GeneratedField(db_persist=True) becomes.

SingleStore writes a computed column as ``col AS expr PERSISTED type``; it
has no virtual (non-persisted) columns and no ``GENERATED ALWAYS AS``
(D/db/v9.1/reference/sql-reference/data-definition-language-ddl/create-table/).
The expression is the one SHOW CREATE TABLE prints, and introspection reads
it back from there (information_schema has no generation expression).

The schema editor sends ``AS <expr>`` without one pair of parentheses that
encloses the whole expression, and introspection returns the printed text
as it is: an expression read back and sent again comes out the same.
"""

import re

COMPUTED_EXTRA = "computed"
# "  `col` AS <expression> PERSISTED <type ...>," in SHOW CREATE TABLE.
COMPUTED_LINE_RE = re.compile(r"^  `((?:[^`]|``)+)` AS (.*) PERSISTED (.+?),?$")


def unwrap(sql):
    """``sql`` without one pair of parentheses around all of it."""
    if not (sql.startswith("(") and sql.endswith(")")):
        return sql
    depth, quote, escaped = 0, None, False
    for position, char in enumerate(sql):
        if escaped:
            escaped = False
        elif quote:
            escaped = char == "\\" and quote != "`"
            if char == quote:
                quote = None
        elif char in "'\"`":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and position != len(sql) - 1:
                return sql
    return sql[1:-1]


def computed_columns(create_table):
    """{column: expression} of the computed columns in a SHOW CREATE TABLE text."""
    found = {}
    for line in create_table.splitlines():
        match = COMPUTED_LINE_RE.match(line)
        if match:
            found[match.group(1).replace("``", "`")] = match.group(2)
    return found
