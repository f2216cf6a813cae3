"""Column descriptions parsed once per connection, not once per statement.

A result set starts with one column-definition packet per column. The
driver parses each in Python (name, table, type, flags, then the column's
decoder), which was close to half of its own CPU for a seven-column
``get()``. A connection sends the same few statements over and over, so
the parsed descriptions are kept per connection, keyed by the packets'
exact bytes: a packet that differs in any byte is parsed anew.

Rows of a buffered result are always a list, as the driver's C extension
gives them (its pure-Python reader gives a tuple, on which Django's
``fetchmany()`` loop, ending at ``empty_fetchmany_value``, never ended).

The rows decoded in Python (a short result's, see PYTHON_ROWS) are read
from the packet's bytes in one function, with the driver's column decoders,
instead of through a packet object and four method calls per column; a row
the fast path does not cover (a value of more than 250 bytes, or one that
the packet cuts short) goes to the driver's own reader. Bytes the column's
encoding refuses raise UnicodeDecodeError naming the column (the driver's
reader means to, but raises a TypeError instead).
"""

import struct

from singlestoredb.mysql import err
from singlestoredb.mysql.connection import MySQLResult, MySQLResultSV
from singlestoredb.mysql.constants import CR, SERVER_STATUS
from singlestoredb.mysql.protocol import (
    NULL_COLUMN,
    FieldDescriptorPacket,
    MysqlPacket,
)

# Distinct result shapes kept per connection; the cache starts over when full.
CACHED_SHAPES = 256
# Rows of a buffered result decoded in Python before the driver's C
# extension takes over (AcceleratedResult).
PYTHON_ROWS = 8
# The first byte of an EOF packet, and what follows it: warning count and
# server status (the driver's EOFPacketWrapper reads the same).
EOF = b"\xfe"
EOF_FIELDS = struct.Struct("<xhh")
# A length-encoded value's first byte, when it is the length itself.
ONE_BYTE_LENGTHS = 250


def is_eof(payload):
    """An EOF packet (0xFE can also start a longer length-encoded value)."""
    return payload[:1] == EOF and len(payload) < 9


class CachedDescriptions:
    def _get_descriptions(self):
        conn = self.connection
        read = conn.read_payload
        key = (conn.encoding, *(read() for _ in range(self.field_count)))
        end = read()
        if not is_eof(end):
            raise err.OperationalError(
                CR.CR_COMMANDS_OUT_OF_SYNC,
                "Protocol error: no EOF packet after the column definitions.",
            )
        known = conn.descriptions.get(key)
        if known is None:
            known = self._parse(conn, key[1:], end)
            if len(conn.descriptions) >= CACHED_SHAPES:
                conn.descriptions.clear()
            conn.descriptions[key] = known
        fields, converters, self.description = known
        self.fields = list(fields)
        self.converters = list(converters)

    def _parse(self, conn, payloads, end):
        """The driver's own parse of the column definitions ``payloads``
        (already read)."""
        replay = iter(
            [
                *(FieldDescriptorPacket(p, conn.encoding) for p in payloads),
                MysqlPacket(end, conn.encoding),
            ]
        )
        conn._read_packet = lambda packet_type=None: next(replay)
        try:
            super()._get_descriptions()
        finally:
            del conn._read_packet
        return tuple(self.fields), tuple(self.converters), self.description

    def read_rows(self, limit=None):
        """Up to ``limit`` rows of a buffered result, decoded by the driver's
        Python reader, as a list (what the C extension gives, and what
        DatabaseFeatures.empty_fetchmany_value expects). The connection is
        let go of once the EOF packet has been read."""
        conn = self.connection
        read = conn.read_payload
        encoding = conn.encoding
        rows = []
        while limit is None or len(rows) < limit:
            payload = read()
            if is_eof(payload):
                self.warning_count, status = EOF_FIELDS.unpack_from(payload)
                self.has_next = status & SERVER_STATUS.SERVER_MORE_RESULTS_EXISTS
                self.connection = None
                break
            rows.append(self.decode_row(payload, encoding))
        return rows

    def decode_row(self, payload, encoding):
        """The row in ``payload`` as the driver's ``_read_row_from_packet``
        gives it (a tuple, each value decoded and converted as it does)."""
        row = []
        position = 0
        end = len(payload)
        errors = self.encoding_errors
        for index, (column_encoding, converter) in enumerate(self.converters):
            if position >= end:
                # A short row: the driver's reader ends it here too.
                break
            length = payload[position]
            if length == NULL_COLUMN:
                position += 1
                row.append(None)
                continue
            start = position + 1
            position = start + length
            if length > ONE_BYTE_LENGTHS or position > end:
                return self._read_row_from_packet(MysqlPacket(payload, encoding))
            data = payload[start:position]
            if column_encoding is not None:
                try:
                    data = data.decode(column_encoding, errors)
                except UnicodeDecodeError as error:
                    # The driver's reader means to name the column here, but
                    # its UnicodeDecodeError(message) raises a TypeError.
                    raise UnicodeDecodeError(
                        error.encoding,
                        error.object,
                        error.start,
                        error.end,
                        f"{error.reason}, in column {self.fields[index].name!r}; "
                        "OPTIONS['encoding_errors'] (for example 'replace') "
                        "says how to read such bytes",
                    ) from None
            if converter is not None:
                data = converter(data)
            row.append(data)
        return tuple(row)

    def _read_rowdata_packet(self):
        self.rows = self.read_rows()
        self.affected_rows = len(self.rows)


class Result(CachedDescriptions, MySQLResult):
    pass


class AcceleratedResult(CachedDescriptions, MySQLResultSV):
    """The result class the driver uses with its C extension.

    - Its options (the same for every result of a connection) are built
      once per connection and kind of result, not once per statement.
    - The first PYTHON_ROWS rows of a buffered result are decoded by the
      driver's Python row reader and the rest, if any, by its C extension.
      The extension sets itself up for every result (modules, attributes
      of every column), which costs more than decoding a few rows in Python
      (about 20 µs for a one-row ``get()``), while it decodes long results
      several times faster. Both readers are the driver's, with the same
      column converters; tests/integration/test_descriptions.py checks that
      they give the same values for every column type Django uses.
    """

    def __init__(self, connection, unbuffered=False):
        options = connection.result_options.get(unbuffered)
        if options is None:
            super().__init__(connection, unbuffered)
            connection.result_options[unbuffered] = self.options
        else:
            MySQLResult.__init__(self, connection, unbuffered)
            self.options = options

    def _read_rowdata_packet(self):
        rows = self.read_rows(PYTHON_ROWS)
        if self.connection is not None:
            # More rows than that: the C extension reads the rest (and the
            # EOF packet) and sets rows to a list of them.
            MySQLResultSV._read_rowdata_packet(self)
            rows.extend(self.rows)
        self.rows = rows
        self.affected_rows = len(rows)


def result_class(driver_choice):
    """Our result class in place of the driver's ``driver_choice``."""
    if issubclass(driver_choice, MySQLResultSV):
        return AcceleratedResult
    return Result
