"""The admin's changelist search through MATCH (FullTextSearchMixin), run
through the changelist view, and the mixin's checks."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core import checks
from django.db import connection, models
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext, isolate_apps
from django.urls import path

from django_singlestore.fulltext import FullTextIndex
from django_singlestore.fulltext_admin import FullTextSearchMixin

pytestmark = pytest.mark.django_db(transaction=True)

urlpatterns = []


class BookAdmin(FullTextSearchMixin, admin.ModelAdmin):
    search_fields = ["title"]


@pytest.fixture(scope="module")
def Book():
    with isolate_apps("tests.integration"):

        class Book(models.Model):
            title = models.CharField(max_length=100)
            blurb = models.TextField()

            class Meta:
                app_label = "integration"
                db_table = "t_fta_book"
                indexes = [FullTextIndex(fields=["title", "blurb"], name="book_ft")]

        yield Book


@pytest.fixture
def changelist(Book):
    site = admin.AdminSite(name="fulltext_admin")
    site.register(Book, BookAdmin)
    urlpatterns[:] = [path("admin/", site.urls)]
    with connection.schema_editor() as editor:
        editor.create_model(Book)
    Book.objects.bulk_create(
        [
            Book(id=1, title="Pasta every day", blurb="Recipes"),
            Book(id=2, title="Roses", blurb="Growing roses, and pasta for gardeners"),
            Book(id=3, title="Tulips", blurb="Bulbs"),
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("OPTIMIZE TABLE t_fta_book FLUSH")
    client = Client()
    client.force_login(User.objects.create_superuser("ft", "ft@example.com", "pw"))
    with override_settings(ROOT_URLCONF=__name__):
        yield lambda term: client.get("/admin/integration/book/", {"q": term})
    with connection.schema_editor() as editor:
        editor.delete_model(Book)


def test_the_search_box_runs_match_on_the_search_fields(changelist):
    with CaptureQueriesContext(connection) as captured:
        response = changelist("pasta")
    assert response.status_code == 200
    assert [book.id for book in response.context["cl"].result_list] == [1]
    searches = [q["sql"] for q in captured if "MATCH" in q["sql"]]
    assert searches[0] == (
        "SELECT COUNT(*) AS `__count` FROM `t_fta_book` WHERE"
        " MATCH (TABLE `t_fta_book`) AGAINST ('title:(pasta)')"
    )
    assert not [q["sql"] for q in captured if "LIKE" in q["sql"]]


def test_hostile_terms_are_searched_as_words(changelist):
    with CaptureQueriesContext(connection) as captured:
        response = changelist("title:* OR pasta")
    assert response.status_code == 200
    assert [book.id for book in response.context["cl"].result_list] == [1]
    assert (
        "AGAINST ('title:(title\\\\:\\\\* or pasta)')"
        in [q["sql"] for q in captured if "MATCH" in q["sql"]][0]
    )


def test_an_empty_search_lists_everything(changelist):
    response = changelist("")
    assert sorted(book.id for book in response.context["cl"].result_list) == [1, 2, 3]


def test_checks(Book):
    assert BookAdmin(Book, admin.site).check() == []

    class WrongAdmin(FullTextSearchMixin, admin.ModelAdmin):
        search_fields = ["title", "^blurb"]

    assert WrongAdmin(Book, admin.site).check() == [
        checks.Error(
            "WrongAdmin.search_fields names '^blurb', which is not a field of"
            " integration.Book's FullTextIndex 'book_ft'.",
            hint="List only fields of the index, without lookups or prefixes"
            " (title, blurb).",
            obj=WrongAdmin,
            id="singlestore.E019",
        )
    ]

    with isolate_apps("tests.integration"):

        class Plain(models.Model):
            title = models.CharField(max_length=10)

            class Meta:
                app_label = "integration"

        assert WrongAdmin(Plain, admin.site).check()[-1] == checks.Error(
            "WrongAdmin uses FullTextSearchMixin, but integration.Plain has no"
            " FullTextIndex.",
            hint="Add FullTextIndex(fields=[...]) to the model's Meta.indexes, or"
            " remove the mixin.",
            obj=WrongAdmin,
            id="singlestore.E018",
        )
