"""bulk_create and bulk_update send batches of at most BULK_PARAMETERS."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from django_singlestore import operations
from tests.integration.models import Counter


def test_batch_sizes():
    ops = connection.ops
    assert ops.bulk_batch_size(["a", "b"], range(1_000_000)) == 25_000
    assert ops.bulk_batch_size(["a", "b"], range(20_000)) == 20_000
    assert ops.bulk_batch_size(["a", "b", "c"], range(100_000)) == 16_666
    assert ops.bulk_batch_size([], range(10)) == 10
    assert ops.bulk_batch_size(["a"] * 60_000, range(10)) == 1


@pytest.mark.django_db
def test_bulk_create_and_update_in_batches(monkeypatch):
    monkeypatch.setattr(operations, "BULK_PARAMETERS", 6)
    counters = [Counter(code=f"b{n}", hits=n, label="new") for n in range(5)]
    with CaptureQueriesContext(connection) as created:
        Counter.objects.bulk_create(counters)
    for counter in counters:
        counter.hits += 10
    # bulk_update counts the primary key twice (CASE WHEN and WHERE) per row.
    with CaptureQueriesContext(connection) as updated:
        Counter.objects.bulk_update(counters, ["hits"])
    assert [query["sql"].split(" VALUES ")[1] for query in created] == [
        "('b0', 0, 'new'), ('b1', 1, 'new')",
        "('b2', 2, 'new'), ('b3', 3, 'new')",
        "('b4', 4, 'new')",
    ]
    assert len(updated) == 3
    assert list(Counter.objects.order_by("code").values_list("code", "hits")) == [
        (f"b{n}", n + 10) for n in range(5)
    ]
