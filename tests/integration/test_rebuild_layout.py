"""ApplyLayout: a storage, shard key or sort key change reaches an existing
table through a migration, rebuilding it with its rows."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import Error, connection, migrations, models
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from django_singlestore.layout import ApplyLayout, differs
from tests.integration.test_rebuild import (  # noqa: F401
    FAULT_TEXT,
    created_by,
    drop_with_leftovers,
    faults,
)

pytestmark = pytest.mark.django_db(transaction=True)

TABLE = "apps_shop_order"
ROWS = [(1, "ann", 3), (2, "bob", 5), (3, "ann", 7)]
CREATE_ORDER = migrations.CreateModel(
    "Order",
    [
        ("id", models.BigAutoField(primary_key=True)),
        ("customer", models.CharField(max_length=10)),
        ("total", models.IntegerField()),
    ],
)
NEW_LAYOUT = {
    "STORAGE": {"apps_shop.Order": "ROWSTORE"},
    "SHARD_KEYS": {"apps_shop.Order": ["customer"]},
}
SORTED_LAYOUT = {"SORT_KEYS": {"apps_shop.Order": ["-total"]}}


@pytest.fixture
def order_state():
    yield created_by("apps_shop", CREATE_ORDER, ROWS)
    drop_with_leftovers(TABLE)


def apply_layout(state, collect_sql=False):
    connection.close()
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor(collect_sql=collect_sql) as editor:
            ApplyLayout("Order").database_forwards("apps_shop", editor, state, state)
    executed = [query["sql"] for query in captured]
    return editor.collected_sql if collect_sql else executed


def layout():
    with connection.cursor() as cursor:
        live = connection.introspection.get_table_storage(cursor, TABLE)
        cursor.execute(f"SELECT `id`, `customer`, `total` FROM `{TABLE}` ORDER BY `id`")
        return live, list(cursor.fetchall())


def test_a_new_storage_and_shard_key_rebuild_the_table(order_state):
    assert layout() == (("COLUMNSTORE", ("id",), ()), ROWS)
    with override_settings(SINGLESTORE=NEW_LAYOUT):
        statements = apply_layout(order_state)
        assert [sql for sql in statements if sql.startswith("CREATE")] == [
            f"CREATE ROWSTORE TABLE `{TABLE}__rebuild_new` (`id` bigint "
            f"AUTO_INCREMENT NOT NULL, `customer` varchar(10) NOT NULL, `total` "
            f"integer NOT NULL, KEY `apps_shop_order_id_65ff368c_key` (`id`), "
            f"SHARD KEY (`customer`))"
        ]
        assert layout() == (("ROWSTORE", ("customer",), None), ROWS)
        model = order_state.apps.get_model("apps_shop", "Order")
        assert differs(connection, model) is False
        # Applied again, or on a database created under these settings: no
        # rebuild.
        again = apply_layout(order_state)
        assert [sql for sql in again if not sql.startswith(("SELECT", "SHOW"))] == []


def test_a_new_sort_key_rebuilds_the_table(order_state):
    with override_settings(SINGLESTORE=SORTED_LAYOUT):
        apply_layout(order_state)
        assert layout() == (("COLUMNSTORE", ("id",), (("total", True),)), ROWS)


def test_sqlmigrate_prints_the_rebuild(order_state):
    with override_settings(SINGLESTORE=SORTED_LAYOUT):
        collected = apply_layout(order_state, collect_sql=True)
    assert collected[0] == (
        f"CREATE TABLE `{TABLE}__rebuild_new` (`id` bigint AUTO_INCREMENT NOT NULL, "
        f"`customer` varchar(10) NOT NULL, `total` integer NOT NULL, PRIMARY KEY "
        f"(`id`), SHARD KEY (`id`), SORT KEY (`total` DESC));"
    )
    assert len(collected) == 6
    assert layout() == (("COLUMNSTORE", ("id",), ()), ROWS)


def test_a_fault_leaves_the_old_layout(order_state, faults):  # noqa: F811
    faults.disconnect(f"^INSERT INTO `{TABLE}__rebuild_new`", times=1)
    with override_settings(SINGLESTORE=NEW_LAYOUT):
        with pytest.raises(Error) as error:
            apply_layout(order_state)
    assert str(error.value) == (
        f"Rebuilding table {TABLE} failed while copying the rows: "
        f"{FAULT_TEXT['disconnect']}. The rebuild was undone and the table is "
        f"unchanged; fix the cause and run migrate again."
    )
    connection.close()
    assert layout() == (("COLUMNSTORE", ("id",), ()), ROWS)


def test_the_operation_deconstructs_and_describes_itself():
    operation = ApplyLayout("Order")
    assert operation.deconstruct() == ("ApplyLayout", ["Order"], {})
    assert operation.describe() == (
        "Apply the SINGLESTORE layout to the table of Order"
    )
    assert operation.migration_name_fragment == "apply_layout_order"


PREVIOUS = {"STORAGE": "columnstore", "SHARD_KEY": None, "SORT_KEY": None}


def test_unapplying_with_the_previous_layout_rebuilds_it(order_state):
    operation = ApplyLayout("Order", previous=PREVIOUS)
    with override_settings(SINGLESTORE=NEW_LAYOUT):
        with connection.schema_editor() as editor:
            operation.database_forwards("apps_shop", editor, order_state, order_state)
        assert layout() == (("ROWSTORE", ("customer",), None), ROWS)
        connection.close()
        with CaptureQueriesContext(connection) as captured:
            with connection.schema_editor() as editor:
                operation.database_backwards(
                    "apps_shop", editor, order_state, order_state
                )
        assert [sql for sql in (q["sql"] for q in captured) if "CREATE" in sql] == [
            f"CREATE TABLE `{TABLE}__rebuild_new` (`id` bigint AUTO_INCREMENT NOT "
            f"NULL, `customer` varchar(10) NOT NULL, `total` integer NOT NULL, "
            f"PRIMARY KEY (`id`), SHARD KEY (`id`), SORT KEY ())"
        ]
        assert layout() == (("COLUMNSTORE", ("id",), ()), ROWS)
    assert operation.deconstruct() == (
        "ApplyLayout",
        ["Order"],
        {"previous": PREVIOUS},
    )
    # Without a previous layout, unapplying leaves the table as it is.
    with override_settings(SINGLESTORE=NEW_LAYOUT):
        with CaptureQueriesContext(connection) as captured:
            with connection.schema_editor() as editor:
                ApplyLayout("Order").database_backwards(
                    "apps_shop", editor, order_state, order_state
                )
    assert captured.captured_queries == []


def test_a_previous_layout_is_validated_when_the_migration_loads():
    with pytest.raises(ImproperlyConfigured) as error:
        ApplyLayout("Order", previous={"STORAGE": "COLUMNSTORE", "SHARD": ["id"]})
    assert str(error.value) == (
        "ApplyLayout('Order') has unknown previous layout key(s) 'SHARD'; "
        "allowed: 'SHARD_KEY', 'SORT_KEY', 'STORAGE'."
    )
    with pytest.raises(ImproperlyConfigured) as error:
        ApplyLayout("Order", previous={"STORAGE": "COLUMN"})
    assert str(error.value) == (
        "ApplyLayout's previous['STORAGE'] is 'COLUMN'; allowed values: "
        "'COLUMNSTORE', 'ROWSTORE', 'REFERENCE', 'ROWSTORE REFERENCE', 'AUTO'."
    )
