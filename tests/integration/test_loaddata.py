"""loaddata re-syncs SingleStore's auto-increment counters once it commits.

Explicit ids (every fixture row has one) do not advance a sharded table's
AUTO_INCREMENT counter on SingleStore, so the backend's loaddata command runs
AGGREGATOR SYNC AUTO_INCREMENT for the sharded tables it wrote, after the
fixture's transaction commits (the statement commits implicitly).
"""

import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from django_singlestore.management.commands.loaddata import counter_sync_sql
from tests.integration.models import Category, Counter, Item, Tag

SYNC = "AGGREGATOR SYNC AUTO_INCREMENT ON `{db}`.`{table}` ALL"


@pytest.fixture
def fixture_file(tmp_path):
    path = tmp_path / "items.json"
    path.write_text(
        json.dumps(
            [
                {"model": "integration.tag", "pk": 70, "fields": {"name": "t"}},
                {
                    "model": "integration.item",
                    "pk": 71,
                    "fields": {"name": "loaded", "price": "2.50", "tags": [70]},
                },
                {
                    "model": "integration.category",
                    "pk": 72,
                    "fields": {"slug": "s", "name": "c"},
                },
                {
                    "model": "integration.counter",
                    "pk": "c1",
                    "fields": {"hits": 1, "label": ""},
                },
            ]
        )
    )
    return path


def sync_statements(captured):
    return [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith("AGGREGATOR SYNC")
    ]


def test_sync_sql_names_sharded_tables_with_auto_increment():
    db = connection.settings_dict["NAME"]
    # Category is a reference table; Counter's primary key is a CharField.
    assert counter_sync_sql(connection, [Item, Tag, Category, Counter]) == [
        SYNC.format(db=db, table="integration_item"),
        SYNC.format(db=db, table="integration_tag"),
    ]


@pytest.mark.django_db(transaction=True)
def test_loaddata_syncs_after_commit(fixture_file):
    db = connection.settings_dict["NAME"]
    with CaptureQueriesContext(connection) as captured:
        call_command("loaddata", str(fixture_file), verbosity=0)
    assert sync_statements(captured) == [
        SYNC.format(db=db, table="integration_item"),
        SYNC.format(db=db, table="integration_tag"),
    ]
    statements = [query["sql"] for query in captured.captured_queries]
    # After the fixture's rows, outside its transaction.
    assert statements.index("COMMIT") < statements.index(sync_statements(captured)[0])
    item = Item.objects.get()
    assert (item.pk, item.name, [tag.pk for tag in item.tags.all()]) == (
        71,
        "loaded",
        [70],
    )


@pytest.mark.django_db(transaction=True)
def test_loaddata_inside_a_transaction_waits_for_its_commit(fixture_file):
    with CaptureQueriesContext(connection) as captured:
        with transaction.atomic():
            call_command("loaddata", str(fixture_file), verbosity=0)
            assert sync_statements(captured) == []
    assert len(sync_statements(captured)) == 2


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_fixture_sends_no_sync(fixture_file):
    with CaptureQueriesContext(connection) as captured:
        with transaction.atomic():
            call_command("loaddata", str(fixture_file), verbosity=0)
            transaction.set_rollback(True)
    assert sync_statements(captured) == []
    assert Item.objects.count() == 0
