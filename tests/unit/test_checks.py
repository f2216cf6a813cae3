"""System checks: one test per id, asserting the exact messages."""

import contextlib

from django.apps import apps
from django.core import checks
from django.db import models
from django.test import override_settings
from django.test.utils import isolate_apps

from django_singlestore import checks as singlestore_checks
from django_singlestore.checks import (
    CATALOG,
    check_foreign_keys,
    check_model,
    check_models,
    compare_live,
    settings_messages,
)
from django_singlestore.conf import build_settings
from django_singlestore.tables import plan_for
from tests.unit.models import CONTRIB_APPS, Unit

UNENFORCED_WAYS = (
    "store {label} as a reference table (SINGLESTORE['STORAGE']['{label}'] = "
    "'ROWSTORE REFERENCE'), or list '{label}' in SINGLESTORE['UNENFORCED_UNIQUE'] "
    "to declare the key UNENFORCED RELY (duplicates are then not rejected)."
)
SHARD_REASON = (
    "SingleStore enforces a unique key on a sharded table only when it contains "
    "every shard-key column, and the shard key is "
)

FK_NOTE = checks.Info(
    "SingleStore does not enforce foreign keys: the database accepts rows that "
    "reference missing rows.",
    hint="Django's on_delete handling still runs for deletes made through the "
    "ORM; raw SQL, QuerySet.update() and bulk loads are not checked.",
    id="singlestore.I001",
)


def layout_fix(labels, setting):
    return checks.Info(
        "These settings give every model whose unique sets cannot be enforced "
        f"({labels}) a layout that enforces them; they replace SINGLESTORE in "
        f"settings.py:\n\n{setting}\n",
        hint="Or set SINGLESTORE['DEFAULT_STORAGE'] = 'AUTO' to have such a layout "
        "chosen for every model (see the AUTO section of the settings docs first if "
        "the tables already exist).",
        id="singlestore.I003",
    )


def run(model, environ=None, **config):
    return check_model(model, build_settings(config, environ or {}))


@isolate_apps("tests.unit")
def test_e001_unique_field_outside_the_shard_key():
    class Newsletter(Unit):
        email = models.CharField(max_length=100, unique=True)

    assert run(Newsletter) == [
        checks.Error(
            "The unique set from field 'email' (email) cannot be enforced: "
            + SHARD_REASON
            + "(id).",
            hint="Shard unit.Newsletter by some of these fields "
            "(SINGLESTORE['SHARD_KEYS']['unit.Newsletter'] = ['email']), "
            + UNENFORCED_WAYS.format(label="unit.Newsletter"),
            obj=Newsletter,
            id="singlestore.E001",
        )
    ]
    # Each way out of the hint silences it.
    assert run(Newsletter, SHARD_KEYS={"unit.Newsletter": ["email"]}) == []
    assert run(Newsletter, STORAGE={"unit": "ROWSTORE REFERENCE"}) == []


@isolate_apps("tests.unit")
def test_e001_keyless_table_and_unique_together():
    class Visit(Unit):
        page = models.IntegerField()
        day = models.IntegerField()

        class Meta(Unit.Meta):
            unique_together = [("page", "day")]

    assert run(Visit, SHARD_KEYS={"unit.Visit": []}) == [
        checks.Error(
            "The unique set from unique_together ('page', 'day') (page, day) cannot "
            "be enforced: the table is keyless-sharded (SHARD KEY ()), so equal "
            "values can land on different partitions and SingleStore enforces no "
            "unique key.",
            hint="Shard unit.Visit by some of these fields "
            "(SINGLESTORE['SHARD_KEYS']['unit.Visit'] = ['page', 'day']), "
            + UNENFORCED_WAYS.format(label="unit.Visit"),
            obj=Visit,
            id="singlestore.E001",
        )
    ]


@isolate_apps("tests.unit")
def test_e002_second_unique_key_on_columnstore():
    class Slot(Unit):
        room = models.IntegerField()
        hour = models.IntegerField()

        class Meta(Unit.Meta):
            constraints = [
                models.UniqueConstraint(fields=["room", "hour"], name="uniq_slot")
            ]

    assert run(Slot, STORAGE={"unit.Slot": "REFERENCE"}) == [
        checks.Error(
            "The unique set from constraint 'uniq_slot' (room, hour) cannot be "
            "enforced: a columnstore table holds more than one unique key only when "
            "all of them are single-column, and this table already has PRIMARY KEY "
            "(id).",
            hint="Remove one of the unique sets, store unit.Slot as a rowstore table "
            "(SINGLESTORE['STORAGE']['unit.Slot'] = 'ROWSTORE' or 'ROWSTORE "
            "REFERENCE'), or list 'unit.Slot' in SINGLESTORE['UNENFORCED_UNIQUE'] to "
            "declare the key UNENFORCED RELY (duplicates are then not rejected).",
            obj=Slot,
            id="singlestore.E002",
        )
    ]
    assert run(Slot, STORAGE={"unit.Slot": "ROWSTORE REFERENCE"}) == []


@isolate_apps("tests.unit")
def test_e003_float_primary_key_on_columnstore():
    class Reading(Unit):
        value = models.FloatField(primary_key=True)

    field = Reading._meta.get_field("value")
    assert run(Reading) == [
        checks.Error(
            "unit.Reading.value is a floating-point primary key column; SingleStore "
            "refuses FLOAT and DOUBLE primary keys on COLUMNSTORE (columnstore) "
            "tables.",
            hint="Use an integer or DecimalField primary key, or store unit.Reading "
            "as a rowstore table (SINGLESTORE['STORAGE']['unit.Reading'] = "
            "'ROWSTORE').",
            obj=field,
            id="singlestore.E003",
        )
    ]
    assert run(Reading, STORAGE={"unit": "ROWSTORE"}) == []


@isolate_apps("tests.unit")
def test_e004_one_to_one_field_on_a_sharded_table():
    class Person(Unit):
        pass

    class Passport(Unit):
        person = models.OneToOneField(Person, models.CASCADE)

    field = Passport._meta.get_field("person")
    assert run(Passport) == [
        checks.Error(
            "OneToOneField 'person' is not the primary key of a sharded table, so "
            "its unique key cannot be enforced: " + SHARD_REASON + "(id).",
            hint="Make it the primary key (primary_key=True), shard unit.Passport by "
            "it (SINGLESTORE['SHARD_KEYS']['unit.Passport'] = ['person']), "
            + UNENFORCED_WAYS.format(label="unit.Passport"),
            obj=field,
            id="singlestore.E004",
        )
    ]
    assert run(Passport, SHARD_KEYS={"unit.Passport": ["person"]}) == []


@isolate_apps("tests.unit")
def test_e005_e006_unknown_apps_and_models_in_settings_and_environment():
    class Order(Unit):
        pass

    registry = Order._meta.apps
    settings = build_settings(
        {
            "STORAGE": {
                "unti": "ROWSTORE",
                "unit.Ordr": "ROWSTORE",
                "unit": "REFERENCE",
            },
            "UNENFORCED_UNIQUE": ["unit.order"],
        },
        {"DJANGO_SINGLESTORE_NOT_ENFORCED_UNIQUE_UNITS": "1"},
    )
    assert settings_messages(registry, settings) == [
        checks.Error(
            "SINGLESTORE['STORAGE'] names the app 'unti', which is not installed.",
            hint="Use the label of an installed app (did you mean 'unit'?).",
            id="singlestore.E005",
        ),
        checks.Error(
            "SINGLESTORE['STORAGE'] names the model 'unit.ordr', which does not exist.",
            hint='Use "app_label.ModelName" of an existing model (did you mean '
            "'unit.order'?).",
            id="singlestore.E006",
        ),
        checks.Error(
            "The environment variable DJANGO_SINGLESTORE_NOT_ENFORCED_UNIQUE_UNITS "
            "names the app 'units', which is not installed.",
            hint="Use the label of an installed app (did you mean "
            "'DJANGO_SINGLESTORE_NOT_ENFORCED_UNIQUE_UNIT'?).",
            id="singlestore.E005",
        ),
    ]


SKIP_AUTOCOMMIT_WARNING = checks.Warning(
    "SKIP_AUTOCOMMIT is on (SINGLESTORE['SKIP_AUTOCOMMIT'] or "
    "DJANGO_SINGLESTORE_SKIP_AUTOCOMMIT), so the backend never turns autocommit "
    "off and atomic() gives no atomicity: every statement commits on its own, a "
    "rolled-back atomic() block keeps the rows it wrote, select_for_update() locks "
    "nothing past its own statement, and Django's TestCase cannot roll a test "
    "back.",
    hint="Turn it off. If the application writes to reference tables through a "
    "child aggregator (error 2549), send those writes to the master aggregator "
    "instead (a DATABASES entry for it and a router), which runs them in real "
    "transactions.",
    id="singlestore.W009",
)


def test_w009_skip_autocommit_from_the_setting_or_the_environment():
    registry = apps
    on = build_settings({"SKIP_AUTOCOMMIT": True}, {})
    assert settings_messages(registry, on) == [SKIP_AUTOCOMMIT_WARNING]
    from_env = build_settings({}, {"DJANGO_SINGLESTORE_SKIP_AUTOCOMMIT": "yes"})
    assert settings_messages(registry, from_env) == [SKIP_AUTOCOMMIT_WARNING]
    env_off = build_settings(
        {"SKIP_AUTOCOMMIT": True}, {"DJANGO_SINGLESTORE_SKIP_AUTOCOMMIT": "0"}
    )
    assert settings_messages(registry, env_off) == []
    assert settings_messages(registry, build_settings({}, {})) == []


@override_settings(SINGLESTORE={"SKIP_AUTOCOMMIT": True})
def test_w009_is_part_of_the_settings_check():
    assert singlestore_checks.check_settings() == [SKIP_AUTOCOMMIT_WARNING]


@isolate_apps("tests.unit")
def test_e007_unknown_field_in_a_shard_key():
    class Order(Unit):
        placed = models.DateTimeField()

    assert run(Order, SHARD_KEYS={"unit.Order": ["customer"]}) == [
        checks.Error(
            "SINGLESTORE['SHARD_KEYS']['unit.Order'] names 'customer', which is not a "
            "column of unit.Order.",
            hint="Use field names of unit.Order: id, placed.",
            obj=Order,
            id="singlestore.E007",
        )
    ]


@isolate_apps("tests.unit")
def test_e008_sort_key_on_a_rowstore_table():
    class Order(Unit):
        placed = models.DateTimeField()

    config = {
        "STORAGE": {"unit": "ROWSTORE REFERENCE"},
        "SORT_KEYS": {"unit.Order": ["-placed"]},
    }
    assert run(Order, **config) == [
        checks.Error(
            "SINGLESTORE['SORT_KEYS'] has an entry for unit.Order, whose table is a "
            "ROWSTORE REFERENCE table; only columnstore tables have a sort key.",
            hint="Remove the entry or store unit.Order as COLUMNSTORE or REFERENCE.",
            obj=Order,
            id="singlestore.E008",
        )
    ]


@isolate_apps("tests.unit")
def test_e009_shard_key_on_a_reference_table():
    class Country(Unit):
        pass

    config = {"STORAGE": {"unit": "REFERENCE"}, "SHARD_KEYS": {"unit.Country": []}}
    assert run(Country, **config) == [
        checks.Error(
            "SINGLESTORE['SHARD_KEYS'] has an entry for unit.Country, whose table is "
            "a REFERENCE table; reference tables are copied to every node and have "
            "no shard key.",
            hint="Remove the entry or store unit.Country as COLUMNSTORE or ROWSTORE.",
            obj=Country,
            id="singlestore.E009",
        )
    ]


@isolate_apps("tests.unit")
def test_w001_unenforced_unique_set():
    class Newsletter(Unit):
        email = models.CharField(max_length=100, unique=True)

    environ = {"DJANGO_SINGLESTORE_NOT_ENFORCED_UNIQUE_UNIT": "yes"}
    assert run(Newsletter, environ) == [
        checks.Warning(
            "The unique set from field 'email' (email) is declared UNENFORCED RELY, "
            "so SingleStore will not reject duplicates: " + SHARD_REASON + "(id).",
            hint="Check uniqueness in the application (Django's validate_unique() "
            "runs in forms and full_clean()), or choose a shard key or storage type "
            "that can enforce it.",
            obj=Newsletter,
            id="singlestore.W001",
        )
    ]


@isolate_apps("tests.unit")
def test_w002_32_bit_auto_fields_on_sharded_tables_only():
    class Small(Unit):
        id = models.SmallAutoField(primary_key=True)

    class Regular(Unit):
        id = models.AutoField(primary_key=True)

    class Big(Unit):
        id = models.BigAutoField(primary_key=True)

    hint = (
        'Set DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField" (or the app\'s '
        "default_auto_field) and make a migration."
    )
    for model, kind in ((Small, "SmallAutoField"), (Regular, "AutoField")):
        assert run(model, STORAGE={"unit": "ROWSTORE"}) == [
            checks.Warning(
                f"unit.{model.__name__}.id is a 32-bit {kind} on a sharded table; "
                "SingleStore's AUTO_INCREMENT values on sharded tables exceed 32 "
                "bits, so the backend stores the column as BIGINT.",
                hint=hint,
                obj=model._meta.pk,
                id="singlestore.W002",
            )
        ]
        assert run(model, STORAGE={"unit": "REFERENCE"}) == []
    assert run(Big) == []


@isolate_apps("tests.unit")
def test_w003_w004_w005_constraints_and_indexes_singlestore_lacks():
    class Item(Unit):
        name = models.CharField(max_length=10)
        price = models.IntegerField()

        class Meta(Unit.Meta):
            constraints = [
                models.CheckConstraint(
                    condition=models.Q(price__gte=0), name="price_positive"
                ),
                models.UniqueConstraint(
                    models.functions.Lower("name"), name="uniq_lower_name"
                ),
                models.UniqueConstraint(
                    fields=["name"],
                    condition=models.Q(price__gt=0),
                    name="uniq_priced_name",
                ),
            ]
            indexes = [models.Index(models.functions.Upper("name"), name="upper")]

    unique_hint = (
        "Rewrite it as UniqueConstraint(fields=[...], name=...) without those "
        "options, or validate it in the application (Django runs it in "
        "full_clean() and forms)."
    )
    assert run(Item, STORAGE={"unit": "ROWSTORE REFERENCE"}) == [
        checks.Warning(
            "Check constraint 'price_positive' is not created: SingleStore has no "
            "CHECK constraints.",
            hint="Validate the condition in the application (Django runs it in "
            "full_clean() and forms), or remove the constraint.",
            obj=Item,
            id="singlestore.W003",
        ),
        checks.Warning(
            "Unique constraint 'uniq_lower_name' is not created, so duplicates are "
            "not rejected: SingleStore has no unique keys with expressions.",
            hint=unique_hint,
            obj=Item,
            id="singlestore.W005",
        ),
        checks.Warning(
            "Unique constraint 'uniq_priced_name' is not created, so duplicates are "
            "not rejected: SingleStore has no unique keys with conditions.",
            hint=unique_hint,
            obj=Item,
            id="singlestore.W005",
        ),
        checks.Warning(
            "Index 'upper' is not created: SingleStore has no indexes on expressions.",
            hint="Index a stored generated column instead (GeneratedField(..., "
            "db_persist=True) with db_index=True), or remove the index.",
            obj=Item,
            id="singlestore.W004",
        ),
    ]


APPLY_ORDER_LAYOUT = (
    "add a migration to unit with the operation "
    "django_singlestore.layout.ApplyLayout('Order') and run migrate, which rebuilds "
    "the table with its rows, "
)


@isolate_apps("tests.unit")
def test_w006_w007_w008_live_tables_that_drifted_from_the_plan():
    class Order(Unit):
        placed = models.DateTimeField()

    settings = build_settings({"SORT_KEYS": {"unit.Order": ["-placed"]}}, {})
    plan = plan_for(Order, settings)
    assert (
        compare_live(
            Order, "default", plan, ("COLUMNSTORE", ["id"], [("placed", True)])
        )
        == []
    )
    assert compare_live(Order, "default", plan, ("ROWSTORE", None, None)) == [
        checks.Warning(
            "Table 'unit_order' on database 'default' is a ROWSTORE table, but the "
            "settings plan a COLUMNSTORE table.",
            hint="SingleStore cannot change a table's storage type in place: "
            + APPLY_ORDER_LAYOUT
            + "or change SINGLESTORE['STORAGE'] to match the database.",
            obj=Order,
            id="singlestore.W006",
        ),
        checks.Warning(
            "Table 'unit_order' on database 'default' has the shard key none, but "
            "the settings plan (id).",
            hint="SingleStore cannot change a shard key in place: "
            + APPLY_ORDER_LAYOUT
            + "or change SINGLESTORE['SHARD_KEYS'] to match the database.",
            obj=Order,
            id="singlestore.W007",
        ),
        checks.Warning(
            "Table 'unit_order' on database 'default' has the sort key (), but the "
            "settings plan (placed DESC).",
            hint="SingleStore cannot change a sort key in place: "
            + APPLY_ORDER_LAYOUT
            + "or change SINGLESTORE['SORT_KEYS'] to match the database.",
            obj=Order,
            id="singlestore.W008",
        ),
    ]
    unordered = plan_for(Order, build_settings({}, {}))
    assert compare_live(Order, "default", unordered, ("COLUMNSTORE", ("id",), ())) == []


@isolate_apps("tests.unit")
def test_i001_once_per_project():
    class Customer(Unit):
        pass

    class Order(Unit):
        customer = models.ForeignKey(Customer, models.CASCADE)
        buyer = models.ForeignKey(Customer, models.CASCADE, related_name="+")

    class Loose(Unit):
        customer = models.ForeignKey(Customer, models.CASCADE, db_constraint=False)

    assert check_foreign_keys([Customer, Order, Order]) == [FK_NOTE]
    assert check_foreign_keys([Customer, Loose]) == []


@override_settings(INSTALLED_APPS=CONTRIB_APPS, SINGLESTORE={})
def test_fresh_startproject_gets_only_the_foreign_key_note_on_deploy():
    assert check_models() == []
    assert singlestore_checks.check_deployment() == [FK_NOTE]
    assert settings_messages(apps) == []


class NothingHere:
    """A router that sends no model to any database."""

    def allow_migrate(self, db, app_label, **hints):
        return False


@override_settings(
    INSTALLED_APPS=CONTRIB_APPS,
    DATABASE_ROUTERS=[f"{__name__}.NothingHere"],
)
def test_models_that_do_not_migrate_to_singlestore_are_not_checked():
    assert singlestore_checks.singlestore_aliases() == ["default"]
    assert check_models() == []


def test_checks_are_registered_by_the_app():
    registered = checks.registry.registry.get_checks(include_deployment_checks=False)
    assert singlestore_checks.check_models in registered
    assert singlestore_checks.check_settings in registered
    assert singlestore_checks.check_live_tables in registered
    assert checks.Tags.database in singlestore_checks.check_live_tables.tags
    assert singlestore_checks.check_interrupted_rebuilds in registered
    assert checks.Tags.database in singlestore_checks.check_interrupted_rebuilds.tags
    # The foreign-key note is a deployment check only (check --deploy).
    assert singlestore_checks.check_deployment not in registered
    assert singlestore_checks.check_deployment in checks.registry.registry.get_checks(
        include_deployment_checks=True
    )
    assert sorted(CATALOG) == sorted(
        [f"singlestore.E00{n}" for n in range(1, 10)]
        + [f"singlestore.E01{n}" for n in range(0, 10)]
        + [f"singlestore.W00{n}" for n in range(1, 10)]
        + ["singlestore.W010"]
        + ["singlestore.I001", "singlestore.I002", "singlestore.I003"]
        + ["singlestore.I004"]
    )


class LiveIntrospection:
    """What the backend's introspection answers, for tables given up front."""

    def __init__(self, live):
        self.live = live

    def table_names(self, cursor):
        return list(self.live)

    def get_table_storage(self, cursor, table_name):
        return self.live[table_name]


class LiveConnection:
    def __init__(self, vendor, live):
        self.vendor = vendor
        self.introspection = LiveIntrospection(live)

    def cursor(self):
        return contextlib.nullcontext()


@isolate_apps("tests.unit")
def test_database_check_reads_existing_tables_of_singlestore_databases(monkeypatch):
    class Order(Unit):
        pass

    class Customer(Unit):
        pass

    drifted = {"unit_order": ("ROWSTORE", ("id",), None)}
    monkeypatch.setattr(
        singlestore_checks,
        "connections",
        {
            "default": LiveConnection("singlestore", drifted),
            "legacy": LiveConnection("mysql", drifted),
        },
    )
    app_configs = [Order._meta.apps.get_app_config("unit")]
    found = singlestore_checks.check_live_tables(
        app_configs, databases=["default", "legacy"]
    )
    assert [(message.id, message.obj) for message in found] == [
        ("singlestore.W006", Order),
    ]
    assert singlestore_checks.check_live_tables(app_configs, databases=None) == []


@isolate_apps("tests.unit")
def test_only_tables_that_migrate_creates_are_checked():
    class Shop(Unit):
        code = models.CharField(max_length=10, unique=True)

    class Legacy(Unit):
        """As inspectdb writes it: the table exists and migrate leaves it alone."""

        code = models.CharField(max_length=10, unique=True)
        shops = models.ManyToManyField(Shop)

        class Meta(Unit.Meta):
            managed = False
            db_table = "legacy_shop"

    class SameTable(Unit):
        """An unmanaged second model on Shop's table."""

        code = models.CharField(max_length=10, unique=True)

        class Meta(Unit.Meta):
            managed = False
            db_table = "unit_shop"

    class ShopProxy(Shop):
        class Meta(Unit.Meta):
            proxy = True

    class Replaced(Unit):
        code = models.CharField(max_length=10, unique=True)

        class Meta(Unit.Meta):
            swappable = "UNIT_REPLACED_MODEL"

    class Tag(Unit):
        shops = models.ManyToManyField(Shop)

    app_configs = [Shop._meta.apps.get_app_config("unit")]
    with override_settings(UNIT_REPLACED_MODEL="unit.Shop", SINGLESTORE={}):
        found = check_models(app_configs)
        checked = singlestore_checks.singlestore_models(app_configs)
    hint = (
        "Shard unit.Shop by some of these fields "
        "(SINGLESTORE['SHARD_KEYS']['unit.Shop'] = ['code']), "
        + UNENFORCED_WAYS.format(label="unit.Shop")
    )
    assert found == [
        checks.Error(
            "The unique set from field 'code' (code) cannot be enforced: "
            + SHARD_REASON
            + "(id).",
            hint=hint,
            obj=Shop,
            id="singlestore.E001",
        ),
        layout_fix(
            "unit.Shop",
            'SINGLESTORE = {\n    "SHARD_KEYS": {\n        "unit.Shop": ["code"],\n'
            "    },\n}",
        ),
    ]
    assert checked == [Shop, Tag.shops.through, Tag]


@isolate_apps("tests.unit")
def test_i002_names_each_table_auto_made_a_reference_table():
    class Account(Unit):
        email = models.CharField(max_length=100, unique=True)
        handle = models.CharField(max_length=20, unique=True)

    class Country(Unit):
        code = models.CharField(max_length=2, primary_key=True)
        name = models.CharField(max_length=40, unique=True)

    class Newsletter(Unit):
        email = models.CharField(max_length=100, unique=True)

    hint = (
        "A reference table keeps a full copy on every node and takes its writes "
        "through the master aggregator. To shard it instead, give {label} its own "
        "SINGLESTORE['STORAGE'] and SINGLESTORE['SHARD_KEYS'] entries (or list it "
        "in SINGLESTORE['UNENFORCED_UNIQUE'])."
    )
    assert run(Account, DEFAULT_STORAGE="AUTO") == [
        checks.Info(
            "The AUTO layout policy stores unit.Account (table 'unit_account') as a "
            "ROWSTORE REFERENCE table: no sharded layout enforces all of its unique "
            "sets, field 'email' (email), field 'handle' (handle).",
            hint=hint.format(label="unit.Account"),
            obj=Account,
            id="singlestore.I002",
        )
    ]
    assert run(Country, DEFAULT_STORAGE="AUTO") == [
        checks.Info(
            "The AUTO layout policy stores unit.Country (table 'unit_country') as a "
            "ROWSTORE REFERENCE table: no sharded layout enforces all of its unique "
            "sets, the primary key (code), field 'name' (name).",
            hint=hint.format(label="unit.Country"),
            obj=Country,
            id="singlestore.I002",
        )
    ]
    # Sharded by its one unique set, or chosen by hand: nothing to say.
    assert run(Newsletter, DEFAULT_STORAGE="AUTO") == []
    assert run(Account, STORAGE={"unit.Account": "ROWSTORE REFERENCE"}) == []


@isolate_apps("tests.unit")
def test_i003_one_setting_fixes_every_flagged_model():
    class Newsletter(Unit):
        email = models.CharField(max_length=100, unique=True)

    class Account(Unit):
        email = models.CharField(max_length=100, unique=True)
        handle = models.CharField(max_length=20, unique=True)

    class Profile(Unit):
        account = models.OneToOneField(Account, models.CASCADE)

    class Stuck(Unit):
        code = models.CharField(max_length=10, unique=True)
        seat = models.IntegerField()

    class Plain(Unit):
        pass

    raw = {
        "DEFAULT_STORAGE": "ROWSTORE",
        "STORAGE": {"unit.account": "COLUMNSTORE", "other": "REFERENCE"},
        "SHARD_KEYS": {"unit.Stuck": ["seat"]},
        "UNENFORCED_UNIQUE": {"zeta", "alpha"},
    }
    settings = build_settings(raw, {})
    models_ = [Newsletter, Account, Profile, Stuck, Plain]
    assert singlestore_checks.layout_fix_messages(models_, settings, raw) == [
        layout_fix(
            "unit.Newsletter, unit.Account, unit.Profile",
            "SINGLESTORE = {\n"
            '    "DEFAULT_STORAGE": "ROWSTORE",\n'
            '    "STORAGE": {\n'
            '        "other": "REFERENCE",\n'
            '        "unit.Newsletter": "COLUMNSTORE",\n'
            '        "unit.Account": "ROWSTORE REFERENCE",\n'
            '        "unit.Profile": "COLUMNSTORE",\n'
            "    },\n"
            '    "SHARD_KEYS": {\n'
            '        "unit.Stuck": ["seat"],\n'
            '        "unit.Newsletter": ["email"],\n'
            '        "unit.Profile": ["account"],\n'
            "    },\n"
            '    "UNENFORCED_UNIQUE": ["alpha", "zeta"],\n'
            "}",
        )
    ]
    # The pasted setting leaves only the model no layout can fix (its shard key
    # is configured), and that one keeps its E001.
    fixed = build_settings(
        {
            "DEFAULT_STORAGE": "ROWSTORE",
            "STORAGE": {
                "other": "REFERENCE",
                "unit.Newsletter": "COLUMNSTORE",
                "unit.Account": "ROWSTORE REFERENCE",
                "unit.Profile": "COLUMNSTORE",
            },
            "SHARD_KEYS": {
                "unit.Stuck": ["seat"],
                "unit.Newsletter": ["email"],
                "unit.Profile": ["account"],
            },
        },
        {},
    )
    assert [
        (message.id, message.obj)
        for model in models_
        for message in check_model(model, fixed)
    ] == [("singlestore.E001", Stuck)]
    assert singlestore_checks.layout_fix_messages(models_, fixed, raw) == []


@isolate_apps("tests.unit")
def test_i004_multi_table_child_on_columnstore_cannot_lock():
    class Place(Unit):
        name = models.CharField(max_length=20)

    class Shop(Place):
        kind = models.CharField(max_length=20)

    assert run(Place) == []
    assert run(Shop) == [
        checks.Info(
            "select_for_update() on unit.Shop cannot lock: its queries join the "
            "parent tables 'unit_place', and SingleStore refuses FOR UPDATE with a "
            "join involving a columnstore table ('unit_shop', 'unit_place').",
            hint="Lock through the parent instead (Place.objects.select_for_update()"
            ".get(pk=...) runs without a join), with every writer of unit.Shop doing "
            "the same, or store unit.Shop and its parents as rowstore tables "
            "(SINGLESTORE['STORAGE']).",
            obj=Shop,
            id="singlestore.I004",
        )
    ]


@isolate_apps("tests.unit")
def test_i004_not_for_a_rowstore_family():
    class Depot(Unit):
        name = models.CharField(max_length=20)

    class Annex(Depot):
        kind = models.CharField(max_length=20)

    rowstore = {"unit.Depot": "ROWSTORE", "unit.Annex": "ROWSTORE"}
    assert run(Annex, STORAGE=rowstore) == []
    assert [m.id for m in run(Annex, STORAGE={"unit.Depot": "ROWSTORE"})] == [
        "singlestore.I004"
    ]
