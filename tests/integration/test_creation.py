"""Test-database cloning (Django's --parallel) by copying tables."""

import pytest
from django.db import connection

from .models import Counter

pytestmark = pytest.mark.django_db(transaction=True)


def test_clone_copies_tables_with_their_shape_and_rows():
    Counter.objects.create(code="kept", hits=3)
    source = connection.settings_dict["NAME"]
    target = f"{source}_clone_9"
    try:
        connection.creation._clone_test_db("clone_9", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT `code`, `hits` FROM `{target}`.`integration_counter`"
            )
            assert list(cursor.fetchall()) == [("kept", 3)]
            cursor.execute(f"SHOW CREATE TABLE `{target}`.`integration_counter`")
            clone_ddl = cursor.fetchone()[1]
            cursor.execute("SHOW CREATE TABLE `integration_counter`")
            assert clone_ddl == cursor.fetchone()[1]
            cursor.execute(
                "SELECT COUNT(*) FROM information_schema.TABLES "
                "WHERE TABLE_SCHEMA = %s",
                [target],
            )
            copied = cursor.fetchone()[0]
        assert copied == len(connection.introspection.table_names())
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{target}`")
