"""DDL from TablePlan and columnstore-safe ALTERs, run through the database."""

from decimal import Decimal

import pytest
from django.apps.registry import Apps
from django.db import DataError, NotSupportedError, connection, models
from django.test import override_settings
from django.test.utils import CaptureQueriesContext, isolate_apps

pytestmark = pytest.mark.django_db(transaction=True)


def sqls(captured):
    return [query["sql"] for query in captured]


@pytest.fixture
def editor_models():
    """Create the given models, yield, and drop whatever exists afterwards."""
    created = []

    def create(*model_classes):
        """Return the SQL that created them."""
        with CaptureQueriesContext(connection) as captured:
            with connection.schema_editor() as editor:
                for model in model_classes:
                    created.append(model)
                    editor.create_model(model)
        return sqls(captured)

    yield create
    existing = set(connection.introspection.table_names())
    with connection.schema_editor() as editor:
        for model in reversed(created):
            if model._meta.db_table in existing:
                editor.delete_model(model)


def columns(table):
    with connection.cursor() as cursor:
        return {
            info.name: (info.data_type, info.null_ok)
            for info in connection.introspection.get_table_description(cursor, table)
        }


def unique_column_sets(table):
    """The columns of each unique key of ``table`` but the primary key."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        info["columns"]
        for info in constraints.values()
        if info["unique"] and not info["primary_key"]
    ]


def rebuild_statements(table, definition, columns, values):
    """The statements of a rebuild of a sharded ``table`` with an auto field."""
    new, old = f"{table}__rebuild_new", f"{table}__rebuild_old"
    database = connection.settings_dict["NAME"]
    return [
        f"CREATE TABLE `{new}` ({definition})",
        f"ALTER TABLE `{table}` RENAME TO `{old}`",
        f"INSERT INTO `{new}` ({columns}) SELECT {values} FROM `{old}`",
        f"SELECT COUNT(*) FROM `{old}`",
        f"SELECT COUNT(*) FROM `{new}`",
        f"ALTER TABLE `{new}` RENAME TO `{table}`",
        f"AGGREGATOR SYNC AUTO_INCREMENT ON `{database}`.`{table}` ALL",
        f"DROP TABLE `{old}`",
    ]


@isolate_apps("tests.integration")
def test_columnstore_table_with_32_bit_auto_field(editor_models):
    class Widget(models.Model):
        id = models.AutoField(primary_key=True)
        name = models.CharField(max_length=20, db_index=True)

        class Meta:
            app_label = "integration"
            db_table = "t_backend_widget"

    class Part(models.Model):
        widget = models.ForeignKey(Widget, models.CASCADE)
        size = models.SmallIntegerField(default=1)

        class Meta:
            app_label = "integration"
            db_table = "t_backend_part"

    assert editor_models(Widget, Part) == [
        "CREATE TABLE `t_backend_widget` (`id` bigint AUTO_INCREMENT NOT NULL, "
        "`name` varchar(20) NOT NULL, PRIMARY KEY (`id`), "
        "KEY `t_backend_widget_name_20b153c3` (`name`), SHARD KEY (`id`), "
        "SORT KEY ())",
        "CREATE TABLE `t_backend_part` (`id` bigint AUTO_INCREMENT NOT NULL, "
        "`widget_id` bigint NOT NULL, `size` smallint NOT NULL, "
        "PRIMARY KEY (`id`), KEY `t_backend_part_widget_id_9ba1656d` "
        "(`widget_id`), SHARD KEY (`id`), SORT KEY ())",
    ]
    assert columns("t_backend_part")["widget_id"] == ("bigint", False)


@isolate_apps("tests.integration")
@override_settings(
    SINGLESTORE={
        "STORAGE": {"integration.Ledger": "ROWSTORE"},
        "SHARD_KEYS": {"integration.Ledger": ["account"]},
        "UNENFORCED_UNIQUE": ["integration.Ledger"],
    }
)
def test_rowstore_shard_key_and_unenforced_unique(editor_models):
    class Ledger(models.Model):
        account = models.IntegerField()
        ref = models.CharField(max_length=10, unique=True)

        class Meta:
            app_label = "integration"
            db_table = "t_backend_ledger"
            unique_together = [("account", "ref")]

    assert editor_models(Ledger) == [
        "CREATE ROWSTORE TABLE `t_backend_ledger` (`id` bigint AUTO_INCREMENT "
        "NOT NULL, `account` integer NOT NULL, `ref` varchar(10) NOT NULL, "
        "KEY `t_backend_ledger_id_1af9b450_key` (`id`), "
        "UNIQUE KEY `t_backend_ledger_ref_61a3b529_uniq` (`ref`) UNENFORCED RELY, "
        "UNIQUE KEY `t_backend_ledger_account_ref_e7ee14ba_uniq` "
        "(`account`, `ref`), SHARD KEY (`account`))",
    ]
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, "t_backend_ledger"
        )
    unique = {
        name: (info["columns"], info["enforced"])
        for name, info in constraints.items()
        if info["unique"]
    }
    assert unique == {
        "t_backend_ledger_ref_61a3b529_uniq": (["ref"], False),
        "t_backend_ledger_account_ref_e7ee14ba_uniq": (["account", "ref"], True),
    }


@isolate_apps("tests.integration")
@override_settings(
    SINGLESTORE={
        "STORAGE": {"integration.Country": "REFERENCE"},
        "SORT_KEYS": {"integration.Country": ["-code"]},
    }
)
def test_reference_table_with_sort_key(editor_models):
    class Country(models.Model):
        code = models.CharField(max_length=2, primary_key=True)
        name = models.CharField(max_length=40)

        class Meta:
            app_label = "integration"
            db_table = "t_backend_country"

    assert editor_models(Country) == [
        "CREATE REFERENCE TABLE `t_backend_country` (`code` varchar(2) NOT NULL, "
        "`name` varchar(40) NOT NULL, PRIMARY KEY (`code`), SORT KEY (`code` DESC))"
    ]


@pytest.mark.parametrize(
    "storage, keyword",
    [("COLUMNSTORE", "TABLE"), ("ROWSTORE REFERENCE", "ROWSTORE REFERENCE TABLE")],
)
def test_table_comment_is_declared_by_create_table_alone(
    editor_models, storage, keyword
):
    class Ledger(models.Model):
        name = models.CharField(max_length=40)

        class Meta:
            app_label = "integration"
            db_table = "t_backend_ledger"
            db_table_comment = "Money's way"
            apps = Apps()  # a registry per parameter: the class is made twice

    with override_settings(SINGLESTORE={"STORAGE": {"integration.Ledger": storage}}):
        statements = editor_models(Ledger)
    # No ALTER TABLE ... COMMENT after it: columnstore tables refuse one.
    assert statements == [
        f"CREATE {keyword} `t_backend_ledger` (`id` bigint AUTO_INCREMENT NOT NULL, "
        "`name` varchar(40) NOT NULL, PRIMARY KEY (`id`)"
        + (", SHARD KEY (`id`), SORT KEY ()" if storage == "COLUMNSTORE" else "")
        + ") COMMENT = 'Money\\'s way'"
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT TABLE_COMMENT FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't_backend_ledger'"
        )
        assert list(cursor.fetchall()) == [("Money's way",)]


@isolate_apps("tests.integration")
def test_impossible_unique_refused_before_any_sql():
    class Account(models.Model):
        email = models.CharField(max_length=50, unique=True)

        class Meta:
            app_label = "integration"
            db_table = "t_backend_account"

    with CaptureQueriesContext(connection) as captured:
        with pytest.raises(NotSupportedError) as error:
            with connection.schema_editor() as editor:
                editor.create_model(Account)
    assert sqls(captured) == []
    assert str(error.value).startswith(
        "SingleStore cannot hold the unique keys of the table t_backend_account. "
        "singlestore.E001: The unique set from field 'email' (email) cannot be "
        "enforced: "
    )
    assert "t_backend_account" not in connection.introspection.table_names()


@isolate_apps("tests.integration")
def test_many_to_many_table_shape(editor_models):
    class Label(models.Model):
        class Meta:
            app_label = "integration"
            db_table = "t_backend_label"

    class Box(models.Model):
        labels = models.ManyToManyField(Label)

        class Meta:
            app_label = "integration"
            db_table = "t_backend_box"

    assert editor_models(Label, Box)[2] == (
        "CREATE TABLE `t_backend_box_labels` (`id` bigint AUTO_INCREMENT NOT NULL, "
        "`box_id` bigint NOT NULL, `label_id` bigint NOT NULL, "
        "PRIMARY KEY (`box_id`, `label_id`), "
        "KEY `t_backend_box_labels_id_b0b6c05f_key` (`id`), "
        "KEY `t_backend_box_labels_box_id_cb4a2745` (`box_id`), "
        "KEY `t_backend_box_labels_label_id_8533dcef` (`label_id`), "
        "SHARD KEY (`box_id`), SORT KEY ())"
    )


@isolate_apps("tests.integration")
def test_add_rename_and_default_alters(editor_models):
    class Gadget(models.Model):
        name = models.CharField(max_length=20)

        class Meta:
            app_label = "integration"
            db_table = "t_backend_gadget"

    editor_models(Gadget)
    Gadget.objects.create(name="one")
    colour = models.CharField(max_length=10, default="red")
    colour.set_attributes_from_name("colour")
    colour.model = Gadget
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.add_field(Gadget, colour)
    assert sqls(captured) == [
        "ALTER TABLE `t_backend_gadget` ADD COLUMN `colour` varchar(10) "
        "DEFAULT 'red' NOT NULL",
        "ALTER TABLE `t_backend_gadget` MODIFY `colour` varchar(10) NOT NULL",
    ]
    renamed = models.CharField(max_length=10, default="red")
    renamed.set_attributes_from_name("shade")
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.alter_field(Gadget, colour, renamed)
    assert sqls(captured) == [
        "ALTER TABLE `t_backend_gadget` CHANGE `colour` `shade`",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT `name`, `shade` FROM `t_backend_gadget`")
        assert list(cursor.fetchall()) == [("one", "red")]


@isolate_apps("tests.integration")
def test_columnstore_type_change_rebuilds_the_table(editor_models):
    class Meter(models.Model):
        reading = models.IntegerField(null=True)
        site = models.CharField(max_length=5, default="a")

        class Meta:
            app_label = "integration"
            db_table = "t_backend_meter"

    editor_models(Meter)
    Meter.objects.create(id=1, reading=7)
    old = Meter._meta.get_field("reading")
    new = models.CharField(max_length=12)
    new.set_attributes_from_name("reading")
    new.model = Meter
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.alter_field(Meter, old, new)
    assert sqls(captured)[-8:] == rebuild_statements(
        "t_backend_meter",
        "`id` bigint AUTO_INCREMENT NOT NULL, `reading` varchar(12) NOT NULL, "
        "`site` varchar(5) NOT NULL, PRIMARY KEY (`id`), SHARD KEY (`id`), "
        "SORT KEY ()",
        "`id`, `reading`, `site`",
        "`id`, `reading` :> VARCHAR(12), `site`",
    )
    assert list(columns("t_backend_meter")) == ["id", "reading", "site"]
    assert columns("t_backend_meter")["reading"] == ("varchar", False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT `id`, `reading`, `site` FROM `t_backend_meter`")
        assert list(cursor.fetchall()) == [(1, "7", "a")]


@isolate_apps("tests.integration")
def test_columnstore_change_of_an_indexed_column_keeps_the_index(editor_models):
    class Stamp(models.Model):
        code = models.IntegerField(db_index=True)

        class Meta:
            app_label = "integration"
            db_table = "t_backend_stamp"

    editor_models(Stamp)
    Stamp.objects.create(id=3, code=2**31 - 1)
    old = Stamp._meta.get_field("code")
    new = models.BigIntegerField(db_index=True)
    new.set_attributes_from_name("code")
    new.model = Stamp
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.alter_field(Stamp, old, new)
    assert sqls(captured)[-8:] == rebuild_statements(
        "t_backend_stamp",
        "`id` bigint AUTO_INCREMENT NOT NULL, `code` bigint NOT NULL, "
        "PRIMARY KEY (`id`), KEY `t_backend_stamp_code_553edb75` (`code`), "
        "SHARD KEY (`id`), SORT KEY ()",
        "`id`, `code`",
        "`id`, `code` :> BIGINT",
    )
    assert columns("t_backend_stamp")["code"] == ("bigint", False)
    assert list(Stamp.objects.values_list("id", "code")) == [(3, 2**31 - 1)]


@isolate_apps("tests.integration")
def test_columnstore_null_to_not_null_rebuilds_and_keeps_rows(editor_models):
    class Tally(models.Model):
        total = models.IntegerField(null=True)

        class Meta:
            app_label = "integration"
            db_table = "t_backend_tally"

    editor_models(Tally)
    Tally.objects.create(id=1, total=4)
    old = Tally._meta.get_field("total")
    new = models.IntegerField()
    new.set_attributes_from_name("total")
    new.model = Tally
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.alter_field(Tally, old, new)
    assert sqls(captured)[-8:] == rebuild_statements(
        "t_backend_tally",
        "`id` bigint AUTO_INCREMENT NOT NULL, `total` integer NOT NULL, "
        "PRIMARY KEY (`id`), SHARD KEY (`id`), SORT KEY ()",
        "`id`, `total`",
        "`id`, `total`",
    )
    assert columns("t_backend_tally")["total"] == ("int", False)
    assert list(Tally.objects.values_list("id", "total")) == [(1, 4)]


@isolate_apps("tests.integration")
@override_settings(SINGLESTORE={"STORAGE": {"integration.Plan": "ROWSTORE REFERENCE"}})
def test_rowstore_alters_in_place(editor_models):
    class Plan(models.Model):
        code = models.CharField(max_length=5, null=True)
        rank = models.IntegerField(default=0)

        class Meta:
            app_label = "integration"
            db_table = "t_backend_plan"

    editor_models(Plan)
    old = Plan._meta.get_field("code")
    new = models.CharField(max_length=8, unique=True)
    new.set_attributes_from_name("code")
    new.model = Plan
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.alter_field(Plan, old, new)
    assert sqls(captured) == [
        "SELECT COUNT(*) FROM `t_backend_plan` WHERE `code` IS NULL",
        "ALTER TABLE `t_backend_plan` MODIFY `code` varchar(8) NULL",
        "ALTER TABLE `t_backend_plan` MODIFY `code` varchar(8) NOT NULL",
        "ALTER TABLE `t_backend_plan` ADD UNIQUE KEY "
        "`t_backend_plan_code_90a215e9_uniq` (`code`)",
    ]
    assert unique_column_sets("t_backend_plan") == [["code"]]


@isolate_apps("tests.integration")
def test_not_null_with_default_fills_nulls_and_keeps_the_comment(editor_models):
    class Score(models.Model):
        points = models.IntegerField(null=True, db_comment="Points won")

        class Meta:
            app_label = "integration"
            db_table = "t_backend_score"

    editor_models(Score)
    Score.objects.create(id=1, points=None)
    Score.objects.create(id=2, points=3)
    old = Score._meta.get_field("points")
    new = models.IntegerField(default=42, db_comment="Points won")
    new.set_attributes_from_name("points")
    new.model = Score
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.alter_field(Score, old, new)
    assert sqls(captured)[-8:] == rebuild_statements(
        "t_backend_score",
        "`id` bigint AUTO_INCREMENT NOT NULL, `points` integer  COMMENT "
        "'Points won' NOT NULL, PRIMARY KEY (`id`), SHARD KEY (`id`), SORT KEY ()",
        "`id`, `points`",
        "`id`, COALESCE(`points`, 42)",
    )
    assert sorted(Score.objects.values_list("id", "points")) == [(1, 42), (2, 3)]


@isolate_apps("tests.integration")
@override_settings(SINGLESTORE={"STORAGE": {"integration.Note": "ROWSTORE"}})
def test_dropping_a_default_restates_collation_and_comment(editor_models):
    class Note(models.Model):
        class Meta:
            app_label = "integration"
            db_table = "t_backend_note"

    editor_models(Note)
    body = models.CharField(
        max_length=9, default="x", db_comment="Body", db_collation="utf8mb4_bin"
    )
    body.set_attributes_from_name("body")
    body.model = Note
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.add_field(Note, body)
    assert sqls(captured)[-1] == (
        "ALTER TABLE `t_backend_note` MODIFY `body` varchar(9) COLLATE "
        "`utf8mb4_bin` COMMENT 'Body' NOT NULL"
    )
    assert columns("t_backend_note")["body"] == ("varchar", False)


@isolate_apps("tests.integration")
@override_settings(SINGLESTORE={"STORAGE": {"integration.Level": "ROWSTORE"}})
def test_rowstore_null_to_not_null_with_default_in_place(editor_models):
    class Level(models.Model):
        depth = models.IntegerField(null=True)

        class Meta:
            app_label = "integration"
            db_table = "t_backend_level"

    editor_models(Level)
    Level.objects.create(id=1, depth=None)
    old = Level._meta.get_field("depth")
    new = models.IntegerField(default=5)
    new.set_attributes_from_name("depth")
    new.model = Level
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.alter_field(Level, old, new)
    assert sqls(captured) == [
        "ALTER TABLE `t_backend_level` MODIFY `depth` integer DEFAULT 5 NULL",
        "UPDATE `t_backend_level` SET `depth` = 5 WHERE `depth` IS NULL",
        "ALTER TABLE `t_backend_level` MODIFY `depth` integer NOT NULL",
        "ALTER TABLE `t_backend_level` MODIFY `depth` integer NOT NULL",
    ]
    assert list(Level.objects.values_list("id", "depth")) == [(1, 5)]


@isolate_apps("tests.integration")
def test_unique_added_later_is_planned_before_any_sql(editor_models):
    class Desk(models.Model):
        code = models.CharField(max_length=20)

        class Meta:
            app_label = "integration"
            db_table = "t_backend_desk"

    class NewDesk(models.Model):
        code = models.CharField(max_length=20, unique=True)
        badge = models.CharField(max_length=20, unique=True, default="x")

        class Meta:
            app_label = "integration"
            db_table = "t_backend_desk"

    editor_models(Desk)
    changes = [
        lambda editor: editor.alter_field(
            Desk, Desk._meta.get_field("code"), NewDesk._meta.get_field("code")
        ),
        lambda editor: editor.add_field(Desk, NewDesk._meta.get_field("badge")),
    ]
    for change in changes:
        with CaptureQueriesContext(connection) as captured:
            with pytest.raises(NotSupportedError) as error:
                with connection.schema_editor() as editor:
                    change(editor)
        assert not any(sql.startswith("ALTER") for sql in sqls(captured))
        assert str(error.value).startswith(
            "SingleStore cannot hold the unique keys of the table t_backend_desk. "
            "singlestore.E001: The unique set from field 'code' (code) cannot be "
            "enforced: "
        )


@isolate_apps("tests.integration")
@override_settings(
    SINGLESTORE={
        # A migration's old and new states share one label; here the new
        # state is a second class.
        "STORAGE": {"integration.Seat": "ROWSTORE", "integration.NewSeat": "ROWSTORE"},
        "UNENFORCED_UNIQUE": ["integration.NewSeat"],
    }
)
def test_unenforced_unique_field_added_later(editor_models):
    class Seat(models.Model):
        class Meta:
            app_label = "integration"
            db_table = "t_backend_seat"

    class NewSeat(models.Model):
        tag = models.CharField(max_length=8, unique=True, null=True)

        class Meta:
            app_label = "integration"
            db_table = "t_backend_seat"

    editor_models(Seat)
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.add_field(Seat, NewSeat._meta.get_field("tag"))
    assert sqls(captured) == [
        "ALTER TABLE `t_backend_seat` ADD COLUMN `tag` varchar(8) NULL",
        "ALTER TABLE `t_backend_seat` ADD UNIQUE KEY "
        "`t_backend_seat_tag_34327cd8_uniq` (`tag`) UNENFORCED RELY",
    ]


@isolate_apps("tests.integration")
@override_settings(SINGLESTORE={"STORAGE": {"integration.Shelf": "ROWSTORE REFERENCE"}})
def test_unique_from_a_field_attached_to_no_model(editor_models):
    class Shelf(models.Model):
        slug = models.CharField(max_length=20)

        class Meta:
            app_label = "integration"
            db_table = "t_backend_shelf"

    editor_models(Shelf)
    old = Shelf._meta.get_field("slug")
    new = models.SlugField(max_length=20, unique=True)
    new.set_attributes_from_name("slug")
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.alter_field(Shelf, old, new, strict=True)
    assert sqls(captured)[-1] == (
        "ALTER TABLE `t_backend_shelf` ADD UNIQUE KEY "
        "`t_backend_shelf_slug_205e2fdd_uniq` (`slug`)"
    )
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, "t_backend_shelf"
        )
    assert [
        (info["columns"], info["unique"], info["enforced"])
        for name, info in constraints.items()
        if name != "PRIMARY"
    ] == [(["slug"], True, True)]


# Changes that would not keep every value are refused before any DDL, on
# every storage type.

STORAGE_TYPES = ["COLUMNSTORE", "ROWSTORE", "REFERENCE", "ROWSTORE REFERENCE"]

SAMPLE_ROWS = [
    (1, "o1", 40000, Decimal("1.25"), "12"),
    (2, "o", -1, Decimal("12345.00"), "abc"),
    (3, "ab", 5, Decimal("3.50"), None),
    (4, None, None, None, "007"),
]


def sample_model(**changed):
    """The sample model, with the fields in ``changed`` replaced."""
    fields = {
        "code": models.CharField(max_length=30, null=True),
        "amount": models.IntegerField(null=True),
        "price": models.DecimalField(max_digits=7, decimal_places=2, null=True),
        "note": models.CharField(max_length=10, null=True),
        **changed,
    }
    meta = type(
        "Meta",
        (),
        # A registry of its own: a migration's states are models of one name.
        {"app_label": "integration", "db_table": "t_backend_sample", "apps": Apps()},
    )
    return type(
        "Sample", (models.Model,), {"__module__": __name__, "Meta": meta, **fields}
    )


def sample_table(editor_models):
    """Create the sample table and fill it with SAMPLE_ROWS."""
    Sample = sample_model()
    editor_models(Sample)
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO `t_backend_sample` "
            "(`id`, `code`, `amount`, `price`, `note`) VALUES (%s, %s, %s, %s, %s)",
            SAMPLE_ROWS,
        )
    return Sample


def sample_rows():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT `id`, `code`, `amount`, `price`, `note` FROM `t_backend_sample` "
            "ORDER BY `id`"
        )
        return list(cursor.fetchall())


def replacement(model, name, field):
    field.set_attributes_from_name(name)
    field.model = model
    return field


REFUSED_CHANGES = {
    "string length": (
        "code",
        lambda: models.CharField(max_length=1, null=True),
        "Refusing to change column t_backend_sample.code from varchar(30) to "
        "varchar(1): 2 rows hold a value that does not fit the new type.",
    ),
    "smaller integer": (
        "amount",
        lambda: models.SmallIntegerField(null=True),
        "Refusing to change column t_backend_sample.amount from integer to "
        "smallint: 1 row holds a value that does not fit the new type.",
    ),
    "signed to unsigned": (
        "amount",
        lambda: models.PositiveIntegerField(null=True),
        "Refusing to change column t_backend_sample.amount from integer to "
        "integer UNSIGNED: 1 row holds a value that does not fit the new type.",
    ),
    "decimal digits and places": (
        "price",
        lambda: models.DecimalField(max_digits=5, decimal_places=1, null=True),
        "Refusing to change column t_backend_sample.price from numeric(7, 2) to "
        "numeric(5, 1): 2 rows hold a value that does not fit the new type.",
    ),
    "decimal to integer": (
        "price",
        lambda: models.IntegerField(null=True),
        "Refusing to change column t_backend_sample.price from numeric(7, 2) to "
        "integer: 2 rows hold a value that does not fit the new type.",
    ),
    "string to integer": (
        "note",
        lambda: models.IntegerField(null=True),
        "Refusing to change column t_backend_sample.note from varchar(10) to "
        "integer: 2 rows hold a value that does not fit the new type.",
    ),
    "string to date": (
        "note",
        lambda: models.DateField(null=True),
        "Refusing to change column t_backend_sample.note from varchar(10) to "
        "date: 3 rows hold a value that does not fit the new type.",
    ),
    "null to not null without a default": (
        "code",
        lambda: models.CharField(max_length=30),
        "Refusing to make column t_backend_sample.code NOT NULL "
        "(varchar(30) NULL -> varchar(30) NOT NULL): 1 row holds NULL and the "
        "field has no default.",
    ),
}
FIX_HINT = {
    False: " Nothing was changed. Fix or delete those rows in a data migration "
    "first, or keep the wider type.",
    True: " Nothing was changed. Give the field a default, fill or delete those "
    "rows in a data migration first, or keep the column nullable.",
}


@pytest.mark.parametrize("storage", STORAGE_TYPES)
@pytest.mark.parametrize("change", list(REFUSED_CHANGES))
def test_narrowing_refused_before_any_ddl(editor_models, storage, change):
    name, new_field, message = REFUSED_CHANGES[change]
    with override_settings(SINGLESTORE={"STORAGE": {"integration.Sample": storage}}):
        Sample = sample_table(editor_models)
        old = Sample._meta.get_field(name)
        new = replacement(Sample, name, new_field())
        with CaptureQueriesContext(connection) as captured:
            with pytest.raises(DataError) as error:
                with connection.schema_editor() as editor:
                    editor.alter_field(Sample, old, new)
    assert [sql for sql in sqls(captured) if not sql.startswith("SELECT")] == []
    assert str(error.value) == message + FIX_HINT["NULL" in message]
    assert sample_rows() == SAMPLE_ROWS


WIDENING_CHANGES = [
    ("code", lambda: models.CharField(max_length=40, null=True)),
    ("amount", lambda: models.BigIntegerField(null=True)),
    ("price", lambda: models.DecimalField(max_digits=9, decimal_places=3, null=True)),
    ("note", lambda: models.TextField(null=True)),
]


@pytest.mark.parametrize("storage", STORAGE_TYPES)
def test_widening_keeps_every_value(editor_models, storage):
    with override_settings(SINGLESTORE={"STORAGE": {"integration.Sample": storage}}):
        Sample = sample_table(editor_models)
        changed = {}
        for name, new_field in WIDENING_CHANGES:
            old = Sample._meta.get_field(name)
            changed[name] = new_field()
            NewSample = sample_model(**changed)
            with connection.schema_editor() as editor:
                editor.alter_field(Sample, old, NewSample._meta.get_field(name))
            Sample = NewSample
    assert columns("t_backend_sample") == {
        "id": ("bigint", False),
        "code": ("varchar", True),
        "amount": ("bigint", True),
        "price": ("decimal", True),
        "note": ("longtext", True),
    }
    assert sample_rows() == [
        (1, "o1", 40000, Decimal("1.250"), "12"),
        (2, "o", -1, Decimal("12345.000"), "abc"),
        (3, "ab", 5, Decimal("3.500"), None),
        (4, None, None, None, "007"),
    ]
