"""The singlestoredb MySQL-protocol connection, with what Django needs changed.

- Using a connection the driver has closed raises OperationalError (as
  Django's MySQL backend does), not InterfaceError, which is no DatabaseError.
"""

from singlestoredb.mysql import err
from singlestoredb.mysql.connection import Connection as ProtocolConnection
from singlestoredb.mysql.constants import CR


class Connection(ProtocolConnection):
    def _execute_command(self, command, sql):
        if self._sock is None:
            raise err.OperationalError(
                CR.CR_SERVER_GONE_ERROR,
                "The connection to the server has been closed; a new "
                "connection is needed.",
            )
        return super()._execute_command(command, sql)
