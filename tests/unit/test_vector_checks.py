"""System checks of vector indexes (singlestore.E010 to E014), exact messages."""

from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from django_singlestore import checks as singlestore_checks
from django_singlestore.checks import check_model, vector_version_messages
from django_singlestore.conf import build_settings
from django_singlestore.vector import VectorField, VectorIndex
from tests.unit.models import Unit


def run(model, **config):
    return check_model(model, build_settings(config, {}))


def doc_model(*indexes, **fields):
    class Meta:
        app_label = "unit"

    Meta.indexes = list(indexes)
    attrs = {"__module__": __name__, "Meta": Meta, **fields}
    return type("Doc", (Unit,), attrs)


@isolate_apps("tests.unit")
def test_a_valid_vector_index_passes():
    model = doc_model(
        VectorIndex(fields=["emb"], name="doc_emb", metric="DOT_PRODUCT"),
        emb=VectorField(dimensions=4),
    )
    assert run(model) == []


@isolate_apps("tests.unit")
def test_e010_vector_index_on_a_rowstore_table():
    model = doc_model(
        VectorIndex(fields=["emb"], name="doc_emb"), emb=VectorField(dimensions=4)
    )
    assert run(model, STORAGE={"unit.Doc": "ROWSTORE"}) == [
        checks.Error(
            "VectorIndex 'doc_emb' is on unit.Doc, a ROWSTORE table; SingleStore "
            "builds vector indexes on columnstore tables only.",
            hint="Store unit.Doc as a columnstore table "
            "(SINGLESTORE['STORAGE']['unit.Doc'] = 'COLUMNSTORE'), or remove the "
            "index: exact nearest-neighbour search needs none.",
            obj=model,
            id="singlestore.E010",
        )
    ]


@isolate_apps("tests.unit")
def test_e011_more_than_one_field():
    model = doc_model(
        VectorIndex(fields=["emb", "other"], name="doc_emb"),
        emb=VectorField(dimensions=4),
        other=VectorField(dimensions=4),
    )
    assert run(model) == [
        checks.Error(
            "VectorIndex 'doc_emb' covers 2 fields (emb, other); a SingleStore "
            "vector index is built on exactly one column.",
            hint="Give each vector field its own VectorIndex.",
            obj=model,
            id="singlestore.E011",
        )
    ]


@isolate_apps("tests.unit")
def test_e012_not_a_vector_field():
    model = doc_model(
        VectorIndex(fields=["body"], name="doc_body"), body=models.TextField()
    )
    assert run(model) == [
        checks.Error(
            "VectorIndex 'doc_body' is on unit.Doc.body, a TextField; SingleStore "
            "builds vector indexes on VECTOR columns only.",
            hint="Index a django_singlestore.vector.VectorField, or use "
            "models.Index for this field.",
            obj=model,
            id="singlestore.E012",
        )
    ]


@isolate_apps("tests.unit")
def test_e013_element_type_other_than_f32():
    model = doc_model(
        VectorIndex(fields=["emb"], name="doc_emb"),
        emb=VectorField(dimensions=4, element_type="I8"),
    )
    assert run(model) == [
        checks.Error(
            "VectorIndex 'doc_emb' is on unit.Doc.emb, a VECTOR(4, I8) column; "
            "SingleStore indexes F32 vectors only.",
            hint="Declare the field with element_type='F32' (the default), or "
            "remove the index.",
            obj=model,
            id="singlestore.E013",
        )
    ]


@isolate_apps("tests.unit")
def test_e014_nullable_column_on_8_5_and_8_7_only():
    model = doc_model(
        VectorIndex(fields=["emb"], name="doc_emb"),
        emb=VectorField(dimensions=4, null=True),
    )
    assert vector_version_messages(model, "default", (8, 7, 12)) == [
        checks.Error(
            "VectorIndex 'doc_emb' is on unit.Doc.emb, which allows NULL; "
            "SingleStore 8.7 (database 'default') builds vector indexes only on "
            "NOT NULL columns.",
            hint="Make the field NOT NULL (null=False), or upgrade to SingleStore "
            "8.9 or later, which indexes nullable vector columns.",
            obj=model,
            id="singlestore.E014",
        )
    ]
    assert [m.id for m in vector_version_messages(model, "x", (8, 5, 0))] == [
        "singlestore.E014"
    ]
    assert vector_version_messages(model, "default", (8, 9, 0)) == []
    assert vector_version_messages(model, "default", (9, 1, 0)) == []
    assert run(model) == []


class VersionedConnection:
    vendor = "singlestore"

    def __init__(self, version):
        self.singlestore_version = version


@isolate_apps("tests.unit")
def test_the_version_check_is_a_database_check(monkeypatch):
    model = doc_model(
        VectorIndex(fields=["emb"], name="doc_emb"),
        emb=VectorField(dimensions=4, null=True),
    )
    assert singlestore_checks.check_vector_versions in (
        checks.registry.registry.get_checks()
    )
    assert checks.Tags.database in singlestore_checks.check_vector_versions.tags
    monkeypatch.setattr(
        singlestore_checks,
        "connections",
        {"old": VersionedConnection((8, 5, 2)), "new": VersionedConnection((9, 0))},
    )
    monkeypatch.setattr(
        singlestore_checks, "singlestore_models", lambda configs, aliases: [model]
    )
    found = singlestore_checks.check_vector_versions(databases=["old", "new"])
    assert [(m.id, "'old'" in m.msg) for m in found] == [("singlestore.E014", True)]
