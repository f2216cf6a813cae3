"""Rewrite SingleStore expressions into MariaDB ones, on the token tree.

Bottom-up: inside each parenthesised group first, then function calls at
this level, then the postfix operators (`::`, `:>`, `!:>`) left to right,
then the vector operators (`<*>`, `<->`). A rewritten piece becomes one
`raw` token, so nothing is rewritten twice. MySQL-only syntax SingleStore
lacks raises Refuse with SingleStore's error.
"""

import hashlib
import re

from . import errors
from .catalog import SCHEMA
from .tokens import (
    Group,
    Tok,
    render,
    significant,
    split_commas,
    string_value,
    strip,
)

S = SCHEMA

# What SingleStore reports as its MySQL-compatible version (VERSION(),
# @@version); the SingleStore version itself is @@memsql_version.
MYSQL_VERSION = "5.7.32"


class Refuse(Exception):  # noqa: N818 - it carries an outcome, not a failure of ours
    def __init__(self, outcome):
        super().__init__(outcome.message)
        self.outcome = outcome


class Raw(Tok):
    """A rewritten piece; `json` keeps an open `::` chain (doc, keys, mode)."""

    def __init__(self, text, json=None):
        super().__init__("raw", text)
        self.json = json


class Context:
    def __init__(self, session, sql):
        self.session = session
        self.sql = sql
        self.changed = False

    @property
    def engine(self):
        return self.session.engine


_UNSUPPORTED_FUNCTIONS = {
    "JSON_UNQUOTE",
    "JSON_CONTAINS",
    "JSON_CONTAINS_PATH",
    "JSON_OBJECT",
    "JSON_ARRAY",
    "JSON_TYPE",
    "JSON_SET",
    "JSON_REMOVE",
    "JSON_INSERT",
    "JSON_REPLACE",
    "JSON_MERGE",
    "JSON_MERGE_PATCH",
    "JSON_MERGE_PRESERVE",
    "JSON_QUOTE",
    "JSON_SEARCH",
    "JSON_VALUE",
    "JSON_QUERY",
    "JSON_OVERLAPS",
    "JSON_TABLE",
    "JSON_DEPTH",
    "JSON_ARRAYAGG",
    "JSON_OBJECTAGG",
    "JSON_EXTRACT",
    "YEARWEEK",
}

_GLOBALS = (
    "@@VERSION",
    "@@MEMSQL_VERSION",
    "@@MEMSQL_VERSION_HASH",
    "@@DEFAULT_TABLE_TYPE",
    "@@TABLE_NAME_CASE_SENSITIVITY",
)


def translate(items, ctx):
    """Translate a list of items in place and return it."""
    for item in items:
        if isinstance(item, Group):
            translate(item.items, ctx)
    _variables(items, ctx)
    _percentiles(items, ctx)
    _calls(items, ctx)
    _postfix(items, ctx)
    _vector_ops(items, ctx)
    _nulls_ordering(items, ctx)
    _minus(items, ctx)
    for i, item in enumerate(items):
        if isinstance(item, Raw) and item.json is not None:
            items[i] = Raw(_json_text(*item.json))
    return items


# -- @@variables --------------------------------------------------------------


def _variables(items, ctx):
    for i, item in enumerate(items):
        if item.kind != "word" or not item.text.startswith("@@"):
            continue
        up = item.upper
        name_at = i
        if (
            up in ("@@GLOBAL", "@@SESSION")
            and i + 2 < len(items)
            and items[i + 1].text == "."
        ):
            name_at = i + 2
            up = "@@" + items[name_at].upper
        if up not in _GLOBALS:
            continue
        value = _global_value(up, ctx.engine.options)
        for j in range(i, name_at):
            items[j] = Tok("ws", "")
        items[name_at] = Raw(value)
        ctx.changed = True


def _global_value(name, options):
    version = options.get("memsql_version", "8.9.3")
    if name == "@@VERSION":
        return _quote(MYSQL_VERSION)
    if name == "@@MEMSQL_VERSION":
        return _quote(version)
    if name == "@@MEMSQL_VERSION_HASH":
        return _quote(hashlib.sha1(version.encode()).hexdigest())
    if name == "@@DEFAULT_TABLE_TYPE":
        return _quote(options.get("default_table_type", "columnstore"))
    return "1"


def _quote(value):
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


# -- function calls -----------------------------------------------------------


def _calls(items, ctx):
    for i, item in enumerate(items):
        if (
            item.kind != "word"
            or i + 1 >= len(items)
            or not isinstance(items[i + 1], Group)
        ):
            continue
        if i > 0 and items[i - 1].text == ".":
            continue
        name = item.upper
        handler = _FUNCTIONS.get(name)
        if name in _UNSUPPORTED_FUNCTIONS:
            raise Refuse(errors.fail("no_function", db=_db(ctx), name=item.text))
        if name == "SHA2":
            _sha2(items[i + 1])
            continue
        if handler is None:
            continue
        args = [strip(a) for a in split_commas(items[i + 1].items)]
        args = [a for a in args if a] if len(args) == 1 else args
        text = handler(args, ctx)
        if text is None:
            continue
        items[i] = Raw(text)
        items[i + 1] = Tok("ws", "")
        ctx.changed = True


def _db(ctx):
    return ctx.session.database or "(none)"


def _sha2(group):
    args = [significant(a) for a in split_commas(group.items)]
    if len(args) == 2 and len(args[1]) == 1 and args[1][0].text == "224":
        raise Refuse(errors.fail("sha224"))


def _arg(arg):
    return render(arg)


def _literal_path(keys):
    """A MariaDB JSON path such as '$."a"[0]' for literal key-path arguments.

    None when a key is an expression or a string of digits: SingleStore lets
    '0' address an array position or an object key, which only json_step can
    decide at run time. None too for a name starting with '-', which MariaDB's
    path syntax cannot quote (json_step looks it up by name).
    """
    pieces = []
    for key in keys:
        sig = significant(key)
        if len(sig) == 1 and sig[0].kind == "num" and sig[0].text.isdigit():
            pieces.append(f"[{sig[0].text}]")
        elif len(sig) == 1 and sig[0].kind == "str":
            name = string_value(sig[0].text)
            if name.isdigit() or name.startswith("-"):
                return None
            pieces.append(_member(name))
        else:
            return None
    return _quote("$" + "".join(pieces))


def _member(name):
    return '."' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _extract(doc, keys):
    if not keys:
        return doc
    path = _literal_path(keys)
    if path is not None:
        return f"JSON_EXTRACT({doc}, {path})"
    for key in keys:
        doc = f"{S}.json_step({doc}, {_arg(key)})"
    return doc


def _json_text(doc, keys, mode):
    value = _extract(doc, keys)
    if mode == "json":
        return f"JSON_COMPACT({value})"
    if mode == "string":
        return f"{S}.json_string({value})"
    if mode == "double":
        return f"{S}.json_double({value})"
    return f"{S}.json_bigint({value})"


def _extractor(mode):
    def handler(args, ctx):
        if not args:
            return None
        return _json_text(_arg(args[0]), args[1:], mode)

    return handler


def _match_any_exists(args, ctx):
    if len(args) < 2:
        return None
    path = _literal_path(args[1:])
    if path is not None:
        return f"JSON_CONTAINS_PATH({_arg(args[0])}, 'one', {path})"
    return f"({_extract(_arg(args[0]), args[1:])} IS NOT NULL)"


def _build_object(args, ctx):
    return "JSON_COMPACT(JSON_OBJECT(" + ", ".join(_arg(a) for a in args) + "))"


def _build_array(args, ctx):
    return "JSON_COMPACT(JSON_ARRAY(" + ", ".join(_arg(a) for a in args) + "))"


def _array_contains(mode):
    def handler(args, ctx):
        if len(args) != 2:
            return None
        needle = _arg(args[1])
        return f"{S}.json_array_contains({_arg(args[0])}, {needle}, '{mode}')"

    return handler


def _get_type(args, ctx):
    if not args:
        return None
    return f"{S}.json_get_type({_extract(_arg(args[0]), args[1:])})"


def _json_path_function(name):
    def handler(args, ctx):
        if not args:
            return None
        path = _literal_path(args[1:]) if len(args) > 1 else None
        if path is not None:
            text = f"{name}({_arg(args[0])}, {path})"
        else:
            text = f"{name}({_extract(_arg(args[0]), args[1:])})"
        return f"JSON_COMPACT({text})" if name == "JSON_KEYS" else text

    return handler


def _date_trunc(args, ctx):
    if len(args) != 2:
        return None
    return f"{S}.date_trunc({_arg(args[0])}, {_arg(args[1])})"


def _vector_function(op):
    def handler(args, ctx):
        if len(args) != 2:
            return None
        return f"{S}.vector_op({_arg(args[0])}, {_arg(args[1])}, '{op}')"

    return handler


# SingleStore's signatures (D/cloud/reference/sql-reference/
# regular-expression-functions/): name -> (fewest, most arguments, defaults of
# the optional ones). MariaDB's own functions take two or three arguments and
# follow the collation, so every call goes to the routines.
_REGEXP = {
    "REGEXP_INSTR": (2, 6, ("1", "1", "0", "'c'")),
    "REGEXP_SUBSTR": (2, 5, ("1", "1", "'c'")),
    "REGEXP_REPLACE": (3, 4, ("'c'",)),
}


def _regexp(name):
    fewest, most, defaults = _REGEXP[name]

    def handler(args, ctx):
        if not fewest <= len(args) <= most:
            raise Refuse(errors.fail("param_count", name=name))
        texts = [_arg(a) for a in args] + list(defaults[len(args) - fewest :])
        return f"{S}.{name.lower()}({', '.join(texts)})"

    return handler


def _median(args, ctx):
    if len(args) != 1:
        return None
    return f"{S}.percentile_cont({_arg(args[0])}, 0.5)"


def _json_set(mode):
    """JSON_SET_<type>(json, key, ..., value): the keys must be literals."""

    def handler(args, ctx):
        if len(args) < 3:
            return None
        path = _literal_path(args[1:-1])
        if path is None:
            return None
        value = _arg(args[-1])
        if mode == "json":
            value = f"JSON_EXTRACT({value}, '$')"
        elif mode == "double":
            value = f"CAST({value} AS DOUBLE)"
        return f"JSON_COMPACT(JSON_SET({_arg(args[0])}, {path}, {value}))"

    return handler


# TIME_BUCKET's ISO-8601 widths take these units (D/cloud/reference/
# sql-reference/time-series-functions/time-bucket); INTERVAL widths the
# fixed-length MySQL units.
_BUCKET_UNITS = {
    "w": 604_800_000_000,
    "d": 86_400_000_000,
    "h": 3_600_000_000,
    "m": 60_000_000,
    "s": 1_000_000,
}
_INTERVAL_UNITS = {
    "WEEK": 604_800_000_000,
    "DAY": 86_400_000_000,
    "HOUR": 3_600_000_000,
    "MINUTE": 60_000_000,
    "SECOND": 1_000_000,
    "MICROSECOND": 1,
}
_ISO_WIDTH = re.compile(r"(?:(\d+)([wdhms]))+", re.IGNORECASE)
_ISO_PART = re.compile(r"(\d+)([wdhms])", re.IGNORECASE)
# The origin SingleStore aligns buckets to by default (a Monday).
_BUCKET_ORIGIN = "'2000-01-03 00:00:00'"


def _bucket_width(arg):
    """The width in microseconds of a literal TIME_BUCKET width, or None."""
    sig = significant(arg)
    if len(sig) == 1 and sig[0].kind == "str":
        text = string_value(sig[0].text)
        if not _ISO_WIDTH.fullmatch(text):
            return None
        return sum(
            int(n) * _BUCKET_UNITS[u.lower()] for n, u in _ISO_PART.findall(text)
        )
    if (
        len(sig) == 3
        and sig[0].is_word("INTERVAL")
        and sig[1].kind == "num"
        and sig[1].text.isdigit()
        and sig[2].kind == "word"
        and sig[2].upper in _INTERVAL_UNITS
    ):
        return int(sig[1].text) * _INTERVAL_UNITS[sig[2].upper]
    return None


def _time_bucket(args, ctx):
    if len(args) not in (2, 3):
        return None
    width = _bucket_width(args[0])
    if not width:
        return None
    origin = _arg(args[2]) if len(args) == 3 else _BUCKET_ORIGIN
    return f"{S}.time_bucket({width}, {_arg(args[1])}, {origin})"


def _version(args, ctx):
    if args:
        return None
    return _quote(MYSQL_VERSION)


_FUNCTIONS = {
    "JSON_EXTRACT_JSON": _extractor("json"),
    "JSON_EXTRACT_STRING": _extractor("string"),
    "JSON_EXTRACT_DOUBLE": _extractor("double"),
    "JSON_EXTRACT_BIGINT": _extractor("bigint"),
    "JSON_MATCH_ANY_EXISTS": _match_any_exists,
    "JSON_BUILD_OBJECT": _build_object,
    "JSON_BUILD_ARRAY": _build_array,
    "JSON_ARRAY_CONTAINS_STRING": _array_contains("S"),
    "JSON_ARRAY_CONTAINS_DOUBLE": _array_contains("D"),
    "JSON_ARRAY_CONTAINS_JSON": _array_contains("J"),
    "JSON_GET_TYPE": _get_type,
    "JSON_LENGTH": _json_path_function("JSON_LENGTH"),
    "JSON_KEYS": _json_path_function("JSON_KEYS"),
    "DATE_TRUNC": _date_trunc,
    "DOT_PRODUCT": _vector_function("D"),
    "EUCLIDEAN_DISTANCE": _vector_function("E"),
    "VERSION": _version,
    "MEDIAN": _median,
    "JSON_SET_JSON": _json_set("json"),
    "JSON_SET_STRING": _json_set("string"),
    "JSON_SET_DOUBLE": _json_set("double"),
    "TIME_BUCKET": _time_bucket,
    **{name: _regexp(name) for name in _REGEXP},
}


# -- operators ----------------------------------------------------------------


def _skip_ws_back(items, j):
    while j >= 0 and items[j].kind in ("ws", "comment"):
        j -= 1
    return j


def _skip_ws(items, j):
    while j < len(items) and items[j].kind in ("ws", "comment"):
        j += 1
    return j


def _primary_start(items, j):
    """The index where the primary expression ending at items[j] starts."""
    item = items[j]
    if item.is_word("END"):
        return _case_start(items, j)
    if isinstance(item, Group):
        if j > 0 and items[j - 1].kind == "word":
            j -= 1
        else:
            return j
    elif (
        item.kind == "str"
        and j > 0
        and items[j - 1].kind == "word"
        and items[j - 1].text.startswith("_")
    ):
        return j - 1
    elif item.kind not in ("word", "ident", "num", "str", "raw"):
        return None
    while (
        j >= 2 and items[j - 1].text == "." and items[j - 2].kind in ("word", "ident")
    ):
        j -= 2
    return j


def _case_start(items, j):
    """The CASE that the END at items[j] closes, or None."""
    depth = 0
    for k in range(j, -1, -1):
        if items[k].is_word("END"):
            depth += 1
        elif items[k].is_word("CASE"):
            depth -= 1
            if depth == 0:
                return k
    return None


def _postfix(items, ctx):
    i = 0
    while i < len(items):
        op = items[i]
        if op.kind == "op" and op.text in ("->", "->>"):
            raise Refuse(errors.syntax_error(ctx.sql, ctx.sql.find(op.text)))
        if op.kind != "op" or op.text not in ("::", "::$", "::%", ":>", "!:>"):
            i += 1
            continue
        end = _skip_ws_back(items, i - 1)
        start = _primary_start(items, end) if end >= 0 else None
        if start is None:
            raise Refuse(errors.syntax_error(ctx.sql, ctx.sql.find(op.text)))
        if op.text.startswith("::"):
            after = _skip_ws(items, i + 1)
            if after >= len(items) or items[after].kind not in (
                "word",
                "ident",
                "num",
                "str",
            ):
                raise Refuse(errors.syntax_error(ctx.sql, ctx.sql.find(op.text)))
            new = _chain(items[start : end + 1], items[after], op.text)
            last = after
        else:
            parsed = _cast_type(items, i + 1)
            if parsed is None:
                i += 1
                continue
            target, last = parsed
            operand = render(items[start : end + 1])
            if len(items[start : end + 1]) == 1 and isinstance(items[start], Raw):
                operand = _finish(items[start])
            new = Raw(_cast(operand, target))
        items[start : last + 1] = [new]
        ctx.changed = True
        i = start + 1


def _finish(item):
    if isinstance(item, Raw) and item.json is not None:
        return _json_text(*item.json)
    return item.text


def _chain(left, key_tok, op):
    mode = {"::": "json", "::$": "string", "::%": "double"}[op]
    key = (
        [Tok("str", _quote(key_tok.text.strip("`")))]
        if key_tok.kind != "num"
        else [key_tok]
    )
    if key_tok.kind == "str":
        key = [key_tok]
    if (
        len(left) == 1
        and isinstance(left[0], Raw)
        and left[0].json
        and left[0].json[2] == "json"
    ):
        doc, keys, _ = left[0].json
        return Raw("", json=(doc, keys + [key], mode))
    doc = (
        render(left)
        if not (len(left) == 1 and isinstance(left[0], Raw))
        else _finish(left[0])
    )
    return Raw("", json=(doc, [key], mode))


_INT_WORDS = {
    "BIGINT",
    "INT",
    "INTEGER",
    "SMALLINT",
    "TINYINT",
    "MEDIUMINT",
    "BOOL",
    "BOOLEAN",
}
_TEXT_WORDS = {"TEXT", "LONGTEXT", "MEDIUMTEXT", "TINYTEXT", "VARCHAR", "CHAR"}
_BINARY_WORDS = {"BINARY", "VARBINARY", "BLOB", "LONGBLOB", "MEDIUMBLOB", "TINYBLOB"}


def _cast_type(items, j):
    """((type word, [args], unsigned), index of its last item) after `:>`."""
    j = _skip_ws(items, j)
    if j >= len(items) or items[j].kind != "word":
        return None
    word = items[j].upper
    last = j
    args = []
    k = _skip_ws(items, j + 1)
    if k < len(items) and isinstance(items[k], Group):
        args = [render(significant(a)).strip() for a in split_commas(items[k].items)]
        last = k
        k = _skip_ws(items, k + 1)
    unsigned = False
    while (
        k < len(items)
        and items[k].kind == "word"
        and items[k].upper
        in (
            "UNSIGNED",
            "SIGNED",
            "PRECISION",
        )
    ):
        unsigned = unsigned or items[k].upper == "UNSIGNED"
        last = k
        k = _skip_ws(items, k + 1)
    return (word, args, unsigned), last


def _cast(operand, target):
    word, args, unsigned = target
    size = f"({args[0]})" if args else ""
    if word in _INT_WORDS or word in ("SIGNED", "UNSIGNED"):
        kind = "UNSIGNED" if unsigned or word == "UNSIGNED" else "SIGNED"
        return f"CAST({operand} AS {kind})"
    if word in _TEXT_WORDS:
        return f"CAST({operand} AS CHAR{size if word in ('VARCHAR', 'CHAR') else ''})"
    if word in ("DOUBLE", "REAL"):
        return f"CAST({operand} AS DOUBLE)"
    if word == "FLOAT":
        return f"CAST({operand} AS FLOAT)"
    if word in ("DECIMAL", "NUMERIC", "DEC", "FIXED"):
        return (
            f"CAST({operand} AS DECIMAL{'(' + ', '.join(args) + ')' if args else ''})"
        )
    if word == "DATE":
        return f"CAST({operand} AS DATE)"
    if word in ("DATETIME", "TIMESTAMP"):
        return f"CAST({operand} AS DATETIME{size})"
    if word == "TIME":
        return f"CAST({operand} AS TIME{size})"
    if word in _BINARY_WORDS:
        return f"CAST({operand} AS BINARY{size if word == 'BINARY' else ''})"
    if word == "JSON":
        return f"{S}.json_unescape(JSON_COMPACT({operand}))"
    if word == "VECTOR" and args:
        return f"{S}.to_vector({operand}, {args[0]})"
    return f"CAST({operand} AS {word}{size})"


def _vector_ops(items, ctx):
    i = 0
    while i < len(items):
        op = items[i]
        if op.kind != "op" or op.text not in ("<*>", "<->"):
            i += 1
            continue
        end = _skip_ws_back(items, i - 1)
        start = _primary_start(items, end) if end >= 0 else None
        right = _skip_ws(items, i + 1)
        right_end = right
        if (
            right < len(items)
            and items[right].kind == "word"
            and right + 1 < len(items)
        ):
            if isinstance(items[right + 1], Group):
                right_end = right + 1
        if start is None or right >= len(items):
            raise Refuse(errors.syntax_error(ctx.sql, ctx.sql.find(op.text)))
        left = render(items[start : end + 1])
        rhs = render(items[right : right_end + 1])
        code = "D" if op.text == "<*>" else "E"
        items[start : right_end + 1] = [Raw(f"{S}.vector_op({left}, {rhs}, '{code}')")]
        ctx.changed = True
        i = start + 1


# -- clauses ------------------------------------------------------------------


def _percentiles(items, ctx):
    """`PERCENTILE_CONT(p) WITHIN GROUP (ORDER BY x [ASC|DESC])` as an
    aggregate (D/db/v9.1/reference/sql-reference/window-functions/
    percentile-cont-and-median); with OVER it is MariaDB's window function
    already and stays as written."""
    sig = [i for i, item in enumerate(items) if item.kind not in ("ws", "comment")]
    for n, at in enumerate(sig[:-4]):
        name, arg, within, group, order = (items[i] for i in sig[n : n + 5])
        if not (
            name.is_word("PERCENTILE_CONT")
            and isinstance(arg, Group)
            and within.is_word("WITHIN")
            and group.is_word("GROUP")
            and isinstance(order, Group)
        ):
            continue
        if n + 5 < len(sig) and items[sig[n + 5]].is_word("OVER"):
            continue
        inner = significant(order.items)
        if (
            len(inner) < 3
            or not inner[0].is_word("ORDER")
            or not inner[1].is_word("BY")
        ):
            continue
        descending = inner[-1].is_word("DESC")
        expr = inner[2:-1] if inner[-1].is_word("ASC", "DESC") else inner[2:]
        fraction = render(arg.items)
        if descending:
            fraction = f"1 - ({fraction})"
        text = f"{S}.percentile_cont({render(expr)}, {fraction})"
        items[at] = Raw(text)
        for i in sig[n + 1 : n + 5]:
            items[i] = Tok("ws", "")
        ctx.changed = True


_ORDER_END = {"LIMIT", "UNION", "EXCEPT", "INTERSECT", "MINUS", "FOR", "INTO"}


def _nulls_ordering(items, ctx):
    """`ORDER BY x [ASC|DESC] NULLS FIRST|LAST` as `x IS NULL` first: MariaDB
    has no NULLS clause."""
    start = None
    for i, item in enumerate(items):
        if item.is_word("BY") and i and _prev_word(items, i) == "ORDER":
            start = i + 1
            break
    if start is None:
        return
    end = start
    while end < len(items) and not (
        items[end].kind == "word" and items[end].upper in _ORDER_END
    ):
        end += 1
    parts = split_commas(items[start:end])
    if not any(_nulls_of(part) for part in parts):
        return
    out = []
    for part in parts:
        nulls = _nulls_of(part)
        if nulls is None:
            out.append(render(part))
            continue
        sig = significant(part)[:-2]
        direction = ""
        if sig and sig[-1].is_word("ASC", "DESC"):
            direction = " " + sig[-1].upper
            sig = sig[:-1]
        expr = render(sig)
        test = expr
        if len(sig) == 1 and (sig[0].kind in ("ident", "word", "num")):
            expr, test = _select_item(items[:start], sig[0], expr)
        first = "DESC" if nulls == "FIRST" else "ASC"
        out.append(f" ({test}) IS NULL {first}, {expr}{direction}")
    items[start:end] = [Raw(",".join(out) + " ")]
    ctx.changed = True


def _select_item(items, key, text):
    """(what to order by, what to test for NULL) for an ORDER BY key that is
    a select-list position or alias. A position inside an expression would be
    a constant, and MariaDB refuses an aggregate's alias inside one, so the
    test uses the item's expression; a compound query's ORDER BY can only
    name its columns, so there both use the alias."""
    start = next((i for i, t in enumerate(items) if t.is_word("SELECT")), None)
    if start is None:
        return text, text
    compound = any(t.is_word("UNION", "EXCEPT", "INTERSECT", "MINUS") for t in items)
    end = next(
        (
            i
            for i in range(start + 1, len(items))
            if items[i].is_word("FROM", "UNION", "EXCEPT", "INTERSECT", "MINUS")
        ),
        len(items),
    )
    for position, part in enumerate(split_commas(items[start + 1 : end]), 1):
        sig = significant(part)
        while sig and sig[0].is_word("DISTINCT", "ALL"):
            sig = sig[1:]
        alias = render(sig[-1:]) if len(sig) >= 3 and sig[-2].is_word("AS") else None
        named = alias is not None and sig[-1].text.strip("`") == key.text.strip("`")
        if not (named or (key.kind == "num" and key.text == str(position))):
            continue
        expression = render(sig[:-2]) if alias is not None else render(sig)
        if compound:
            return (alias or text), (alias or text)
        return (alias or expression), expression
    return text, text


def _nulls_of(part):
    sig = significant(part)
    if len(sig) >= 3 and sig[-2].is_word("NULLS") and sig[-1].is_word("FIRST", "LAST"):
        return sig[-1].upper
    return None


def _prev_word(items, i):
    j = _skip_ws_back(items, i - 1)
    return items[j].upper if j >= 0 and items[j].kind == "word" else ""


def _minus(items, ctx):
    """MINUS is SingleStore's synonym of EXCEPT (D/db/v9.1/reference/
    sql-reference/data-manipulation-language-dml/except-and-minus); MariaDB
    knows it only in Oracle mode."""
    for i, item in enumerate(items):
        if item.is_word("MINUS") and _next_is_query(items, i + 1):
            items[i] = Raw("EXCEPT")
            ctx.changed = True


def _next_is_query(items, j):
    j = _skip_ws(items, j)
    if j >= len(items):
        return False
    item = items[j]
    if isinstance(item, Group):
        inner = significant(item.items)
        return bool(inner) and inner[0].is_word("SELECT", "WITH")
    return item.is_word("SELECT", "DISTINCT")
