"""UPDATEs of models sharded by a non-key column never SET a shard-key column.

SingleStore refuses ``UPDATE ... SET sku = ...`` on a table sharded by ``sku``
whatever the value (the double: errors.py ``update_shard_key``). The layouts
app is migrated with Order sharded by ``sku`` (no PRIMARY KEY: ``id`` is a
plain KEY), Customer by ``email`` and the multi-table child Gift by
``wrapping``; rows whose shard-key value changes are moved (read, deleted,
re-inserted in one transaction) with their id and other columns kept.
"""

import datetime
import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import (
    IntegrityError,
    NotSupportedError,
    OperationalError,
    connection,
    transaction,
)
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.db.models.sql.subqueries import UpdateQuery
from django.test.utils import CaptureQueriesContext, override_settings

pytestmark = pytest.mark.django_db(transaction=True)

LAYOUT_APPS = [*settings.INSTALLED_APPS, "tests.integration.apps_layouts"]
SHARDED = {
    "SHARD_KEYS": {
        "layouts.Order": ["sku"],
        "layouts.Customer": ["email"],
        "layouts.Gift": ["wrapping"],
    },
    "UNENFORCED_UNIQUE": ["layouts.Gift"],
}
PLACED = datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.UTC)
ORDER_COLUMNS = (
    "`layouts_order`.`id`, `layouts_order`.`customer_id`, `layouts_order`.`sku`, "
    "`layouts_order`.`quantity`, `layouts_order`.`placed`, `layouts_order`.`data`, "
    "`layouts_order`.`note`"
)
INSERT_ORDER = (
    "INSERT INTO `layouts_order` (`id`, `customer_id`, `sku`, `quantity`, "
    "`placed`, `data`, `note`) VALUES "
)


@pytest.fixture
def shop():
    with override_settings(INSTALLED_APPS=LAYOUT_APPS, SINGLESTORE=SHARDED):
        call_command("migrate", "layouts", verbosity=0, stdout=StringIO())
        try:
            from tests.integration.apps_layouts import models

            yield models
        finally:
            call_command("migrate", "layouts", "zero", verbosity=0, stdout=StringIO())


def fetch(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(tuple(row) for row in cursor.fetchall())


def orders():
    """The rows of layouts_order, the JSON column parsed."""
    rows = fetch(
        "SELECT id, customer_id, sku, quantity, data, note FROM layouts_order "
        "ORDER BY id, sku"
    )
    return tuple((*row[:4], json.loads(row[4]), row[5]) for row in rows)


def statements(queries):
    return [query["sql"] for query in queries.captured_queries]


@pytest.fixture
def ada(shop):
    return shop.Customer.objects.create(email="ada@example.com", name="Ada")


def make_order(shop, customer, sku, **values):
    return shop.Order.objects.create(
        customer=customer, sku=sku, placed=PLACED, data={"n": 1}, **values
    )


def test_the_server_refuses_to_set_a_shard_key_column(shop, ada):
    make_order(shop, ada, "s1")
    with pytest.raises(OperationalError) as raised:
        fetch("UPDATE layouts_order SET sku = 's1' WHERE id = 1")
    assert raised.value.args[:2] == (
        1706,
        "Feature 'Updating the shard key column 'sku'' is not supported by "
        "SingleStore.",
    )


def test_save_keeping_the_shard_key_is_one_update(shop, ada):
    order = make_order(shop, ada, "s1")
    order.quantity = 3
    with CaptureQueriesContext(connection) as queries:
        order.save()
    assert statements(queries) == [
        "UPDATE `layouts_order` SET `customer_id` = 1, `quantity` = 3, "
        "`placed` = '2024-05-01 12:30:00', `data` = '{\\\"n\\\": 1}', `note` = '' "
        "WHERE (`layouts_order`.`id` = 1 AND `layouts_order`.`sku` <=> ('s1'))"
    ]
    assert orders() == ((1, 1, "s1", 3, {"n": 1}, ""),)


def test_save_changing_the_shard_key_moves_the_row(shop, ada):
    order = make_order(shop, ada, "s1", note="keep")
    order.sku, order.quantity = "s2", 4
    with CaptureQueriesContext(connection) as queries:
        order.save()
    read = (
        f"SELECT {ORDER_COLUMNS}, 1, 's2', 4, '2024-05-01 12:30:00', "
        "'{\\\"n\\\": 1}', 'keep' FROM `layouts_order` WHERE "
        "(`layouts_order`.`id` = 1) AND NOT (`layouts_order`.`sku` <=> ('s2'))"
    )
    assert statements(queries) == [
        "UPDATE `layouts_order` SET `customer_id` = 1, `quantity` = 4, "
        "`placed` = '2024-05-01 12:30:00', `data` = '{\\\"n\\\": 1}', "
        "`note` = 'keep' WHERE (`layouts_order`.`id` = 1 AND "
        "`layouts_order`.`sku` <=> ('s2'))",
        read,
        "BEGIN",
        f"{read} FOR UPDATE",
        "DELETE FROM `layouts_order` WHERE `layouts_order`.`id` IN (1)",
        INSERT_ORDER + "(1, 1, 's2', 4, '2024-05-01 12:30:00', '{\\\"n\\\": 1}', "
        "'keep')",
        "COMMIT",
    ]
    # One row, same id: the row count made save() skip its INSERT.
    assert orders() == ((1, 1, "s2", 4, {"n": 1}, "keep"),)
    order.refresh_from_db()
    assert (order.pk, order.sku, order.placed, order.data) == (
        1,
        "s2",
        PLACED,
        {"n": 1},
    )


def test_save_of_a_new_row_with_its_id_inserts_it(shop, ada):
    order = shop.Order(id=7, customer=ada, sku="s1", placed=PLACED)
    with CaptureQueriesContext(connection) as queries:
        order.save()
    assert len(statements(queries)) == 3
    assert statements(queries)[1].startswith(f"SELECT {ORDER_COLUMNS}, 1, 's1'")
    assert statements(queries)[2].startswith("INSERT INTO `layouts_order`")
    assert orders() == ((7, 1, "s1", 1, {}, ""),)


def test_update_fields_with_the_shard_key_counts_then_moves(shop, ada):
    order = make_order(shop, ada, "s1")
    order.sku = "s2"
    with CaptureQueriesContext(connection) as queries:
        order.save(update_fields=["sku"])
    assert statements(queries)[0] == (
        "SELECT COUNT(*) FROM `layouts_order` WHERE (`layouts_order`.`id` = 1) "
        "AND `layouts_order`.`sku` <=> ('s2')"
    )
    assert statements(queries)[-3:-1] == [
        "DELETE FROM `layouts_order` WHERE `layouts_order`.`id` IN (1)",
        INSERT_ORDER + "(1, 1, 's2', 1, '2024-05-01 12:30:00', '{\\\"n\\\":1}', '')",
    ]
    assert orders() == ((1, 1, "s2", 1, {"n": 1}, ""),)


def test_bulk_update_moves_only_the_rows_whose_shard_key_changes(shop, ada):
    first, second = make_order(shop, ada, "s1"), make_order(shop, ada, "s2")
    first.sku, first.quantity, second.quantity = "s9", 5, 6
    with CaptureQueriesContext(connection) as queries:
        assert shop.Order.objects.bulk_update([first, second], ["sku", "quantity"]) == 2
    sku_case = (
        "CASE WHEN (`layouts_order`.`id` = 1) THEN 's9' WHEN "
        "(`layouts_order`.`id` = 2) THEN 's2' ELSE NULL END"
    )
    assert statements(queries)[:2] == [
        "BEGIN",
        "UPDATE `layouts_order` SET `quantity` = CASE WHEN (`layouts_order`.`id` = 1)"
        " THEN 5 WHEN (`layouts_order`.`id` = 2) THEN 6 ELSE NULL END WHERE "
        f"(`layouts_order`.`id` IN (1, 2) AND `layouts_order`.`sku` <=> ({sku_case}))",
    ]
    assert statements(queries)[3:] == [
        "DELETE FROM `layouts_order` WHERE `layouts_order`.`id` IN (1)",
        INSERT_ORDER + "(1, 1, 's9', 5, '2024-05-01 12:30:00', '{\\\"n\\\":1}', '')",
        "COMMIT",
    ]
    assert orders() == (
        (1, 1, "s9", 5, {"n": 1}, ""),
        (2, 1, "s2", 6, {"n": 1}, ""),
    )


def test_bulk_update_keeping_every_shard_key_skips_the_move(shop, ada):
    first, second = make_order(shop, ada, "s1"), make_order(shop, ada, "s2")
    first.quantity = second.quantity = 8
    with CaptureQueriesContext(connection) as queries:
        assert shop.Order.objects.bulk_update([first, second], ["sku", "quantity"]) == 2
    assert [sql.split(" ")[0] for sql in statements(queries)] == [
        "BEGIN",
        "UPDATE",
        "COMMIT",
    ]


def test_queryset_update_returns_the_rows_matched(shop, ada):
    for sku in ("a", "b", "c"):
        make_order(shop, ada, sku)
    assert shop.Order.objects.filter(sku__in=["a", "b"]).update(sku="b") == 2
    assert shop.Order.objects.update(sku=Concat(F("sku"), Value("-x"))) == 3
    assert orders() == (
        (1, 1, "b-x", 1, {"n": 1}, ""),
        (2, 1, "b-x", 1, {"n": 1}, ""),
        (3, 1, "c-x", 1, {"n": 1}, ""),
    )


def test_update_or_create_changing_the_shard_key(shop, ada):
    make_order(shop, ada, "s1", note="n1")
    order, created = shop.Order.objects.update_or_create(
        note="n1", defaults={"sku": "s3", "quantity": 2}
    )
    assert (order.pk, created) == (1, False)
    order, created = shop.Order.objects.update_or_create(
        note="n2", defaults={"sku": "s4", "customer": ada, "placed": PLACED}
    )
    assert (order.pk, created) == (2, True)
    assert orders() == (
        (1, 1, "s3", 2, {"n": 1}, "n1"),
        (2, 1, "s4", 1, {}, "n2"),
    )


def test_multi_table_child_moves_each_table_by_its_own_shard_key(shop, ada):
    gift = shop.Gift.objects.create(
        customer=ada, sku="s1", placed=PLACED, wrapping="red"
    )
    gift.sku, gift.wrapping = "s2", "blue"
    gift.save()
    assert orders() == ((1, 1, "s2", 1, {}, ""),)
    assert fetch("SELECT order_ptr_id, wrapping FROM layouts_gift") == ((1, "blue"),)
    assert shop.Gift.objects.update(sku="s3", wrapping="gold") == 1
    assert orders() == ((1, 1, "s3", 1, {}, ""),)
    assert fetch("SELECT order_ptr_id, wrapping FROM layouts_gift") == ((1, "gold"),)


def test_many_to_many_rows_move_by_the_through_tables_shard_key(shop, ada):
    first, second = make_order(shop, ada, "s1"), make_order(shop, ada, "s2")
    tag = shop.Tag.objects.create(name="gift")
    first.tags.add(tag)
    through = shop.Order.tags.through
    assert through.objects.update(order_id=second.pk) == 1
    assert fetch("SELECT id, order_id, tag_id FROM layouts_order_tags") == ((1, 2, 1),)
    assert list(second.tags.all()) == [tag]


def test_a_failed_move_changes_nothing(shop, ada):
    grace = shop.Customer.objects.create(email="grace@example.com", name="Grace")
    grace.email, grace.name = "ada@example.com", "Grace H."
    with pytest.raises(IntegrityError) as raised:
        grace.save()
    assert raised.value.args[:2] == (
        1062,
        "Duplicate entry 'ada@example.com' for key "
        "'layouts_customer_email_aa93a667_uniq'",
    )
    assert fetch("SELECT id, email, name FROM layouts_customer ORDER BY id") == (
        (1, "ada@example.com", "Ada"),
        (2, "grace@example.com", "Grace"),
    )


def test_rows_sharing_an_id_are_not_moved(shop, ada):
    make_order(shop, ada, "s1", quantity=5)
    fetch(
        "INSERT INTO layouts_order (id, customer_id, sku, quantity, placed, data, "
        "note) VALUES (1, 1, 's7', 6, '2024-05-01 12:30:00', '{}', '')"
    )
    with pytest.raises(IntegrityError) as raised:
        shop.Order.objects.filter(quantity=5).update(sku="s2")
    assert str(raised.value) == (
        "Cannot change the shard key ('sku') of layouts.Order rows: 1 rows were to "
        "move, but deleting them by primary key removed 2 rows of layouts_order: "
        "rows that share a primary-key value, or rows another connection changed "
        "meanwhile. Nothing was changed; remove rows that share a primary-key "
        "value, or try again."
    )
    assert orders() == (
        (1, 1, "s1", 5, {"n": 1}, ""),
        (1, 1, "s7", 6, {}, ""),
    )


def test_skip_autocommit_refuses_a_move_before_writing(shop, ada):
    order = make_order(shop, ada, "s1")
    with override_settings(SINGLESTORE={**SHARDED, "SKIP_AUTOCOMMIT": True}):
        order.quantity = 2
        order.save()
        order.sku, order.quantity = "s2", 3
        with pytest.raises(NotSupportedError) as raised:
            order.save()
    assert str(raised.value) == (
        "Cannot change the shard key ('sku') of layouts.Order rows while "
        "SINGLESTORE['SKIP_AUTOCOMMIT'] is on: SingleStore cannot UPDATE a "
        "shard-key column, and moving a row to its new partition (delete and "
        "re-insert) needs a transaction, which SKIP_AUTOCOMMIT turns off. Delete "
        "the row and create it with the new value, or turn SKIP_AUTOCOMMIT off."
    )
    assert orders() == ((1, 1, "s1", 2, {"n": 1}, ""),)


def test_save_changing_the_shard_key_inside_atomic_is_four_statements(shop, ada):
    order = make_order(shop, ada, "s1")
    order.sku = "s2"
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        order.save()
    assert [sql.split(" ")[0] for sql in statements(queries)] == [
        "UPDATE",
        "SELECT",
        "DELETE",
        "INSERT",
    ]
    assert statements(queries)[1].endswith(" FOR UPDATE")
    assert orders() == ((1, 1, "s2", 1, {"n": 1}, ""),)


def test_update_filtered_across_a_join_moves_the_rows_it_selected(shop, ada):
    grace = shop.Customer.objects.create(email="grace@example.com", name="Grace")
    make_order(shop, ada, "s1")
    make_order(shop, grace, "s2")
    with CaptureQueriesContext(connection) as queries:
        assert shop.Order.objects.filter(customer__name="Grace").update(sku="s3") == 1
    # Django reads the ids first (MySQL cannot UPDATE a table it selects
    # from); no column but the shard key is set, so the first step counts.
    where = "(`layouts_order`.`id` IN (2))"
    read = (
        f"SELECT {ORDER_COLUMNS}, 's3' FROM `layouts_order` WHERE {where} AND "
        "NOT (`layouts_order`.`sku` <=> ('s3'))"
    )
    assert statements(queries) == [
        "SELECT `layouts_order`.`id` FROM `layouts_order` INNER JOIN "
        "`layouts_customer` ON (`layouts_order`.`customer_id` = "
        "`layouts_customer`.`id`) WHERE `layouts_customer`.`name` = 'Grace'",
        f"SELECT COUNT(*) FROM `layouts_order` WHERE {where} AND "
        "`layouts_order`.`sku` <=> ('s3')",
        read,
        "BEGIN",
        f"{read} FOR UPDATE",
        "DELETE FROM `layouts_order` WHERE `layouts_order`.`id` IN (2)",
        INSERT_ORDER + "(2, 2, 's3', 1, '2024-05-01 12:30:00', '{\\\"n\\\":1}', '')",
        "COMMIT",
    ]
    assert orders() == (
        (1, 1, "s1", 1, {"n": 1}, ""),
        (2, 2, "s3", 1, {"n": 1}, ""),
    )


def test_a_filter_with_a_subquery_reads_the_rows_without_locking(shop, ada):
    grace = shop.Customer.objects.create(email="grace@example.com", name="Grace")
    make_order(shop, ada, "s1")
    make_order(shop, grace, "s2")
    graces = shop.Customer.objects.filter(name="Grace").values("pk")
    with CaptureQueriesContext(connection) as queries:
        assert shop.Order.objects.filter(customer__in=graces).update(sku="s3") == 1
    reads = [sql for sql in statements(queries) if sql.startswith("SELECT `")]
    # SingleStore refuses FOR UPDATE with a subquery on a columnstore table.
    assert reads == [
        f"SELECT {ORDER_COLUMNS}, 's3' FROM `layouts_order` WHERE "
        "(`layouts_order`.`customer_id` IN (SELECT U0.`id` AS `pk` FROM "
        "`layouts_customer` U0 WHERE U0.`name` = 'Grace')) AND NOT "
        "(`layouts_order`.`sku` <=> ('s3'))"
    ]
    assert orders() == (
        (1, 1, "s1", 1, {"n": 1}, ""),
        (2, 2, "s3", 1, {"n": 1}, ""),
    )


def test_update_batch_moves_the_rows_of_every_batch(shop, ada):
    # Collector's SET_NULL runs UpdateQuery.update_batch: one query, re-run per
    # batch of 100 primary keys.
    shop.Order.objects.bulk_create(
        shop.Order(customer=ada, sku=f"s{n}", placed=PLACED) for n in range(101)
    )
    pks = list(shop.Order.objects.values_list("pk", flat=True))
    UpdateQuery(shop.Order).update_batch(pks, {"sku": "z"}, "default")
    assert shop.Order.objects.filter(sku="z").count() == 101
    assert shop.Order.objects.count() == 101


def test_the_plan_is_computed_again_only_when_the_settings_change(
    shop, ada, monkeypatch
):
    from django_singlestore import shard_updates

    computed = []

    def plan_for(model, settings=None):
        computed.append(model._meta.label)
        return real(model, settings)

    real = shard_updates.plan_for
    monkeypatch.setattr(shard_updates, "plan_for", plan_for)
    order = make_order(shop, ada, "s1")
    # Equal settings, but a new SINGLESTORE setting: planned once, then reused.
    with override_settings(SINGLESTORE=dict(SHARDED)):
        order.quantity = 2
        order.save()
        order.quantity = 3
        order.save()
        assert computed == ["layouts.Order"]
    # Settings that shard Order by its primary key: the UPDATE SETs sku,
    # which the server refuses on the table sharded by sku.
    with override_settings(SINGLESTORE={"SHARD_KEYS": {}}):
        with pytest.raises(OperationalError) as raised:
            order.save()
    assert raised.value.args[0] == 1706
    assert computed == ["layouts.Order", "layouts.Order"]
    order.save()
    assert computed == ["layouts.Order"] * 3
    assert orders() == ((1, 1, "s1", 3, {"n": 1}, ""),)
