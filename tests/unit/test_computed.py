"""Computed-column text: the parentheses the schema editor drops, and the
expressions read back from SHOW CREATE TABLE."""

import pytest

from django_singlestore.computed import computed_columns, unwrap


@pytest.mark.parametrize(
    "sql,expected",
    [
        ("(`a` + `b`)", "`a` + `b`"),
        ("((`a`))", "(`a`)"),
        ("(`a`) + (`b`)", "(`a`) + (`b`)"),
        ("LOWER(`a`)", "LOWER(`a`)"),
        ("(CONCAT(')', `a`))", "CONCAT(')', `a`)"),
        ("('(' + `a`)", "'(' + `a`"),
        ("('it''s)' + `a`)", "'it''s)' + `a`"),
        ("('\\\\' + `a`) + (1)", "('\\\\' + `a`) + (1)"),
        ("(`x)y` + 1)", "`x)y` + 1"),
        ("", ""),
    ],
)
def test_unwrap(sql, expected):
    assert unwrap(sql) == expected


def test_computed_columns_of_show_create_table():
    text = (
        "CREATE TABLE `t` (\n"
        "  `id` bigint(20) NOT NULL,\n"
        "  `total` AS `quantity` * `price` PERSISTED bigint(20),\n"
        "  `odd``name` AS CONCAT('PERSISTED ', `a`) PERSISTED varchar(30) "
        "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin COMMENT 'x',\n"
        "  `last` AS (`a` * 2) PERSISTED bigint(20) NOT NULL\n"
        ") AUTOSTATS_CARDINALITY_MODE=INCREMENTAL"
    )
    assert computed_columns(text) == {
        "total": "`quantity` * `price`",
        "odd`name": "CONCAT('PERSISTED ', `a`)",
        "last": "(`a` * 2)",
    }
