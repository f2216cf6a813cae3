"""Nested ``atomic()`` blocks on SingleStore, which has no savepoints.

Django opens a savepoint when a nested ``atomic()`` block begins and rolls
back to it when the block fails. SingleStore has no SAVEPOINT statement, but
rolling back to a savepoint changes nothing when nothing changed since it:
when the block ran no statement that wrote and the server undid the statement
that failed while keeping the transaction open. ``SavepointLedger`` counts
the writing statements of the open transaction and, after a failure inside a
block, asks the server whether the transaction is still open; a rollback to
a savepoint is then either a proven no-op or refused with the reason. What
SingleStore does with a failed statement, with sources:
tests/double/TRANSACTIONS.md.
"""

import re

import singlestoredb
from django.db import NotSupportedError
from singlestoredb.mysql.constants import SERVER_STATUS

# Statements that change no data: plain reads. Anything else counts as a
# write, including statements this pattern does not recognise.
READ = re.compile(r"\s*\(*\s*(?:SELECT|SHOW|DESCRIBE|DESC|EXPLAIN)\b", re.IGNORECASE)
# Reads that take row locks: they change no data, but the server's
# transaction then holds something that ending it would lose.
LOCKING = re.compile(r"\bFOR\s+UPDATE\b|\bLOCK\s+IN\s+SHARE\s+MODE\b", re.IGNORECASE)
# One DML statement (no ';' inside): when it matched no row it changed no data
# (the driver counts matched rows, client_found_rows). DDL also reports 0
# rows but commits the transaction, so it stays a write.
DML = re.compile(r"\s*(?:INSERT|REPLACE|UPDATE|DELETE)\b[^;]*;?\s*\Z", re.IGNORECASE)


# A statement answered by an OK packet that touches no table. A statement,
# not COM_PING: SingleStore's status flags are right in the answer to the
# statement after a rollback (TRANSACTIONS.md).
PROBE = "SET @django_singlestore_probe = 0"


def server_in_transaction(connection):
    """Whether the server reports an open transaction on the driver ``connection``.

    An ERR packet carries no status flags and the driver keeps none from a
    result set, so this runs PROBE, whose OK packet has them. A connection
    that cannot answer holds no transaction.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute(PROBE)
    except singlestoredb.Error:
        return False
    return bool(connection.server_status & SERVER_STATUS.SERVER_STATUS_IN_TRANS)


def kind_of(sql, rowcount=None):
    """"read", "lock" or "write" for a statement's text and its row count."""
    if not isinstance(sql, str):
        return "write"
    if not READ.match(sql):
        return "lock" if rowcount == 0 and DML.match(sql) else "write"
    return "lock" if LOCKING.search(sql) else "read"


class SavepointLedger:
    """What the open transaction did, as far as emulated savepoints care.

    ``writes``: statements that succeeded and may have written; ``holds``:
    whether the server's transaction holds writes or locks (plain reads under
    READ COMMITTED, SingleStore's only level, hold nothing); ``lost``: the
    failure after which the server reported no open transaction although it
    held something; ``marks``: the write count at each open savepoint;
    ``autocommits``: the server commits every statement (SKIP_AUTOCOMMIT),
    so a failure can lose nothing that came before it.
    """

    def __init__(self):
        self.reset()

    def reset(self, autocommits=False):
        self.autocommits = autocommits
        self.writes = 0
        self.holds = False
        self.lost = None
        self.marks = {}
        self.refusal = None

    def begin(self, sid):
        self.marks[sid] = self.writes

    def release(self, sid):
        self.marks.pop(sid, None)

    def succeeded(self, sql, rowcount=None):
        kind = kind_of(sql, rowcount)
        if kind != "read":
            self.holds = True
        if kind == "write":
            self.writes += 1

    def failed(self, error, in_transaction, partial=False):
        """Record a failed statement; ``in_transaction()`` asks the server.

        ``partial``: the statement may have applied part of its work (the
        driver runs executemany() as several statements).
        """
        if partial:
            self.writes += 1
            self.holds = True
        if self.autocommits or not self.marks or self.lost is not None:
            return
        if not self.holds:
            # Nothing that ending the transaction could have lost.
            return
        if not in_transaction():
            self.lost = error

    def rollback(self, sid):
        """Roll back to savepoint ``sid``: do nothing, or raise why it cannot."""
        if self.lost is not None:
            self.refusal = (
                f"SingleStore has no savepoints, and the server ended the whole "
                f"transaction when a statement inside the nested atomic() block "
                f"failed ({self.lost}), so the work done before the block is lost "
                f"as well. The outermost atomic() block rolls back; retry the "
                f"whole transaction."
            )
        else:
            written = self.writes - self.marks.get(sid, 0)
            if not written:
                return
            statements = "statement" if written == 1 else "statements"
            ran = f"it had run {written} writing {statements} since it began"
            if self.autocommits:
                self.refusal = (
                    f"SingleStore has no savepoints, and with SKIP_AUTOCOMMIT "
                    f"every statement commits on its own: the nested atomic() "
                    f"block cannot be rolled back: {ran}, each committed as it "
                    f"ran."
                )
            else:
                self.refusal = (
                    f"SingleStore has no savepoints, so the nested atomic() block "
                    f"cannot be rolled back on its own: {ran}, which only a "
                    f"rollback of the whole transaction undoes. The outermost "
                    f"atomic() block rolls back. To keep the outer work, let the "
                    f"inner block fail before it writes (check first, or make "
                    f"the failing statement its first write), or run it in a "
                    f"transaction of its own."
                )
        raise NotSupportedError(self.refusal)
