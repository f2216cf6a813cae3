"""The singlestoredb MySQL-protocol connection, with what Django needs changed.

- ``connect_timeout`` bounds the whole set-up (handshake, TLS, authentication
  and the driver's session statements), not only the TCP connect: the driver
  reads the handshake with no timeout, so a server that accepts and stays
  silent would hang ``connect()`` forever.
- TLS that the settings ask for is TLS or a refusal: the driver would go on
  in plaintext with a server that does not offer TLS.
- Using a connection the driver has closed raises OperationalError (as
  Django's MySQL backend does), not InterfaceError, which is no DatabaseError.
- The driver's option registry is read once per connection, not for every
  statement: its ``fusion.enabled`` (management commands run by the client)
  and ``debug.queries`` (statements printed to stderr) options, which it
  otherwise looks up twice per statement, take effect for connections opened
  after they are set. With both off (their defaults) a statement goes
  straight to the server. The two options are found in the registry once
  per process and read from their own objects: the registry's lookup by
  name flattens its whole tree every time (about 25 µs each).
- Connecting sends no ``SET NAMES`` unless OPTIONS name a ``collation``:
  the handshake already names the character set, and SingleStore documents
  ``SET NAMES`` as non-operational (kept for MySQL compatibility only,
  docs.singlestore.com/cloud/reference/sql-reference/operational-commands/
  set-and-set-session/), so it cost a round trip and changed nothing.
- Packets are read by ``Connection.read_payload()``: the payload straight
  from the buffered socket file, one read for the header and one for the
  payload, with the driver's sequence check, error packets and lost-connection
  errors. The driver's reader also copies every payload into a bytearray and
  makes a packet object of it, which a result set's header (a packet per
  column and two more) paid for every statement. While connecting, each
  packet gets the time left of ``connect_timeout``.
- A command that fits in one packet, sent after the last result was read to
  its end, is written without the driver's per-command look for a connection
  URL in the environment (only used with ``track_env``); ``execute()`` without
  arguments skips the substitution, and looks for further result sets only
  when the last result said it had some.
- ``Connection.streaming_cursor()`` reads a result from the server as it is
  fetched (``QuerySet.iterator()``). Any other command on the connection
  while a result is still streaming first reads that result's remaining rows
  into the cursor, so the other command runs and the iteration goes on with
  every row (the driver would discard them).
"""

import functools
import struct
import time
import weakref
from collections import deque

from singlestoredb.config import get_suboptions
from singlestoredb.mysql import err
from singlestoredb.mysql.connection import MAX_PACKET_LEN, MySQLResultSV
from singlestoredb.mysql.connection import Connection as ProtocolConnection
from singlestoredb.mysql.constants import CLIENT, COMMAND, CR
from singlestoredb.mysql.cursors import Cursor as ProtocolCursor
from singlestoredb.mysql.cursors import SSCursor, SSCursorSV
from singlestoredb.mysql.protocol import MysqlPacket

from .descriptions import result_class
from .tls import REQUIRED_MODES

# Socket timeout for a read or write whose deadline has already passed.
EXPIRED = 0.001
# Rows per read when a stream's rest is read ahead.
READ_AHEAD = 1000
# A packet payload of this length continues in the next packet.
CONTINUED = 0xFFFFFF
# CR_SERVER_LOST's message, as the driver and the MySQL clients word it.
LOST = "Lost connection to MySQL server during query"


@functools.cache
def driver_option(group, name):
    """The driver's option object ``group.name``; its get() reads the value
    as the driver does, environment variable first."""
    return get_suboptions(group)[name]


class Cursor(ProtocolCursor):
    def execute(self, query, args=None, infile_stream=None):
        if self._get_db().log_queries:
            return super().execute(query, args, infile_stream)
        # The driver's execute() less its per-statement debug.queries lookup.
        # Only a result with more result sets behind it has any to skip,
        # and without arguments there is nothing to substitute.
        last = self._result
        if last is not None and last.has_next:
            while self.nextset():
                pass
        if args is not None:
            query = self.mogrify(query, args)
        result = self._query(query, infile_stream=infile_stream)
        self._executed = query
        return result


class Streaming:
    """What both streaming cursors (with and without the driver's C
    extension) add to the driver's unbuffered cursor."""

    # The rows read ahead of the fetches when the connection was needed for
    # another command (see Connection._execute_command), or None.
    _rest = None

    def _query(self, q, infile_stream=None):
        conn = self._get_db()
        if conn.streaming is self:
            # Executed again: the unread rows of the previous result are
            # not wanted.
            conn.streaming = None
            self._result._finish_unbuffered_query()
        self._rest = None
        result = super()._query(q, infile_stream)
        if self._result is not None and self._result.unbuffered_active:
            conn.streaming = self
        return result

    def read_rest(self):
        rest = deque()
        while rows := super().fetchmany(READ_AHEAD):
            rest.extend(rows)
        self._rest = rest

    def fetchone(self):
        if self._rest is None:
            return super().fetchone()
        return self._rest.popleft() if self._rest else None

    def fetchmany(self, size=None):
        if self._rest is None:
            return super().fetchmany(size)
        count = min(size or self.arraysize, len(self._rest))
        return [self._rest.popleft() for _ in range(count)]

    def fetchall(self):
        if self._rest is None:
            return super().fetchall()
        rows = list(self._rest)
        self._rest.clear()
        return rows

    def __iter__(self):
        return iter(self.fetchone, None)

    def close(self):
        conn = self._connection
        if conn is not None and conn.streaming is self:
            conn.streaming = None
        self._rest = None
        super().close()


class StreamingCursor(Streaming, SSCursor, Cursor):
    pass


class AcceleratedStreamingCursor(Streaming, SSCursorSV, Cursor):
    pass


class Connection(ProtocolConnection):
    def __init__(self, *, ssl_mode=None, **kwargs):
        self._ssl_mode = ssl_mode
        self._deadline = None
        self._streaming = None
        self.fusion_enabled = bool(driver_option("fusion", "enabled").get())
        self.log_queries = bool(driver_option("debug", "queries").get())
        # Parsed column descriptions, by packet bytes (descriptions.py).
        self.descriptions = {}
        # The C extension's reading options, by unbuffered (descriptions.py).
        self.result_options = {}
        super().__init__(cursorclass=Cursor, **kwargs)
        self.resultclass = result_class(self.resultclass)

    def _where(self):
        if self.unix_socket:
            return self.unix_socket
        return f"{self.host}:{self.port}"

    def connect(self, sock=None):
        saved = (self._read_timeout, self._write_timeout)
        # Set-up reads and writes get the time left instead (see _bound).
        self._read_timeout = self._write_timeout = None
        self._deadline = time.monotonic() + self.connect_timeout
        # Only the set-up's reads and writes are bounded: read_payload()
        # looks at the deadline, and an instance attribute shadows the
        # driver's write until the connection is made, so the statements
        # after it pay nothing for the bound.
        self._write_bytes = self._bounded_write_bytes
        try:
            super().connect(sock)
        except err.OperationalError as error:
            lost = error.args[0] in (CR.CR_CONN_HOST_ERROR, CR.CR_SERVER_LOST)
            if not lost or time.monotonic() < self._deadline:
                raise
            raise err.OperationalError(
                CR.CR_SERVER_LOST,
                f"No answer from the server at {self._where()} within "
                f"connect_timeout ({self.connect_timeout} s) while setting up "
                "the connection (handshake and authentication). Check HOST and "
                "PORT, or raise OPTIONS['connect_timeout'].",
            ) from error
        finally:
            del self._write_bytes
            self._deadline = None
            self._read_timeout, self._write_timeout = saved
        # Normal reads and writes: no timeout, or read_timeout/write_timeout,
        # which the driver sets before each one.
        self._sock.settimeout(None)

    def set_character_set(self, charset, collation=None):
        if self._deadline is None or collation is not None:
            return super().set_character_set(charset, collation)
        # Connecting (see the module): what the driver's method records;
        # the encoding is already the charset's (Connection.__init__).
        self.charset = charset
        self.collation = None

    def _bound(self):
        if self._sock is not None:
            self._sock.settimeout(max(self._deadline - time.monotonic(), EXPIRED))

    def _bounded_write_bytes(self, data):
        self._bound()
        return super()._write_bytes(data)

    def _read_packet(self, packet_type=MysqlPacket):
        return packet_type(self.read_payload(), self.encoding)

    def read_payload(self):
        """The next packet's payload (the parts of one that continues,
        joined), raising the server's error for an error packet. The driver's
        own reader makes two reads, a bytearray and a packet object per
        packet; a result set's header alone is one packet per column plus
        two, so this one reads the payload straight from the buffered
        socket file."""
        if self._deadline is not None:
            self._bound()  # connecting (see connect())
        elif self._read_timeout is not None:
            self._sock.settimeout(self._read_timeout)
        payload = self._read_part()
        if len(payload) == CONTINUED:
            parts = [payload]
            while len(parts[-1]) == CONTINUED:
                parts.append(self._read_part())
            payload = b"".join(parts)
        if payload[:1] == b"\xff":
            result = self._result
            if result is not None and result.unbuffered_active is True:
                result.unbuffered_active = False
            err.raise_mysql_exception(payload)
        return payload

    def _read_part(self):
        read = self._rfile.read
        try:
            header = read(4)
            if len(header) == 4:
                size = header[0] | header[1] << 8 | header[2] << 16
                sequence = header[3]
                if sequence == self._next_seq_id:
                    self._next_seq_id = (sequence + 1) & 0xFF
                    payload = read(size)
                    if len(payload) == size:
                        return payload
                else:
                    self._force_close()
                    if sequence == 0:
                        # MariaDB's error packet on shutdown.
                        raise err.OperationalError(CR.CR_SERVER_LOST, LOST)
                    raise err.InternalError(
                        f"Packet sequence number wrong: got {sequence}, "
                        f"expected {self._next_seq_id}"
                    )
        except OSError as error:
            self._force_close()
            raise err.OperationalError(
                CR.CR_SERVER_LOST, f"{LOST} ({error})"
            ) from error
        except err.Error:
            raise
        except BaseException:
            # Half a packet read: the connection cannot be used again.
            self._force_close()
            raise
        self._force_close()
        raise err.OperationalError(CR.CR_SERVER_LOST, LOST)

    def _request_authentication(self):
        # self.ssl: the settings (or an option file) gave TLS parameters.
        asked = self._ssl_mode in REQUIRED_MODES or (
            self.ssl and self._ssl_mode is None
        )
        if asked and not self.server_capabilities & CLIENT.SSL:
            raise err.OperationalError(
                CR.CR_SSL_CONNECTION_ERROR,
                f"SSL connection error: the settings ask for TLS (ssl_mode "
                f"{self._ssl_mode or 'REQUIRED'}) but the server at "
                f"{self._where()} does not offer it, so the connection was "
                "refused instead of going on in plaintext. Enable TLS on the "
                "server, or set OPTIONS['ssl_mode'] = 'PREFERRED' to accept a "
                "plaintext connection.",
            )
        return super()._request_authentication()

    def query(self, sql, unbuffered=False, infile_stream=None):
        if self.fusion_enabled:
            return super().query(sql, unbuffered, infile_stream)
        # The driver's query() less its per-statement fusion.enabled lookup:
        # with Fusion off every statement goes to the server.
        self._is_committable = True
        if isinstance(sql, str):
            sql = sql.encode(self.encoding, "surrogateescape")
        self._local_infile_stream = infile_stream
        self._execute_command(COMMAND.COM_QUERY, sql)
        self._affected_rows = self._read_query_result(unbuffered=unbuffered)
        self._local_infile_stream = None
        return self._affected_rows

    def streaming_cursor(self):
        if issubclass(self.resultclass, MySQLResultSV):
            return AcceleratedStreamingCursor(self)
        return StreamingCursor(self)

    @property
    def streaming(self):
        """The StreamingCursor whose result is being read, or None."""
        return self._streaming() if self._streaming is not None else None

    @streaming.setter
    def streaming(self, cursor):
        self._streaming = weakref.ref(cursor) if cursor is not None else None

    def _execute_command(self, command, sql):
        if self._sock is None:
            raise err.OperationalError(
                CR.CR_SERVER_GONE_ERROR,
                "The connection to the server has been closed; a new "
                "connection is needed.",
            )
        cursor = self.streaming
        if cursor is not None:
            self.streaming = None
            cursor.read_rest()
        if isinstance(sql, str):
            sql = sql.encode(self.encoding)
        result = self._result
        if (
            self._track_env
            or (result is not None and (result.unbuffered_active or result.has_next))
            or len(sql) >= MAX_PACKET_LEN - 1
        ):
            return super()._execute_command(command, sql)
        # The driver's own steps for the common case, a command that fits in
        # one packet after a result read to its end; the driver would also
        # look for a connection URL in the environment (track_env) first.
        self._result = None
        self._write_bytes(struct.pack("<iB", len(sql) + 1, command) + sql)
        self._next_seq_id = 1
