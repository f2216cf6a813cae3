"""The full-text index checks (singlestore.E015-E017), exact messages."""

from django.core import checks
from django.db import models
from django.test.utils import isolate_apps

from django_singlestore.checks import check_model
from django_singlestore.conf import build_settings
from django_singlestore.fulltext import FullTextIndex


def run(model, **config):
    return check_model(model, build_settings(config, {}))


@isolate_apps("tests.unit")
def test_one_index_on_a_columnstore_text_column_passes():
    class Doc(models.Model):
        title = models.CharField(max_length=50)
        body = models.TextField()
        meta = models.JSONField()

        class Meta:
            app_label = "unit"
            indexes = [FullTextIndex(fields=["title", "body", "meta"], name="d_ft")]

    assert run(Doc) == []


@isolate_apps("tests.unit")
def test_e010_two_fulltext_indexes():
    class Doc(models.Model):
        title = models.CharField(max_length=50)
        body = models.TextField()

        class Meta:
            app_label = "unit"
            indexes = [
                FullTextIndex(fields=["title"], name="t_ft"),
                FullTextIndex(fields=["body"], name="b_ft"),
            ]

    assert run(Doc) == [
        checks.Error(
            "unit.Doc has 2 FullTextIndex entries ('t_ft', 'b_ft'); SingleStore"
            " allows one FULLTEXT key per table.",
            hint="Put every field to search in one FullTextIndex(fields=[...]); a"
            " version 2 query names the field it searches (title:word).",
            obj=Doc,
            id="singlestore.E015",
        )
    ]


@isolate_apps("tests.unit")
def test_e011_fulltext_on_a_rowstore_table():
    class Doc(models.Model):
        body = models.TextField()

        class Meta:
            app_label = "unit"
            indexes = [FullTextIndex(fields=["body"], name="b_ft")]

    assert run(Doc, STORAGE={"unit.Doc": "ROWSTORE"}) == [
        checks.Error(
            "FullTextIndex 'b_ft' is on unit.Doc, a ROWSTORE table; SingleStore"
            " creates FULLTEXT keys on columnstore tables only.",
            hint="Store unit.Doc as a columnstore table"
            " (SINGLESTORE['STORAGE']['unit.Doc'] = 'COLUMNSTORE'), or remove the"
            " index.",
            obj=Doc,
            id="singlestore.E016",
        )
    ]


@isolate_apps("tests.unit")
def test_e012_a_column_type_fulltext_cannot_index():
    class Doc(models.Model):
        body = models.TextField()
        year = models.IntegerField()

        class Meta:
            app_label = "unit"
            indexes = [FullTextIndex(fields=["body", "year"], name="b_ft")]

    assert run(Doc) == [
        checks.Error(
            "FullTextIndex 'b_ft' includes unit.Doc.year (integer); SingleStore"
            " indexes CHAR, VARCHAR, TEXT, LONGTEXT and JSON columns only.",
            hint="Remove 'year' from the index's fields, or make it a CharField,"
            " TextField or JSONField.",
            obj=Doc._meta.get_field("year"),
            id="singlestore.E017",
        )
    ]


@isolate_apps("tests.unit")
def test_an_unknown_field_is_left_to_django():
    class Doc(models.Model):
        body = models.TextField()

        class Meta:
            app_label = "unit"
            indexes = [FullTextIndex(fields=["nope"], name="n_ft")]

    assert run(Doc) == []
