"""Which rows would not survive a column type change (SQL, no database)."""

import pytest

from django_singlestore.narrowing import misfit_predicate


@pytest.mark.parametrize(
    "old, new, predicate",
    [
        ("varchar(30)", "varchar(1)", "CHAR_LENGTH(`c`) > 1"),
        ("varchar(30)", "varchar(30)", None),
        ("varchar(1)", "varchar(30)", None),
        ("varchar(30)", "longtext", None),
        ("longtext", "varchar(200)", "CHAR_LENGTH(`c`) > 200"),
        ("integer", "varchar(5)", "CHAR_LENGTH(`c`) > 5"),
        ("smallint", "bigint", None),
        ("bigint AUTO_INCREMENT", "bigint AUTO_INCREMENT", None),
        ("integer", "smallint", "`c` < -32768 OR `c` > 32767"),
        ("integer", "integer UNSIGNED", "`c` < 0 OR `c` > 4294967295"),
        ("integer UNSIGNED", "integer", "`c` < -2147483648 OR `c` > 2147483647"),
        ("smallint UNSIGNED", "integer", None),
        ("bool", "smallint", None),
        (
            "numeric(7, 2)",
            "numeric(5, 1)",
            "`c` <> ROUND(`c`, 1) OR ABS(`c`) >= 10000",
        ),
        ("numeric(5, 1)", "numeric(7, 2)", None),
        ("numeric(5, 2)", "numeric(5, 3)", "`c` <> ROUND(`c`, 3) OR ABS(`c`) >= 100"),
        ("smallint", "numeric(7, 2)", None),
        ("integer", "numeric(7, 2)", "`c` <> ROUND(`c`, 2) OR ABS(`c`) >= 100000"),
        (
            "numeric(7, 2)",
            "integer",
            "`c` <> ROUND(`c`, 0) OR `c` < -2147483648 OR `c` > 2147483647",
        ),
        ("integer", "double precision", None),
        ("bigint", "double precision", "NOT (((`c` :> DOUBLE) :> BIGINT) <=> `c`)"),
        ("varchar(10)", "integer", "NOT (((`c` :> INT) :> VARCHAR(10)) <=> `c`)"),
        ("datetime(6)", "date", "NOT (((`c` :> DATE) :> DATETIME(6)) <=> `c`)"),
        ("longtext", "datetime(6)", "`c` IS NOT NULL AND (`c` :> DATETIME(6)) IS NULL"),
        ("varchar(10)", "time(6)", "`c` IS NOT NULL AND (`c` :> TIME(6)) IS NULL"),
    ],
)
def test_misfit_predicate(old, new, predicate):
    casts = {
        "varchar(10)": "VARCHAR(10)",
        "integer": "INT",
        "bigint": "BIGINT",
        "double precision": "DOUBLE",
        "datetime(6)": "DATETIME(6)",
        "date": "DATE",
        "longtext": "LONGTEXT",
        "time(6)": "TIME(6)",
    }
    assert (
        misfit_predicate("`c`", old, new, casts.get(old), casts.get(new)) == predicate
    )


def test_a_change_between_families_without_cast_types_counts_every_row():
    assert misfit_predicate("`c`", "json", "longblob", None, None) == "TRUE"
