"""Nested atomic() blocks without savepoints (django_singlestore/transactions.py).

A rollback to an emulated savepoint is a no-op when the block wrote nothing
and the server kept the transaction open after the failed statement; every
other one is refused and the outermost block rolls back. The server's
answer after a failure is fault-injected through the double: ``DOUBLE FAULT
ERROR`` leaves the transaction open, ``... ROLLBACK`` ends it first (see
tests/double/TRANSACTIONS.md).
"""

import os
import secrets
import threading
from functools import partial

import pytest
from django.db import (
    DatabaseError,
    IntegrityError,
    NotSupportedError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.db.models import F
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from tests.integration.models import Counter

pytestmark = pytest.mark.django_db(transaction=True)
double_only = pytest.mark.skipif(
    bool(os.environ.get("SINGLESTORE_URL")),
    reason="DOUBLE FAULT statements exist only in the test double",
)

BROKEN = (
    "An error occurred in the current transaction. You can't execute queries "
    "until the end of the 'atomic' block."
)
WROTE_ONE = (
    "SingleStore has no savepoints, so the nested atomic() block cannot be "
    "rolled back on its own: it had run 1 writing statement since it began, "
    "which only a rollback of the whole transaction undoes. The outermost "
    "atomic() block rolls back. To keep the outer work, let the inner block "
    "fail before it writes (check first, or make the failing statement its "
    "first write), or run it in a transaction of its own."
)
DEADLOCK = "Deadlock found when trying to get lock; try restarting transaction"


def lost(error):
    return (
        "SingleStore has no savepoints, and the server ended the whole "
        "transaction when a statement inside the nested atomic() block failed "
        f"({error}), so the work done before the block is lost as well. The "
        "outermost atomic() block rolls back; retry the whole transaction."
    )


def codes():
    return list(Counter.objects.order_by("code").values_list("code", flat=True))


@pytest.fixture
def fault():
    """fault(errno, message, rollback=False) -> a token for one failing UPDATE.

    Armed through a connection of its own, so that the DOUBLE statement is
    not one of the transaction's statements.
    """
    control = connection.get_new_connection(connection.get_connection_params())
    tokens = []

    def arm(errno, message, rollback=False):
        token = f"tok_{secrets.token_hex(6)}"
        tokens.append(token)
        tail = " ROLLBACK" if rollback else ""
        with control.cursor() as cursor:
            cursor.execute(
                f"DOUBLE FAULT ERROR {errno} '{message}'{tail} ON '{token}' TIMES 1"
            )
        return token

    yield arm
    with control.cursor() as cursor:
        cursor.execute("DOUBLE FAULT CLEAR")
    control.close()


def failing_update(token):
    Counter.objects.filter(label=token).update(hits=1)


def test_failed_first_write_is_rolled_back_alone():
    with CaptureQueriesContext(connection) as queries:
        with transaction.atomic():
            Counter.objects.create(code="a")
            with pytest.raises(IntegrityError):
                with transaction.atomic():
                    Counter.objects.create(code="a", label="again")
            Counter.objects.create(code="b")
    assert codes() == ["a", "b"]
    insert = "INSERT INTO `integration_counter` (`code`, `hits`, `label`) VALUES "
    assert [query["sql"] for query in queries.captured_queries] == [
        "BEGIN",
        insert + "('a', 0, '')",
        insert + "('a', 0, 'again')",
        insert + "('b', 0, '')",
        "COMMIT",
    ]


def test_only_statements_inside_a_transaction_are_counted():
    Counter.objects.create(code="a", hits=1)
    Counter.objects.update(hits=2)
    assert connection.savepoints.writes == 0
    with transaction.atomic():
        assert connection.savepoints.writes == 0
        Counter.objects.update(hits=3)
        list(Counter.objects.all())
        assert connection.savepoints.writes == 1
    assert list(Counter.objects.values_list("hits", flat=True)) == [3]


def test_rollback_of_a_block_that_only_read():
    with transaction.atomic():
        Counter.objects.create(code="a")
        with transaction.atomic():
            assert codes() == ["a"]
            transaction.set_rollback(True)
        Counter.objects.create(code="b")
    assert codes() == ["a", "b"]


def test_block_that_wrote_is_refused_and_the_outer_block_rolls_back():
    with transaction.atomic():
        Counter.objects.create(code="a")
        with pytest.raises(IntegrityError):
            with transaction.atomic():
                Counter.objects.create(code="b")
                Counter.objects.create(code="a")
        with pytest.raises(TransactionManagementError) as raised:
            codes()
    assert str(raised.value) == f"{BROKEN} {WROTE_ONE}"
    assert codes() == []


def test_update_that_matched_no_row_is_not_a_write():
    with transaction.atomic():
        Counter.objects.create(code="a")
        with pytest.raises(DatabaseError) as raised:
            with transaction.atomic():
                Counter(code="gone").save(force_update=True)
        assert str(raised.value) == "Forced update did not affect any rows."
        Counter.objects.create(code="b")
    assert codes() == ["a", "b"]


def test_dry_run_that_wrote_is_refused():
    with transaction.atomic():
        Counter.objects.create(code="a")
        with transaction.atomic():
            Counter.objects.create(code="b")
            transaction.set_rollback(True)
        assert connection.needs_rollback is True
    assert codes() == []


def test_direct_savepoint_rollback_after_a_write_raises_and_marks_rollback():
    with transaction.atomic():
        sid = transaction.savepoint()
        Counter.objects.create(code="a")
        with pytest.raises(NotSupportedError) as raised:
            transaction.savepoint_rollback(sid)
        assert str(raised.value) == WROTE_ONE
        assert connection.needs_rollback is True
    assert codes() == []


def test_nested_levels_count_their_own_writes():
    with transaction.atomic():
        with transaction.atomic():
            Counter.objects.create(code="a")
            with pytest.raises(IntegrityError):
                with transaction.atomic():
                    Counter.objects.create(code="a")
            Counter.objects.create(code="b")
    assert codes() == ["a", "b"]


def test_on_commit_hooks_of_the_rolled_back_block_are_discarded():
    ran = []
    with transaction.atomic():
        transaction.on_commit(lambda: ran.append("outer"))
        with pytest.raises(IntegrityError):
            with transaction.atomic():
                transaction.on_commit(lambda: ran.append("inner"))
                Counter.objects.create(code="a")
                Counter.objects.create(code="a")
        # The first create wrote: refused, so nothing runs at all.
    assert ran == []
    Counter.objects.all().delete()
    with transaction.atomic():
        transaction.on_commit(lambda: ran.append("outer"))
        Counter.objects.create(code="a")
        with pytest.raises(IntegrityError):
            with transaction.atomic():
                transaction.on_commit(lambda: ran.append("inner"))
                Counter.objects.create(code="a")
    assert ran == ["outer"]


@double_only
def test_transaction_kept_open_after_the_failure_is_checked_and_kept(fault):
    token = fault(1205, "Lock wait timeout exceeded; try restarting transaction")
    with transaction.atomic():
        Counter.objects.create(code="a")
        with pytest.raises(OperationalError) as raised:
            with transaction.atomic():
                failing_update(token)
        assert raised.value.args[0] == 1205
        assert connection.savepoints.lost is None
        Counter.objects.create(code="b")
    assert codes() == ["a", "b"]


@double_only
def test_transaction_the_server_ended_is_detected_and_refused(fault):
    token = fault(1213, DEADLOCK, rollback=True)
    with transaction.atomic():
        Counter.objects.create(code="a")
        with pytest.raises(OperationalError):
            with transaction.atomic():
                failing_update(token)
        with pytest.raises(TransactionManagementError) as raised:
            codes()
    assert str(raised.value) == f"{BROKEN} {lost(f'1213: {DEADLOCK}')}"
    assert codes() == []


@double_only
def test_transaction_that_held_nothing_may_end(fault):
    token = fault(1213, DEADLOCK, rollback=True)
    with transaction.atomic():
        assert codes() == []
        with pytest.raises(OperationalError):
            with transaction.atomic():
                failing_update(token)
        Counter.objects.create(code="b")
    assert codes() == ["b"]


@double_only
def test_ended_transaction_outside_a_nested_block_is_not_probed(fault):
    token = fault(1213, DEADLOCK, rollback=True)
    with transaction.atomic():
        Counter.objects.create(code="a")
        with pytest.raises(OperationalError):
            failing_update(token)
        assert connection.savepoints.lost is None
        transaction.set_rollback(True)
    assert codes() == []


def race(work, threads=8):
    """Run work() in `threads` threads at once; the exceptions they raised."""
    barrier = threading.Barrier(threads)
    errors = []

    def run():
        try:
            barrier.wait()
            work()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


def test_get_or_create_race_inside_atomic():
    created = []

    def work(code):
        with transaction.atomic():
            _, new = Counter.objects.get_or_create(code=code)
            created.append(new)

    for n in range(10):
        assert race(partial(work, f"r{n}")) == []
    assert codes() == [f"r{n}" for n in range(10)]
    assert created.count(True) == 10
    assert created.count(False) == 70


def test_update_or_create_race_inside_atomic_loses_no_update():
    """InnoDB (the double's engine) may end one of the transactions with a
    deadlock: the documented remedy, retrying the whole transaction, is what
    the work does; no other error is allowed."""

    def work(code):
        while True:
            try:
                with transaction.atomic():
                    Counter.objects.update_or_create(
                        code=code,
                        create_defaults={"hits": 1},
                        defaults={"hits": F("hits") + 1},
                    )
                return
            except OperationalError as error:
                if error.args[0] != 1213:
                    raise

    for n in range(5):
        assert race(partial(work, f"u{n}")) == []
    assert list(Counter.objects.order_by("code").values_list("code", "hits")) == [
        (f"u{n}", 8) for n in range(5)
    ]
