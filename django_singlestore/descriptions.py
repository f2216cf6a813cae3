"""Column descriptions parsed once per connection, not once per statement.

A result set starts with one column-definition packet per column. The
driver parses each in Python (name, table, type, flags, then the column's
decoder), which was close to half of its own CPU for a seven-column
``get()``. A connection sends the same few statements over and over, so
the parsed descriptions are kept per connection, keyed by the packets'
exact bytes: a packet that differs in any byte is parsed anew.
"""

from singlestoredb.mysql import err
from singlestoredb.mysql.connection import MySQLResult, MySQLResultSV
from singlestoredb.mysql.constants import CR
from singlestoredb.mysql.protocol import FieldDescriptorPacket

# Distinct result shapes kept per connection; the cache starts over when full.
CACHED_SHAPES = 256


class CachedDescriptions:
    def _get_descriptions(self):
        conn = self.connection
        packets = [conn._read_packet() for _ in range(self.field_count)]
        end = conn._read_packet()
        if not end.is_eof_packet():
            raise err.OperationalError(
                CR.CR_COMMANDS_OUT_OF_SYNC,
                "Protocol error: no EOF packet after the column definitions.",
            )
        key = (conn.encoding, *(packet.get_all_data() for packet in packets))
        known = conn.descriptions.get(key)
        if known is None:
            known = self._parse(conn, packets, end)
            if len(conn.descriptions) >= CACHED_SHAPES:
                conn.descriptions.clear()
            conn.descriptions[key] = known
        fields, converters, self.description = known
        self.fields = list(fields)
        self.converters = list(converters)

    def _parse(self, conn, packets, end):
        """The driver's own parse of ``packets`` (already read)."""
        replay = iter(
            [
                *(
                    FieldDescriptorPacket(p.get_all_data(), conn.encoding)
                    for p in packets
                ),
                end,
            ]
        )
        conn._read_packet = lambda packet_type=None: next(replay)
        try:
            super()._get_descriptions()
        finally:
            del conn._read_packet
        return tuple(self.fields), tuple(self.converters), self.description


class Result(CachedDescriptions, MySQLResult):
    pass


class AcceleratedResult(CachedDescriptions, MySQLResultSV):
    """The result class the driver uses with its C extension."""


def result_class(driver_choice):
    """Our result class in place of the driver's ``driver_choice``."""
    if issubclass(driver_choice, MySQLResultSV):
        return AcceleratedResult
    return Result
