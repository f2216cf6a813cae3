"""The names a table rebuild gives its two copies (no database)."""

from django.db import connection

from django_singlestore.rebuild import leftover_names


def test_leftover_names_of_a_short_table():
    assert leftover_names(connection, "shop_order") == (
        "shop_order__rebuild_new",
        "shop_order__rebuild_old",
    )


def test_leftover_names_of_a_long_table_are_shortened_apart():
    table = "t" * 60
    new, old = leftover_names(connection, table)
    assert (len(new), len(old)) == (64, 64)
    assert new[:60] == old[:60] == table
    assert new != old
