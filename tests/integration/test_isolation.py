"""TestCase classes that write in set-up, without savepoints: the rows leak
into later classes under Django's own runner and plain pytest-django, and
do not under django_singlestore.test's runner and pytest plugin.

Each run is a subprocess on apps_isolation (its own test database); its
cases.py checks exactly which rows each class sees. setUpTestData() runs
inside each test's transaction and leaks under neither runner: the rows
later classes see never include its "data" note.
"""

import subprocess
import sys
import unittest
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, models, transaction
from django.db.models import F
from django.test import TestCase
from django.test.utils import CaptureQueriesContext, isolate_apps, override_settings

from django_singlestore.test.isolation import ClassIsolation
from django_singlestore.test.runner import IsolatingTestSuite
from tests.integration.models import Counter

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.integration.apps_isolation.settings"
CASES = "tests.integration.apps_isolation.cases"
LEAKED_INTO_TEST_DATA = (
    "AssertionError: Lists differ: "
    "['class 0', 'class 1', 'class 2', 'data', 'teardown'] != ['data']"
)
LEAKED_INTO_LATER = (
    "AssertionError: Lists differ: ['class 0', 'class 1', 'class 2', 'teardown'] != []"
)


def run(*args):
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done.returncode, done.stdout + done.stderr


def django_test(runner):
    return run(
        "django",
        "test",
        CASES,
        f"--settings={SETTINGS}",
        "--noinput",
        f"--testrunner={runner}",
        "-v",
        "2",
    )


def pytest_run(*plugin):
    return run(
        "pytest",
        *plugin,
        "--ds",
        SETTINGS,
        "-p",
        "no:cacheprovider",
        "-q",
        "-rfE",
        f"{CASES.replace('.', '/')}.py",
    )


def failed_lines(output, prefix):
    """The report lines that start with ``prefix``, without the reason pytest
    appends after " - " (it prints the whole reason when CI is set)."""
    return sorted(
        line.split(" - ", 1)[0]
        for line in output.splitlines()
        if line.startswith(prefix)
    )


@pytest.mark.parametrize("which", ["django", "singlestore"])
def test_django_runner(which):
    runner = {
        "django": "django.test.runner.DiscoverRunner",
        "singlestore": "django_singlestore.test.runner.DiscoverRunner",
    }[which]
    code, output = django_test(runner)
    assert "Ran 4 tests in " in output
    if which == "singlestore":
        assert (code, failed_lines(output, "FAIL:")) == (0, []), output
        assert output.rstrip().splitlines()[-2:] == [
            "OK",
            "Destroying test database for alias 'default' "
            "('test_django_singlestore_isolation')...",
        ]
        return
    assert code == 1
    assert failed_lines(output, "FAIL:") == [
        f"FAIL: test_a_sees_only_its_data ({CASES}.Test2SetUpTestData."
        "test_a_sees_only_its_data)",
        f"FAIL: test_b_sees_only_its_data ({CASES}.Test2SetUpTestData."
        "test_b_sees_only_its_data)",
        f"FAIL: test_nothing_leaked ({CASES}.Test3Later.test_nothing_leaked)",
    ]
    assert failed_lines(output, "AssertionError: Lists differ") == sorted(
        [LEAKED_INTO_TEST_DATA, LEAKED_INTO_TEST_DATA, LEAKED_INTO_LATER]
    )
    assert "FAILED (failures=3)" in output


@pytest.mark.parametrize("which", ["pytest-django", "singlestore"])
def test_pytest_plugin(which):
    plugin = ["-p", "django_singlestore.test.pytest_plugin"]
    code, output = pytest_run(*(plugin if which == "singlestore" else []))
    if which == "singlestore":
        assert (code, failed_lines(output, "FAILED")) == (0, []), output
        assert output.splitlines()[-1].startswith("4 passed in ")
        return
    path = "tests/integration/apps_isolation/cases.py"
    assert code == 1
    assert failed_lines(output, "FAILED") == [
        f"FAILED {path}::Test2SetUpTestData::test_a_sees_only_its_data",
        f"FAILED {path}::Test2SetUpTestData::test_b_sees_only_its_data",
        f"FAILED {path}::Test3Later::test_nothing_leaked",
    ]
    assert failed_lines(output, "E       AssertionError") == [
        f"E       {LEAKED_INTO_TEST_DATA}",
        f"E       {LEAKED_INTO_TEST_DATA}",
        f"E       {LEAKED_INTO_LATER}",
    ]
    assert output.splitlines()[-1].startswith("3 failed, 1 passed in ")


@contextmanager
def created(model):
    """``model``'s table, for the block."""
    with connection.schema_editor() as editor:
        editor.create_model(model)
    try:
        yield
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(model)


@pytest.fixture
def order_table():
    with isolate_apps("tests.integration"):

        class Order(models.Model):
            quantity = models.IntegerField()
            price = models.IntegerField()
            total = models.GeneratedField(
                expression=F("quantity") * F("price"),
                output_field=models.BigIntegerField(),
                db_persist=True,
            )

            class Meta:
                app_label = "integration"
                db_table = "t_isolation_order"

        with created(Order):
            yield Order


def rows(model):
    return sorted(model.objects.values_list("id", "quantity", "price", "total"))


@pytest.mark.django_db(transaction=True)
def test_writes_outside_tests_are_put_back_with_computed_columns(order_table):
    Order = order_table
    kept = Order.objects.create(id=1, quantity=2, price=3)
    isolation = ClassIsolation(["default"])
    isolation.begin()
    Order.objects.create(id=2, quantity=1, price=1)
    Order.objects.filter(pk=kept.pk).update(quantity=5)
    Counter.objects.create(code="a")
    with transaction.atomic():
        Counter.objects.filter(code="a").update(hits=2)
    assert rows(Order) == [(1, 5, 3, 15), (2, 1, 1, 1)]
    with CaptureQueriesContext(connection) as queries:
        assert isolation.end() == [
            ("default", "t_isolation_order"),
            ("default", "integration_counter"),
        ]
    assert rows(Order) == [(1, 2, 3, 6)]
    assert Counter.objects.count() == 0
    # Nothing is watched any more.
    Counter.objects.create(code="b")
    assert [query["sql"] for query in queries.captured_queries] == [
        "SELECT `id`, `quantity`, `price` FROM `t_isolation_order`",
        "BEGIN",
        "DELETE FROM `t_isolation_order`",
        "1 times: INSERT INTO `t_isolation_order` (`id`, `quantity`, `price`) "
        "VALUES (%s, %s, %s)",
        "COMMIT",
        "SELECT `code`, `hits`, `label` FROM `integration_counter`",
        "BEGIN",
        "DELETE FROM `integration_counter`",
        "COMMIT",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_class_that_writes_only_in_its_tests_costs_no_statement():
    class Writes(TestCase):
        @classmethod
        def setUpTestData(cls):
            Counter.objects.create(code="data")

        def test_one(self):
            Counter.objects.create(code="one")
            self.assertEqual(Counter.objects.count(), 2)

    sent = []

    def record(execute, sql, params, many, context):
        if not sql.startswith("SET SESSION"):  # a new connection's set-up
            sent.append(sql)
        return execute(sql, params, many, context)

    suite = IsolatingTestSuite([Writes("test_one")])
    with connection.execute_wrapper(record):
        result = unittest.TestResult()
        suite.run(result)
    assert (result.testsRun, result.failures, result.errors) == (1, [], [])
    insert = (
        "INSERT INTO `integration_counter` (`code`, `hits`, `label`) "
        "VALUES (%s, %s, %s)"
    )
    assert sent == [
        insert,
        insert,
        "SELECT COUNT(*) AS `__count` FROM `integration_counter`",
    ]
    assert Counter.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_under_skip_autocommit_the_tests_writes_are_put_back_at_class_end():
    class Writes(TestCase):
        def test_one(self):
            Counter.objects.create(code="one")

        def test_two(self):
            self.assertEqual(Counter.objects.count(), 1)

    suite = IsolatingTestSuite([Writes("test_one"), Writes("test_two")])
    with override_settings(SINGLESTORE={"SKIP_AUTOCOMMIT": True}):
        result = unittest.TestResult()
        suite.run(result)
    assert (result.testsRun, result.failures, result.errors) == (2, [], [])
    assert Counter.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@isolate_apps("tests.integration")
def test_a_table_that_cannot_be_restored_does_not_stop_the_others():
    class Pair(models.Model):
        left = models.IntegerField()
        right = models.IntegerField()

        class Meta:
            app_label = "integration"
            db_table = "t_isolation_pair"

    with created(Pair):
        Pair.objects.create(left=1, right=2)
        isolation = ClassIsolation(["default"])
        isolation.begin()
        Pair.objects.create(left=3, right=4)
        Counter.objects.create(code="a")
        with connection.schema_editor() as editor:
            editor.remove_field(Pair, Pair._meta.get_field("right"))
        with pytest.raises(DatabaseError) as raised:
            isolation.end()
        # The read of the table's rows fails; the text after the column name
        # is the server's own.
        assert raised.value.args[0] == 1054
        assert raised.value.args[1].startswith("Unknown column 'right' in ")
        assert isolation.restored == [("default", "integration_counter")]
        assert Counter.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_table_dropped_since_is_left_alone(order_table):
    Order = order_table
    isolation = ClassIsolation(["default"])
    isolation.begin()
    Order.objects.create(quantity=1, price=1)
    with connection.schema_editor() as editor:
        editor.delete_model(Order)
    assert isolation.end() == []
    with connection.schema_editor() as editor:
        editor.create_model(Order)
