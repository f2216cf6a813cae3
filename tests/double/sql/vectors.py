"""SingleStore's rules for a VECTOR INDEX, in CREATE TABLE and ALTER TABLE ADD.

Source for every rule: the vector-indexing page (D/db/v9.1/reference/
sql-reference/vector-functions/vector-indexing; D/db/v8.5/... and D/db/v8.7/...
for NOT NULL): the index is built on one column of type VECTOR(n[, F32]) of a
columnstore table (checked in tables.py and alter.py), NOT NULL on 8.5 and
8.7; INDEX_OPTIONS is a JSON object whose index_type is one of AUTO,
IVF_FLAT, IVF_PQ, IVF_PQFS, HNSW_FLAT, HNSW_PQ and whose metric_type is
DOT_PRODUCT or EUCLIDEAN_DISTANCE, with the build parameters of that index
type. The messages are the double's (no source gives SingleStore's text):
KNOWN_GAPS.md lists them.

EXPLAIN of a query in the shape that uses a vector index answers with the
double's own plan naming the index (:func:`explain_ann`).
"""

import json
import re

from . import errors
from .outcomes import Forward
from .tokens import Group

INDEX_TYPES = ("AUTO", "IVF_FLAT", "IVF_PQ", "IVF_PQFS", "HNSW_FLAT", "HNSW_PQ")
METRICS = ("DOT_PRODUCT", "EUCLIDEAN_DISTANCE")
PARAMETERS = {
    "AUTO": (),
    "IVF_FLAT": ("nlist", "nprobe"),
    "IVF_PQ": ("nlist", "nprobe", "m", "nbits"),
    "IVF_PQFS": ("nlist", "nprobe", "m"),
    "HNSW_FLAT": ("M", "efConstruction", "ef"),
    "HNSW_PQ": ("M", "efConstruction", "ef", "m", "nbits"),
}
NOT_NULL_VERSIONS = ((8, 5), (8, 9))


def _version(options):
    text = options.get("memsql_version", "8.9.3")
    return tuple(int(part) for part in text.split(".")[:2] if part.isdigit())


def _options_refusal(text):
    """A Fail for INDEX_OPTIONS text SingleStore does not document, or None."""
    if text is None:
        return None
    body = text[1:-1].replace("''", "'").replace("\\'", "'")
    try:
        document = json.loads(body)
    except ValueError:
        return errors.fail("vector_options", problem="it is not a JSON object")
    if not isinstance(document, dict):
        return errors.fail("vector_options", problem="it is not a JSON object")
    index_type = str(document.pop("index_type", "AUTO")).upper()
    if index_type not in INDEX_TYPES:
        return errors.fail("vector_options", problem=f"index_type {index_type}")
    metric = document.pop("metric_type", None)
    if metric is not None and str(metric).upper() not in METRICS:
        return errors.fail("vector_options", problem=f"metric_type {metric}")
    for name in document:
        if name not in PARAMETERS[index_type]:
            return errors.fail(
                "vector_options", problem=f"{name} for index_type {index_type}"
            )
    return None


def index_refusal(key, vector, not_null, engine_options):
    """A Fail for the vector index ``key`` over a column whose VECTOR spec is
    ``vector`` ([n, T], None for a non-vector column) and whose nullability
    is ``not_null`` (None when unknown), or None."""
    if len(key.columns) != 1:
        return errors.fail("vector_columns")
    if vector is None:
        return errors.fail("vector_column_type", col=key.columns[0])
    if vector[1] != "F32":
        return errors.fail("vector_element_type", col=key.columns[0], elem=vector[1])
    low, high = NOT_NULL_VERSIONS
    if not_null is False and low <= _version(engine_options) < high:
        return errors.fail("vector_nullable", col=key.columns[0])
    return _options_refusal(key.options)


# The ANN shape: ORDER BY <metric>(col, query) [ASC|DESC] LIMIT k at the end
# of a one-table SELECT (D/db/v9.1/reference/sql-reference/vector-functions/
# vector-indexing, "queries that use the index").
_ANN_RE = re.compile(
    r"^\s*EXPLAIN\s+SELECT\s.*?\sFROM\s+`?(\w+)`?\s.*?\bORDER\s+BY\s+"
    r"(DOT_PRODUCT|EUCLIDEAN_DISTANCE)\(\s*(?:`?\w+`?\.)?`?(\w+)`?\s*,[^()]*\)"
    r"(?:\s*SEARCH_OPTIONS\s*'[^']*')?\s*(ASC|DESC)?\s+LIMIT\s+(\d+)\s*$",
    re.IGNORECASE | re.DOTALL,
)
_NEAREST_FIRST = {"DOT_PRODUCT": "DESC", "EUCLIDEAN_DISTANCE": "ASC"}


def _index_metric(index):
    text = index["options"]
    if not text:
        return "EUCLIDEAN_DISTANCE"
    document = json.loads(text[1:-1].replace("''", "'").replace("\\'", "'"))
    return str(document.get("metric_type", "EUCLIDEAN_DISTANCE")).upper()


def explain_ann(session, sql):
    """The double's plan for an EXPLAIN of the ANN shape over a table whose
    vector index has the query's metric, or None (MariaDB's plan then)."""
    match = _ANN_RE.match(sql)
    if not match or session.database is None:
        return None
    table, metric, column, direction, limit = match.groups()
    metric = metric.upper()
    if (direction or "ASC").upper() != _NEAREST_FIRST[metric]:
        return None
    meta = session.known_table(session.database, table)
    if meta is None:
        return None
    for name, index in sorted(meta.vector_indexes.items()):
        if index["column"] == column and _index_metric(index) == metric:
            order = _NEAREST_FIRST[metric]
            lines = [
                f"VectorIndexSearch index:{name} {metric} {order} limit:{limit}",
                f"ColumnStoreScan {session.database}.{table}",
            ]
            union = " UNION ALL ".join(
                "SELECT '{}' AS `EXPLAIN`".format(line.replace("'", "''"))
                for line in lines
            )
            return Forward(union)
    return None


# Search-time options of an index search: ORDER BY <metric>(col, q)
# SEARCH_OPTIONS '<json>' [ASC|DESC] LIMIT k, with k (candidates), nprobe
# (IVF) and ef (HNSW). Source: the syntax SingleStore's tuning page gives, as
# quoted in github.com/mysql/mysql-server issue #751 (the page itself was
# not reachable). The double runs every search exactly, so it checks the
# options and drops them.
SEARCH_OPTIONS = ("k", "nprobe", "ef")


def strip_search_options(items, ctx):
    """Check and remove ``SEARCH_OPTIONS '<json>'`` from ``items`` (in place)."""
    from .translate import Refuse

    for item in items:
        if isinstance(item, Group):
            strip_search_options(item.items, ctx)
    for at in range(len(items) - 1, -1, -1):
        if not items[at].is_word("SEARCH_OPTIONS"):
            continue
        end = at + 1
        while end < len(items) and items[end].kind in ("ws", "comment"):
            end += 1
        if end == len(items) or items[end].kind != "str":
            raise Refuse(errors.syntax_error(ctx.sql, 0))
        failed = _search_options_refusal(items[end].text)
        if failed:
            raise Refuse(failed)
        del items[at : end + 1]
        ctx.changed = True


def _search_options_refusal(text):
    try:
        document = json.loads(text[1:-1].replace("''", "'").replace("\\'", "'"))
    except ValueError:
        document = None
    if not isinstance(document, dict):
        return errors.fail("search_options", problem="it is not a JSON object")
    for name, value in document.items():
        if name not in SEARCH_OPTIONS:
            return errors.fail("search_options", problem=f"unknown option {name}")
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            return errors.fail("search_options", problem=f"{name} {value!r}")
    return None
