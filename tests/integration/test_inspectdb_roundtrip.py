"""inspectdb -> model -> migrate recreates the table, for every layout.

Each case creates tables (through the schema editor under a SINGLESTORE
layout, or with raw SingleStore DDL), records SHOW CREATE TABLE, runs the
backend's inspectdb, drops the tables, then loads the models inspectdb wrote
with exactly the SINGLESTORE entries its comment blocks give, checks them,
creates them with the schema editor and compares SHOW CREATE TABLE up to the
names of keys.
"""

import ast
import re
from io import StringIO

import pytest
from django.core import checks
from django.core.management import call_command
from django.db import connection, models
from django.db.models import F
from django.test.utils import isolate_apps

from django_singlestore.checks import check_model
from django_singlestore.management.commands.inspectdb import Command
from tests.integration.test_inspectdb import ORIGINALS

pytestmark = pytest.mark.django_db(transaction=True)

APP = "apps_inspect"
# The label Django gives the models inspectdb writes, whose module is inside
# the tests.integration package (ModelBase asks the global app registry).
GENERATED_APP = "integration"
KEPT = "__kept"
# Key names differ; the AUTO_INCREMENT counter is data, not layout.
COUNTER_RE = re.compile(r" AUTO_INCREMENT=\d+")
KEY_NAME_RE = re.compile(r"((?:UNIQUE )?KEY) `(?:[^`]|``)*` \(")
ENTRY_RE = re.compile(r"^    #     ('[A-Z_]+': .*),$")


def show_create(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW CREATE TABLE {connection.ops.quote_name(table)}")
        text = KEY_NAME_RE.sub(r"\1 `?` (", cursor.fetchone()[1])
        return COUNTER_RE.sub("", text)


def inspect(*tables):
    out = StringIO()
    call_command(Command(), *tables, app_label=GENERATED_APP, stdout=out)
    return out.getvalue()


def layout_settings(source):
    """The SINGLESTORE dict the comment blocks of ``source`` give, merged."""
    merged = {}
    for line in source.splitlines():
        match = ENTRY_RE.match(line)
        if match:
            for key, value in ast.literal_eval("{" + match.group(1) + "}").items():
                if isinstance(value, dict):
                    merged.setdefault(key, {}).update(value)
                else:
                    merged.setdefault(key, []).extend(value)
    return merged


def load(source):
    """The model classes ``source`` defines (inside the caller's isolate_apps)."""
    namespace = {"__name__": f"tests.integration.{APP}.generated"}
    exec(compile(source, "<inspectdb>", "exec"), namespace)
    return [
        value
        for value in namespace.values()
        if isinstance(value, type)
        and issubclass(value, models.Model)
        and value is not models.Model
    ]


def errors_of(model):
    found = [*model.check(databases=["default"]), *check_model(model)]
    return [error for error in found if error.level >= checks.ERROR]


def drop(*tables):
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)}")


def rename(tables, suffix, back=False):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            old, new = (table + suffix, table) if back else (table, table + suffix)
            cursor.execute(f"ALTER TABLE {quote(old)} RENAME TO {quote(new)}")


def round_trip(settings, tables, keep=False):
    """Inspect ``tables``, drop them (or set them aside, with ``keep``),
    recreate them from the inspected models; return (SINGLESTORE entries,
    before, after, check errors)."""
    before = {table: show_create(table) for table in tables}
    source = inspect(*tables)
    if keep:
        rename(tables, KEPT)
    else:
        drop(*tables)
    try:
        return _recreate(settings, tables, source, before)
    finally:
        if keep:
            rename(tables, KEPT, back=True)


def _recreate(settings, tables, source, before):
    entries = layout_settings(source)
    settings.SINGLESTORE = entries
    with isolate_apps(f"tests.integration.{APP}"):
        generated = load(source)
        errors = {model.__name__: errors_of(model) for model in generated}
        for model in generated:
            model._meta.managed = True
            errors[model.__name__] += errors_of(model)
        try:
            with connection.schema_editor() as editor:
                for model in generated:
                    editor.create_model(model)
            after = {table: show_create(table) for table in tables}
        finally:
            drop(*tables)
    return entries, before, after, {k: v for k, v in errors.items() if v}


def lines(texts):
    return {table: text.splitlines() for table, text in texts.items()}


def label(name):
    return f"{APP}.{name}"


def made_by_backend(settings, layout, *model_classes):
    settings.SINGLESTORE = layout
    with connection.schema_editor() as editor:
        for model in model_classes:
            editor.create_model(model)
    tables = []
    for model in model_classes:
        tables.append(model._meta.db_table)
        tables.extend(
            field.remote_field.through._meta.db_table
            for field in model._meta.local_many_to_many
        )
    return tables


def product_models():
    class Shop(models.Model):
        name = models.CharField(max_length=30)

        class Meta:
            app_label = APP
            db_table = "rt_shop"

    class Tag(models.Model):
        name = models.CharField(max_length=20)

        class Meta:
            app_label = APP
            db_table = "rt_tag"

    class Product(models.Model):
        sku = models.CharField(max_length=12)
        owner = models.BigIntegerField()
        shop = models.ForeignKey(Shop, models.CASCADE)
        code = models.IntegerField(unique=True)
        data = models.JSONField(null=True)
        created = models.DateTimeField(null=True)
        level = models.SmallIntegerField(db_index=True)
        tags = models.ManyToManyField(Tag)
        total = models.GeneratedField(
            expression=F("owner") * 2,
            output_field=models.BigIntegerField(),
            db_persist=True,
        )

        class Meta:
            app_label = APP
            db_table = "rt_product"
            indexes = [models.Index(fields=["sku", "owner"], name="rt_sku_owner")]

    return Shop, Tag, Product


PRODUCT = label("Product")
UNENFORCED = {"UNENFORCED_UNIQUE": [PRODUCT]}
LAYOUTS = {
    "columnstore, shard on the primary key": UNENFORCED,
    "columnstore, shard on the unique column": {"SHARD_KEYS": {PRODUCT: ["code"]}},
    "columnstore with a sort key": {
        "SORT_KEYS": {PRODUCT: ["-created", "sku"]},
        **UNENFORCED,
    },
    "rowstore": {"STORAGE": {PRODUCT: "ROWSTORE"}, **UNENFORCED},
    "reference": {"STORAGE": {PRODUCT: "REFERENCE"}},
    "rowstore reference": {"STORAGE": {PRODUCT: "ROWSTORE REFERENCE"}},
    "shard on a non-key column, unenforced unique": {
        "SHARD_KEYS": {PRODUCT: ["owner"]},
        "UNENFORCED_UNIQUE": [PRODUCT],
    },
    "shard on a foreign key, rowstore, unenforced unique": {
        "STORAGE": {PRODUCT: "ROWSTORE"},
        "SHARD_KEYS": {PRODUCT: ["shop"]},
        "UNENFORCED_UNIQUE": [PRODUCT],
    },
    "keyless, with a sort key": {
        "SHARD_KEYS": {PRODUCT: []},
        "SORT_KEYS": {PRODUCT: ["level"]},
        "UNENFORCED_UNIQUE": [PRODUCT],
    },
}


@pytest.fixture
def leftovers():
    yield
    drop("rt_product_tags", "rt_product", "rt_tag", "rt_shop", *HAND_MADE_TABLES)


@pytest.mark.parametrize("layout", LAYOUTS)
@isolate_apps(f"tests.integration.{APP}")
def test_tables_the_backend_creates(settings, leftovers, layout):
    tables = made_by_backend(settings, LAYOUTS[layout], *product_models())
    entries, before, after, errors = round_trip(settings, tables)
    assert errors == {}
    assert lines(after) == lines(before)
    assert entries["STORAGE"][f"{GENERATED_APP}.RtProduct"] == LAYOUTS[layout].get(
        "STORAGE", {}
    ).get(PRODUCT, "COLUMNSTORE")


HAND_MADE = {
    "composite primary key": (
        "CREATE TABLE hm_pair (a BIGINT NOT NULL, b VARCHAR(10) NOT NULL, v INT,"
        " PRIMARY KEY (b, a), SHARD KEY (a), SORT KEY ())"
    ),
    "no primary key, auto-increment key": (
        "CREATE ROWSTORE TABLE hm_events (id BIGINT AUTO_INCREMENT NOT NULL,"
        " owner BIGINT NOT NULL, payload JSON, KEY (id), SHARD KEY (owner))"
    ),
    "reference table": (
        "CREATE REFERENCE TABLE hm_codes (code VARCHAR(8) NOT NULL,"
        " name LONGTEXT, PRIMARY KEY (code), SORT KEY ())"
    ),
    "JSON, computed and keys": (
        "CREATE TABLE hm_docs (id BIGINT NOT NULL, doc JSON NOT NULL,"
        " kind AS JSON_EXTRACT_BIGINT(doc, 'k') PERSISTED BIGINT,"
        " twice AS size * 2 PERSISTED BIGINT,"
        " size INT NOT NULL, PRIMARY KEY (id), KEY (size),"
        " SHARD KEY (id), SORT KEY (size DESC))"
    ),
    "vectors and a vector index": (
        "CREATE TABLE hm_vectors (id BIGINT NOT NULL, emb VECTOR(3) NOT NULL,"
        " small VECTOR(2, I8), PRIMARY KEY (id), VECTOR INDEX hm_vectors_emb (emb)"
        ' INDEX_OPTIONS \'{"index_type":"HNSW_FLAT","metric_type":"DOT_PRODUCT",'
        '"M":8}\', SHARD KEY (id), SORT KEY ())'
    ),
}


HAND_MADE_TABLES = [
    re.search(r"TABLE (\w+)", ddl).group(1) for ddl in HAND_MADE.values()
]


@pytest.mark.parametrize("table", HAND_MADE)
def test_hand_made_tables(settings, leftovers, table):
    with connection.cursor() as cursor:
        cursor.execute(HAND_MADE[table])
    name = re.search(r"TABLE (\w+)", HAND_MADE[table]).group(1)
    entries, before, after, errors = round_trip(settings, [name])
    assert errors == {}
    assert lines(after) == lines(before)


def test_vector_columns_and_index_come_back_as_vector_api(leftovers):
    with connection.cursor() as cursor:
        cursor.execute(HAND_MADE["vectors and a vector index"])
    try:
        source = inspect("hm_vectors").splitlines()
    finally:
        drop("hm_vectors")
    assert "import django_singlestore.vector" in source
    assert [line for line in source if "vector." in line] == [
        "    emb = django_singlestore.vector.VectorField(dimensions=3)",
        "    small = django_singlestore.vector.VectorField(dimensions=2, "
        "element_type='I8', blank=True, null=True)",
        "        indexes = [django_singlestore.vector.VectorIndex(fields=['emb'], "
        "name='hm_vectors_emb', index_type='HNSW_FLAT', metric='DOT_PRODUCT', "
        "options={'M': 8})]",
    ]


EXISTING = sorted(ORIGINALS)


@pytest.mark.parametrize("table", EXISTING)
def test_tables_of_the_test_database(settings, table):
    """The contrib and integration tables migrate created, on their layouts."""
    entries, before, after, errors = round_trip(settings, [table], keep=True)
    assert errors == {}
    assert lines(after) == lines(before)


def test_a_table_without_any_key_says_what_django_adds(leftovers):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE hm_log (ts DATETIME, msg LONGTEXT, SHARD KEY ())")
    try:
        source = inspect("hm_log")
    finally:
        drop("hm_log")
    assert source.splitlines()[-5:] == [
        "    # No primary key and no AUTO_INCREMENT column: Django gives the",
        "    # model an id column, which the table does not have.",
        "    # SingleStore layout; put in settings.SINGLESTORE:",
        "    #     'STORAGE': {'integration.HmLog': 'COLUMNSTORE'},",
        "    #     'SHARD_KEYS': {'integration.HmLog': []},",
    ]
    with isolate_apps(f"tests.integration.{APP}"):
        (model,) = load(source)
        assert errors_of(model) == []
