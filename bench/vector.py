"""Vector search through the ORM against the same SQL on the raw driver cursor.

In one run, on SINGLESTORE_TEST_URL (the test double, or the real server
SINGLESTORE_URL names; run it with `make bench-vector`):

- loads ROWS deterministic DIMENSIONS-element vectors twice, once with
  ``bulk_create`` of VectorField values and once with the driver's
  ``executemany`` of the same JSON array text into a twin table, in batches
  of BATCH rows, and prints the ratio ORM / raw (target: at most 1.5x);
- for each metric, fetches the top 10 rows nearest a query vector through the
  ORM (``order_by(DotProduct(...).desc())[:10]`` and
  ``order_by(EuclideanDistance(...))[:10]``, model instances) and with the
  raw cursor running the SQL text the ORM sent, alternating the sides, and
  prints the best times and the ratio (target: at most 1.2x).

Ratios are reported, never asserted; the script exits 0. Options: --rows,
--dimensions, --batch, --repeats (the defaults are the issue's 100,000 rows
of 256 dimensions), and --search-rows N, which deletes all but N rows before
the searches: the test double computes each distance in a stored function
(about 5 ms per 256-element row), so a search over 100,000 rows takes
minutes there.
"""

import argparse
import json
import os
import random
import sys
import time

import django
from django.conf import settings
from target import admin_connection, database

DATABASE = "bench_vector"


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
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()


def vectors(rows, dimensions, seed=11):
    """``rows`` deterministic vectors with four-decimal elements."""
    rng = random.Random(seed)
    return [
        [round(rng.uniform(-1, 1), 4) for _ in range(dimensions)] for _ in range(rows)
    ]


def model_for(name, table, dimensions):
    from django.db import models

    from django_singlestore.vector import VectorField

    meta = type("Meta", (), {"app_label": "bench", "db_table": table})
    return type(
        name,
        (models.Model,),
        {
            "__module__": __name__,
            "Meta": meta,
            "id": models.BigIntegerField(primary_key=True),
            "embedding": VectorField(dimensions=dimensions),
        },
    )


def create_tables(dimensions):
    """The ORM's table and its raw twin, made by the same DDL."""
    from django.db import connection

    orm = model_for("Embedding", "bench_orm", dimensions)
    with connection.schema_editor() as editor:
        editor.create_model(orm)
        editor.create_model(model_for("RawEmbedding", "bench_raw", dimensions))
    return orm


def load(model, data, batch):
    """(ORM seconds, raw seconds) to insert ``data`` into each table."""
    from django.db import connection

    start = time.perf_counter()
    model.objects.bulk_create(
        (model(id=i, embedding=vector) for i, vector in enumerate(data)),
        batch_size=batch,
    )
    orm = time.perf_counter() - start
    raw_cursor = connection.connection.cursor()
    start = time.perf_counter()
    for offset in range(0, len(data), batch):
        raw_cursor.executemany(
            "INSERT INTO bench_raw (id, embedding) VALUES (%s, %s)",
            [
                (offset + i, json.dumps(vector, separators=(",", ":")))
                for i, vector in enumerate(data[offset : offset + batch])
            ],
        )
    raw = time.perf_counter() - start
    raw_cursor.close()
    return orm, raw


def top10(model, expression, repeats):
    """(best ORM seconds, best raw seconds, ids) for the top 10 rows, the
    sides alternating."""
    from django.db import connection

    query = model.objects.order_by(expression.nearest())[:10]
    sql, params = query.query.sql_with_params()
    raw_cursor = connection.connection.cursor()
    orm_times, raw_times = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        found = list(query.all())
        orm_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        raw_cursor.execute(sql, params)
        rows = raw_cursor.fetchall()
        raw_times.append(time.perf_counter() - start)
    raw_cursor.close()
    ids = [row.id for row in found]
    if ids != [row[0] for row in rows]:
        raise SystemExit(f"ORM and raw answers differ: {ids} / {[r[0] for r in rows]}")
    return min(orm_times), min(raw_times), ids


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dimensions", type=int, default=256)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--search-rows", type=int, default=None)
    args = parser.parse_args(argv)
    url = os.environ.get("SINGLESTORE_TEST_URL")
    if not url:
        print(
            "bench/vector.py needs SINGLESTORE_TEST_URL: run `make bench-vector`",
            file=sys.stderr,
        )
        return 2
    with admin_connection(url) as admin, admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        cursor.execute(f"CREATE DATABASE {DATABASE}")
    configure(url)
    from django_singlestore.vector import DotProduct, EuclideanDistance

    model = create_tables(args.dimensions)
    data = vectors(args.rows, args.dimensions)
    query = vectors(1, args.dimensions, seed=5)[0]
    print(f"{args.rows:,} rows x {args.dimensions} dimensions, batches of {args.batch}")
    print(f"{'measure':<30}{'ORM':>10}{'raw':>10}{'ratio':>8}")
    row = "{:<30}{:>9.3f}s{:>9.3f}s{:>7.2f}x"
    orm, raw = load(model, data, args.batch)
    print(row.format("bulk_create / executemany", orm, raw, orm / raw))
    if args.search_rows is not None:
        model.objects.filter(id__gte=args.search_rows).delete()
        print(f"searches over {model.objects.count():,} rows")
    for label, expression in (
        ("top 10 by DOT_PRODUCT", DotProduct("embedding", query)),
        ("top 10 by EUCLIDEAN_DISTANCE", EuclideanDistance("embedding", query)),
    ):
        orm, raw, _ = top10(model, expression, args.repeats)
        print(row.format(label, orm, raw, orm / raw))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE {DATABASE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
