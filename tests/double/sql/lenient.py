"""Marks on statements the double runs although SingleStore may refuse them:
the lenient gaps of KNOWN_GAPS.md that the double can see in a statement.

Each gap has a name; ``note`` counts a statement that touched it on the
session that sent it, and ``DOUBLE SHOW LENIENT`` (faults.py, proxy.py) gives
that session its counts, so a test runner can tell which of its passing tests
sent such a statement (tests/suite_settings/suite_lenient.py).
"""

# Gap name: what the double runs that SingleStore may refuse.
GAPS = {
    "correlated_subselect": (
        "a correlated subquery on a sharded table that the double runs; "
        "SingleStore refuses the ones it cannot rewrite into a join that "
        "matches on shard keys"
    ),
}


def note(session, gap):
    """Count one statement of ``session`` that touched ``gap``."""
    if gap not in GAPS:
        raise KeyError(f"unknown lenient gap {gap!r}")
    session.lenient[gap] = session.lenient.get(gap, 0) + 1


def counts(session):
    """The session's (gap, statements) pairs, every gap listed, by name."""
    return [(gap, session.lenient.get(gap, 0)) for gap in sorted(GAPS)]
