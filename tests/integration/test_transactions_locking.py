"""What select_for_update() can lock (docs/transactions.rst, check I004).

A multi-table-inheritance child's query joins its parent, which SingleStore
refuses with FOR UPDATE when a table is columnstore (the default storage
here); the parent's own query has no join and locks.
"""

import pytest
from django.db import OperationalError, connection, models, transaction
from django.test.utils import isolate_apps

REFUSED = (
    "Feature 'FOR UPDATE with subselect or join involving a columnstore table' "
    "is not supported by SingleStore."
)


@pytest.fixture
def family():
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


@pytest.mark.django_db(transaction=True)
def test_child_is_refused_and_the_parent_locks(family):
    Place, Shop = family
    shop = Shop.objects.create(name="corner", kind="books")
    with transaction.atomic():
        with pytest.raises(OperationalError) as raised:
            list(Shop.objects.select_for_update().filter(pk=shop.pk))
        assert raised.value.args[:2] == (1706, REFUSED)
    with transaction.atomic():
        locked = Place.objects.select_for_update().get(pk=shop.pk)
        Shop.objects.filter(pk=locked.pk).update(kind="maps")
    assert list(Shop.objects.values_list("name", "kind")) == [("corner", "maps")]
