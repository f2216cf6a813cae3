"""inspectdb on tables the backend created gives models equivalent to the originals.

Equivalent: the same db_table, and for every column the field class Django's
introspection promises for the original (features.introspected_field_types;
foreign keys come back as integer columns because SingleStore stores no foreign
keys), the same max_length, decimal digits, null, unique and primary key, and
the same unique_together. Every table here was created by the backend: by the
test database's migrations (integration and contrib apps) or, for the
UNENFORCED unique key, by the schema editor in the test.
"""

from io import StringIO

import pytest
from django.apps import apps
from django.core import checks
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import isolate_apps

from django_singlestore.tables import plan_for
from tests.integration import CONTRIB_LABELS

pytestmark = pytest.mark.django_db

HEADER = """\
# This is an auto-generated Django model module.
# You'll have to do the following manually to clean this up:
#   * Rearrange models' order
#   * Make sure each model has one field with primary_key=True
#   * Make sure each ForeignKey and OneToOneField has `on_delete` set to the desired behavior
#   * Remove `managed = False` lines if you wish to allow Django to create, modify, and delete the table
# Feel free to rename the models, but don't rename db_table values or field names.
from django.db import models
"""  # noqa: E501

INTEGRATION_TABLES = (
    "integration_category",
    "integration_counter",
    "integration_item",
    "integration_item_tags",
    "integration_tag",
)


def inspectdb(*tables):
    out = StringIO()
    call_command("inspectdb", *tables, stdout=out)
    return out.getvalue()


def originals():
    found = {}
    for label in (*CONTRIB_LABELS, "integration"):
        config = apps.get_app_config(label)
        for model in config.get_models(include_auto_created=True):
            found[model._meta.db_table] = model
    return found


ORIGINALS = originals()


def generated_model(table):
    """Run inspectdb's text for ``table`` and return the model it defines."""
    source = inspectdb(table)
    namespace = {"__name__": "tests.integration.apps_inspect.generated"}
    with isolate_apps("tests.integration.apps_inspect") as registry:
        exec(compile(source, f"<inspectdb {table}>", "exec"), namespace)
        generated = [
            value
            for value in namespace.values()
            if isinstance(value, type)
            and issubclass(value, models.Model)
            and value is not models.Model
        ]
        errors = [
            error
            for model in generated
            for error in model.check(databases=["default"])
            if error.level >= checks.ERROR
        ]
    assert len(generated) == 1, source
    return generated[0], errors, registry


def expected_class(field):
    """The field class inspectdb should write for the column of ``field``."""
    if field.is_relation:
        # No foreign keys in SingleStore: the column of the target, widened.
        return "BigIntegerField"
    kind = field.get_internal_type()
    if field.column not in plan_for(field.model).primary_key and kind.endswith(
        "AutoField"
    ):
        # Kept AUTO_INCREMENT outside the primary key (many-to-many tables).
        return "AutoIncrementField"
    if kind == "SlugField":
        return "CharField"
    return connection.features.introspected_field_types.get(kind, kind)


def shape(field):
    return {
        "class": type(field).__name__,
        "max_length": field.max_length,
        "null": field.null,
        "db_collation": field.db_collation if hasattr(field, "db_collation") else None,
        "unique": field.unique and not field.primary_key,
        "max_digits": getattr(field, "max_digits", None),
        "decimal_places": getattr(field, "decimal_places", None),
    }


def expected_shape(field):
    return {**shape(field), "class": expected_class(field)}


def columns_of(fields):
    return {field.column: field for field in fields}


def unique_sets(model):
    opts = model._meta
    return {
        frozenset(opts.get_field(name).column for name in names)
        for names in opts.unique_together
    }


def pk_columns(model):
    return tuple(field.column for field in model._meta.pk_fields)


TABLES = sorted(ORIGINALS)


@pytest.mark.parametrize("table", TABLES)
def test_generated_columns_match_the_original(table):
    original = ORIGINALS[table]
    model, _, _ = generated_model(table)
    assert model._meta.db_table == table
    assert model._meta.managed is False
    mine = columns_of(original._meta.local_concrete_fields)
    theirs = columns_of(model._meta.local_concrete_fields)
    assert {c: shape(f) for c, f in theirs.items()} == {
        c: expected_shape(f) for c, f in mine.items()
    }
    assert pk_columns(model) == plan_for(original).primary_key
    assert unique_sets(model) == unique_sets(original) - {
        frozenset(plan_for(original).primary_key)
    }


THROUGH = [
    table for table, model in sorted(ORIGINALS.items()) if model._meta.auto_created
]


@pytest.mark.parametrize("table", sorted(set(ORIGINALS) - set(THROUGH)))
def test_generated_model_passes_the_system_checks(table):
    _, errors, _ = generated_model(table)
    assert errors == []


@pytest.mark.parametrize("table", THROUGH)
def test_generated_through_model_passes_the_system_checks(table):
    _, errors, _ = generated_model(table)
    assert errors == []


def test_text_of_a_many_to_many_table():
    assert inspectdb("integration_item_tags", "django_flatpage_sites") == (
        HEADER
        + """import django_singlestore.fields


class IntegrationItemTags(models.Model):
    pk = models.CompositePrimaryKey('item_id', 'tag_id')
    id = django_singlestore.fields.AutoIncrementField()
    item_id = models.BigIntegerField(db_index=True)
    tag_id = models.BigIntegerField(db_index=True)

    class Meta:
        managed = False
        db_table = 'integration_item_tags'

    # SingleStore layout; put in settings.SINGLESTORE (app_label: this app's label):
    #     'STORAGE': {'app_label.IntegrationItemTags': 'COLUMNSTORE'},
    #     'SHARD_KEYS': {'app_label.IntegrationItemTags': ['item_id']},


class DjangoFlatpageSites(models.Model):
    pk = models.CompositePrimaryKey('flatpage_id', 'site_id')
    id = django_singlestore.fields.AutoIncrementField()
    flatpage_id = models.BigIntegerField(db_index=True)
    site_id = models.BigIntegerField(db_index=True)

    class Meta:
        managed = False
        db_table = 'django_flatpage_sites'

    # SingleStore layout; put in settings.SINGLESTORE (app_label: this app's label):
    #     'STORAGE': {'app_label.DjangoFlatpageSites': 'ROWSTORE REFERENCE'},
"""
    )


def test_text_of_contrib_tables():
    assert inspectdb("auth_user", "django_redirect", "django_session") == (
        HEADER
        + """

class AuthUser(models.Model):
    id = models.BigAutoField(primary_key=True)  # AutoField?
    password = models.CharField(max_length=128)
    last_login = models.DateTimeField(blank=True, null=True)
    is_superuser = models.BooleanField()
    username = models.CharField(unique=True, max_length=150)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    email = models.CharField(max_length=254)
    is_staff = models.BooleanField()
    is_active = models.BooleanField()
    date_joined = models.DateTimeField()

    class Meta:
        managed = False
        db_table = 'auth_user'

    # SingleStore layout; put in settings.SINGLESTORE (app_label: this app's label):
    #     'STORAGE': {'app_label.AuthUser': 'ROWSTORE REFERENCE'},


class DjangoRedirect(models.Model):
    id = models.BigAutoField(primary_key=True)  # AutoField?
    site_id = models.BigIntegerField(db_index=True)
    old_path = models.CharField(max_length=200, db_index=True)
    new_path = models.CharField(max_length=200)

    class Meta:
        managed = False
        db_table = 'django_redirect'
        unique_together = (('site_id', 'old_path'),)

    # SingleStore layout; put in settings.SINGLESTORE (app_label: this app's label):
    #     'STORAGE': {'app_label.DjangoRedirect': 'ROWSTORE REFERENCE'},


class DjangoSession(models.Model):
    session_key = models.CharField(primary_key=True, max_length=40)
    session_data = models.TextField()
    expire_date = models.DateTimeField(db_index=True)

    class Meta:
        managed = False
        db_table = 'django_session'

    # SingleStore layout; put in settings.SINGLESTORE (app_label: this app's label):
    #     'STORAGE': {'app_label.DjangoSession': 'ROWSTORE REFERENCE'},
"""
    )


def test_text_of_integration_tables():
    assert inspectdb("integration_category", "integration_counter") == (
        HEADER
        + """

class IntegrationCategory(models.Model):
    id = models.BigAutoField(primary_key=True)  # AutoField?
    slug = models.CharField(unique=True, max_length=50)
    name = models.CharField(max_length=50)

    class Meta:
        managed = False
        db_table = 'integration_category'

    # SingleStore layout; put in settings.SINGLESTORE (app_label: this app's label):
    #     'STORAGE': {'app_label.IntegrationCategory': 'ROWSTORE REFERENCE'},


class IntegrationCounter(models.Model):
    code = models.CharField(primary_key=True, max_length=10)
    hits = models.IntegerField()
    label = models.CharField(max_length=20)

    class Meta:
        managed = False
        db_table = 'integration_counter'

    # SingleStore layout; put in settings.SINGLESTORE (app_label: this app's label):
    #     'STORAGE': {'app_label.IntegrationCounter': 'ROWSTORE'},
"""
    )


BADGE_SETTINGS = {
    "STORAGE": {"integration.Category": "ROWSTORE REFERENCE"},
    "SHARD_KEYS": {"apps_inspect.Badge": ["owner"]},
    "SORT_KEYS": {"apps_inspect.Badge": ["-level"]},
    "UNENFORCED_UNIQUE": ["apps_inspect.Badge"],
}


@pytest.fixture
def badge_table(settings):
    """A table with an UNENFORCED unique key, created by the schema editor."""
    with isolate_apps("tests.integration.apps_inspect"):

        class Badge(models.Model):
            owner = models.BigIntegerField()
            code = models.BigIntegerField(unique=True)
            level = models.SmallIntegerField()

            class Meta:
                app_label = "apps_inspect"

    settings.SINGLESTORE = BADGE_SETTINGS
    with connection.schema_editor() as editor:
        editor.create_model(Badge)
    try:
        yield Badge._meta.db_table
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Badge)


@pytest.mark.django_db(transaction=True)
def test_unenforced_unique_key_comes_back_unique(badge_table):
    with connection.cursor() as cursor:
        storage = connection.introspection.get_table_storage(cursor, badge_table)
        constraints = connection.introspection.get_constraints(cursor, badge_table)
    assert storage == ("COLUMNSTORE", ("owner",), (("level", True),))
    assert {
        name: (info["columns"], info["unique"], info["enforced"])
        for name, info in constraints.items()
    } == {
        "apps_inspect_badge_id_4bf4300f_key": (["id"], False, True),
        "apps_inspect_badge_code_a972eb9f_uniq": (["code"], True, False),
    }
    # No primary key (unique keys must hold the shard key): the id column,
    # still AUTO_INCREMENT, is the model's primary key again.
    lines = inspectdb(badge_table).splitlines()
    assert "    id = models.BigAutoField(primary_key=True)  # AutoField?" in lines
    assert "    code = models.BigIntegerField(unique=True)" in lines
    assert lines[-5:] == [
        "    # SingleStore layout; put in settings.SINGLESTORE (app_label: this "
        "app's label):",
        "    #     'STORAGE': {'app_label.AppsInspectBadge': 'COLUMNSTORE'},",
        "    #     'SHARD_KEYS': {'app_label.AppsInspectBadge': ['owner']},",
        "    #     'SORT_KEYS': {'app_label.AppsInspectBadge': ['-level']},",
        "    #     'UNENFORCED_UNIQUE': ['app_label.AppsInspectBadge'],",
    ]
