"""GeneratedField(db_persist=True) as SingleStore's persisted computed columns."""

import pytest
from django.core import checks
from django.db import connection, models
from django.db.models import F, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Concat, Lower
from django.test.utils import CaptureQueriesContext, isolate_apps

pytestmark = pytest.mark.django_db(transaction=True)


def show_create(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW CREATE TABLE {connection.ops.quote_name(table)}")
        return cursor.fetchone()[1]


@pytest.fixture
def created():
    models_made = []

    def create(model):
        with CaptureQueriesContext(connection) as captured:
            with connection.schema_editor() as editor:
                editor.create_model(model)
        models_made.append(model)
        return [query["sql"] for query in captured]

    yield create
    with connection.schema_editor() as editor:
        for model in models_made:
            editor.delete_model(model)


def order_model():
    class Order(models.Model):
        quantity = models.IntegerField()
        price = models.IntegerField()
        name = models.CharField(max_length=20)
        total = models.GeneratedField(
            expression=F("quantity") * F("price"),
            output_field=models.BigIntegerField(),
            db_persist=True,
            db_index=True,
        )
        label = models.GeneratedField(
            expression=Concat(Lower("name"), Value("-x")),
            output_field=models.CharField(max_length=30, db_collation="utf8mb4_bin"),
            db_persist=True,
            db_comment="shown",
        )

        class Meta:
            app_label = "integration"
            db_table = "t_generated_order"

    return Order


@isolate_apps("tests.integration")
def test_create_table_and_values(created):
    Order = order_model()
    assert created(Order) == [
        "CREATE TABLE `t_generated_order` (`id` bigint AUTO_INCREMENT NOT NULL, "
        "`quantity` integer NOT NULL, `price` integer NOT NULL, "
        "`name` varchar(20) NOT NULL, "
        "`total` AS `quantity` * `price` PERSISTED bigint, "
        "`label` AS CONCAT_WS('', LOWER(`name`), '-x') PERSISTED varchar(30) "
        "COLLATE `utf8mb4_bin` COMMENT 'shown', "
        "PRIMARY KEY (`id`), "
        "KEY `t_generated_order_total_09deaa5b` (`total`), "
        "SHARD KEY (`id`), SORT KEY ())"
    ]
    order = Order.objects.create(quantity=3, price=7, name="Box")
    order.refresh_from_db()
    assert (order.total, order.label) == (21, "box-x")
    Order.objects.filter(pk=order.pk).update(quantity=4)
    assert list(Order.objects.values_list("total", "label")) == [(28, "box-x")]
    assert list(Order.objects.filter(total__gt=20).values_list("id", flat=True)) == [
        order.pk
    ]
    assert show_create("t_generated_order").splitlines()[5:7] == [
        "  `total` AS `quantity` * `price` PERSISTED bigint(20),",
        "  `label` AS CONCAT_WS('', LOWER(`name`), '-x') PERSISTED varchar(30) "
        "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin COMMENT 'shown',",
    ]


@isolate_apps("tests.integration")
def test_introspection_reads_the_expression_back(created):
    created(order_model())
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(
            cursor, "t_generated_order"
        )
    assert [(info.name, info.extra, info.computed) for info in description] == [
        ("id", "auto_increment", None),
        ("quantity", "", None),
        ("price", "", None),
        ("name", "", None),
        ("total", "computed", "`quantity` * `price`"),
        ("label", "computed", "CONCAT_WS('', LOWER(`name`), '-x')"),
    ]


@isolate_apps("tests.integration")
def test_add_a_generated_field(created):
    class Line(models.Model):
        a = models.IntegerField()

        class Meta:
            app_label = "integration"
            db_table = "t_generated_line"

    created(Line)
    Line.objects.create(a=5)
    field = models.GeneratedField(
        expression=F("a") + 1,
        output_field=models.BigIntegerField(),
        db_persist=True,
    )
    Line.add_to_class("b", field)
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.add_field(Line, field)
    assert [query["sql"] for query in captured] == [
        "ALTER TABLE `t_generated_line` ADD COLUMN `b` AS `a` + 1 PERSISTED bigint"
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT a, b FROM t_generated_line")
        assert cursor.fetchall() == [(5, 6)]


@isolate_apps("tests.integration")
def test_checks_accept_persisted_and_refuse_virtual():
    class Mixed(models.Model):
        a = models.IntegerField()
        stored = models.GeneratedField(
            expression=F("a") + 1,
            output_field=models.BigIntegerField(),
            db_persist=True,
        )
        virtual = models.GeneratedField(
            expression=F("a") + 2,
            output_field=models.BigIntegerField(),
            db_persist=False,
        )

        class Meta:
            app_label = "integration"

    assert Mixed.check(databases=["default"]) == [
        checks.Error(
            "SingleStore does not support non-persisted GeneratedFields.",
            hint="Set db_persist=True on the field.",
            obj=Mixed._meta.get_field("virtual"),
            id="fields.E221",
        )
    ]


@isolate_apps("tests.integration")
def test_an_indexed_json_key(created):
    """singlestore.W004's advice: index a persisted generated column."""

    class Event(models.Model):
        data = models.JSONField()
        kind = models.GeneratedField(
            expression=KT("data__kind"),
            output_field=models.CharField(max_length=20),
            db_persist=True,
            db_index=True,
        )

        class Meta:
            app_label = "integration"
            db_table = "t_generated_event"

    assert created(Event) == [
        "CREATE TABLE `t_generated_event` (`id` bigint AUTO_INCREMENT NOT NULL, "
        "`data` json NOT NULL, "
        "`kind` AS JSON_EXTRACT_STRING(`data`, 'kind') PERSISTED varchar(20), "
        "PRIMARY KEY (`id`), KEY `t_generated_event_kind_861c9690` (`kind`), "
        "SHARD KEY (`id`), SORT KEY ())"
    ]
    Event.objects.create(data={"kind": "click", "n": 1})
    Event.objects.create(data={"n": 2})
    assert list(Event.objects.order_by("id").values_list("kind", flat=True)) == [
        "click",
        None,
    ]
    assert Event.objects.filter(kind="click").count() == 1
