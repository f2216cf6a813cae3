"""VectorIndex: SingleStore's ANN index, declared in ``Meta.indexes``.

DDL (D/db/v9.1/reference/sql-reference/vector-functions/vector-indexing):
inside CREATE TABLE ``VECTOR INDEX name (col) INDEX_OPTIONS '<json>'``, on
an existing table ``ALTER TABLE t ADD VECTOR INDEX name (col) INDEX_OPTIONS
'<json>'``, dropped with ``DROP INDEX name ON t``. The JSON holds
``index_type``, ``metric_type`` and the build parameters of that index type.
Which tables and columns SingleStore accepts is checked by the system checks
(singlestore.E010 to E014), not here: an index is a declaration, the table
it lands on is known only to the model.
"""

import json

from django.db.backends.ddl_references import Statement, Table
from django.db.models import Index

from .values import check_positive_integer

INDEX_TYPES = ("AUTO", "IVF_FLAT", "IVF_PQ", "IVF_PQFS", "HNSW_FLAT", "HNSW_PQ")
METRICS = ("DOT_PRODUCT", "EUCLIDEAN_DISTANCE")
# The build parameters each index type takes, as the vector-indexing page
# lists them (IVF: nlist, nprobe; PQ: m, nbits; HNSW: M, efConstruction, ef).
OPTIONS = {
    "AUTO": (),
    "IVF_FLAT": ("nlist", "nprobe"),
    "IVF_PQ": ("nlist", "nprobe", "m", "nbits"),
    "IVF_PQFS": ("nlist", "nprobe", "m"),
    "HNSW_FLAT": ("M", "efConstruction", "ef"),
    "HNSW_PQ": ("M", "efConstruction", "ef", "m", "nbits"),
}


def _choice(what, value, allowed):
    name = str(value).upper() if value is not None else None
    if name not in allowed:
        raise ValueError(
            f"VectorIndex {what} {value!r} is not one SingleStore documents; use "
            f"one of {', '.join(allowed)}."
        )
    return name


class VectorIndex(Index):
    """``VectorIndex(fields=["embedding"], name=..., index_type="HNSW_FLAT",
    metric="DOT_PRODUCT", options={"M": 16})``.

    ``metric`` None leaves ``metric_type`` out (SingleStore's default,
    EUCLIDEAN_DISTANCE). Queries use the index only when they order by the
    index's metric (:mod:`django_singlestore.vector.expressions`).
    """

    suffix = "vec"

    def __init__(
        self, *, fields=(), name=None, index_type="AUTO", metric=None, options=None
    ):
        self.index_type = _choice("index_type", index_type, INDEX_TYPES)
        self.metric = None if metric is None else _choice("metric", metric, METRICS)
        self.options = dict(options or {})
        allowed = OPTIONS[self.index_type]
        for key, value in self.options.items():
            if key not in allowed:
                raise ValueError(
                    f"VectorIndex option {key!r} is not a parameter of "
                    f"{self.index_type}; "
                    + (
                        f"{self.index_type} takes {', '.join(allowed)}."
                        if allowed
                        else "AUTO takes none (choose an index type to tune it)."
                    )
                )
            check_positive_integer(f"VectorIndex option {key!r}", value)
        super().__init__(fields=list(fields), name=name)

    def index_options(self):
        """The INDEX_OPTIONS JSON text."""
        document = {"index_type": self.index_type}
        if self.metric:
            document["metric_type"] = self.metric
        document.update(self.options)
        return json.dumps(document, separators=(",", ":"))

    def definition_sql(self, model, schema_editor):
        """``VECTOR INDEX name (col) INDEX_OPTIONS '...'``, for CREATE TABLE
        and ALTER TABLE ... ADD. The JSON holds only validated names and
        integers, so it needs no escaping."""
        quote = schema_editor.quote_name
        columns = ", ".join(
            quote(model._meta.get_field(name).column) for name, _ in self.fields_orders
        )
        return (
            f"VECTOR INDEX {quote(self.name)} ({columns}) "
            f"INDEX_OPTIONS '{self.index_options()}'"
        )

    def create_sql(self, model, schema_editor, using="", **kwargs):
        return Statement(
            "ALTER TABLE %(table)s ADD %(definition)s",
            table=Table(model._meta.db_table, schema_editor.quote_name),
            definition=self.definition_sql(model, schema_editor),
        )

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        path = "django_singlestore.vector.VectorIndex"
        if self.index_type != "AUTO":
            kwargs["index_type"] = self.index_type
        if self.metric:
            kwargs["metric"] = self.metric
        if self.options:
            kwargs["options"] = self.options
        return path, args, kwargs


def parse_index_options(text):
    """(index_type, metric, options) from INDEX_OPTIONS JSON text."""
    document = json.loads(text) if text else {}
    index_type = str(document.pop("index_type", "AUTO")).upper()
    metric = document.pop("metric_type", None)
    return index_type, metric.upper() if metric else None, document
