"""as_singlestore registrations: the SQL each function compiles to, and rows."""

import pytest
from django.db import NotSupportedError, connection
from django.db.models import CharField, Value, Window
from django.db.models.functions import (
    SHA256,
    Chr,
    Collate,
    Concat,
    Lag,
    Lead,
    Length,
    Now,
    Ord,
    Random,
)
from django.test.utils import CaptureQueriesContext

from .models import Counter

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter():
    return Counter.objects.create(code="ab", hits=65, label="Xy")


def select_sql(captured):
    sql = captured[0]["sql"]
    return sql[len("SELECT ") : sql.index(" FROM ")]


def test_text_functions(counter):
    with CaptureQueriesContext(connection) as captured:
        row = Counter.objects.values_list(
            Length("label"),
            Ord("label"),
            Chr("hits"),
            Concat("code", Value("-"), "label", output_field=CharField()),
        ).get()
    assert row == (2, 88, "A", "ab-Xy")
    assert select_sql(captured) == (
        "CHAR_LENGTH(`integration_counter`.`label`) AS `length1`, "
        "ORD(`integration_counter`.`label`) AS `ord1`, "
        "(CHAR(`integration_counter`.`hits`) :> LONGTEXT) AS `chr1`, "
        "CONCAT_WS('', `integration_counter`.`code`, CONCAT_WS('', '-', "
        "`integration_counter`.`label`)) AS `concat1`"
    )


def test_sha256(counter):
    digest = Counter.objects.values_list(SHA256("code"), flat=True).get()
    assert digest == (
        "fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603"
    )


def test_now_and_random(counter):
    with CaptureQueriesContext(connection) as captured:
        now, random = Counter.objects.values_list(Now(), Random()).get()
    assert now.tzinfo is not None and 0 <= random < 1
    assert select_sql(captured) == (
        "CURRENT_TIMESTAMP(6) AS `now1`, RAND() AS `random1`"
    )


def test_collate(counter):
    with CaptureQueriesContext(connection) as captured:
        value = Counter.objects.values_list(
            Collate("label", "utf8mb4_bin"), flat=True
        ).get()
    assert value == "Xy"
    assert select_sql(captured) == (
        "(`integration_counter`.`label` :> LONGTEXT) COLLATE `utf8mb4_bin` "
        "AS `collate1`"
    )


def test_lag_and_lead_with_an_offset(counter):
    Counter.objects.create(code="cd", hits=7, label="Zz")
    with CaptureQueriesContext(connection) as captured:
        rows = list(
            Counter.objects.annotate(
                after=Window(Lead("hits", 1), order_by="code"),
                before=Window(Lag("hits"), order_by="code"),
            )
            .order_by("code")
            .values_list("code", "after", "before")
        )
    assert rows == [("ab", 7, None), ("cd", None, 65)]
    assert select_sql(captured).endswith(
        "LEAD(`integration_counter`.`hits`, 1) OVER (ORDER BY "
        "`integration_counter`.`code`) AS `after`, "
        "LAG(`integration_counter`.`hits`, 1) OVER (ORDER BY "
        "`integration_counter`.`code`) AS `before`"
    )


@pytest.mark.parametrize("function", [Lag, Lead])
def test_lag_and_lead_default_refused(counter, function):
    query = Counter.objects.annotate(
        other=Window(function("hits", 1, default=0), order_by="code")
    )
    name = function.function
    with pytest.raises(NotSupportedError) as error:
        list(query)
    assert str(error.value) == (
        f"SingleStore's {name} takes no default value ({name}(expression[, "
        f"offset])). Drop default= and wrap the window in Coalesce() if NULL "
        f"never occurs in the column."
    )
