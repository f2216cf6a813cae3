"""TablePlan: storage, shard key, sort key and the fate of every unique set."""

import pytest
from django.apps import apps
from django.db import models
from django.test import override_settings
from django.test.utils import isolate_apps

from django_singlestore.conf import build_settings
from django_singlestore.tables import PlanError, TablePlan, UniqueKey, plan_for
from tests.unit.models import CONTRIB_APPS, Unit

SHARD_REASON = (
    "SingleStore enforces a unique key on a sharded table only when it contains "
    "every shard-key column, and the shard key is "
)
KEYLESS_REASON = (
    "the table is keyless-sharded (SHARD KEY ()), so equal values can land on "
    "different partitions and SingleStore enforces no unique key"
)
COLUMNSTORE_REASON = (
    "a columnstore table holds more than one unique key only when all of them "
    "are single-column, and this table already has "
)


def plan(model, environ=None, **config):
    return plan_for(model, build_settings(config, environ or {}))


def key(columns, origin, enforcement="enforced", reason="", rule="", fields=None):
    return UniqueKey(
        columns=columns,
        name=None,
        origin=origin,
        enforcement=enforcement,
        reason=reason,
        rule=rule,
        fields=fields or columns,
    )


@isolate_apps("tests.unit")
def test_plain_model_is_a_sharded_columnstore_table_with_explicit_keys():
    class Event(Unit):
        name = models.CharField(max_length=10)

    assert plan(Event) == TablePlan(
        db_table="unit_event",
        storage="COLUMNSTORE",
        primary_key=("id",),
        shard_key=("id",),
        sort_key=(),
        uniques=(),
        demoted_columns=(),
    )


@isolate_apps("tests.unit")
def test_unique_field_without_the_shard_key_is_impossible_or_unenforced():
    class Newsletter(Unit):
        email = models.CharField(max_length=100, unique=True)

    impossible = key(
        ("email",), "field 'email'", "impossible", SHARD_REASON + "(id)", "shard key"
    )
    assert plan(Newsletter).uniques == (impossible,)
    for listed in ("unit", "unit.Newsletter", "unit.newsletter"):
        unenforced = plan(Newsletter, UNENFORCED_UNIQUE=[listed]).uniques
        assert unenforced == (
            key(
                ("email",),
                "field 'email'",
                "unenforced",
                SHARD_REASON + "(id)",
                "shard key",
            ),
        )


@isolate_apps("tests.unit")
def test_shard_key_on_the_unique_field_demotes_the_auto_primary_key():
    class Newsletter(Unit):
        email = models.CharField(max_length=100, unique=True)

    assert plan(Newsletter, SHARD_KEYS={"unit.Newsletter": ["email"]}) == TablePlan(
        db_table="unit_newsletter",
        storage="COLUMNSTORE",
        primary_key=(),
        shard_key=("email",),
        sort_key=(),
        uniques=(key(("email",), "field 'email'"),),
        demoted_columns=("id",),
    )


@isolate_apps("tests.unit")
def test_foreign_key_shard_key_and_descending_sort_key():
    class Customer(Unit):
        pass

    class Order(Unit):
        customer = models.ForeignKey(Customer, models.CASCADE)
        created = models.DateTimeField()

    result = plan(
        Order,
        SHARD_KEYS={"unit.Order": ["customer"]},
        SORT_KEYS={"unit.Order": ["-created", "id"]},
    )
    assert result == TablePlan(
        db_table="unit_order",
        storage="COLUMNSTORE",
        primary_key=(),
        shard_key=("customer_id",),
        sort_key=(("created", True), ("id", False)),
        uniques=(),
        demoted_columns=("id",),
    )


@isolate_apps("tests.unit")
def test_shard_key_inside_the_primary_key_keeps_it():
    class Line(Unit):
        pk = models.CompositePrimaryKey("order_id", "number")
        order_id = models.IntegerField()
        number = models.IntegerField()

    result = plan(Line, SHARD_KEYS={"unit.Line": ["order_id"]})
    assert result.primary_key == ("order_id", "number")
    assert result.shard_key == ("order_id",)
    assert result.demoted_columns == ()


@isolate_apps("tests.unit")
def test_non_auto_primary_key_outside_the_shard_key_becomes_a_unique_set():
    class Account(Unit):
        code = models.CharField(max_length=10, primary_key=True)
        region = models.CharField(max_length=10)

    result = plan(Account, SHARD_KEYS={"unit.Account": ["region"]})
    assert result.primary_key == ()
    assert result.demoted_columns == ("code",)
    assert result.uniques == (
        key(
            ("code",),
            "primary key",
            "impossible",
            SHARD_REASON + "(region)",
            "shard key",
        ),
    )


@isolate_apps("tests.unit")
def test_keyless_sharding_enforces_no_unique_set():
    class Log(Unit):
        token = models.CharField(max_length=10, unique=True)

    result = plan(Log, SHARD_KEYS={"unit.Log": []}, UNENFORCED_UNIQUE=["unit.Log"])
    assert result.shard_key == ()
    assert result.primary_key == ()
    assert result.demoted_columns == ("id",)
    assert result.uniques == (
        key(("token",), "field 'token'", "unenforced", KEYLESS_REASON, "shard key"),
    )


@isolate_apps("tests.unit")
def test_rowstore_reference_enforces_every_unique_set():
    class Country(Unit):
        code = models.CharField(max_length=2, unique=True)
        name = models.CharField(max_length=50)
        region = models.CharField(max_length=50)

        class Meta(Unit.Meta):
            unique_together = [("name", "region")]
            constraints = [
                models.UniqueConstraint(fields=["region", "code"], name="uniq_rc")
            ]

    result = plan(Country, STORAGE={"unit": "rowstore  reference"})
    assert result == TablePlan(
        db_table="unit_country",
        storage="ROWSTORE REFERENCE",
        primary_key=("id",),
        shard_key=None,
        sort_key=None,
        uniques=(
            key(("code",), "field 'code'"),
            key(("name", "region"), "unique_together ('name', 'region')"),
            UniqueKey(
                ("region", "code"),
                "uniq_rc",
                "constraint 'uniq_rc'",
                "enforced",
                "",
                "",
                ("region", "code"),
            ),
        ),
        demoted_columns=(),
    )
    assert result.reference and result.rowstore
    assert not (result.sharded or result.columnstore)


@isolate_apps("tests.unit")
def test_columnstore_keeps_one_unique_key_when_any_is_multi_column():
    class Tag(Unit):
        slug = models.CharField(max_length=10, unique=True)
        a = models.IntegerField()
        b = models.IntegerField()

        class Meta(Unit.Meta):
            unique_together = [("a", "b")]

    result = plan(Tag, STORAGE={"unit.Tag": "REFERENCE"})
    assert result.uniques == (
        key(("slug",), "field 'slug'"),
        key(
            ("a", "b"),
            "unique_together ('a', 'b')",
            "impossible",
            COLUMNSTORE_REASON + "PRIMARY KEY (id), UNIQUE KEY (slug)",
            "columnstore",
        ),
    )
    assert result.shard_key is None
    assert result.sort_key == ()


@isolate_apps("tests.unit")
def test_sharded_rowstore_has_no_columnstore_limit():
    class Slot(Unit):
        pk = models.CompositePrimaryKey("room", "day")
        room = models.IntegerField()
        day = models.IntegerField()
        hour = models.IntegerField()

        class Meta(Unit.Meta):
            unique_together = [("room", "hour"), ("room", "day", "hour")]

    result = plan(
        Slot, STORAGE={"unit.Slot": "ROWSTORE"}, SHARD_KEYS={"unit.Slot": ["room"]}
    )
    assert result.primary_key == ("room", "day")
    assert result.uniques == (
        key(("room", "hour"), "unique_together ('room', 'hour')"),
        key(("room", "day", "hour"), "unique_together ('room', 'day', 'hour')"),
    )
    assert result.sort_key is None


@isolate_apps("tests.unit")
def test_unique_sets_on_the_same_columns_are_declared_once():
    class Person(Unit):
        email = models.CharField(max_length=100, unique=True)

        class Meta(Unit.Meta):
            constraints = [
                models.UniqueConstraint(fields=["email"], name="uniq_email"),
                models.UniqueConstraint(fields=["id"], name="uniq_id"),
            ]

    result = plan(Person, STORAGE={"unit": "ROWSTORE REFERENCE"})
    assert result.uniques == (key(("email",), "field 'email'"),)
    assert result.covered == (
        UniqueKey(
            ("email",),
            "uniq_email",
            "constraint 'uniq_email'",
            "enforced",
            "declared once, as field 'email'",
            "",
            ("email",),
        ),
        UniqueKey(
            ("id",),
            "uniq_id",
            "constraint 'uniq_id'",
            "enforced",
            "declared once, as the primary key",
            "",
            ("id",),
        ),
    )


@isolate_apps("tests.unit")
def test_unique_constraints_singlestore_cannot_hold_are_not_planned():
    class Item(Unit):
        name = models.CharField(max_length=10)
        active = models.BooleanField()

        class Meta(Unit.Meta):
            constraints = [
                models.UniqueConstraint(
                    fields=["name"], condition=models.Q(active=True), name="u1"
                ),
                models.UniqueConstraint(models.F("name"), name="u2"),
            ]

    result = plan(Item, STORAGE={"unit": "ROWSTORE REFERENCE"})
    assert result.uniques == ()
    assert result.covered == ()


@isolate_apps("tests.unit")
def test_auto_created_many_to_many_table():
    class Product(Unit):
        pass

    class Order(Unit):
        products = models.ManyToManyField(Product)

    through = Order.products.through
    covered = (
        key(
            ("order_id", "product_id"),
            "unique_together ('order', 'product')",
            reason="declared once, as the primary key",
            fields=("order", "product"),
        ),
    )
    assert plan(through) == TablePlan(
        db_table="unit_order_products",
        storage="COLUMNSTORE",
        primary_key=("order_id", "product_id"),
        shard_key=("order_id",),
        sort_key=(),
        uniques=(),
        demoted_columns=("id",),
        covered=covered,
    )
    # Storage follows the declaring model, unless the through name is configured.
    assert plan(through, STORAGE={"unit.Order": "ROWSTORE"}).storage == "ROWSTORE"
    reference = plan(
        through,
        STORAGE={"unit.Order": "ROWSTORE", "unit.Order_products": "ROWSTORE REFERENCE"},
    )
    assert reference == TablePlan(
        db_table="unit_order_products",
        storage="ROWSTORE REFERENCE",
        primary_key=("order_id", "product_id"),
        shard_key=None,
        sort_key=None,
        uniques=(),
        demoted_columns=("id",),
        covered=covered,
    )


@isolate_apps("tests.unit")
def test_many_to_many_table_sharded_by_the_target_side():
    class Node(Unit):
        links = models.ManyToManyField("self", symmetrical=False)

    through = Node.links.through
    result = plan(through, SHARD_KEYS={"unit.Node_links": ["to_node"]})
    assert result.primary_key == ("from_node_id", "to_node_id")
    assert result.shard_key == ("to_node_id",)

    elsewhere = plan(
        through, SHARD_KEYS={"unit.Node_links": ["id"]}, UNENFORCED_UNIQUE=["unit"]
    )
    assert elsewhere.primary_key == ()
    assert elsewhere.demoted_columns == ("id",)
    assert elsewhere.uniques == (
        key(
            ("from_node_id", "to_node_id"),
            "unique_together ('from_node', 'to_node')",
            "unenforced",
            SHARD_REASON + "(id)",
            "shard key",
            ("from_node", "to_node"),
        ),
    )


@isolate_apps("tests.unit")
def test_one_to_one_field_is_a_unique_set():
    class Profile(Unit):
        pass

    class Avatar(Unit):
        profile = models.OneToOneField(Profile, models.CASCADE)

    assert plan(Avatar, SHARD_KEYS={"unit.Avatar": ["profile"]}).uniques == (
        key(("profile_id",), "field 'profile'", fields=("profile",)),
    )


@isolate_apps("tests.unit")
def test_environment_storage_beats_model_entries():
    class Event(Unit):
        pass

    environ = {"DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_UNIT": "rowstore"}
    result = plan(Event, environ, STORAGE={"unit.Event": "REFERENCE"})
    assert result.storage == "ROWSTORE"
    assert result.sort_key is None


@isolate_apps("tests.unit")
def test_shard_key_naming_no_column_is_a_plan_error():
    class Order(Unit):
        products = models.ManyToManyField("self")

    with pytest.raises(PlanError) as raised:
        plan(Order, SHARD_KEYS={"unit.Order": ["custmer"]})
    assert raised.value.problem == "unknown field"
    assert str(raised.value) == (
        "SINGLESTORE['SHARD_KEYS']['unit.Order'] names 'custmer', which is not a "
        "column of unit.Order. Use field names of unit.Order: id."
    )
    with pytest.raises(PlanError) as raised:
        plan(Order, SORT_KEYS={"unit.Order": ["products"]})
    assert raised.value.message == (
        "SINGLESTORE['SORT_KEYS']['unit.Order'] names 'products', which is not a "
        "column of unit.Order."
    )


@isolate_apps("tests.unit")
def test_sort_key_on_rowstore_and_shard_key_on_reference_are_plan_errors():
    class Event(Unit):
        pass

    with pytest.raises(PlanError) as raised:
        plan(Event, STORAGE={"unit": "ROWSTORE"}, SORT_KEYS={"unit.Event": ["id"]})
    assert raised.value.problem == "sort key storage"
    assert raised.value.message == (
        "SINGLESTORE['SORT_KEYS'] has an entry for unit.Event, whose table is a "
        "ROWSTORE table; only columnstore tables have a sort key."
    )
    assert raised.value.hint == (
        "Remove the entry or store unit.Event as COLUMNSTORE or REFERENCE."
    )
    with pytest.raises(PlanError) as raised:
        plan(Event, STORAGE={"unit": "REFERENCE"}, SHARD_KEYS={"unit.Event": ["id"]})
    assert raised.value.problem == "shard key reference"
    assert raised.value.message == (
        "SINGLESTORE['SHARD_KEYS'] has an entry for unit.Event, whose table is a "
        "REFERENCE table; reference tables are copied to every node and have no "
        "shard key."
    )


@pytest.mark.parametrize(
    "storage, keyword",
    [
        ("COLUMNSTORE", "TABLE"),
        ("ROWSTORE", "ROWSTORE TABLE"),
        ("REFERENCE", "REFERENCE TABLE"),
        ("ROWSTORE REFERENCE", "ROWSTORE REFERENCE TABLE"),
    ],
)
def test_create_table_keyword(storage, keyword):
    table = TablePlan("t", storage, ("id",), None, None, (), ())
    assert table.create_table_keyword() == keyword


@override_settings(INSTALLED_APPS=CONTRIB_APPS)
def test_contrib_models_are_rowstore_reference_tables_with_every_unique_enforced():
    planned = {
        model._meta.label: plan(model)
        for model in apps.get_models(include_auto_created=True)
    }
    assert sorted(planned) == [
        "admin.LogEntry",
        "auth.Group",
        "auth.Group_permissions",
        "auth.Permission",
        "auth.User",
        "auth.User_groups",
        "auth.User_user_permissions",
        "contenttypes.ContentType",
        "flatpages.FlatPage",
        "flatpages.FlatPage_sites",
        "redirects.Redirect",
        "sessions.Session",
        "sites.Site",
    ]
    for table in planned.values():
        assert table.storage == "ROWSTORE REFERENCE"
        assert all(unique.enforced for unique in table.uniques)
    assert planned["auth.User_groups"] == TablePlan(
        db_table="auth_user_groups",
        storage="ROWSTORE REFERENCE",
        primary_key=("user_id", "group_id"),
        shard_key=None,
        sort_key=None,
        uniques=(),
        demoted_columns=("id",),
        covered=(
            key(
                ("user_id", "group_id"),
                "unique_together ('user', 'group')",
                reason="declared once, as the primary key",
                fields=("user", "group"),
            ),
        ),
    )
    assert planned["auth.User"].uniques == (key(("username",), "field 'username'"),)
    # A user entry for the app beats the built-in default.
    user = apps.get_model("auth", "User")
    assert plan(user, STORAGE={"auth": "ROWSTORE"}).storage == "ROWSTORE"


# The AUTO layout policy


def auto(model, environ=None, **config):
    return plan(model, environ, DEFAULT_STORAGE="AUTO", **config)


@isolate_apps("tests.unit")
def test_auto_keeps_the_sharded_columnstore_default_without_unique_sets():
    class Event(Unit):
        name = models.CharField(max_length=10)

    class Tag(Unit):
        events = models.ManyToManyField(Event)

    assert auto(Event) == TablePlan(
        db_table="unit_event",
        storage="COLUMNSTORE",
        primary_key=("id",),
        shard_key=("id",),
        sort_key=(),
        uniques=(),
        demoted_columns=(),
        auto=True,
    )
    # The many-to-many table's (tag_id, event_id) primary key fits the default.
    through = auto(Tag.events.through)
    assert (through.storage, through.primary_key, through.shard_key) == (
        "COLUMNSTORE",
        ("tag_id", "event_id"),
        ("tag_id",),
    )
    assert through.enforces_all and through.auto


@isolate_apps("tests.unit")
def test_auto_shards_by_the_one_unique_set():
    class Newsletter(Unit):
        email = models.CharField(max_length=100, unique=True)

    class Visit(Unit):
        page = models.IntegerField()
        day = models.IntegerField()

        class Meta(Unit.Meta):
            unique_together = [("page", "day")]

    assert auto(Newsletter) == TablePlan(
        db_table="unit_newsletter",
        storage="COLUMNSTORE",
        primary_key=(),
        shard_key=("email",),
        sort_key=(),
        uniques=(key(("email",), "field 'email'"),),
        demoted_columns=("id",),
        auto=True,
    )
    assert auto(Visit) == TablePlan(
        db_table="unit_visit",
        storage="COLUMNSTORE",
        primary_key=(),
        shard_key=("page", "day"),
        sort_key=(),
        uniques=(key(("page", "day"), "unique_together ('page', 'day')"),),
        demoted_columns=("id",),
        auto=True,
    )


@isolate_apps("tests.unit")
def test_auto_makes_a_reference_table_when_no_sharded_layout_fits():
    class Account(Unit):
        email = models.CharField(max_length=100, unique=True)
        handle = models.CharField(max_length=20, unique=True)

    class Country(Unit):
        code = models.CharField(max_length=2, primary_key=True)
        name = models.CharField(max_length=40, unique=True)

    assert auto(Account) == TablePlan(
        db_table="unit_account",
        storage="ROWSTORE REFERENCE",
        primary_key=("id",),
        shard_key=None,
        sort_key=None,
        uniques=(
            key(("email",), "field 'email'"),
            key(("handle",), "field 'handle'"),
        ),
        demoted_columns=(),
        auto=True,
    )
    # Sharding by name would leave the natural primary key unenforced.
    country = auto(Country)
    assert (country.storage, country.primary_key, country.enforces_all) == (
        "ROWSTORE REFERENCE",
        ("code",),
        True,
    )
    # With a sort key (columnstore only) the reference table is a columnstore one.
    sorted_account = auto(Account, SORT_KEYS={"unit.Account": ["email"]})
    assert (sorted_account.storage, sorted_account.sort_key) == (
        "REFERENCE",
        (("email", False),),
    )
    assert sorted_account.enforces_all


@isolate_apps("tests.unit")
def test_auto_respects_unenforced_unique_and_configured_shard_keys():
    class Account(Unit):
        email = models.CharField(max_length=100, unique=True)
        handle = models.CharField(max_length=20, unique=True)

    class Slot(Unit):
        room = models.IntegerField(unique=True)
        hour = models.IntegerField()

        class Meta(Unit.Meta):
            unique_together = [("room", "hour")]

    unenforced = auto(Account, UNENFORCED_UNIQUE=["unit.Account"])
    assert (unenforced.storage, unenforced.shard_key) == ("COLUMNSTORE", ("id",))
    assert [key.enforcement for key in unenforced.uniques] == [
        "unenforced",
        "unenforced",
    ]
    # A configured shard key stays; a sharded rowstore table holds both keys.
    slot = auto(Slot, SHARD_KEYS={"unit.Slot": ["room"]})
    assert (slot.storage, slot.shard_key, slot.enforces_all) == (
        "ROWSTORE",
        ("room",),
        True,
    )
    # When no sharded layout keeps the configured shard key, the default stays
    # and its impossible key is left to the checks.
    stuck = auto(Account, SHARD_KEYS={"unit.Account": ["handle"]})
    assert (stuck.storage, stuck.shard_key) == ("COLUMNSTORE", ("handle",))
    assert [key.enforcement for key in stuck.uniques] == ["impossible", "enforced"]


@isolate_apps("tests.unit")
def test_auto_from_storage_entries_and_the_environment():
    class Account(Unit):
        email = models.CharField(max_length=100, unique=True)
        handle = models.CharField(max_length=20, unique=True)

    for config, environ in [
        ({"STORAGE": {"unit": "auto"}}, {}),
        ({"STORAGE": {"unit.Account": "AUTO"}}, {}),
        ({}, {"DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_UNIT": "Auto"}),
    ]:
        chosen = plan(Account, environ, **config)
        assert (chosen.storage, chosen.auto) == ("ROWSTORE REFERENCE", True)
    # An explicit storage type beats an AUTO default.
    explicit = auto(Account, STORAGE={"unit.Account": "COLUMNSTORE"})
    assert (explicit.storage, explicit.auto) == ("COLUMNSTORE", False)


@isolate_apps("tests.unit")
def test_a_table_rebuilt_without_its_primary_key_plans_none():
    from django_singlestore.rebuild import altered_model
    from django_singlestore.tables import REFERENCE_KEY_PROBLEM

    class Voucher(Unit):
        code = models.CharField(max_length=8, unique=True)

    # RemoveField(id): Django's automatic id of the class is no column.
    keyless = altered_model(Voucher, removed=Voucher._meta.pk)
    assert [field.column for field in keyless._meta.local_fields] == ["code"]
    assert plan(keyless) == TablePlan(
        db_table="unit_voucher",
        storage="COLUMNSTORE",
        primary_key=(),
        shard_key=(),
        sort_key=(),
        uniques=(
            key(
                ("code",),
                "field 'code'",
                "impossible",
                KEYLESS_REASON,
                "shard key",
            ),
        ),
        demoted_columns=(),
    )
    # A shard key the unique set contains enforces it without a primary key.
    assert plan(keyless, SHARD_KEYS={"unit.Voucher": ["code"]}).uniques == (
        key(("code",), "field 'code'"),
    )
    # AUTO finds that layout; a reference table cannot go without a key.
    assert plan(keyless, STORAGE={"unit.Voucher": "AUTO"}).shard_key == ("code",)
    with pytest.raises(PlanError) as error:
        plan(keyless, STORAGE={"unit.Voucher": "REFERENCE"})
    assert error.value.problem == REFERENCE_KEY_PROBLEM
    assert str(error.value) == (
        "The table of unit.Voucher would have no primary key, and a REFERENCE "
        "table must have one. Store unit.Voucher as COLUMNSTORE or ROWSTORE "
        "while it has none."
    )
