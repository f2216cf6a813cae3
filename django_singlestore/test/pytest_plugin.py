"""pytest-django: TestCase classes leave no set-up rows behind.

Enable it with ``-p django_singlestore.test.pytest_plugin`` (or
``pytest_plugins = ["django_singlestore.test.pytest_plugin"]`` in the root
conftest.py). A class-scoped autouse fixture applies
:class:`~.isolation.ClassIsolation` to each ``django.test.TestCase`` class:
set up before the class's setUpClass(), torn down after its tearDownClass()
and class clean-ups (docs/transactions.rst, "Testing").
"""

import pytest
from django.test import TestCase

from .isolation import ClassIsolation


@pytest.fixture(scope="class", autouse=True)
def _django_singlestore_class_isolation(request):
    isolation = _isolation_of(request) if request.cls is not None else None
    if isolation is None:
        yield
        return
    isolation.begin()
    try:
        yield
    finally:
        with request.getfixturevalue("django_db_blocker").unblock():
            isolation.end()


def _isolation_of(request):
    if not issubclass(request.cls, TestCase) or not request.cls.databases:
        return None
    # The test database must exist before the class's setUpClass() runs.
    request.getfixturevalue("django_db_setup")
    return ClassIsolation.of(request.cls)
