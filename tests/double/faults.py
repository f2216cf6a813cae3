"""Fault injection for the test double, switched at run time by `DOUBLE ...`
statements that any client sends through the proxy.

    DOUBLE FAULT ERROR <errno> '<message>' ON '<regex>' [TIMES n]
    DOUBLE FAULT ERROR <errno> '<message>' ROLLBACK ON '<regex>' [TIMES n]
    DOUBLE FAULT DISCONNECT ON '<regex>' [TIMES n]
    DOUBLE FAULT LATENCY <ms> ON '<regex>' [TIMES n]
    DOUBLE FAULT CLEAR
    DOUBLE SET MEMSQL_VERSION '<version>'
    DOUBLE SET DEFAULT_TABLE_TYPE '<columnstore|rowstore>'
    DOUBLE SHOW FAULTS
    DOUBLE SHOW SETTINGS
    DOUBLE SHOW LENIENT

Faults are proxy-wide: armed from one connection, they apply to statements
from every connection (Python `re.search` on the statement text), oldest
first. Latency faults add their delay and let the statement go on; the first
matching error or disconnect fault decides its fate. An error fault answers
without running the statement, so the open transaction stays open and keeps
its writes (what a server does that undoes only the failed statement); with
ROLLBACK the proxy first rolls back the connection's open transaction on
MariaDB, as InnoDB does after a deadlock (see TRANSACTIONS.md). Each fault
that acts uses one of its TIMES; without TIMES it stays until DOUBLE FAULT
CLEAR. Faults see COM_QUERY text only (not prepared statements), one DOUBLE
statement per COM_QUERY. SHOW LENIENT answers for the connection that sends
it: how many of its statements touched each lenient gap (sql/lenient.py).
"""

import re
import threading
from dataclasses import dataclass

_QUOTED = r"'((?:[^'\\]|\\.|'')*)'"
_TIMES = r"(?:\s+TIMES\s+(\d+))?"
_ON = r"\s+ON\s+" + _QUOTED + _TIMES
_GRAMMAR = [
    ("error", re.compile(r"FAULT\s+ERROR\s+(\d+)\s+" + _QUOTED + _ON, re.I | re.S)),
    ("error rollback", re.compile(r"FAULT\s+ERROR\s+(\d+)\s+" + _QUOTED
                                  + r"\s+ROLLBACK" + _ON, re.I | re.S)),
    ("disconnect", re.compile(r"FAULT\s+DISCONNECT" + _ON, re.I | re.S)),
    ("latency", re.compile(r"FAULT\s+LATENCY\s+(\d+)" + _ON, re.I | re.S)),
    ("clear", re.compile(r"FAULT\s+CLEAR", re.I)),
    ("set", re.compile(r"SET\s+(MEMSQL_VERSION|DEFAULT_TABLE_TYPE)\s*=?\s*" + _QUOTED,
                       re.I | re.S)),
    ("show", re.compile(r"SHOW\s+FAULTS", re.I)),
    ("settings", re.compile(r"SHOW\s+SETTINGS", re.I)),
    ("lenient", re.compile(r"SHOW\s+LENIENT", re.I)),
]
_CONTROL = re.compile(r"\s*DOUBLE\b\s*(.*?)[\s;]*\Z", re.I | re.S)
VERSION_FORMAT = re.compile(r"\d+\.\d+\.\d+\Z")
TABLE_TYPES = ("columnstore", "rowstore")

SYNTAX_ERRNO = 1064
SYNTAX_HELP = (
    "expected one of: DOUBLE FAULT ERROR <errno> '<message>' [ROLLBACK] ON "
    "'<regex>' [TIMES n] | DOUBLE FAULT DISCONNECT ON '<regex>' [TIMES n] | "
    "DOUBLE FAULT LATENCY <ms> ON '<regex>' [TIMES n] | DOUBLE FAULT CLEAR | "
    "DOUBLE SET MEMSQL_VERSION '<x.y.z>' | DOUBLE SET DEFAULT_TABLE_TYPE "
    "'<columnstore|rowstore>' | DOUBLE SHOW FAULTS | DOUBLE SHOW SETTINGS | "
    "DOUBLE SHOW LENIENT"
)


class ControlError(Exception):
    """A malformed DOUBLE statement; str() is the message for the client."""


def _unquote(text):
    return re.sub(r"\\(.)|''", lambda m: m.group(1) or "'", text)


@dataclass
class Command:
    action: str  # "arm", "clear", "set", "show", "settings", "lenient"
    fault: "Fault | None" = None
    name: str = ""
    value: str = ""


@dataclass
class Fault:
    kind: str  # "error", "error rollback", "disconnect" or "latency"
    pattern: str
    errno: int = 0
    message: str = ""
    latency_ms: int = 0
    remaining: int | None = None  # None: until DOUBLE FAULT CLEAR

    def __post_init__(self):
        self.regex = re.compile(self.pattern)


def parse_control(sql):
    """A Command for a `DOUBLE ...` statement, None for any other statement.

    Raises ControlError for a DOUBLE statement that does not parse.
    """
    match = _CONTROL.match(sql)
    if match is None:
        return None
    body = match.group(1)
    for kind, grammar in _GRAMMAR:
        found = grammar.fullmatch(body)
        if found is not None:
            return _command(kind, found.groups())
    raise ControlError(f"unknown DOUBLE statement {body!r}: {SYNTAX_HELP}")


def _times(text):
    if text is None:
        return None
    if int(text) < 1:
        raise ControlError("TIMES must be at least 1; leave it out for no limit")
    return int(text)


def _regex(text):
    pattern = _unquote(text)
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ControlError(f"invalid regex {pattern!r} after ON: {exc}") from None
    return pattern


def _command(kind, groups):
    if kind in ("error", "error rollback"):
        errno, message, pattern, times = groups
        if not 1 <= int(errno) <= 65535:
            raise ControlError(f"error number {errno} is outside 1..65535")
        fault = Fault(kind, _regex(pattern), errno=int(errno),
                      message=_unquote(message), remaining=_times(times))
        return Command("arm", fault)
    if kind == "disconnect":
        pattern, times = groups
        return Command("arm", Fault("disconnect", _regex(pattern),
                                    remaining=_times(times)))
    if kind == "latency":
        ms, pattern, times = groups
        return Command("arm", Fault("latency", _regex(pattern), latency_ms=int(ms),
                                    remaining=_times(times)))
    if kind == "set":
        name, value = groups[0].lower(), _unquote(groups[1])
        if name == "memsql_version" and not VERSION_FORMAT.match(value):
            raise ControlError(
                f"MEMSQL_VERSION must look like 8.9.3 (major.minor.patch), "
                f"not {value!r}"
            )
        if name == "default_table_type" and value.lower() not in TABLE_TYPES:
            raise ControlError(
                f"DEFAULT_TABLE_TYPE must be 'columnstore' or 'rowstore', not {value!r}"
            )
        if name == "default_table_type":
            value = value.lower()
        return Command("set", name=name, value=value)
    return Command(kind)


class FaultRegistry:
    """The proxy-wide list of armed faults; thread-safe.

    `active` is a plain attribute read without the lock on the fast path.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._faults = []
        self.active = False

    def arm(self, fault):
        with self._lock:
            self._faults.append(fault)
            self.active = True

    def clear(self):
        with self._lock:
            self._faults.clear()
            self.active = False

    def snapshot(self):
        with self._lock:
            return list(self._faults)

    def match(self, sql):
        """(latency in seconds, deciding fault or None) for a statement.

        Uses one of TIMES of every fault that acts; spent faults disappear.
        """
        latency = 0.0
        decisive = None
        with self._lock:
            for fault in self._faults:
                if not fault.regex.search(sql):
                    continue
                if fault.kind == "latency":
                    latency += fault.latency_ms / 1000
                elif decisive is None:
                    decisive = fault
                else:
                    continue
                if fault.remaining is not None:
                    fault.remaining -= 1
            self._faults = [f for f in self._faults if f.remaining != 0]
            self.active = bool(self._faults)
        return latency, decisive
