"""The Django test-suite expectations the features hand to Django's runner."""

import pytest
from django.db import connection

from django_singlestore import features
from django_singlestore.features import PASSING_MYSQL_SKIPS
from django_singlestore.test_expectations import (
    EXPECTED_FAILURES,
    LAYOUT_EXPECTED_FAILURES,
)

pytestmark = pytest.mark.django_db


def test_expected_failures_are_mysqls_and_singlestores():
    # Django's MySQL backend books no expected failures of its own; the
    # project's settings keep the COLUMNSTORE default: the reference layout's.
    assert connection.features.django_test_expected_failures == (
        EXPECTED_FAILURES | LAYOUT_EXPECTED_FAILURES["reference"]
    )
    assert (
        "migrations.test_operations.OperationTests.test_rename_field_unique_together"
        in connection.features.django_test_expected_failures
    )


def test_the_auto_default_storage_books_the_sharded_layout(settings):
    settings.SINGLESTORE = {"DEFAULT_STORAGE": "AUTO"}
    fresh = type(connection.features)(connection)
    assert fresh.django_test_expected_failures == (
        EXPECTED_FAILURES | LAYOUT_EXPECTED_FAILURES["sharded"]
    )
    assert "schema.tests.SchemaTests.test_db_comment_table" in (
        fresh.django_test_expected_failures
    )
    assert (
        "migrations.test_operations.OperationTests.test_rename_field_unique_together"
        not in fresh.django_test_expected_failures
    )


def test_layout_bookings_are_apart_from_the_common_ones():
    assert set(LAYOUT_EXPECTED_FAILURES) == {"reference", "sharded"}
    for tests in LAYOUT_EXPECTED_FAILURES.values():
        assert tests and not tests & EXPECTED_FAILURES


def test_mysql_skips_that_still_hold_are_kept():
    skips = connection.features.django_test_skips
    assert skips[
        "MySQL doesn't support functional indexes on a function that returns JSON"
    ] == {"schema.tests.SchemaTests.test_func_index_json_key_transform"}
    assert skips["MariaDB and MySQL >= 8.0.18 specific."] == {
        "queries.test_explain.ExplainTests.test_mysql_analyze"
    }


def test_mysql_skips_that_pass_are_dropped():
    skipped = set().union(*connection.features.django_test_skips.values())
    assert skipped & PASSING_MYSQL_SKIPS == set()
    assert "This doesn't work on MySQL." not in connection.features.django_test_skips
    assert (
        "MySQL supports multiplying and dividing DurationFields by a scalar value "
        "but it's not implemented (#25287)."
        not in connection.features.django_test_skips
    )


def test_singlestore_skips_join_mysqls(monkeypatch):
    reason = "MariaDB and MySQL >= 8.0.18 specific."
    monkeypatch.setattr(
        features,
        "SKIPS",
        {reason: {"a.tests.T.test_a"}, "SingleStore reason": {"b.tests.T.test_b"}},
    )
    skips = features.DatabaseFeatures(connection).django_test_skips
    assert skips[reason] == {
        "queries.test_explain.ExplainTests.test_mysql_analyze",
        "a.tests.T.test_a",
    }
    assert skips["SingleStore reason"] == {"b.tests.T.test_b"}
