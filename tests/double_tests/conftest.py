"""Fixtures for the test double's tests.

SINGLESTORE_TEST_URL names the server under test: the double's proxy, or a
real SingleStore when SINGLESTORE_URL is set (then the double-only fixtures,
`mariadb` and `faults`, skip). scripts/with-database.sh exports both URLs.
"""

import os

import pymysql
import pytest
import singlestoredb

from tests.double_tests.util import error_of, unique_name, url_params

__all__ = ["error_of"]

NO_TEST_URL = (
    "SINGLESTORE_TEST_URL is not set: run the tests through `make test` (or "
    "scripts/with-database.sh), or start the double and "
    "`eval \"$(.venv/bin/python -m tests.double env)\"`"
)
NO_MARIADB_URL = (
    "DOUBLE_MARIADB_URL is not set: this test reads the MariaDB behind the test "
    "double, which only exists when the tests run against the double"
)
NOT_THE_DOUBLE = (
    "SINGLESTORE_URL names a real SingleStore server; fault injection and DOUBLE "
    "statements exist only in the test double"
)


@pytest.fixture(scope="session")
def double_url():
    url = os.environ.get("SINGLESTORE_TEST_URL")
    if not url:
        pytest.skip(NO_TEST_URL)
    return url


@pytest.fixture(scope="session")
def is_double():
    return not os.environ.get("SINGLESTORE_URL")


def connect(url, database=None, **kwargs):
    params = dict(url_params(url), autocommit=True)
    params.update(kwargs)
    return singlestoredb.connect(database=database, **params)


def close_quietly(conn):
    try:
        conn.close()
    except Exception:
        pass


@pytest.fixture
def s2_connect(double_url):
    """s2_connect(database=None, **kwargs): a new singlestoredb connection
    (autocommit on) to the server under test, closed at teardown."""
    opened = []

    def s2_connect(database=None, **kwargs):
        conn = connect(double_url, database, **kwargs)
        opened.append(conn)
        return conn

    yield s2_connect
    for conn in opened:
        close_quietly(conn)


@pytest.fixture
def s2(double_url, s2_connect, request):
    """A singlestoredb connection to a fresh database, dropped at teardown."""
    name = unique_name("t_dbl", request.node.name)
    with connect(double_url) as admin, admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}`")
    yield s2_connect(name)
    # a fresh connection: the test may have broken its own (faults)
    with connect(double_url) as admin, admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")


@pytest.fixture
def mariadb():
    """A PyMySQL connection straight to the MariaDB behind the double."""
    url = os.environ.get("DOUBLE_MARIADB_URL")
    if not url:
        pytest.skip(NO_MARIADB_URL)
    conn = pymysql.connect(autocommit=True, charset="utf8mb4", **url_params(url))
    yield conn
    close_quietly(conn)


class Faults:
    """Arms the double's proxy-wide faults through a connection of its own."""

    def __init__(self, conn):
        self.conn = conn

    def execute(self, statement):
        with self.conn.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchall() if cursor.description else None

    @staticmethod
    def _tail(pattern, times):
        quoted = pattern.replace("\\", "\\\\").replace("'", "\\'")
        return f" ON '{quoted}'" + (f" TIMES {times}" if times else "")

    def error(self, errno, message, pattern, times=None):
        text = message.replace("\\", "\\\\").replace("'", "\\'")
        tail = self._tail(pattern, times)
        self.execute(f"DOUBLE FAULT ERROR {errno} '{text}'{tail}")

    def disconnect(self, pattern, times=None):
        self.execute("DOUBLE FAULT DISCONNECT" + self._tail(pattern, times))

    def latency(self, ms, pattern, times=None):
        self.execute(f"DOUBLE FAULT LATENCY {ms}" + self._tail(pattern, times))

    def clear(self):
        self.execute("DOUBLE FAULT CLEAR")

    def show(self):
        return [tuple(row) for row in self.execute("DOUBLE SHOW FAULTS")]

    def settings(self):
        return dict(self.execute("DOUBLE SHOW SETTINGS"))

    def set(self, name, value):
        self.execute(f"DOUBLE SET {name} '{value}'")


@pytest.fixture
def faults(double_url, is_double):
    """Fault control for one test; clears the faults and restores the settings
    at teardown. Faults are proxy-wide: match only this test's statements."""
    if not is_double:
        pytest.skip(NOT_THE_DOUBLE)
    conn = pymysql.connect(autocommit=True, **url_params(double_url))
    helper = Faults(conn)
    saved = helper.settings()
    yield helper
    helper.clear()
    for name, value in saved.items():
        helper.set(name.upper(), value)
    close_quietly(conn)
