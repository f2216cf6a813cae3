"""django_singlestore.fields.AutoIncrementField without a database."""

from django.db import connection

from django_singlestore.fields import AutoIncrementField


def test_column_types():
    field = AutoIncrementField()
    assert field.db_type(connection) == "bigint AUTO_INCREMENT"
    assert field.rel_db_type(connection) == "bigint"
    assert (field.db_index, field.blank) == (True, True)


def test_deconstruct_leaves_out_the_defaults():
    field = AutoIncrementField()
    field.set_attributes_from_name("id")
    assert field.deconstruct() == (
        "id",
        "django_singlestore.fields.AutoIncrementField",
        [],
        {},
    )
    field = AutoIncrementField(db_index=False, blank=False, null=True)
    field.set_attributes_from_name("n")
    assert field.deconstruct()[3] == {"db_index": False, "blank": False, "null": True}
