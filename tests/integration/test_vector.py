"""VectorField, VectorIndex and the distance expressions through the database."""

import json
from io import StringIO

import pytest
from django.contrib import admin
from django.core import serializers
from django.core.management import call_command
from django.db import connection, models
from django.forms import modelform_factory
from django.test.utils import CaptureQueriesContext

from django_singlestore.vector import (
    CosineDistance,
    CosineSimilarity,
    DotProduct,
    EuclideanDistance,
    VectorField,
    VectorIndex,
)

pytestmark = pytest.mark.django_db(transaction=True)


class Passage(models.Model):
    title = models.CharField(max_length=20)
    embedding = VectorField(dimensions=3)

    class Meta:
        app_label = "integration"
        db_table = "vec_passage"
        managed = False
        indexes = [
            VectorIndex(
                fields=["embedding"],
                name="vec_passage_emb",
                index_type="HNSW_FLAT",
                metric="DOT_PRODUCT",
                options={"M": 16, "efConstruction": 64},
            )
        ]


class Counts(models.Model):
    counts = VectorField(dimensions=2, element_type="I8", null=True)

    class Meta:
        app_label = "integration"
        db_table = "vec_counts"
        managed = False


ROWS = [
    ("east", [1.0, 0.0, 0.0]),
    ("north", [0.0, 1.0, 0.0]),
    ("mixed", [0.6, 0.8, 0.0]),
    ("up", [0.0, 0.0, 1.0]),
]


def sqls(captured):
    return [query["sql"] for query in captured]


@pytest.fixture
def tables():
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.create_model(Passage)
            editor.create_model(Counts)
    yield sqls(captured)
    with connection.schema_editor() as editor:
        editor.delete_model(Counts)
        editor.delete_model(Passage)


@pytest.fixture
def passages(tables):
    Passage.objects.bulk_create(
        Passage(title=title, embedding=vector) for title, vector in ROWS
    )


def test_create_table_declares_the_column_and_the_index_inline(tables):
    assert tables[0] == (
        "CREATE TABLE `vec_passage` (`id` bigint AUTO_INCREMENT NOT NULL, "
        "`title` varchar(20) NOT NULL, `embedding` VECTOR(3) NOT NULL, "
        "PRIMARY KEY (`id`), VECTOR INDEX `vec_passage_emb` (`embedding`) "
        'INDEX_OPTIONS \'{"index_type":"HNSW_FLAT","metric_type":"DOT_PRODUCT",'
        '"M":16,"efConstruction":64}\', SHARD KEY (`id`), SORT KEY ())'
    )
    assert tables[1] == (
        "CREATE TABLE `vec_counts` (`id` bigint AUTO_INCREMENT NOT NULL, "
        "`counts` VECTOR(2, I8) NULL, PRIMARY KEY (`id`), SHARD KEY (`id`), "
        "SORT KEY ())"
    )


def test_values_round_trip_and_bulk_create_sends_json_text(tables):
    with CaptureQueriesContext(connection) as captured:
        Passage.objects.bulk_create(
            [
                Passage(title="a", embedding=[1, 0.5, -2]),
                Passage(title="b", embedding=(0.25, 0, 1)),
            ]
        )
    assert [sql for sql in sqls(captured) if sql.startswith("INSERT")] == [
        "INSERT INTO `vec_passage` (`title`, `embedding`) VALUES "
        "('a', '[1.0,0.5,-2.0]'), ('b', '[0.25,0.0,1.0]')"
    ]
    assert list(
        Passage.objects.order_by("title").values_list("title", "embedding")
    ) == [("a", [1.0, 0.5, -2.0]), ("b", [0.25, 0.0, 1.0])]
    Counts.objects.create(counts=[-128, 127])
    Counts.objects.create(counts=None)
    assert sorted(
        Counts.objects.values_list("counts", flat=True), key=lambda v: v is None
    ) == [[-128, 127], None]


def test_a_wrong_length_never_reaches_the_database(tables):
    with CaptureQueriesContext(connection) as captured:
        with pytest.raises(ValueError) as caught:
            Passage.objects.create(title="short", embedding=[1, 2])
    assert str(caught.value) == (
        "embedding: a VECTOR(3) value needs 3 elements, got 2."
    )
    assert sqls(captured) == []


def test_nearest_by_dot_product_emits_the_ann_shape(passages):
    query = Passage.objects.order_by(
        DotProduct("embedding", [1, 0.1, 0]).desc()
    ).values_list("title", flat=True)[:2]
    with CaptureQueriesContext(connection) as captured:
        assert list(query) == ["east", "mixed"]
    assert captured[0]["sql"] == (
        "SELECT `vec_passage`.`title` AS `title` FROM `vec_passage` ORDER BY "
        "DOT_PRODUCT(`vec_passage`.`embedding`, '[1.0,0.1,0.0]') DESC LIMIT 2"
    )
    sql, params = query.query.sql_with_params()
    assert params == ("[1.0,0.1,0.0]",)


def test_nearest_by_euclidean_distance_with_the_score(passages):
    query = (
        Passage.objects.annotate(distance=EuclideanDistance("embedding", [0, 0.9, 0.1]))
        .order_by("distance")
        .values_list("title", "distance")[:2]
    )
    with CaptureQueriesContext(connection) as captured:
        rows = list(query)
    assert [(title, round(distance, 6)) for title, distance in rows] == [
        ("north", round((0.01 + 0.01) ** 0.5, 6)),
        ("mixed", round((0.36 + 0.01 + 0.01) ** 0.5, 6)),
    ]
    assert captured[0]["sql"] == (
        "SELECT `vec_passage`.`title` AS `title`, "
        "EUCLIDEAN_DISTANCE(`vec_passage`.`embedding`, '[0.0,0.9,0.1]') AS "
        "`distance` FROM `vec_passage` ORDER BY 2 ASC LIMIT 2"
    )


def test_nearest_orders_each_metric_its_own_way(passages):
    for expression, expected in [
        (DotProduct("embedding", [0, 0, 1]), "DOT_PRODUCT(%s) DESC"),
        (EuclideanDistance("embedding", [0, 0, 1]), "EUCLIDEAN_DISTANCE(%s) ASC"),
    ]:
        query = Passage.objects.order_by(expression.nearest()).values_list(
            "title", flat=True
        )[:1]
        with CaptureQueriesContext(connection) as captured:
            assert list(query) == ["up"]
        assert captured[0]["sql"].endswith(
            "ORDER BY "
            + expected % "`vec_passage`.`embedding`, '[0.0,0.0,1.0]'"
            + " LIMIT 1"
        )


def test_search_options_tune_the_index_search(passages):
    query = Passage.objects.order_by(
        DotProduct("embedding", [1, 0.1, 0]).nearest(k=20, ef=40)
    ).values_list("title", flat=True)[:2]
    with CaptureQueriesContext(connection) as captured:
        assert list(query) == ["east", "mixed"]
    assert captured[0]["sql"] == (
        "SELECT `vec_passage`.`title` AS `title` FROM `vec_passage` ORDER BY "
        "DOT_PRODUCT(`vec_passage`.`embedding`, '[1.0,0.1,0.0]') "
        'SEARCH_OPTIONS \'{"k":20,"ef":40}\' DESC LIMIT 2'
    )
    assert query.explain().splitlines()[0] == (
        "VectorIndexSearch index:vec_passage_emb DOT_PRODUCT DESC limit:2"
    )


def test_filter_and_alias_on_a_similarity(passages):
    query = (
        Passage.objects.alias(similarity=CosineSimilarity("embedding", [3, 4, 0]))
        .filter(similarity__gt=0.7)
        .order_by("title")
        .values_list("title", flat=True)
    )
    with CaptureQueriesContext(connection) as captured:
        assert list(query) == ["mixed", "north"]
    assert captured[0]["sql"] == (
        "SELECT `vec_passage`.`title` AS `title` FROM `vec_passage` WHERE "
        "DOT_PRODUCT(`vec_passage`.`embedding`, '[0.6,0.8,0.0]') > 0.7e0 "
        "ORDER BY 1 ASC"
    )


def test_cosine_distance(passages):
    rows = (
        Passage.objects.annotate(distance=CosineDistance("embedding", [0, 2, 0]))
        .filter(distance__lt=0.5)
        .order_by("distance")
        .values_list("title", "distance")
    )
    assert [(title, round(distance, 6)) for title, distance in rows] == [
        ("north", 0.0),
        ("mixed", 0.2),
    ]
    assert str(rows.query) == (
        "SELECT `vec_passage`.`title` AS `title`, (1 - "
        "DOT_PRODUCT(`vec_passage`.`embedding`, [0.0,1.0,0.0])) AS `distance` "
        "FROM `vec_passage` WHERE (1 - DOT_PRODUCT(`vec_passage`.`embedding`, "
        "[0.0,1.0,0.0])) < 0.5 ORDER BY 2 ASC"
    )


def test_a_query_vector_of_the_wrong_length_is_refused(passages):
    with pytest.raises(ValueError) as caught:
        list(Passage.objects.order_by(DotProduct("embedding", [1, 0])))
    assert str(caught.value) == (
        "DotProduct on embedding: a VECTOR(3) value needs 3 elements, got 2."
    )


def test_explain_shows_the_index_search(passages):
    nearest = Passage.objects.order_by(
        DotProduct("embedding", [1, 0, 0]).desc()
    ).values_list("title", flat=True)
    database = connection.settings_dict["NAME"]
    assert nearest[:3].explain() == (
        "VectorIndexSearch index:vec_passage_emb DOT_PRODUCT DESC limit:3\n"
        f"ColumnStoreScan {database}.vec_passage"
    )
    exact = Passage.objects.order_by(
        EuclideanDistance("embedding", [1, 0, 0])
    ).values_list("title", flat=True)
    assert "VectorIndexSearch" not in exact[:3].explain()


def test_serializers_and_forms(passages):
    passage = Passage.objects.get(title="mixed")
    text = serializers.serialize("json", [passage], fields=["embedding"])
    assert '"embedding": "[0.6,0.8,0.0]"' in text
    loaded = next(serializers.deserialize("json", text)).object
    assert loaded.embedding == [0.6, 0.8, 0.0]


def test_add_and_remove_index_migrations_and_introspection(tables):
    with connection.cursor() as cursor:
        before = connection.introspection.get_constraints(cursor, "vec_passage")
    assert before["vec_passage_emb"] == {
        "columns": ["embedding"],
        "orders": ["ASC"],
        "primary_key": False,
        "unique": False,
        "index": True,
        "check": False,
        "foreign_key": None,
        "type": "vec",
        "index_type": "HNSW_FLAT",
        "metric": "DOT_PRODUCT",
        "options": {"M": 16, "efConstruction": 64},
    }
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.add_index(
                Passage, VectorIndex(fields=["embedding"], name="vec_auto")
            )
            editor.remove_index(Passage, Passage._meta.indexes[0])
    assert sqls(captured) == [
        "ALTER TABLE `vec_passage` ADD VECTOR INDEX `vec_auto` (`embedding`) "
        'INDEX_OPTIONS \'{"index_type":"AUTO"}\'',
        "DROP INDEX `vec_passage_emb` ON `vec_passage`",
    ]
    with connection.cursor() as cursor:
        after = connection.introspection.get_constraints(cursor, "vec_passage")
    assert {
        name: info["index_type"]
        for name, info in after.items()
        if info["type"] == "vec"
    } == {"vec_auto": "AUTO"}


@pytest.fixture
def managed():
    """dumpdata and loaddata skip unmanaged models: manage them for a test."""
    Passage._meta.managed = True
    yield
    Passage._meta.managed = False


def test_dumpdata_and_loaddata_round_trip(passages, managed, tmp_path):
    out = StringIO()
    call_command("dumpdata", "integration.Passage", stdout=out)
    dumped = json.loads(out.getvalue())
    assert sorted(
        (row["fields"]["title"], row["fields"]["embedding"]) for row in dumped
    ) == [
        ("east", "[1.0,0.0,0.0]"),
        ("mixed", "[0.6,0.8,0.0]"),
        ("north", "[0.0,1.0,0.0]"),
        ("up", "[0.0,0.0,1.0]"),
    ]
    Passage.objects.all().delete()
    fixture = tmp_path / "passages.json"
    fixture.write_text(out.getvalue())
    call_command("loaddata", str(fixture), verbosity=0)
    assert sorted(Passage.objects.values_list("title", "embedding")) == [
        ("east", [1.0, 0.0, 0.0]),
        ("mixed", [0.6, 0.8, 0.0]),
        ("north", [0.0, 1.0, 0.0]),
        ("up", [0.0, 0.0, 1.0]),
    ]


def test_model_form_saves_and_shows_a_vector(tables):
    PassageForm = modelform_factory(Passage, fields=["title", "embedding"])
    form = PassageForm({"title": "t", "embedding": "[0.5, 0.25, 1]"})
    assert form.is_valid(), form.errors
    saved = form.save()
    assert Passage.objects.get(pk=saved.pk).embedding == [0.5, 0.25, 1.0]
    edit = PassageForm(instance=Passage.objects.get(pk=saved.pk))
    assert 'value="[0.5,0.25,1.0]"' in str(edit["embedding"])
    bad = PassageForm({"title": "t", "embedding": "[1, 2]"})
    assert bad.errors == {"embedding": ["a VECTOR(3) value needs 3 elements, got 2."]}


def test_the_admin_form_takes_a_vector(tables, rf):
    model_admin = admin.ModelAdmin(Passage, admin.AdminSite())
    request = rf.get("/")
    AdminForm = model_admin.get_form(request, fields=["title", "embedding"])
    form = AdminForm({"title": "a", "embedding": "[1, 0, 0]"})
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=False)
    assert list(Passage.objects.values_list("title", "embedding")) == [
        ("a", [1.0, 0.0, 0.0])
    ]
