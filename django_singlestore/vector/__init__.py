"""Vector search on SingleStore: the VECTOR column, its ANN index, distances.

Importable on its own::

    from django_singlestore.vector import (
        VectorField, VectorIndex, DotProduct, EuclideanDistance,
        CosineSimilarity, CosineDistance, normalize,
    )

See docs/vector.rst for the SQL each piece emits.
"""

from .expressions import (
    CosineDistance,
    CosineSimilarity,
    DotProduct,
    EuclideanDistance,
    L2Distance,
    VectorExpression,
)
from .fields import VectorField, VectorFormField
from .indexes import VectorIndex
from .values import normalize

__all__ = [
    "CosineDistance",
    "CosineSimilarity",
    "DotProduct",
    "EuclideanDistance",
    "L2Distance",
    "VectorExpression",
    "VectorField",
    "VectorFormField",
    "VectorIndex",
    "normalize",
]
