"""The backend sends only statement shapes SingleStore documents
(tests/double/GRAMMAR.md lists the grammar each one relies on)."""

import datetime

import pytest
from django.db import connection, models
from django.db.models import F
from django.test.utils import CaptureQueriesContext, isolate_apps

from tests.integration.models import Item

pytestmark = pytest.mark.django_db(transaction=True)


@isolate_apps("tests.integration")
def test_delete_model_sends_drop_table_without_cascade():
    class Gadget(models.Model):
        name = models.CharField(max_length=20)

        class Meta:
            app_label = "integration"
            db_table = "t_documented_gadget"

    with connection.schema_editor() as editor:
        editor.create_model(Gadget)
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.delete_model(Gadget)
    assert [query["sql"] for query in captured] == ["DROP TABLE `t_documented_gadget`"]
    assert "t_documented_gadget" not in connection.introspection.table_names()


@pytest.fixture
def items():
    for pk, name, created in [
        (1, "Bowl", datetime.datetime(2024, 1, 31, tzinfo=datetime.UTC)),
        (2, "Cup", None),
        (3, "Jug", datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC)),
    ]:
        Item.objects.create(id=pk, name=name, created=created)


def test_difference_runs_as_except(items):
    left = Item.objects.values_list("id", flat=True)
    right = Item.objects.filter(name="Cup").values_list("id", flat=True)
    with CaptureQueriesContext(connection) as captured:
        assert sorted(left.difference(right)) == [1, 3]
    (sql,) = [query["sql"] for query in captured]
    assert " EXCEPT " in sql
    assert connection.features.supports_select_difference


@pytest.mark.parametrize(
    "ordering, expected",
    [
        (F("created").asc(nulls_last=True), ["Bowl", "Jug", "Cup"]),
        (F("created").desc(nulls_first=True), ["Cup", "Jug", "Bowl"]),
    ],
)
def test_nulls_first_and_last_use_the_nulls_clause(items, ordering, expected):
    queryset = Item.objects.order_by(ordering).values_list("name", flat=True)
    with CaptureQueriesContext(connection) as captured:
        assert list(queryset) == expected
    (sql,) = [query["sql"] for query in captured]
    clause = "ASC NULLS LAST" if expected[-1] == "Cup" else "DESC NULLS FIRST"
    assert sql.endswith(f"ORDER BY `integration_item`.`created` {clause}")
