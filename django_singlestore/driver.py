"""The singlestoredb MySQL-protocol connection, with what Django needs changed.

- ``connect_timeout`` bounds the whole set-up (handshake, TLS, authentication
  and the driver's session statements), not only the TCP connect: the driver
  reads the handshake with no timeout, so a server that accepts and stays
  silent would hang ``connect()`` forever.
- Using a connection the driver has closed raises OperationalError (as
  Django's MySQL backend does), not InterfaceError, which is no DatabaseError.
"""

import time

from singlestoredb.mysql import err
from singlestoredb.mysql.connection import Connection as ProtocolConnection
from singlestoredb.mysql.constants import CR

# Socket timeout for a read or write whose deadline has already passed.
EXPIRED = 0.001


class Connection(ProtocolConnection):
    def __init__(self, **kwargs):
        self._deadline = None
        super().__init__(**kwargs)

    def _where(self):
        if self.unix_socket:
            return self.unix_socket
        return f"{self.host}:{self.port}"

    def connect(self, sock=None):
        saved = (self._read_timeout, self._write_timeout)
        # Set-up reads and writes get the time left instead (see _bound).
        self._read_timeout = self._write_timeout = None
        self._deadline = time.monotonic() + self.connect_timeout
        try:
            super().connect(sock)
        except err.OperationalError as error:
            if time.monotonic() < self._deadline:
                raise
            raise err.OperationalError(
                CR.CR_SERVER_LOST,
                f"No answer from the server at {self._where()} within "
                f"connect_timeout = {self.connect_timeout} seconds while setting "
                "up the connection (handshake and authentication). Check HOST "
                "and PORT, or raise OPTIONS['connect_timeout'].",
            ) from error
        finally:
            self._deadline = None
            self._read_timeout, self._write_timeout = saved
        # Normal reads and writes: no timeout, or read_timeout/write_timeout,
        # which the driver sets before each one.
        self._sock.settimeout(None)

    def _bound(self):
        if self._deadline is not None and self._sock is not None:
            self._sock.settimeout(max(self._deadline - time.monotonic(), EXPIRED))

    def _read_bytes(self, num_bytes):
        self._bound()
        return super()._read_bytes(num_bytes)

    def _write_bytes(self, data):
        self._bound()
        return super()._write_bytes(data)

    def _execute_command(self, command, sql):
        if self._sock is None:
            raise err.OperationalError(
                CR.CR_SERVER_GONE_ERROR,
                "The connection to the server has been closed; a new "
                "connection is needed.",
            )
        return super()._execute_command(command, sql)
