"""Introspection of tables the backend created, and inspectdb on them."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def introspect(method, table):
    with connection.cursor() as cursor:
        return getattr(connection.introspection, method)(cursor, table)


def test_tables_and_views():
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE VIEW t_backend_cheap AS SELECT id, name FROM integration_item "
            "WHERE price < 5"
        )
    try:
        listed = {
            info.name: info.type
            for info in connection.introspection.get_table_list(connection.cursor())
        }
        assert listed["integration_item"] == "t"
        assert listed["integration_item_tags"] == "t"
        assert listed["t_backend_cheap"] == "v"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP VIEW t_backend_cheap")


def test_columns_with_exact_types():
    description = {
        info.name: (info.data_type, info.null_ok, info.display_size, info.scale)
        for info in introspect("get_table_description", "integration_item")
    }
    assert {name: value[0] for name, value in description.items()} == {
        "id": "bigint",
        "name": "varchar",
        "price": "decimal",
        "created": "datetime",
        "data": "json",
        "category_id": "bigint",
    }
    assert description["name"][1:3] == (False, 100)
    assert description["price"][3] == 2
    assert description["created"][1] is True


def test_field_types_for_inspectdb():
    with connection.cursor() as cursor:
        fields = {
            info.name: connection.introspection.get_field_type(info.type_code, info)
            for info in connection.introspection.get_table_description(
                cursor, "integration_item"
            )
        }
    assert fields == {
        "id": "BigAutoField",
        "name": "CharField",
        "price": "DecimalField",
        "created": "DateTimeField",
        "data": "JSONField",
        "category_id": "BigIntegerField",
    }


def test_primary_key_and_sequences():
    assert introspect("get_primary_key_columns", "integration_item") == ["id"]
    assert introspect("get_primary_key_columns", "integration_item_tags") == [
        "item_id",
        "tag_id",
    ]
    assert introspect("get_sequences", "integration_item") == [
        {"table": "integration_item", "column": "id"}
    ]


def test_constraints_leave_out_shard_and_sort_keys():
    constraints = introspect("get_constraints", "integration_item_tags")
    summary = {
        name: (info["columns"], info["primary_key"], info["unique"])
        for name, info in constraints.items()
    }
    assert summary["PRIMARY"] == (["item_id", "tag_id"], True, True)
    assert sorted(columns for columns, _, _ in summary.values()) == [
        ["id"],
        ["item_id"],
        ["item_id", "tag_id"],
        ["tag_id"],
    ]
    category = introspect("get_constraints", "integration_category")
    assert [
        (info["columns"], info["enforced"])
        for info in category.values()
        if info["unique"] and not info["primary_key"]
    ] == [(["slug"], True)]


def test_table_storage():
    assert introspect("get_table_storage", "integration_item") == (
        "COLUMNSTORE",
        ("id",),
        (("created", True),),
    )
    assert introspect("get_table_storage", "integration_item_tags") == (
        "COLUMNSTORE",
        ("item_id",),
        (),
    )
    assert introspect("get_table_storage", "integration_category") == (
        "ROWSTORE REFERENCE",
        None,
        None,
    )
    assert introspect("get_table_storage", "integration_counter") == (
        "ROWSTORE",
        ("code",),
        None,
    )


def test_table_storage_of_a_missing_table():
    with pytest.raises(LookupError, match="Table 't_backend_none' does not exist."):
        introspect("get_table_storage", "t_backend_none")


def test_inspectdb_gives_equivalent_models():
    out = StringIO()
    call_command("inspectdb", "integration_counter", "integration_category", stdout=out)
    text = out.getvalue()
    assert (
        "class IntegrationCounter(models.Model):\n"
        "    code = models.CharField(primary_key=True, max_length=10)\n"
        "    hits = models.IntegerField()\n"
        "    label = models.CharField(max_length=20)\n"
    ) in text
    assert (
        "class IntegrationCategory(models.Model):\n"
        "    id = models.BigAutoField(primary_key=True)  # AutoField?\n"
        "    slug = models.CharField(unique=True, max_length=50)\n"
        "    name = models.CharField(max_length=50)\n"
    ) in text
