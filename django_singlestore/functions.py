"""SingleStore SQL for Django expressions, registered once as as_singlestore.

Django dispatches ``as_<vendor>``; with vendor "singlestore" none of the
``as_mysql`` methods apply by themselves, so each MySQL form that SingleStore
accepts is aliased explicitly below, and the rest get their own SQL.

JSON: SingleStore addresses keys with extra arguments
(``JSON_EXTRACT_JSON(doc, 'a', 0)``), never '$.a' paths, and has no
``->``/``->>``, JSON_UNQUOTE, JSON_CONTAINS, JSON_OBJECT or JSON_ARRAY.
"""

import json as jsonlib

from django.db import NotSupportedError
from django.db.models import expressions, functions
from django.db.models.fields import json
from django.db.models.functions import comparison, mixins, text, window

TEMPORAL_TYPES = {"DateField", "DateTimeField", "TimeField"}
CAST_TEMPLATE = "(%(expressions)s) :> %(db_type)s"


def is_array_position(key):
    """Whether the key ``key`` reads an array position: ASCII digits only.

    ``str.isdigit()`` also accepts '²' and '٣', which int() refuses or reads
    as a number no JSON text would use; such keys name object members.
    """
    return key.isascii() and key.isdigit()


def key_argument(key):
    """An array position is an integer argument, any other key a string."""
    return int(key) if is_array_position(key) else key


def key_path_sql(lhs, params, keys, function, final_key=None):
    """``function(lhs, key, ...)``; ``final_key`` is always an object key."""
    arguments = [key_argument(key) for key in keys]
    if final_key is not None:
        arguments.append(final_key)
    placeholders = ", ".join(["%s"] * len(arguments))
    return f"{function}({lhs}, {placeholders})", (*params, *arguments)


def key_transform(self, compiler, connection):
    lhs, params, keys = self.preprocess_lhs(compiler, connection)
    return key_path_sql(lhs, params, keys, "JSON_EXTRACT_JSON")


def key_text_transform(self, compiler, connection):
    lhs, params, keys = self.preprocess_lhs(compiler, connection)
    return key_path_sql(lhs, params, keys, "JSON_EXTRACT_STRING")


def has_key(self, compiler, connection):
    """has_key / has_keys / has_any_keys: one JSON_MATCH_ANY_EXISTS per key."""
    if isinstance(self.lhs, json.KeyTransform):
        lhs, lhs_params, prefix = self.lhs.preprocess_lhs(compiler, connection)
    else:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prefix = []
    keys = self.rhs if isinstance(self.rhs, (list, tuple)) else [self.rhs]
    parts, params = [], []
    for key in keys:
        if isinstance(key, json.KeyTransform):
            *_, path = key.preprocess_lhs(compiler, connection)
        else:
            path = [str(key)]
        # As in Django, a digit-only final key names an object key.
        *path, final = path
        sql, part_params = key_path_sql(
            lhs, lhs_params, [*prefix, *path], "JSON_MATCH_ANY_EXISTS", final
        )
        if is_array_position(final):
            # SingleStore's docs do not say whether a digit key reads an array
            # position, so require an object around it.
            container, container_params = (
                key_path_sql(lhs, lhs_params, [*prefix, *path], "JSON_EXTRACT_JSON")
                if prefix or path
                else (lhs, lhs_params)
            )
            sql = f"(JSON_GET_TYPE({container}) = 'object' AND {sql})"
            part_params = (*container_params, *part_params)
        parts.append(sql)
        params.extend(part_params)
    return self._combine_sql_parts(parts), tuple(params)


def json_exact(self, compiler, connection):
    """Compare JSON with JSON: the parameter is cast with ':> JSON'."""
    lhs, lhs_params = self.process_lhs(compiler, connection)
    rhs, rhs_params = self.process_rhs(compiler, connection)
    if rhs == "%s":
        rhs = "(%s :> JSON)"
    return f"{lhs} = {rhs}", (*lhs_params, *rhs_params)


def key_transform_in(self, compiler, connection):
    """key__in=[...]: each value is cast to JSON, as in json_exact."""
    lhs, lhs_params = self.process_lhs(compiler, connection)
    rhs, rhs_params = self.process_rhs(compiler, connection)
    if self.rhs_is_direct_value():
        rhs = rhs.replace("%s", "(%s :> JSON)")
    return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)


def json_contains_sql(target, value):
    """(sql, params) testing that the JSON ``target`` contains ``value``.

    MySQL's JSON_CONTAINS rules: an object contains each given key with a
    contained value, an array contains each given element, a scalar matches
    an equal scalar or an array holding it. An object or array inside a list
    has no SingleStore expression (it needs "some element contains").
    """
    sql, params = target
    if isinstance(value, dict):
        parts = [(f"JSON_GET_TYPE({sql}) = 'object'", params)]
        for key, item in value.items():
            inner = (f"JSON_EXTRACT_JSON({sql}, %s)", (*params, str(key)))
            parts.append(json_contains_sql(inner, item))
    elif isinstance(value, list):
        parts = [(f"JSON_GET_TYPE({sql}) = 'array'", params)]
        for item in value:
            if isinstance(item, (dict, list)):
                raise NotSupportedError(
                    "SingleStore cannot test whether a JSON array contains an "
                    "object or an array (JSON_ARRAY_CONTAINS_JSON compares whole "
                    "elements); filter on the keys instead."
                )
            parts.append(
                (
                    f"JSON_ARRAY_CONTAINS_JSON({sql}, (%s :> JSON))",
                    (*params, jsonlib.dumps(item)),
                )
            )
    else:
        encoded = jsonlib.dumps(value)
        return (
            f"({sql} = (%s :> JSON) OR (JSON_GET_TYPE({sql}) = 'array' AND "
            f"JSON_ARRAY_CONTAINS_JSON({sql}, (%s :> JSON))))",
            (*params, encoded, *params, *params, encoded),
        )
    return (
        "({})".format(" AND ".join(part for part, _ in parts)),
        tuple(param for _, part_params in parts for param in part_params),
    )


def data_contains(self, compiler, connection):
    if hasattr(self.rhs, "resolve_expression"):
        raise NotSupportedError(
            "JSONField contains on SingleStore takes a Python value, not an expression."
        )
    lhs, lhs_params = self.process_lhs(compiler, connection)
    return json_contains_sql((lhs, tuple(lhs_params)), self.rhs)


def contained_by(self, compiler, connection):
    raise NotSupportedError(
        "contained_by is not supported on SingleStore: the candidate document "
        "would drive the SQL, which SingleStore's JSON functions cannot express."
    )


def key_numeric_comparison(self, compiler, connection):
    """Compare a key as a number (JSON_EXTRACT_DOUBLE) or as a string."""
    rhs, rhs_params = self.process_rhs(compiler, connection)
    numeric = all(
        isinstance(value, (int, float)) and not isinstance(value, bool)
        for value in rhs_params
    )
    lhs, lhs_params, keys = self.lhs.preprocess_lhs(compiler, connection)
    function = "JSON_EXTRACT_DOUBLE" if numeric else "JSON_EXTRACT_STRING"
    lhs, lhs_params = key_path_sql(lhs, lhs_params, keys, function)
    sql = f"{lhs} {self.get_rhs_op(connection, rhs)}"
    return sql, (*lhs_params, *rhs_params)


def cast(self, compiler, connection, **extra_context):
    return self.as_sql(compiler, connection, template=CAST_TEMPLATE, **extra_context)


def collate(self, compiler, connection, **extra_context):
    # COLLATE applies to a typed string expression only.
    return self.as_sql(
        compiler,
        connection,
        template="(%(expressions)s :> LONGTEXT) %(function)s %(collation)s",
        **extra_context,
    )


def chr_(self, compiler, connection, **extra_context):
    # CHAR() gives a binary string; Django wants text.
    return self.as_sql(
        compiler,
        connection,
        template="(CHAR(%(expressions)s) :> LONGTEXT)",
        **extra_context,
    )


def duration_expression(self, compiler, connection):
    """A duration times or over a number is arithmetic on the BIGINT count of
    microseconds (MySQL's INTERVAL form only allows + and -)."""
    sides = (self.lhs, self.rhs)
    kinds = {side.output_field.get_internal_type() for side in sides}
    if self.connector in (self.MUL, self.DIV) and not kinds & TEMPORAL_TYPES:
        return expressions.CombinedExpression.as_sql(self, compiler, connection)
    return self.as_sql(compiler, connection)


def lag_lead(self, compiler, connection, **extra_context):
    # LAG/LEAD(expression[, offset]): SingleStore has no default argument.
    if len(self.get_source_expressions()) > 2:
        raise NotSupportedError(
            f"SingleStore's {self.function} takes no default value "
            f"({self.function}(expression[, offset])). Drop default= and wrap "
            f"the window in Coalesce() if NULL never occurs in the column."
        )
    return self.as_sql(compiler, connection, **extra_context)


def json_object(self, compiler, connection, **extra_context):
    return self.as_sql(
        compiler, connection, function="JSON_BUILD_OBJECT", **extra_context
    )


def json_array(self, compiler, connection, **extra_context):
    return self.as_sql(
        compiler, connection, function="JSON_BUILD_ARRAY", **extra_context
    )


def exists(self, compiler, connection, **extra_context):
    """EXISTS of a compound query without its LIMIT 1.

    A sliced compound query is wrapped in a derived table (compiler.py), and
    a derived table cannot see the outer query's columns, so an OuterRef in
    a branch would fail; LIMIT 1 never changes what EXISTS returns.
    """
    query = self.query
    if query.combinator and query.low_mark == 0 and query.high_mark == 1:
        self = self.copy()
        self.query.clear_limits()
    return self.as_sql(compiler, connection, **extra_context)


# MySQL SQL that SingleStore accepts unchanged.
SAME_AS_MYSQL = (
    functions.Now,  # CURRENT_TIMESTAMP(6)
    functions.Random,  # RAND()
    functions.Length,  # CHAR_LENGTH()
    functions.Ord,  # ORD()
    text.ConcatPair,  # CONCAT_WS('', ...) skips NULLs
    text.MySQLSHA2Mixin,  # SHA2(x, n)
    mixins.FixDurationInputMixin,  # Avg and Sum over BIGINT microseconds
)
OWN_SQL = {
    comparison.Cast: cast,
    comparison.Collate: collate,
    expressions.DurationExpression: duration_expression,
    expressions.Exists: exists,
    functions.Chr: chr_,
    functions.JSONObject: json_object,
    window.LagLeadFunction: lag_lead,
    functions.JSONArray: json_array,
    json.KeyTransform: key_transform,
    json.KeyTextTransform: key_text_transform,
    json.HasKeyLookup: has_key,
    json.JSONExact: json_exact,
    json.KeyTransformIn: key_transform_in,
    json.DataContains: data_contains,
    json.ContainedBy: contained_by,
    json.KeyTransformLt: key_numeric_comparison,
    json.KeyTransformLte: key_numeric_comparison,
    json.KeyTransformGt: key_numeric_comparison,
    json.KeyTransformGte: key_numeric_comparison,
}


def register():
    """Attach as_singlestore to every expression above (idempotent)."""
    for klass in SAME_AS_MYSQL:
        klass.as_singlestore = klass.as_mysql
    for klass, method in OWN_SQL.items():
        klass.as_singlestore = method
