"""Vector similarity and distance as query expressions.

Each is ``<FUNCTION>(column, %s)`` with the query vector as one bound
parameter holding compact JSON array text, which SingleStore converts to the
column's vector type (D/cloud/reference/sql-reference/vector-functions/
dot-product and .../euclidean-distance). The function form is what the
vector-indexing page shows for ANN search: SingleStore uses a vector index
for ``ORDER BY DOT_PRODUCT(col, q) DESC LIMIT k`` or
``ORDER BY EUCLIDEAN_DISTANCE(col, q) LIMIT k`` when the function is the
index's ``metric_type`` (D/db/v9.1/reference/sql-reference/vector-functions/
vector-indexing). :attr:`VectorExpression.metric` names that metric and
:attr:`VectorExpression.nearest_first` the direction that lists the nearest
rows first.

SingleStore has no cosine function: the docs compute cosine similarity as
DOT_PRODUCT of unit-length vectors. :class:`CosineSimilarity` normalizes
the query vector; the stored vectors must be unit length
(:func:`django_singlestore.vector.normalize` before saving).
"""

import json

from django.db.models import FloatField, Func, OrderBy, Value

from . import values
from .fields import VectorField


class VectorExpression(Func):
    """``FUNCTION(expression, vector)``: ``vector`` is a list, tuple, numpy
    array or an expression (another vector column, for example)."""

    metric = None
    nearest_first = None
    output_field = FloatField()
    arity = 2

    def __init__(self, expression, vector, **extra):
        if not hasattr(vector, "resolve_expression"):
            vector = Value(self.prepare_vector(values.clean(vector)))
        super().__init__(expression, vector, **extra)

    def prepare_vector(self, items):
        """The JSON text bound for the query vector ``items``."""
        return values.to_text(items)

    def resolve_expression(self, *args, **kwargs):
        resolved = super().resolve_expression(*args, **kwargs)
        column, vector = resolved.source_expressions
        field = getattr(column, "output_field", None)
        if isinstance(field, VectorField) and isinstance(vector, Value):
            try:
                values.clean(values.parse(vector.value), field.dimensions)
            except ValueError as error:
                raise ValueError(
                    f"{type(self).__name__} on {field.name}: {error}"
                ) from None
        return resolved

    def nearest(self, **search_options):
        """This expression ordered nearest first (``DESC`` for similarities).

        ``search_options`` (``k``, ``nprobe``, ``ef``) tune the index search
        of this query: ``ORDER BY ... SEARCH_OPTIONS '<json>' DESC``.
        """
        descending = self.nearest_first == "DESC"
        if search_options:
            return SearchOrderBy(self, search_options, descending=descending)
        return self.desc() if descending else self.asc()


# The search-time options of an index search (SingleStore's vector tuning
# page, as quoted in github.com/mysql/mysql-server issue #751): k candidates,
# nprobe for IVF indexes, ef for HNSW indexes.
SEARCH_OPTIONS = ("k", "nprobe", "ef")


class SearchOrderBy(OrderBy):
    """``expression SEARCH_OPTIONS '<json>' ASC|DESC``. The JSON holds only
    the documented names and positive integers, so it needs no escaping."""

    def __init__(self, expression, search_options, **kwargs):
        for name, value in search_options.items():
            if name not in SEARCH_OPTIONS:
                raise ValueError(
                    f"search option {name!r} is not one SingleStore documents; "
                    f"use {', '.join(SEARCH_OPTIONS)}."
                )
            values.check_positive_integer(f"search option {name!r}", value)
        self.search_options = dict(search_options)
        super().__init__(expression, **kwargs)

    def as_sql(self, compiler, connection, template=None, **extra_context):
        options = json.dumps(self.search_options, separators=(",", ":"))
        template = "%(expression)s SEARCH_OPTIONS '" + options + "' %(ordering)s"
        return super().as_sql(compiler, connection, template, **extra_context)


class DotProduct(VectorExpression):
    """``DOT_PRODUCT(a, b)``, a similarity: larger is nearer."""

    function = "DOT_PRODUCT"
    metric = "DOT_PRODUCT"
    nearest_first = "DESC"


class EuclideanDistance(VectorExpression):
    """``EUCLIDEAN_DISTANCE(a, b)``, a distance: smaller is nearer."""

    function = "EUCLIDEAN_DISTANCE"
    metric = "EUCLIDEAN_DISTANCE"
    nearest_first = "ASC"


# pgvector-python's name for the same distance.
L2Distance = EuclideanDistance


class CosineSimilarity(DotProduct):
    """``DOT_PRODUCT(a, b / |b|)``: the cosine similarity when the stored
    vectors are unit length; an index with metric DOT_PRODUCT serves it."""

    def prepare_vector(self, items):
        return values.to_text(values.normalize(items))


class CosineDistance(CosineSimilarity):
    """``1 - DOT_PRODUCT(a, b / |b|)``: smaller is nearer. Being an
    expression over the metric, it is computed exactly, never by an index
    (order by :class:`CosineSimilarity` descending for ANN search)."""

    template = "(1 - %(function)s(%(expressions)s))"
    metric = None
    nearest_first = "ASC"
