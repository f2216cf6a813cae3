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
"""

import json

from . import errors

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
