"""The SingleStore dialect layer of the test double.

Contract with the proxy (tests/double/proxy.py); both sides keep to it:

    engine = Engine(side_factory, options)   # one per proxy process
    engine.install()                         # creates the catalog schema if missing
    session = engine.session()               # one per client connection
    session.database                         # current database or None; the proxy
                                             # sets it from the handshake and COM_INIT_DB
    if session.wants(sql):                   # a cheap regex scan; False = fast path:
        outcome = session.handle(sql)        # the packet is forwarded untouched
    # outcome is one of:
    #   Forward(sql, on_done)  send `sql` to MariaDB instead, relay the answer, then
    #                          call on_done(error) with error None on success or
    #                          (errno, message) from the server's ERR packet
    #   Fail(errno, sqlstate, message)   answer with this ERR packet, send nothing
    #   Ok(affected_rows=0)              answer with an OK packet, send nothing
    session.close()                          # the client went away

`side_factory()` returns a new PyMySQL connection to the MariaDB behind the
proxy (autocommit on, no database selected) for catalog reads and writes.
`options` is a dict: memsql_version (str), default_table_type ("columnstore"
or "rowstore").
"""

import re
from dataclasses import dataclass
from typing import Callable


@dataclass
class Forward:
    sql: str
    on_done: Callable | None = None


@dataclass
class Fail:
    errno: int
    sqlstate: str
    message: str


@dataclass
class Ok:
    affected_rows: int = 0


class Session:
    _never = re.compile(r"(?!x)x")

    def __init__(self, engine):
        self.engine = engine
        self.database = None

    def wants(self, sql):
        return bool(self._never.search(sql))

    def handle(self, sql):
        return Forward(sql)

    def close(self):
        pass


class Engine:
    def __init__(self, side_factory, options):
        self.side_factory = side_factory
        self.options = dict(options)

    def install(self):
        pass

    def session(self):
        return Session(self)
