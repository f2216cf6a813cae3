"""What select_for_update() can lock (docs/transactions.rst, check I004).

SingleStore refuses FOR UPDATE with a join or subselect involving a
columnstore table (1706). A multi-table-inheritance child's query joins its
parent, so on columnstore tables (the default storage here) the compiler
refuses it before anything is sent, as it does a select_related() join or a
subquery; the parent's own query has no join and locks, and so does the
child when the family is rowstore.
"""

from contextlib import contextmanager

import pytest
from django.db import NotSupportedError, connection, models, transaction
from django.test.utils import CaptureQueriesContext, isolate_apps, override_settings

from tests.integration.models import Category, Counter, Item

pytestmark = pytest.mark.django_db(transaction=True)

MTI_REFUSED = (
    "select_for_update() on integration.Shop cannot lock: its queries join the "
    "parent tables 'integration_place', and SingleStore refuses FOR UPDATE with "
    "a join involving a columnstore table ('integration_shop', "
    "'integration_place'). Lock through the parent instead "
    "(Place.objects.select_for_update().get(pk=...) runs without a join), with "
    "every writer of integration.Shop doing the same, or store integration.Shop "
    "and its parents as rowstore tables (SINGLESTORE['STORAGE'])."
)
ROWSTORE = {
    "STORAGE": {"integration.Place": "ROWSTORE", "integration.Shop": "ROWSTORE"}
}


def refused(shape, columnstore="'integration_item'"):
    return (
        f"select_for_update() on integration.Item cannot lock: the query {shape}, "
        "and SingleStore refuses FOR UPDATE with a join or subselect involving a "
        f"columnstore table ({columnstore}). Lock with a query on integration.Item "
        "alone (no select_related() and no filter across a relation or on a "
        "subquery: read the primary keys first, then lock filter(pk__in=[...])), "
        "or store these tables as rowstore tables (SINGLESTORE['STORAGE'])."
    )


@contextmanager
def place_and_shop():
    """Tables for Place and Shop(Place), created under the current settings."""
    with isolate_apps("tests.integration"):

        class Place(models.Model):
            name = models.CharField(max_length=20)

            class Meta:
                app_label = "integration"

        class Shop(Place):
            kind = models.CharField(max_length=20)

            class Meta:
                app_label = "integration"

        with connection.schema_editor() as editor:
            editor.create_model(Place)
            editor.create_model(Shop)
        try:
            yield Place, Shop
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Shop)
                editor.delete_model(Place)


@pytest.fixture
def family():
    with place_and_shop() as models_:
        yield models_


def sent(queries):
    return [query["sql"] for query in queries.captured_queries]


def test_child_is_refused_before_sending_and_the_parent_locks(family):
    Place, Shop = family
    shop = Shop.objects.create(name="corner", kind="books")
    with CaptureQueriesContext(connection) as queries:
        with transaction.atomic():
            with pytest.raises(NotSupportedError) as raised:
                list(Shop.objects.select_for_update().filter(pk=shop.pk))
    assert str(raised.value) == MTI_REFUSED
    assert sent(queries) == ["BEGIN", "COMMIT"]
    with transaction.atomic():
        locked = Place.objects.select_for_update().get(pk=shop.pk)
        Shop.objects.filter(pk=locked.pk).update(kind="maps")
    assert list(Shop.objects.values_list("name", "kind")) == [("corner", "maps")]


def test_rowstore_child_locks_with_the_join():
    with override_settings(SINGLESTORE=ROWSTORE), place_and_shop() as (_, Shop):
        shop = Shop.objects.create(name="corner", kind="books")
        with transaction.atomic():
            locked = Shop.objects.select_for_update().get(pk=shop.pk)
        assert (locked.name, locked.kind) == ("corner", "books")


def test_select_related_join_is_refused_before_sending():
    with CaptureQueriesContext(connection) as queries:
        with transaction.atomic():
            with pytest.raises(NotSupportedError) as raised:
                list(Item.objects.select_for_update().select_related("category"))
    assert str(raised.value) == refused("joins the tables 'integration_category'")
    assert sent(queries) == ["BEGIN", "COMMIT"]


def test_subquery_is_refused_before_sending():
    rowstore_categories = Category.objects.filter(slug="a").values("pk")
    with transaction.atomic():
        with pytest.raises(NotSupportedError) as raised:
            list(
                Item.objects.select_for_update().filter(
                    category__in=rowstore_categories
                )
            )
    assert str(raised.value) == refused("has a subquery")


def test_filter_across_a_relation_is_refused():
    with transaction.atomic():
        with pytest.raises(NotSupportedError) as raised:
            list(Item.objects.select_for_update().filter(category__slug="a"))
    assert str(raised.value) == refused("joins the tables 'integration_category'")


def test_lone_columnstore_table_and_rowstore_subquery_lock():
    item = Item.objects.create(name="lamp")
    Counter.objects.create(code="a")
    with transaction.atomic():
        items = Item.objects.select_for_update().filter(pk=item.pk)
        assert [i.name for i in items] == ["lamp"]
        codes = Counter.objects.filter(code__in=Counter.objects.values("code"))
        assert [c.code for c in codes.select_for_update()] == ["a"]
