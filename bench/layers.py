"""Where the client CPU of one ORM workload goes, layer by layer.

Runs workloads of ``orm.py`` under cProfile (timed by CPU time), once
through this backend ("ours") and once through Django's MySQL backend
("mysql"), after one unprofiled warm-up run each, and prints, per
configuration, the own time (cProfile's ``tottime``) of every layer divided
by the number of statements the workload sent: Django, Django's MySQL
backend (which this backend subclasses), this backend, the singlestoredb
driver's Python and its C extension, mysqlclient's Python (``MySQLdb``) and
C (``_mysql``), socket calls, and other built-ins. ``--top N`` also lists
each configuration's N functions with the most own time. cProfile's own
overhead inflates every Python call, so the layers compare with each other,
not with the timings of ``orm.py``. For statement workloads it then replays
the statements ours sent on each driver alone, without the profiler
(``driver_floor``).

    scripts/with-database.sh .venv/bin/python bench/layers.py [--top N] [workload ...]

Workload names are the keys of ``LAYER_WORKLOADS`` (default: all of them).
"""

import argparse
import cProfile
import pstats
import time
from collections import defaultdict

import orm

LAYER_WORKLOADS = {
    "get": orm.w_get,
    "save": orm.w_save,
    "update": orm.w_update,
    "connect": orm.w_connect,
    "aggregate": orm.w_aggregate,
    "values_list_integers": orm.w_values_list_integers,
    "bulk_create": orm.w_bulk_create,
}
ALIASES = {"ours": "default", "mysql": "mysql"}
# (layer, test on the code's file name); the first that matches wins.
LAYERS = (
    ("django_singlestore", lambda path: "/django_singlestore/" in path),
    ("singlestoredb", lambda path: "/singlestoredb/" in path),
    ("mysqlclient", lambda path: "/MySQLdb/" in path),
    # Django's MySQL backend: ours subclasses it, mysql is it.
    ("django mysql backend", lambda path: "/django/db/backends/mysql/" in path),
    ("django", lambda path: "/django/" in path),
    ("bench", lambda path: "/bench/" in path),
)
SOCKET_CALLS = ("recv", "recv_into", "send", "sendall", "connect", "readinto")


def layer_of(path, name):
    for layer, test in LAYERS:
        if test(path):
            return layer
    if path != "~":
        return "stdlib"
    if any(f"'{call}'" in name for call in SOCKET_CALLS):
        return "socket calls"
    if "_mysql" in name or "<function Connection." in name:
        return "mysqlclient C"
    if "_singlestoredb_accel" in name:
        return "singlestoredb C"
    return "builtins"


def statements(workload, alias):
    """How many statements one run of ``workload`` sends through ``alias``."""
    from django.db import connections

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    run = workload(alias)
    connection = connections[alias]
    connection.ensure_connection()
    with connection.execute_wrapper(counter):
        run()
    return count


def profile(workload, alias):
    workload(alias)()  # warm-up: imports, caches, first connection
    run = workload(alias)
    # CPU time, not wall time: waiting for the server is not the client's.
    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(run)
    return pstats.Stats(profiler)


def layers(stats):
    totals = defaultdict(float)
    for (path, _, name), (_, _, tottime, _, _) in stats.stats.items():
        totals[layer_of(path, name)] += tottime
    return totals


def top(stats, count):
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:count]
    return [
        f"    {tottime * 1e3:8.1f} ms {calls:>8} calls  {name} "
        f"({path.rsplit('/', 2)[-1]}:{line})"
        for (path, line, name), (_, calls, tottime, _, _) in rows
    ]


def mysqlclient_connection():
    import MySQLdb

    s = orm.server()
    return MySQLdb.connect(
        host=s["HOST"],
        port=s["PORT"],
        user=s["USER"],
        password=s["PASSWORD"],
        database=orm.DATABASE,
        charset="utf8mb4",
        autocommit=True,
    )


def driver_floor(workload):
    """Client CPU µs per statement of ours' statements replayed on each
    driver alone (no Django): this backend's driver subclass (driver.py) with
    the connection arguments it uses, singlestoredb's stock connection and
    mysqlclient's. Best of five runs, alternating."""
    from django.db import connections

    statements = orm.capture(workload)
    ours = connections["default"]
    cursors = {
        "driver.py": ours.get_new_connection(ours.get_connection_params()).cursor(),
        "stock singlestoredb": orm.raw_connection().cursor(),
        "mysqlclient": mysqlclient_connection().cursor(),
    }
    best = dict.fromkeys(cursors, float("inf"))
    for _ in range(5):
        for name, cursor in cursors.items():
            workload("default")  # the same table state before every replay
            start = time.process_time()
            orm.play(statements, cursor)
            spent = time.process_time() - start
            best[name] = min(best[name], spent / len(statements) * 1e6)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workloads", nargs="*", default=list(LAYER_WORKLOADS))
    parser.add_argument("--top", type=int, default=0)
    options = parser.parse_args()
    orm.prepare()
    for name in options.workloads:
        workload = LAYER_WORKLOADS[name]
        per = {}
        tops = {}
        for config, alias in ALIASES.items():
            sent = statements(workload, alias)
            stats = profile(workload, alias)
            # connect sends no statement: per connection instead.
            divisor = orm.CONNECTS if workload is orm.w_connect else max(sent, 1)
            per[config] = {k: v / divisor * 1e6 for k, v in layers(stats).items()}
            tops[config] = top(stats, options.top)
        unit = "connection" if workload is orm.w_connect else "statement"
        print(f"\n{name}: own CPU time in µs per {unit} (under cProfile)")
        names = sorted(
            {k for v in per.values() for k in v}, key=lambda k: -per["ours"].get(k, 0)
        )
        print(f"  {'layer':<20} {'ours':>8} {'mysql':>8}")
        for layer in names:
            print(
                f"  {layer:<20} {per['ours'].get(layer, 0):8.1f} "
                f"{per['mysql'].get(layer, 0):8.1f}"
            )
        print(
            f"  {'total':<20} {sum(per['ours'].values()):8.1f} "
            f"{sum(per['mysql'].values()):8.1f}"
        )
        if workload is not orm.w_connect:
            floor = driver_floor(workload)
            print(
                "  without cProfile, the same statements on the driver alone: "
                + ", ".join(f"{k} {v:.1f} µs" for k, v in floor.items())
            )
        for config in ALIASES:
            if tops[config]:
                print(f"  top functions, {config}:")
                print("\n".join(tops[config]))


if __name__ == "__main__":
    orm.configure()
    main()
