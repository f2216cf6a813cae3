"""Helpers for the test double's tests (also used by the fixtures)."""

import itertools
import re
import secrets
from urllib.parse import unquote, urlsplit


def url_params(url):
    """connect() keyword arguments for a `scheme://user:password@host:port` URL."""
    parts = urlsplit(url)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
    }


def error_of(conn, sql):
    """(errno, message) of the error that running `sql` on `conn` raises.

    Works with singlestoredb and PyMySQL connections; fails the test when the
    statement succeeds.
    """
    cursor = conn.cursor()
    try:
        cursor.execute(sql)
        while cursor.nextset():
            pass
    except Exception as exc:
        if len(exc.args) >= 2 and isinstance(exc.args[0], int):
            return exc.args[0], exc.args[1]
        raise
    finally:
        try:
            cursor.close()
        except Exception:
            pass
    raise AssertionError(f"expected an error from {sql!r}, but it succeeded")


SYNTAX = (
    "You have an error in your SQL syntax; check the manual that corresponds to "
    "your SingleStore server version for the right syntax to use near '{}' at line 1"
)


def feature(name, distributed=False):
    """(errno, message) of SingleStore's "Feature '...' is not supported" refusal."""
    tail = " Distributed" if distributed else ""
    return 1706, f"Feature '{name}' is not supported by SingleStore{tail}."


def run(conn, *statements):
    """Runs the statements on one cursor and returns it."""
    cur = conn.cursor()
    for sql in statements:
        cur.execute(sql)
    return cur


def rows(conn, sql):
    """The rows of `sql` as a list of tuples."""
    return [tuple(r) for r in run(conn, sql).fetchall()]


_RUN = secrets.token_hex(3)
_COUNTER = itertools.count(1)


def unique_name(prefix, test_name):
    """A database name unique to this run: prefix, the test's name, a number."""
    stem = re.sub(r"[^a-z0-9]+", "_", test_name.lower()).strip("_")[:32]
    return f"{prefix}_{stem}_{_RUN}_{next(_COUNTER)}"
