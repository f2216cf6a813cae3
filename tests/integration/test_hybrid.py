"""Hybrid search through the database: one SELECT ranking rows by a full-text
score and a vector similarity (reciprocal rank fusion and a weighted sum).

The vector side is any expression scoring similarity; here a float column
holds each row's similarity to the query, so the expected rankings can be
worked out by hand. Full-text scores come from the double's approximation
(KNOWN_GAPS.md): the tests use rows whose text ranking is clear-cut.
"""

import pytest
from django.db import connection, models
from django.db.models import F
from django.test.utils import CaptureQueriesContext, isolate_apps

from django_singlestore.fulltext import FullTextIndex
from django_singlestore.hybrid import hybrid_search
from django_singlestore.vector import DotProduct, EuclideanDistance, VectorField

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def Product():
    with isolate_apps("tests.integration"):

        class Product(models.Model):
            name = models.CharField(max_length=100)
            description = models.TextField()
            closeness = models.FloatField()
            embedding = VectorField(dimensions=3)

            class Meta:
                app_label = "integration"
                db_table = "t_hy_product"
                indexes = [FullTextIndex(fields=["name", "description"], name="p_ft")]

        yield Product


# id, name, description, closeness (the vector similarity to the query),
# and an embedding whose dot product with QUERY is that closeness.
# The text ranking for "running": 1 (three times), then 2 (once); 3 and 4 do
# not match. The vector ranking: 2, 3, 1, 4.
PRODUCTS = [
    (1, "Trail running shoes", "Running on trails, running uphill", 0.2),
    (2, "Road shoes", "Cushioned shoes for running", 0.9),
    (3, "Hiking boots", "Waterproof boots for long hikes", 0.8),
    (4, "Sandals", "Open sandals for the beach", 0.1),
]


@pytest.fixture
def products(Product):
    with connection.schema_editor() as editor:
        editor.create_model(Product)
    Product.objects.bulk_create(
        Product(id=i, name=n, description=d, closeness=c, embedding=[c, 0.5, 0])
        for i, n, d, c in PRODUCTS
    )
    with connection.cursor() as cursor:
        cursor.execute("OPTIMIZE TABLE t_hy_product FLUSH")
    yield Product
    with connection.schema_editor() as editor:
        editor.delete_model(Product)


def rrf(*ranks, k=60):
    return sum(1 / (k + rank) for rank in ranks)


QUERY = [1.0, 0.0, 0.0]

RRF_SQL = (
    "SELECT `t_hy_product`.`id`, `t_hy_product`.`name`,"
    " `t_hy_product`.`description`, `t_hy_product`.`closeness`,"
    " `t_hy_product`.`embedding`,"
    " BM25(`t_hy_product`, 'running') AS `text_score`,"
    " `t_hy_product`.`closeness` AS `vector_score`,"
    " (CASE WHEN BM25(`t_hy_product`, 'running') > 0.0e0 THEN (1.0e0 / (60.0e0"
    " + ROW_NUMBER() OVER (ORDER BY BM25(`t_hy_product`, 'running') DESC,"
    " `t_hy_product`.`id` ASC))) ELSE 0.0e0 END + (1.0e0 / (60.0e0 + ROW_NUMBER()"
    " OVER (ORDER BY `t_hy_product`.`closeness` DESC, `t_hy_product`.`id` ASC))))"
    " AS `hybrid_score` FROM `t_hy_product` ORDER BY 8 DESC LIMIT 3"
)


def test_reciprocal_rank_fusion_in_one_statement(products):
    queryset = hybrid_search(
        products.objects.all(), text="running", vector=F("closeness")
    )
    with CaptureQueriesContext(connection) as captured:
        rows = list(queryset[:3])
    assert [q["sql"] for q in captured] == [RRF_SQL]
    assert [(p.id, p.text_score > 0, p.vector_score) for p in rows] == [
        (2, True, 0.9),
        (1, True, 0.2),
        (3, False, 0.8),
    ]
    assert [p.hybrid_score for p in rows] == pytest.approx(
        [rrf(2, 1), rrf(1, 3), rrf(2)]
    )


def test_rrf_weights_and_k(products):
    queryset = hybrid_search(
        products.objects.all(),
        text="running",
        vector=F("closeness"),
        text_weight=3,
        vector_weight=1,
        k=0,
    )
    rows = list(queryset)
    assert [p.id for p in rows] == [1, 2, 3, 4]
    assert [p.hybrid_score for p in rows] == pytest.approx(
        [3 / 1 + 1 / 3, 3 / 2 + 1 / 1, 1 / 2, 1 / 4]
    )


def test_rrf_with_a_distance(products):
    # Lower is closer: the vector ranking becomes 4, 1, 3, 2.
    queryset = hybrid_search(
        products.objects.all(),
        text="running",
        vector=F("closeness"),
        vector_higher_is_better=False,
    )
    assert [p.id for p in queryset] == [1, 2, 4, 3]
    assert [p.hybrid_score for p in queryset] == pytest.approx(
        [rrf(1, 2), rrf(2, 4), rrf(1), rrf(3)]
    )


def test_weighted_sum(products):
    queryset = hybrid_search(
        products.objects.filter(id__lte=3),
        text="running",
        vector=F("closeness"),
        method="weighted",
        text_weight=0.25,
        vector_weight=2,
    )
    rows = list(queryset)
    assert {p.id for p in rows} == {1, 2, 3}
    for p in rows:
        assert p.hybrid_score == pytest.approx(0.25 * p.text_score + 2 * p.vector_score)
    assert [p.hybrid_score for p in rows] == sorted(
        (p.hybrid_score for p in rows), reverse=True
    )


def test_weighted_sum_of_text_alone_and_vector_alone(products):
    def ranked(**weights):
        queryset = hybrid_search(
            products.objects.all(),
            text="running",
            vector=F("closeness"),
            method="weighted",
            **weights,
        )
        return [p.id for p in queryset]

    assert ranked(text_weight=1, vector_weight=0)[:2] == [1, 2]
    assert ranked(text_weight=0, vector_weight=1) == [2, 3, 1, 4]
    assert ranked(text_weight=0, vector_weight=1, vector_higher_is_better=False) == [
        4,
        1,
        3,
        2,
    ]


def test_global_scores(products):
    queryset = hybrid_search(
        products.objects.all(),
        text="running",
        vector=F("closeness"),
        global_scores=True,
    )
    sql, params = queryset.query.sql_with_params()
    assert "BM25_GLOBAL(`t_hy_product`, %s) AS `text_score`" in sql
    assert [p.id for p in queryset] == [2, 1, 3, 4]


@pytest.mark.parametrize(
    "kwargs, error",
    [
        (
            {"method": "sum"},
            "hybrid_search method must be one of rrf, weighted, not 'sum'.",
        ),
        ({"k": -1}, "hybrid_search k must be 0 or more, not -1."),
    ],
)
def test_bad_arguments(Product, kwargs, error):
    with pytest.raises(ValueError) as raised:
        hybrid_search(Product.objects.all(), text="x", vector=F("closeness"), **kwargs)
    assert str(raised.value) == error


def test_rrf_with_a_dot_product_of_vectors(products):
    queryset = hybrid_search(
        products.objects.all(), text="running", vector=DotProduct("embedding", QUERY)
    )
    sql, params = queryset.query.sql_with_params()
    assert (
        "ROW_NUMBER() OVER (ORDER BY DOT_PRODUCT(`t_hy_product`.`embedding`, %s)"
        " DESC, `t_hy_product`.`id` ASC)" in sql
    )
    assert params.count("[1.0,0.0,0.0]") == 2
    rows = list(queryset)
    assert [p.id for p in rows] == [2, 1, 3, 4]
    assert [p.vector_score for p in rows] == pytest.approx([0.9, 0.2, 0.8, 0.1])
    assert [p.hybrid_score for p in rows] == pytest.approx(
        [rrf(2, 1), rrf(1, 3), rrf(2), rrf(4)]
    )


def test_a_distance_ranks_nearest_first_by_itself(products):
    # EUCLIDEAN_DISTANCE to [1, 0.5, 0] is 1 - closeness: the vector ranking
    # is 2, 3, 1, 4 as for the dot product, with no flag to pass.
    queryset = hybrid_search(
        products.objects.all(),
        text="running",
        vector=EuclideanDistance("embedding", [1.0, 0.5, 0.0]),
    )
    sql, params = queryset.query.sql_with_params()
    assert "EUCLIDEAN_DISTANCE(`t_hy_product`.`embedding`, %s) ASC" in sql
    assert [p.id for p in queryset] == [2, 1, 3, 4]
