"""A Django test runner whose TestCase classes leave no set-up rows behind.

``TEST_RUNNER = "django_singlestore.test.runner.DiscoverRunner"``: Django's
runner, with a suite that applies :class:`~.isolation.ClassIsolation` to
each ``django.test.TestCase`` class (docs/transactions.rst, "Testing").
"""

import unittest

from django.test import runner

from .isolation import ClassIsolation


class IsolatingTestSuite(unittest.TestSuite):
    """A TestSuite that watches each TestCase class from before its
    setUpClass() until after its class clean-ups, and puts back what the
    class committed outside its tests."""

    _isolation = None

    def _handleClassSetUp(self, test, result):
        # unittest calls this before a class's first test, after the module's
        # set-up: the only point where the class's own writes begin. It has
        # no public hook there; the end is a public class clean-up.
        test_class = type(test)
        if test_class is not getattr(result, "_previousTestClass", None):
            self._end(self._isolation)  # a skipped class never cleans up
            self._isolation = ClassIsolation.of(test_class)
            if self._isolation is not None:
                self._isolation.begin()
                test_class.addClassCleanup(self._end, self._isolation)
        super()._handleClassSetUp(test, result)

    def _end(self, isolation):
        if isolation is not None and isolation is self._isolation:
            self._isolation = None
            isolation.end()

    def run(self, result, debug=False):
        top_level = not getattr(result, "_testRunEntered", False)
        try:
            return super().run(result, debug)
        finally:
            if top_level:
                self._end(self._isolation)


class DiscoverRunner(runner.DiscoverRunner):
    test_suite = IsolatingTestSuite
