"""A test runner for Django's suite that names the passing tests which sent a
statement touching one of the test double's lenient gaps (statements the
double runs although SingleStore may refuse them; tests/double/KNOWN_GAPS.md).

After each test it asks every open connection ``DOUBLE SHOW LENIENT`` and
compares the counts with those before the test. A connection opened during
the test counts from zero; statements of connections the test closed, or of
other threads' connections, are not seen. Against a real server (no
``DOUBLE`` statements) it counts nothing.

With ``--parallel N`` the tests run in worker processes, each on its own
clone of the test databases, and the main process only replays the events
the workers send back. The counting then happens in the workers (on their
own connections), and a worker reports a lenient-gap pass as one more event,
``addLenientPass``, which the main process's result collects like the
others. (Django's own worker result sends no such event, and the main
process's connections never see the workers' statements: that is why the
count once needed ``--parallel 1``.)
"""

import unittest

from django.db import connections
from django.test.runner import (
    DiscoverRunner,
    ParallelTestSuite,
    RemoteTestResult,
    RemoteTestRunner,
)

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


class LenientCounting:
    """Compares the counts around each test of the process that runs it; a
    passing test whose counts grew goes to ``lenient_pass``."""

    # False in the main process of a parallel run, which only replays.
    counting = True

    def startTest(self, test):
        if self.counting:
            self._before = lenient_counts()
        self._passed = False
        super().startTest(test)

    def addSuccess(self, test):
        self._passed = True
        super().addSuccess(test)

    def stopTest(self, test):
        super().stopTest(test)
        if not (self.counting and self._passed):
            return
        after = lenient_counts()
        if any(count > self._before.get(key, 0) for key, count in after.items()):
            self.lenient_pass(test)


class LenientResult(LenientCounting, unittest.TextTestResult):
    touched = []

    def lenient_pass(self, test):
        self.touched.append(test.id())

    def addLenientPass(self, test):
        """A worker's lenient-gap pass, replayed (LenientRemoteResult)."""
        self.lenient_pass(test)


class LenientRemoteResult(LenientCounting, RemoteTestResult):
    """A worker's result: a lenient-gap pass becomes an event for the main
    process."""

    def lenient_pass(self, test):
        self.events.append(("addLenientPass", self.test_index))


class LenientRemoteRunner(RemoteTestRunner):
    resultclass = LenientRemoteResult


class LenientParallelSuite(ParallelTestSuite):
    runner_class = LenientRemoteRunner


class LenientGapRunner(DiscoverRunner):
    parallel_test_suite = LenientParallelSuite

    def get_resultclass(self):
        return super().get_resultclass() or LenientResult

    def run_suite(self, suite, **kwargs):
        LenientResult.counting = not isinstance(suite, ParallelTestSuite)
        result = super().run_suite(suite, **kwargs)
        for test_id in LenientResult.touched:
            print(f"{PASS_PREFIX} {test_id}")
        print(f"{SUMMARY} {len(LenientResult.touched)}")
        return result
