"""Which table a statement writes, as django_singlestore.test.isolation reads it."""

import pytest

from django_singlestore.test.isolation import written_table


@pytest.mark.parametrize(
    ("sql", "table"),
    [
        ("INSERT INTO `app_note` (`text`) VALUES (%s)", "app_note"),
        ("insert ignore into app_note (text) values ('a')", "app_note"),
        ("INSERT app_note SET text = 'a'", "app_note"),
        ("REPLACE INTO `app_note` VALUES (1, 'a')", "app_note"),
        ("  UPDATE `app_note` SET `text` = %s WHERE `id` = %s", "app_note"),
        ("UPDATE LOW_PRIORITY IGNORE app_note SET text = ''", "app_note"),
        ("DELETE FROM `app_note` WHERE `id` IN (%s)", "app_note"),
        ("DELETE `app_note` FROM `app_note` INNER JOIN `x` ON 1", "app_note"),
        ("DELETE QUICK FROM app_note", "app_note"),
        ("TRUNCATE `app_note`", "app_note"),
        ("TRUNCATE TABLE app_note", "app_note"),
        ("INSERT INTO `odd``name` VALUES (1)", "odd`name"),
        ("SELECT * FROM `app_note`", None),
        ("WITH t AS (SELECT 1) SELECT * FROM t", None),
        ("INSERT INTO `other_db`.`app_note` VALUES (1)", None),
        ("UPDATE other_db . app_note SET text = ''", None),
        ("CREATE TABLE `app_note` (`id` bigint)", None),
        ("CALL refill()", None),
        (b"INSERT INTO app_note VALUES (1)", None),
    ],
)
def test_written_table(sql, table):
    assert written_table(sql) == table
