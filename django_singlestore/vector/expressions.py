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

from django.db.models import FloatField, Func, Value

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

    def nearest(self):
        """This expression ordered nearest first (``DESC`` for similarities)."""
        return self.desc() if self.nearest_first == "DESC" else self.asc()


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
