"""Every table layout a user can configure, through what a real project does.

The layouts app (tests/integration/apps_layouts: Customer with a unique email,
Tag, Order with a foreign key, a many-to-many, a JSONField and a datetime, and
Gift, a multi-table child of Order) is migrated under each layout below, with
override_settings(SINGLESTORE=...), and taken through: the tables the plan
promises (SHOW CREATE TABLE), a migration forward, create, save(), save() that
changes the shard-key value, update_or_create, bulk_update, the admin add,
change and delete views, dumpdata and loaddata (into empty and into filled
tables), delete with cascade, the migration back and to zero; and inspectdb of
every table.

test_schema_changes takes Order, holding rows with values at the edges of
their types and NULLs, through the migrations of apps_layouts/changes forward
and back, checking the rows and the keys after each: AlterField (an index
and the type of the indexed column, a widening, NULL -> NOT NULL with a
default, a foreign key's nullability), ApplyLayout after SINGLESTORE changed
and after it changed back, a unique field, AddConstraint/RemoveConstraint and
AlterUniqueTogether (refused before any DDL, with the check, where the plan
cannot enforce the set), a primary-key move on a new model holding rows
(refused before any DDL on reference tables), and a narrowing the rows do not
fit.

On sharded layouts Customer is sharded by ``email`` so its unique key is
enforced, except in the UNENFORCED_UNIQUE layout.
"""

import datetime
import json
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import checks
from django.core.management import call_command
from django.db import DataError, NotSupportedError, connection, models
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.test.utils import isolate_apps, override_settings

from django_singlestore.tables import plan_for

pytestmark = pytest.mark.django_db(transaction=True)

LAYOUT_APPS = [*settings.INSTALLED_APPS, "tests.integration.apps_layouts"]
TABLES = (
    "layouts_customer",
    "layouts_gift",
    "layouts_order",
    "layouts_order_tags",
    "layouts_tag",
)


def layout(storage, order_shard=None, sort=False, unenforced=False):
    """A SINGLESTORE setting: ``storage`` (or AUTO) for the whole app, then
    Order's keys."""
    config = {"STORAGE": {"layouts": storage}, "SHARD_KEYS": {}, "SORT_KEYS": {}}
    if storage in ("COLUMNSTORE", "ROWSTORE") and not unenforced:
        config["SHARD_KEYS"]["layouts.Customer"] = ["email"]
    if order_shard is not None:
        config["SHARD_KEYS"]["layouts.Order"] = order_shard
    if sort:
        config["SORT_KEYS"]["layouts.Order"] = ["-placed"]
    if unenforced:
        config["UNENFORCED_UNIQUE"] = ["layouts"]
    return config


LAYOUTS = {
    "columnstore": layout("COLUMNSTORE"),
    "columnstore-sorted": layout("COLUMNSTORE", sort=True),
    "columnstore-by-sku": layout("COLUMNSTORE", ["sku"]),
    "columnstore-by-sku-sorted": layout("COLUMNSTORE", ["sku"], sort=True),
    "columnstore-by-customer": layout("COLUMNSTORE", ["customer"]),
    "columnstore-keyless": layout("COLUMNSTORE", []),
    "columnstore-unenforced": layout("COLUMNSTORE", unenforced=True),
    "rowstore": layout("ROWSTORE"),
    "rowstore-by-sku": layout("ROWSTORE", ["sku"]),
    "rowstore-by-customer": layout("ROWSTORE", ["customer"]),
    "rowstore-keyless": layout("ROWSTORE", []),
    "reference": layout("REFERENCE"),
    "reference-sorted": layout("REFERENCE", sort=True),
    "rowstore-reference": layout("ROWSTORE REFERENCE"),
    # The AUTO policy shards Customer by its one unique set, email, on its own.
    "auto": layout("AUTO"),
    "auto-by-sku": layout("AUTO", ["sku"]),
}

# SHOW CREATE TABLE: the first line, then the key lines, of Order and Customer.
HASH = " USING HASH"
ORDER_PK = "PRIMARY KEY (`id`)"
ORDER_ID = "KEY `layouts_order_id_56a66a1b_key` (`id`)"
ORDER_FK = "KEY `layouts_order_customer_id_9b9fe981` (`customer_id`)"
BY_ID = "SHARD KEY `__SHARDKEY` (`id`)"
UNORDERED = "SORT KEY `__UNORDERED` ()"
BY_PLACED = "SORT KEY `placed` (`placed` DESC)"
EMAIL = "UNIQUE KEY `layouts_customer_email_aa93a667_uniq` (`email`)"
CUSTOMER_ID = "KEY `layouts_customer_id_10adf133_key` (`id`)"
BY_EMAIL = "SHARD KEY `__SHARDKEY` (`email`)"
COLUMNSTORE_CUSTOMER = [EMAIL + HASH, CUSTOMER_ID + HASH, BY_EMAIL, UNORDERED]
ROWSTORE_CUSTOMER = [EMAIL, CUSTOMER_ID, BY_EMAIL]

DDL = {
    "columnstore": (
        "TABLE",
        [ORDER_PK, ORDER_FK + HASH, BY_ID, UNORDERED],
        COLUMNSTORE_CUSTOMER,
    ),
    "columnstore-sorted": (
        "TABLE",
        [ORDER_PK, ORDER_FK + HASH, BY_ID, BY_PLACED],
        COLUMNSTORE_CUSTOMER,
    ),
    "columnstore-by-sku": (
        "TABLE",
        [ORDER_ID + HASH, ORDER_FK + HASH, "SHARD KEY `__SHARDKEY` (`sku`)", UNORDERED],
        COLUMNSTORE_CUSTOMER,
    ),
    "columnstore-by-sku-sorted": (
        "TABLE",
        [ORDER_ID + HASH, ORDER_FK + HASH, "SHARD KEY `__SHARDKEY` (`sku`)", BY_PLACED],
        COLUMNSTORE_CUSTOMER,
    ),
    "columnstore-by-customer": (
        "TABLE",
        [
            ORDER_ID + HASH,
            ORDER_FK + HASH,
            "SHARD KEY `__SHARDKEY` (`customer_id`)",
            UNORDERED,
        ],
        COLUMNSTORE_CUSTOMER,
    ),
    "columnstore-keyless": (
        "TABLE",
        [ORDER_ID + HASH, ORDER_FK + HASH, "SHARD KEY ()", UNORDERED],
        COLUMNSTORE_CUSTOMER,
    ),
    "columnstore-unenforced": (
        "TABLE",
        [ORDER_PK, ORDER_FK + HASH, BY_ID, UNORDERED],
        ["PRIMARY KEY (`id`)", EMAIL + " UNENFORCED RELY", BY_ID, UNORDERED],
    ),
    "rowstore": ("ROWSTORE TABLE", [ORDER_PK, ORDER_FK, BY_ID], ROWSTORE_CUSTOMER),
    "rowstore-by-sku": (
        "ROWSTORE TABLE",
        [ORDER_ID, ORDER_FK, "SHARD KEY `__SHARDKEY` (`sku`)"],
        ROWSTORE_CUSTOMER,
    ),
    "rowstore-by-customer": (
        "ROWSTORE TABLE",
        [ORDER_ID, ORDER_FK, "SHARD KEY `__SHARDKEY` (`customer_id`)"],
        ROWSTORE_CUSTOMER,
    ),
    "rowstore-keyless": (
        "ROWSTORE TABLE",
        [ORDER_ID, ORDER_FK, "SHARD KEY ()"],
        ROWSTORE_CUSTOMER,
    ),
    "reference": (
        "REFERENCE TABLE",
        [ORDER_PK, ORDER_FK + HASH, UNORDERED],
        ["PRIMARY KEY (`id`)", EMAIL + HASH, UNORDERED],
    ),
    "reference-sorted": (
        "REFERENCE TABLE",
        [ORDER_PK, ORDER_FK + HASH, BY_PLACED],
        ["PRIMARY KEY (`id`)", EMAIL + HASH, UNORDERED],
    ),
    "rowstore-reference": (
        "ROWSTORE REFERENCE TABLE",
        [ORDER_PK, ORDER_FK],
        ["PRIMARY KEY (`id`)", EMAIL],
    ),
    "auto": (
        "TABLE",
        [ORDER_PK, ORDER_FK + HASH, BY_ID, UNORDERED],
        COLUMNSTORE_CUSTOMER,
    ),
    "auto-by-sku": (
        "TABLE",
        [ORDER_ID + HASH, ORDER_FK + HASH, "SHARD KEY `__SHARDKEY` (`sku`)", UNORDERED],
        COLUMNSTORE_CUSTOMER,
    ),
}

MAY_1 = datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.UTC)
MAY_2 = datetime.datetime(2024, 5, 2, 8, 0, tzinfo=datetime.UTC)


def fetch(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.description is None:
            return ()
        return tuple(tuple(row) for row in cursor.fetchall())


def migrate(*target):
    call_command("migrate", "layouts", *target, verbosity=0, stdout=StringIO())


def layout_tables():
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(name for name in names if name.startswith("layouts_"))


def columns(table):
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return [column.name for column in description]


def show_create(table):
    return fetch(f"SHOW CREATE TABLE `{table}`")[0][1].splitlines()


def key_lines(table):
    keys = ("PRIMARY KEY", "UNIQUE KEY", "KEY", "SHARD KEY", "SORT KEY")
    stripped = (line.strip().rstrip(",") for line in show_create(table))
    return [line for line in stripped if line.startswith(keys)]


def orders():
    """Order rows by id: customer name, the JSON column parsed, gift wrapping."""
    rows = fetch(
        "SELECT o.id, c.name, o.sku, o.quantity, o.placed, o.data, o.note, "
        "g.wrapping FROM layouts_order o "
        "JOIN layouts_customer c ON c.id = o.customer_id "
        "LEFT JOIN layouts_gift g ON g.order_ptr_id = o.id ORDER BY o.id"
    )
    return [(*row[:5], json.loads(row[5]), *row[6:]) for row in rows]


def order_tags():
    return fetch(
        "SELECT o.sku, t.name FROM layouts_order_tags m "
        "JOIN layouts_order o ON o.id = m.order_id "
        "JOIN layouts_tag t ON t.id = m.tag_id ORDER BY o.sku, t.name"
    )


def customers():
    return fetch("SELECT name, email FROM layouts_customer ORDER BY name")


@pytest.fixture(params=sorted(LAYOUTS))
def shop(request):
    """The layouts app installed under one layout; its tables dropped after."""
    with override_settings(
        INSTALLED_APPS=LAYOUT_APPS,
        SINGLESTORE=LAYOUTS[request.param],
        ROOT_URLCONF="tests.integration.apps_layouts.urls",
    ):
        from tests.integration.apps_layouts import models as shop_models

        shop_models.layout = request.param
        try:
            yield shop_models
        finally:
            migrate("zero")


def naive(moment):
    return moment.astimezone(datetime.UTC).replace(tzinfo=None)


def test_layout(shop, tmp_path):
    name = shop.layout
    migrate("0001")
    assert layout_tables() == list(TABLES)
    assert "note" not in columns("layouts_order")
    with connection.cursor() as cursor:
        for model in (shop.Customer, shop.Gift, shop.Order, shop.Order.tags.through):
            plan = plan_for(model)
            live = connection.introspection.get_table_storage(
                cursor, model._meta.db_table
            )
            assert live == (plan.storage, plan.shard_key, plan.sort_key), model
    keyword, order_keys, customer_keys = DDL[name]
    assert show_create("layouts_order")[0] == f"CREATE {keyword} `layouts_order` ("
    assert key_lines("layouts_order") == order_keys
    assert key_lines("layouts_customer") == customer_keys

    # A migration forward: a column with a default.
    migrate()
    assert columns("layouts_order") == [
        "id",
        "sku",
        "quantity",
        "placed",
        "data",
        "customer_id",
        "note",
    ]

    # Create.
    ada = shop.Customer.objects.create(email="ada@example.com", name="Ada")
    grace = shop.Customer.objects.create(email="grace@example.com", name="Grace")
    gift, rush = (shop.Tag.objects.create(name=tag) for tag in ("gift", "rush"))
    first = shop.Order.objects.create(
        customer=ada, sku="s1", placed=MAY_1, data={"size": "M"}
    )
    second = shop.Order.objects.create(
        customer=grace, sku="s2", quantity=2, placed=MAY_2, data={"size": "L"}
    )
    second.tags.set([gift, rush])
    present = shop.Gift.objects.create(
        customer=ada, sku="s3", placed=MAY_1, wrapping="red"
    )
    one, two, three = first.pk, second.pk, present.pk
    assert orders() == [
        (one, "Ada", "s1", 1, naive(MAY_1), {"size": "M"}, "", None),
        (two, "Grace", "s2", 2, naive(MAY_2), {"size": "L"}, "", None),
        (three, "Ada", "s3", 1, naive(MAY_1), {}, "", "red"),
    ]
    assert order_tags() == (("s2", "gift"), ("s2", "rush"))

    # save(), then save() that changes every shard-key column a layout uses.
    first.quantity, first.data = 3, {"size": "S"}
    first.save()
    first.sku, first.customer = "s9", grace
    first.save()
    present.sku, present.wrapping = "s4", "blue"
    present.save()
    grace.email = "grace.hopper@example.com"
    grace.save()
    assert customers() == (
        ("Ada", "ada@example.com"),
        ("Grace", "grace.hopper@example.com"),
    )
    assert orders() == [
        (one, "Grace", "s9", 3, naive(MAY_1), {"size": "S"}, "", None),
        (two, "Grace", "s2", 2, naive(MAY_2), {"size": "L"}, "", None),
        (three, "Ada", "s4", 1, naive(MAY_1), {}, "", "blue"),
    ]

    # update_or_create: an update that moves the row, then a create.
    order, created = shop.Order.objects.update_or_create(
        pk=two, defaults={"sku": "s5", "customer": ada}
    )
    assert (order.pk, created) == (two, False)
    order, created = shop.Order.objects.update_or_create(
        sku="s6", defaults={"customer": grace, "placed": MAY_2, "note": "new"}
    )
    assert created is True
    four = order.pk

    # bulk_update: one row moves, one keeps its shard-key value.
    first.sku, first.customer, first.quantity = "s1", ada, 4
    order.quantity = 6
    assert (
        shop.Order.objects.bulk_update([first, order], ["sku", "customer", "quantity"])
        == 2
    )
    expected = [
        (one, "Ada", "s1", 4, naive(MAY_1), {"size": "S"}, "", None),
        (two, "Ada", "s5", 2, naive(MAY_2), {"size": "L"}, "", None),
        (three, "Ada", "s4", 1, naive(MAY_1), {}, "", "blue"),
        (four, "Grace", "s6", 6, naive(MAY_2), {}, "new", None),
    ]
    assert orders() == expected
    assert order_tags() == (("s5", "gift"), ("s5", "rush"))

    # The admin: add, change (the change form restates every field), delete.
    root = User.objects.create_superuser("root", "root@example.com", "pw")
    client = Client()
    client.force_login(root)
    form = {
        "customer": str(grace.pk),
        "sku": "a1",
        "quantity": "7",
        "placed_0": "2024-05-03",
        "placed_1": "09:15:00",
        "data": '{"size": "XL"}',
        "tags": [str(rush.pk)],
        "note": "admin",
        "_save": "Save",
    }
    response = client.post("/admin/layouts/order/add/", form)
    assert response.status_code == 302
    assert response["Location"] == "/admin/layouts/order/"
    added = shop.Order.objects.get(sku="a1").pk
    assert orders()[-1] == (
        added,
        "Grace",
        "a1",
        7,
        datetime.datetime(2024, 5, 3, 14, 15),  # 09:15 in America/Chicago
        {"size": "XL"},
        "admin",
        None,
    )
    response = client.get(f"/admin/layouts/order/{added}/change/")
    assert response.status_code == 200
    response = client.post(
        f"/admin/layouts/order/{added}/change/",
        {**form, "sku": "a2", "customer": str(ada.pk), "quantity": "8"},
    )
    assert response.status_code == 302
    assert orders()[-1][:4] == (added, "Ada", "a2", 8)
    assert order_tags() == (("a2", "rush"), ("s5", "gift"), ("s5", "rush"))
    response = client.post(f"/admin/layouts/order/{added}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert orders() == expected
    assert order_tags() == (("s5", "gift"), ("s5", "rush"))

    # dumpdata, then loaddata into empty tables and into filled ones.
    out = StringIO()
    call_command("dumpdata", "layouts", stdout=out)
    fixture = tmp_path / "shop.json"
    fixture.write_text(out.getvalue())
    for table in TABLES:
        fetch(f"DELETE FROM {table}")
    call_command("loaddata", str(fixture), verbosity=0)
    assert orders() == expected
    assert order_tags() == (("s5", "gift"), ("s5", "rush"))
    call_command("loaddata", str(fixture), verbosity=0)
    assert orders() == expected
    records = json.loads(fixture.read_text())
    for record in records:
        if record["model"] == "layouts.order" and record["pk"] == one:
            record["fields"]["sku"] = "s8"
    fixture.write_text(json.dumps(records))
    call_command("loaddata", str(fixture), verbosity=0)
    expected[0] = (one, "Ada", "s8", *expected[0][3:])
    assert orders() == expected
    assert customers() == (
        ("Ada", "ada@example.com"),
        ("Grace", "grace.hopper@example.com"),
    )

    # Delete with cascade: Ada's orders, her gift and the order's tags go too.
    ada.delete()
    assert customers() == (("Grace", "grace.hopper@example.com"),)
    assert orders() == [expected[3]]
    assert order_tags() == ()
    assert fetch("SELECT COUNT(*) FROM layouts_gift") == ((0,),)

    # The migration back drops the column and keeps the rows.
    migrate("0001")
    assert "note" not in columns("layouts_order")
    assert fetch("SELECT id, sku, quantity FROM layouts_order") == ((four, "s6", 6),)
    migrate("zero")
    assert layout_tables() == []


def generated_models(tables):
    """inspectdb's text for ``tables``, run: the models and their check errors."""
    out = StringIO()
    call_command("inspectdb", *tables, stdout=out)
    source = out.getvalue()
    namespace = {"__name__": "tests.integration.apps_inspect.generated"}
    with isolate_apps("tests.integration.apps_inspect"):
        exec(compile(source, "<inspectdb>", "exec"), namespace)
        generated = {
            value._meta.db_table: value
            for value in namespace.values()
            if isinstance(value, type)
            and issubclass(value, models.Model)
            and value is not models.Model
        }
        errors = [
            f"{error.obj._meta.db_table}: {error.id} {error.msg}"
            for model in generated.values()
            for error in model.check(databases=["default"])
            if error.level >= checks.ERROR
        ]
    return generated, errors


def test_inspectdb(shop):
    migrate()
    generated, errors = generated_models(TABLES)
    assert errors == []
    assert sorted(generated) == list(TABLES)
    for table, model in generated.items():
        assert model._meta.managed is False
        assert [field.column for field in model._meta.local_concrete_fields] == (
            columns(table)
        )


# test_schema_changes runs the migrations of apps_layouts/changes. Between
# 0004 and 0005 SINGLESTORE changes to the layout named here (another storage
# type, shard key or sort key for Order), and back before 0006.
CHANGED_LAYOUT = {
    "auto": "reference-sorted",
    "auto-by-sku": "rowstore-by-customer",
    "columnstore": "rowstore-by-customer",
    "columnstore-by-customer": "rowstore-keyless",
    "columnstore-by-sku": "reference-sorted",
    "columnstore-by-sku-sorted": "columnstore",
    "columnstore-keyless": "columnstore-sorted",
    "columnstore-sorted": "columnstore-by-sku",
    "columnstore-unenforced": "reference",
    "reference": "columnstore-keyless",
    "reference-sorted": "rowstore",
    "rowstore": "columnstore-by-sku-sorted",
    "rowstore-by-customer": "auto",
    "rowstore-by-sku": "rowstore-reference",
    "rowstore-keyless": "rowstore-by-sku",
    "rowstore-reference": "columnstore-by-customer",
}
# The unique steps, each a migration that adds a unique set and one that
# removes it: the set's origin as the checks name it, and its key line.
UNIQUE_STEPS = {
    "0007_unique_sku": (
        "field 'sku' (sku)",
        "UNIQUE KEY `layouts_order_sku_3506a559_uniq` (`sku`)",
    ),
    "0009_add_constraint": (
        "constraint 'layouts_order_customer_sku' (customer_id, sku)",
        "UNIQUE KEY `layouts_order_customer_sku` (`customer_id`,`sku`)",
    ),
    "0011_unique_together": (
        "unique_together ('sku', 'quantity') (sku, quantity)",
        "UNIQUE KEY `layouts_order_sku_quantity_2aa2490b_uniq` (`sku`,`quantity`)",
    ),
}
# What AUTO shards Order by when a step adds a multi-column unique set (the
# one-column sku is the auto-by-sku layout).
AUTO_SHARD_KEYS = {
    "0009_add_constraint": "`customer_id`,`sku`",
    "0011_unique_together": "`sku`,`quantity`",
}
SHARDED_BY_ID = "the shard key is (id)."
SHARDED_BY_CUSTOMER = "the shard key is (customer_id)."
KEYLESS = "the table is keyless-sharded (SHARD KEY ()), so equal values"
E001 = (
    "singlestore.E001: The unique set from {} cannot be enforced: SingleStore "
    "enforces a unique key on a sharded table only when it contains every "
    "shard-key column, and {}"
)
E001_KEYLESS = "singlestore.E001: The unique set from {} cannot be enforced: {}"
E002 = (
    "singlestore.E002: The unique set from {} cannot be enforced: a columnstore "
    "table holds more than one unique key only when all of them are "
    "single-column, and this table already has PRIMARY KEY (id)."
)
BY_ID_REFUSALS = dict.fromkeys(UNIQUE_STEPS, (E001, SHARDED_BY_ID))
KEYLESS_REFUSALS = dict.fromkeys(UNIQUE_STEPS, (E001_KEYLESS, KEYLESS))
BY_CUSTOMER_REFUSALS = {
    "0007_unique_sku": (E001, SHARDED_BY_CUSTOMER),
    "0011_unique_together": (E001, SHARDED_BY_CUSTOMER),
}
REFERENCE_REFUSALS = {
    "0009_add_constraint": (E002, ""),
    "0011_unique_together": (E002, ""),
}
# Which unique steps each layout refuses before any DDL, with the check.
REFUSED = {
    "columnstore": BY_ID_REFUSALS,
    "columnstore-sorted": BY_ID_REFUSALS,
    "rowstore": BY_ID_REFUSALS,
    "columnstore-keyless": KEYLESS_REFUSALS,
    "rowstore-keyless": KEYLESS_REFUSALS,
    "columnstore-by-customer": BY_CUSTOMER_REFUSALS,
    "rowstore-by-customer": BY_CUSTOMER_REFUSALS,
    "reference": REFERENCE_REFUSALS,
    "reference-sorted": REFERENCE_REFUSALS,
}
NARROWING = (
    "Refusing to change column layouts_order.sku from varchar(40) to "
    "varchar(10): 1 row holds a value that does not fit the new type. Nothing "
    "was changed. Fix or delete those rows in a data migration first, or keep "
    "the wider type."
)
# Coupon (apps_layouts/changes 0013, 0014): its columns, its key lines by
# the first line of SHOW CREATE TABLE (keyed by id, keyed by code), its rows.
BY_ID_COLUMNS = (("id", "bigint(20)"), ("code", "varchar(8)"))
BY_CODE_COLUMNS = (("code", "varchar(8)"),)
COUPON_KEYS = {
    keyword: tuple(
        [f"PRIMARY KEY (`{column}`)", *extra]
        for column in ("id", "code")
        for extra in [
            ([f"SHARD KEY `__SHARDKEY` (`{column}`)"] if sharded else [])
            + ([UNORDERED] if columnstore else [])
        ]
    )
    for keyword, sharded, columnstore in (
        ("TABLE", True, True),
        ("ROWSTORE TABLE", True, False),
        ("REFERENCE TABLE", False, True),
        ("ROWSTORE REFERENCE TABLE", False, False),
    )
}
COUPONS = [(1, "c1"), (2, "c2"), (3, "c3")]
COUPON_CODES = [("c1",), ("c2",), ("c3",)]
COUPON_REFUSAL = (
    "SingleStore cannot drop the primary key of table layouts_coupon (removing "
    "primary key field 'id' (id)): it is a {} table, and a reference table must "
    "have a primary key. Nothing was changed. Make the new primary key first "
    "(put the AlterField or AddField with primary_key=True before the "
    "RemoveField of the old key), or store layouts.Coupon as COLUMNSTORE or "
    "ROWSTORE while its primary key changes."
)
SCHEMA_CHANGES = {"layouts": "tests.integration.apps_layouts.changes"}
LATEST = datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC)


def applied():
    """The names of the applied layouts migrations, in order."""
    return sorted(
        name
        for (app, name) in MigrationRecorder(connection).applied_migrations()
        if app == "layouts"
    )


def order_columns():
    """layouts_order's columns in order: name, type, nullable."""
    return fetch(
        "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'layouts_order' "
        "ORDER BY ORDINAL_POSITION"
    )


def order_columns_at(quantity="int(11)", sku="varchar(20)", nulls=""):
    """order_columns() for these column types, ``nulls`` the nullable columns."""
    types = {
        "id": "bigint(20)",
        "sku": sku,
        "quantity": quantity,
        "placed": "datetime(6)",
        "data": "json",
        "customer_id": "bigint(20)",
        "note": "varchar(40)",
    }
    return tuple(
        (column, kind, "YES" if column in nulls.split() else "NO")
        for column, kind in types.items()
    )


def coupons():
    """layouts_coupon's (column, type) pairs, key lines and rows by code."""
    columns = fetch(
        "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS "
        "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'layouts_coupon' "
        "ORDER BY ORDINAL_POSITION"
    )
    names = ", ".join(column for column, _ in columns)
    rows = fetch(f"SELECT {names} FROM layouts_coupon ORDER BY code")
    return columns, key_lines("layouts_coupon"), list(rows)


def fake(target):
    call_command(
        "migrate", "layouts", target, fake=True, verbosity=0, stdout=StringIO()
    )


def test_schema_changes(shop):
    """Every schema change of apps_layouts/changes forward and backward on one
    layout, the rows and keys checked after each step."""
    name = shop.layout
    with override_settings(MIGRATION_MODULES=SCHEMA_CHANGES):
        try:
            schema_changes(shop, name)
        finally:
            MigrationRecorder(connection).migration_qs.filter(
                app="layouts", name__gte="0003"
            ).delete()


def schema_changes(shop, name):
    migrate("0002")
    ada = shop.Customer.objects.create(email="ada@example.com", name="Ada")
    grace = shop.Customer.objects.create(email="grace@example.com", name="Grace")
    low = shop.Order.objects.create(
        customer=ada, sku="s1", quantity=-(2**31), placed=MAY_1, data={}
    )
    high = shop.Order.objects.create(
        customer=grace,
        sku="x" * 20,
        quantity=2**31 - 1,
        placed=LATEST,
        data={"size": "L", "gift": None},
        note="n" * 40,
    )
    high.tags.set([shop.Tag.objects.create(name="rush")])
    present = shop.Gift.objects.create(
        customer=ada, sku="żółw", quantity=0, placed=MAY_2, wrapping="red"
    )
    one, two, three = low.pk, high.pk, present.pk
    rows = [
        (one, "Ada", "s1", -(2**31), naive(MAY_1), {}, "", None),
        (
            two,
            "Grace",
            "x" * 20,
            2**31 - 1,
            naive(LATEST),
            {"size": "L", "gift": None},
            "n" * 40,
            None,
        ),
        (three, "Ada", "żółw", 0, naive(MAY_2), {}, "", "red"),
    ]
    assert orders() == rows
    keyword = DDL[name][0]
    quantity = "KEY `layouts_order_quantity_5b9f4287` (`quantity`)"
    hash_suffix = HASH if keyword in ("TABLE", "REFERENCE TABLE") else ""

    current = name
    shard = None  # the shard-key columns AUTO chose, when not the layout's

    def keys(extra=(), layout_name=None):
        keyword, base, _ = DDL[layout_name or current]
        suffix = HASH if keyword in ("TABLE", "REFERENCE TABLE") else ""
        if shard and layout_name is None:
            moved = f"SHARD KEY `__SHARDKEY` ({shard})"
            base = [moved if line.startswith("SHARD") else line for line in base]
        return sorted([*base, quantity + suffix, *extra])

    def check(target, expected_keys, columns=None):
        assert order_columns() == (columns or widened), target
        assert orders() == rows, target
        assert order_tags() == (("x" * 20, "rush"),), target
        assert sorted(key_lines("layouts_order")) == expected_keys, target

    # AlterField: an index, then the indexed column's type; a widening; NULL
    # allowed in note and customer_id.
    assert order_columns() == order_columns_at()
    widened = order_columns_at("bigint(20)", "varchar(40)", "customer_id note")
    migrate("0003")
    check("0003", keys())
    fetch("UPDATE layouts_order SET note = NULL WHERE id IN (%s, %s)", (one, three))
    rows[0], rows[2] = (*rows[0][:6], None, None), (*rows[2][:6], None, "red")
    check("0003 NULLs", keys())

    # NULL -> NOT NULL with a default.
    migrate("0004")
    rows[0], rows[2] = (*rows[0][:6], "-", None), (*rows[2][:6], "-", "red")
    widened = order_columns_at("bigint(20)", "varchar(40)", "customer_id")
    check("0004", keys())

    # ApplyLayout after SINGLESTORE changed, then after it changed back.
    other = CHANGED_LAYOUT[name]
    with override_settings(SINGLESTORE=LAYOUTS[other]):
        migrate("0005")
        assert show_create("layouts_order")[0] == (
            f"CREATE {DDL[other][0]} `layouts_order` ("
        )
        check("0005", keys(layout_name=other))
    migrate("0006")
    assert show_create("layouts_order")[0] == f"CREATE {keyword} `layouts_order` ("
    check("0006", keys())

    # The unique sets: added where the plan enforces them, else refused.
    refused = REFUSED.get(name, {})
    unenforced = " UNENFORCED RELY" if name == "columnstore-unenforced" else ""
    for step, (origin, line) in UNIQUE_STEPS.items():
        number = int(step[:4])
        before, removal = f"{number - 1:04}", f"{number + 1:04}"
        if step in refused:
            template, reason = refused[step]
            with pytest.raises(NotSupportedError) as refusal:
                migrate(step[:4])
            assert str(refusal.value).startswith(
                "SingleStore cannot hold the unique keys of the table "
                "layouts_order. " + template.format(origin, reason)
            )
            check(step, keys())
            assert applied()[-1].startswith(before)
            fake(removal)
            continue
        if name == "auto":
            # AUTO shards Order by its one unique set (the rebuild that adds
            # it), and the removal keeps that shard key (check
            # singlestore.W007 reports the drift).
            current, shard = "auto-by-sku", AUTO_SHARD_KEYS.get(step)
        migrate(step[:4])
        check(step, keys([line + (unenforced or hash_suffix)]))
        migrate(removal)
        check(removal, keys())

    # The primary key of Coupon moves from id to code as makemigrations
    # writes it (RemoveField, then AlterField): two rebuilds, the table
    # without a key in between, except on reference tables, which need one.
    migrate("0013")
    fetch(
        "INSERT INTO layouts_coupon (id, code) VALUES (1, 'c1'), (2, 'c2'), (3, 'c3')"
    )
    coupon_storage = LAYOUTS[name]["STORAGE"]["layouts"]
    by_id, by_code = COUPON_KEYS[DDL[name][0]]
    assert coupons() == (BY_ID_COLUMNS, by_id, COUPONS)
    if coupon_storage in ("REFERENCE", "ROWSTORE REFERENCE"):
        with pytest.raises(NotSupportedError) as refusal:
            migrate("0014")
        assert str(refusal.value) == COUPON_REFUSAL.format(coupon_storage)
        assert coupons() == (BY_ID_COLUMNS, by_id, COUPONS)
        assert applied()[-1] == "0013_coupon"
        fake("0014")
    else:
        migrate("0014")
        assert coupons() == (BY_CODE_COLUMNS, by_code, COUPON_CODES)
    check("0014", keys())

    # A narrowing the rows do not fit.
    with pytest.raises(DataError) as narrowing:
        migrate("0015")
    assert str(narrowing.value) == NARROWING
    check("0015", keys())
    assert applied()[-1] == "0014_coupon_code_key"

    # The key moves back; the dropped ids cannot return, so the rows are
    # numbered anew.
    if coupon_storage in ("REFERENCE", "ROWSTORE REFERENCE"):
        fake("0013")
    else:
        migrate("0013")
        columns, key_list, coupon_rows = coupons()
        assert (columns, key_list) == (BY_ID_COLUMNS, by_id)
        assert sorted(row[0] for row in coupon_rows) == [1, 2, 3]
        assert [row[1:] for row in coupon_rows] == COUPON_CODES
    migrate("0012")
    assert "layouts_coupon" not in layout_tables()

    # Backwards, step by step, to before 0003.
    for step, (_, line) in reversed(UNIQUE_STEPS.items()):
        before = f"{int(step[:4]) - 1:04}"
        if step in refused:
            fake(before)
            continue
        if name == "auto":
            shard = AUTO_SHARD_KEYS.get(step)
        migrate(step[:4])
        check(f"{step} back", keys([line + (unenforced or hash_suffix)]))
        migrate(before)
        check(f"{before} back", keys())
    migrate("0004")
    check("0005 back", keys())
    migrate("0003")
    nullable = order_columns_at("bigint(20)", "varchar(40)", "customer_id note")
    check("0004 back", keys(), nullable)
    migrate("0002")
    # The rebuild undoing 0003 follows the plan again (on AUTO: by id).
    check("0003 back", sorted(DDL[name][1]), order_columns_at())
