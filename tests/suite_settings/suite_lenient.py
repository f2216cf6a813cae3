"""A test runner for Django's suite that names the passing tests which sent a
statement touching one of the test double's lenient gaps (statements the
double runs although SingleStore may refuse them; tests/double/KNOWN_GAPS.md).

After each test it asks every open connection ``DOUBLE SHOW LENIENT`` and
compares the counts with those before the test. A connection opened during
the test counts from zero; statements of connections the test closed, or of
other threads' connections, are not seen. Against a real server (no
``DOUBLE`` statements) it counts nothing. It works in one process only
(``--parallel 1``); with parallel workers each worker's results are not
seen, and the closing line says so.
"""

import unittest

from django.db import connections
from django.test.runner import DiscoverRunner

# The line scripts/django_suite.py reads, and its prefix for each test id.
SUMMARY = "Lenient-gap passes:"
PASS_PREFIX = "LENIENT PASS:"


def lenient_counts():
    """{(alias, id of the driver connection): statements} for every open
    connection through the double."""
    counts = {}
    for conn in connections.all(initialized_only=True):
        raw = conn.connection
        if raw is None:
            continue
        try:
            with raw.cursor() as cursor:
                cursor.execute("DOUBLE SHOW LENIENT")
                total = sum(int(row[1]) for row in cursor.fetchall())
        except Exception:
            # Not the double, or a connection the test broke on purpose.
            continue
        counts[(conn.alias, id(raw))] = total
    return counts


class LenientResult(unittest.TextTestResult):
    touched = []

    def startTest(self, test):
        self._before = lenient_counts()
        self._passed = False
        super().startTest(test)

    def addSuccess(self, test):
        self._passed = True
        super().addSuccess(test)

    def stopTest(self, test):
        super().stopTest(test)
        after = lenient_counts()
        if self._passed and any(
            count > self._before.get(key, 0) for key, count in after.items()
        ):
            self.touched.append(test.id())


class LenientGapRunner(DiscoverRunner):
    def get_resultclass(self):
        return super().get_resultclass() or LenientResult

    def run_suite(self, suite, **kwargs):
        result = super().run_suite(suite, **kwargs)
        if self.parallel > 1:
            print(f"{SUMMARY} not counted (--parallel {self.parallel})")
            return result
        for test_id in LenientResult.touched:
            print(f"{PASS_PREFIX} {test_id}")
        print(f"{SUMMARY} {len(LenientResult.touched)}")
        return result
