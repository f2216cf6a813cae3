"""Cost of a table rebuild against the bare copy of the same rows.

Fills a columnstore table with ROWS rows, then times, alternating, a rebuild
(an IntegerField becoming a BigIntegerField and back, through the schema
editor: create, rename, INSERT ... SELECT, two counts, swap, counter sync,
drop) and the bare `INSERT ... SELECT` of the same rows into an empty table
of the same shape. Prints the best time of each and the ratio rebuild / bare
copy. Ratios are reported, never asserted. Run it against a running double
(or SINGLESTORE_URL) with `scripts/with-database.sh .venv/bin/python
bench/rebuild.py [rows]`.
"""

import os
import sys
import time

import django
from django.apps.registry import Apps
from django.conf import settings
from target import admin_connection, database

ROWS = 1_000_000
REPEATS = 3
DATABASE = "bench_rebuild"
TABLE = "bench_rebuild_reading"


def server(url, *statements):
    """Run ``statements`` on the server, outside any database."""
    with admin_connection(url) as admin, admin.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def configure(url):
    settings.configure(
        DATABASES={
            "default": {
                "ENGINE": "django_singlestore",
                **database(url),
                "NAME": DATABASE,
            }
        },
        INSTALLED_APPS=[],
        USE_TZ=True,
    )
    django.setup()


def reading_model(value_field):
    from django.db import models

    meta = type("Meta", (), {"app_label": "bench", "db_table": TABLE, "apps": Apps()})
    return type(
        "Reading",
        (models.Model,),
        {
            "__module__": __name__,
            "Meta": meta,
            "value": value_field,
            "label": models.CharField(max_length=20),
        },
    )


def fill(connection, rows):
    """Insert ``rows`` rows by doubling (one statement per doubling)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO `{TABLE}` (`id`, `value`, `label`) VALUES (1, 1, 'r-1')"
        )
        count = 1
        while count < rows:
            step = min(count, rows - count)
            cursor.execute(
                f"INSERT INTO `{TABLE}` (`id`, `value`, `label`) SELECT `id` + "
                f"{count}, `value` + {count}, `label` FROM `{TABLE}` "
                f"WHERE `id` <= {step}"
            )
            count += step


def bare_copy(connection, editor, model):
    """Seconds for INSERT ... SELECT of every row into a fresh empty table."""
    sql, params = editor.table_sql(model, name="bench_bare_copy")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS `bench_bare_copy`")
        cursor.execute(sql, params)
        start = time.perf_counter()
        cursor.execute(
            f"INSERT INTO `bench_bare_copy` (`id`, `value`, `label`) "
            f"SELECT `id`, `value`, `label` FROM `{TABLE}`"
        )
        elapsed = time.perf_counter() - start
        cursor.execute("DROP TABLE `bench_bare_copy`")
    return elapsed


def main():
    url = os.environ.get("SINGLESTORE_TEST_URL")
    if not url:
        print(
            "bench/rebuild.py needs SINGLESTORE_TEST_URL: run it through "
            "scripts/with-database.sh",
            file=sys.stderr,
        )
        return 2
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else ROWS
    server(url, f"DROP DATABASE IF EXISTS {DATABASE}", f"CREATE DATABASE {DATABASE}")
    configure(url)
    from django.db import connection, models

    narrow = reading_model(models.IntegerField())
    wide = reading_model(models.BigIntegerField())
    with connection.schema_editor() as editor:
        editor.create_model(narrow)
    fill(connection, rows)
    rebuilds, copies = [], []
    shapes = [(narrow, wide), (wide, narrow)]
    for _ in range(REPEATS):
        for old, new in shapes:
            with connection.schema_editor() as editor:
                copies.append(bare_copy(connection, editor, old))
                start = time.perf_counter()
                editor.alter_field(
                    old, old._meta.get_field("value"), new._meta.get_field("value")
                )
                rebuilds.append(time.perf_counter() - start)
    rebuild, copy = min(rebuilds), min(copies)
    print(f"rows: {rows:,}")
    print(f"{'rebuild':<12}{rebuild:>9.3f}s")
    print(f"{'bare copy':<12}{copy:>9.3f}s")
    print(f"{'ratio':<12}{rebuild / copy:>9.2f}x")
    connection.close()
    server(url, f"DROP DATABASE {DATABASE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
