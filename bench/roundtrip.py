"""Round-trip cost of the SingleStore test double against MariaDB directly.

Times, with the singlestoredb driver and in one run, 10,000 `SELECT 1` round
trips and one fetch of a 10,000-row table, through the double's proxy
(SINGLESTORE_TEST_URL) and straight to the MariaDB behind it
(DOUBLE_MARIADB_URL), and prints the best times and the ratios. The sides
alternate often so that load from other processes weighs on both alike.
Ratios are reported, never asserted. Run it with `make bench`.
"""

import os
import sys
import time
from urllib.parse import urlsplit

import singlestoredb

ROUND_TRIPS = 10_000
BLOCKS = 20  # alternate sides every 500 round trips: load bursts hit both alike
ROWS = 10_000
DATABASE = "bench_roundtrip"


def connect(url, database=None):
    parts = urlsplit(url)
    return singlestoredb.connect(
        host=parts.hostname, port=parts.port, user=parts.username or "root",
        password=parts.password or "", database=database, autocommit=True)


def select_one(through, straight):
    """(double, MariaDB) seconds for ROUND_TRIPS `SELECT 1` each, run in
    BLOCKS alternating between the sides."""
    totals = [0.0, 0.0]
    for _ in range(BLOCKS):
        for side, conn in enumerate((through, straight)):
            cursor = conn.cursor()
            start = time.perf_counter()
            for _ in range(ROUND_TRIPS // BLOCKS):
                cursor.execute("SELECT 1")
                cursor.fetchall()
            totals[side] += time.perf_counter() - start
    return tuple(totals)


def fetch_rows(through, straight):
    """(double, MariaDB) seconds to fetch the ROWS-row table."""
    times = []
    for conn in (through, straight):
        cursor = conn.cursor()
        start = time.perf_counter()
        cursor.execute("SELECT id, name, amount, created FROM bench_rows")
        rows = cursor.fetchall()
        times.append(time.perf_counter() - start)
        if len(rows) != ROWS:
            raise SystemExit(f"expected {ROWS} rows, fetched {len(rows)}")
    return tuple(times)


def prepare(url):
    with connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        cursor.execute(f"CREATE DATABASE {DATABASE}")
        cursor.execute(
            f"CREATE TABLE {DATABASE}.bench_rows (id BIGINT PRIMARY KEY, "
            "name VARCHAR(64) NOT NULL, amount DECIMAL(12, 2) NOT NULL, "
            "created DATETIME NOT NULL)")
        values = ", ".join(
            f"({i}, 'name-{i:05d}', {i % 1000}.25, '2024-01-01 00:00:00')"
            for i in range(ROWS))
        cursor.execute(f"INSERT INTO {DATABASE}.bench_rows VALUES {values}")


def best_pair(measure, double, direct, repeats):
    """Best of `repeats` runs on each side, on warmed-up connections."""
    with connect(double, DATABASE) as through, connect(direct, DATABASE) as straight:
        measure(through, straight)
        times = [measure(through, straight) for _ in range(repeats)]
    return min(t[0] for t in times), min(t[1] for t in times)


def main():
    double = os.environ.get("SINGLESTORE_TEST_URL")
    direct = os.environ.get("DOUBLE_MARIADB_URL")
    if not double or not direct:
        print("bench/roundtrip.py needs SINGLESTORE_TEST_URL and DOUBLE_MARIADB_URL: "
              "run `make bench`, or start the double and "
              'eval "$(.venv/bin/python -m tests.double env)" first', file=sys.stderr)
        return 2
    prepare(double)
    print(f"{'measure':<28}{'double':>10}{'MariaDB':>10}{'ratio':>8}")
    for label, measure, repeats in (
            (f"{ROUND_TRIPS:,} x SELECT 1", select_one, 5),
            (f"fetch {ROWS:,} rows", fetch_rows, 15)):
        through, straight = best_pair(measure, double, direct, repeats)
        print(f"{label:<28}{through:>9.3f}s{straight:>9.3f}s"
              f"{through / straight:>7.2f}x")
    with connect(double) as conn, conn.cursor() as cursor:
        cursor.execute(f"DROP DATABASE {DATABASE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
