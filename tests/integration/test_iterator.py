"""QuerySet.iterator() streams its rows (driver.StreamingCursor).

Whether the rows really stay on the server until fetched is shown by the
driver's state after the first chunk; memory is measured by bench/orm.py,
not asserted here.
"""

import pytest
from django.db import connection, transaction
from django.test import override_settings

from django_singlestore.base import DatabaseWrapper
from django_singlestore.driver import StreamingCursor
from tests.integration.models import Counter

CODES = [f"c{n:02}" for n in range(10)]


@pytest.fixture
def counters(db):
    Counter.objects.bulk_create(
        Counter(code=code, hits=n, label=f"label {n}") for n, code in enumerate(CODES)
    )


def ordered():
    return Counter.objects.order_by("code")


def streaming_result():
    result = connection.connection._result
    return result is not None and result.unbuffered_active


def test_iterator_returns_every_row_in_order(counters):
    rows = [(c.code, c.hits, c.label) for c in ordered().iterator(chunk_size=3)]
    assert rows == [(code, n, f"label {n}") for n, code in enumerate(CODES)]


def test_rows_stay_on_the_server_until_fetched(counters):
    rows = ordered().values_list("hits", flat=True).iterator(chunk_size=3)
    assert next(rows) == 0
    assert streaming_result() is True
    assert list(rows) == list(range(1, 10))
    assert streaming_result() is False


def test_save_inside_the_loop(counters):
    for counter in ordered().iterator(chunk_size=3):
        counter.hits += 100
        counter.save()
    assert list(ordered().values_list("code", "hits")) == [
        (code, n + 100) for n, code in enumerate(CODES)
    ]


def test_queries_inside_the_loop_in_a_transaction(counters):
    seen = []
    with transaction.atomic():
        for counter in ordered().iterator(chunk_size=4):
            # The other query reads the rest of the stream first; the loop
            # goes on with every row.
            seen.append(
                (counter.code, Counter.objects.filter(hits__lt=counter.hits).count())
            )
            Counter.objects.filter(code=counter.code).update(label="seen")
    assert seen == [(code, n) for n, code in enumerate(CODES)]
    assert set(Counter.objects.values_list("label", flat=True)) == {"seen"}


def test_leaving_the_loop_early_frees_the_connection(counters):
    for counter in ordered().iterator(chunk_size=3):
        if counter.hits == 4:
            break
    assert list(ordered().values_list("hits", flat=True)[:2]) == [0, 1]


def test_an_unfinished_iterator_goes_on_after_other_queries(counters):
    rows = ordered().values_list("hits", flat=True).iterator(chunk_size=2)
    first = [next(rows), next(rows), next(rows)]
    assert Counter.objects.get(code="c09").hits == 9
    assert streaming_result() is False
    assert first + list(rows) == list(range(10))


def test_disable_server_side_cursors_reads_the_whole_result(counters):
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = True
    try:
        rows = ordered().values_list("hits", flat=True).iterator(chunk_size=3)
        assert next(rows) == 0
        assert streaming_result() is False
        assert list(rows) == list(range(1, 10))
    finally:
        del connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"]


@override_settings(DEBUG=True)
def test_a_streamed_query_is_logged_like_any_other(counters):
    connection.queries_log.clear()
    assert sum(1 for _ in ordered().iterator(chunk_size=3)) == 10
    assert [query["sql"] for query in connection.queries] == [
        "SELECT `integration_counter`.`code`, `integration_counter`.`hits`, "
        "`integration_counter`.`label` FROM `integration_counter` "
        "ORDER BY `integration_counter`.`code` ASC"
    ]


@pytest.mark.django_db(transaction=True)
def test_without_the_drivers_c_extension():
    wrapper = DatabaseWrapper(
        {**connection.settings_dict, "OPTIONS": {"pure_python": True}}, alias="pure"
    )
    try:
        stream = wrapper.chunked_cursor()
        stream.execute("SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 ORDER BY 1")
        # Django's cursor wrapper, the backend's, the driver's cursor.
        assert type(stream.cursor.cursor) is StreamingCursor
        assert stream.fetchone() == (1,)
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 4")
            assert cursor.fetchall() == [(4,)]
        assert stream.fetchmany(5) == [(2,), (3,)]
        stream.close()
    finally:
        wrapper.close()
