"""The SingleStore dialect layer of the test double.

Contract with the proxy (tests/double/proxy.py); both sides keep to it:

    engine = Engine(side_factory, options)   # one per proxy process
    engine.install()                         # creates the catalog schema if missing
    session = engine.session()               # one per client connection
    session.database                         # current database or None; the proxy
                                             # sets it from the handshake and
                                             # COM_INIT_DB (and USE)
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

Modules: tokens (tokenizer and parenthesis tree), translate (expressions),
ddl (definition parsing), tables and alter (CREATE/ALTER/DROP rules, MariaDB
DDL, catalog updates), rules (DML and session refusals), introspect (SHOW
and information_schema), catalog, triggers (JSON/VECTOR storage), routines
(MariaDB stored functions), errors (every errno and message).
"""

from .engine import Engine
from .outcomes import Fail, Forward, Ok
from .session import Session

__all__ = ["Engine", "Fail", "Forward", "Ok", "Session"]
