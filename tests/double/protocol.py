"""MySQL client/server protocol pieces the proxy needs, and nothing more.

The proxy never decodes rows. It rewrites the two handshake packets, builds
the few packets it answers itself (OK, ERR, a small text result set) and
follows server responses packet header by packet header (ResponseTracker) to
know where each response ends and whether it failed.
Reference: https://dev.mysql.com/doc/dev/mysql-server/latest/PAGE_PROTOCOL.html
"""

import struct

MAX_PAYLOAD = 0xFFFFFF
SERVER_VERSION = "5.7.32"  # what SingleStore 8.x reports in the handshake

COM_QUIT = 0x01
COM_INIT_DB = 0x02
COM_QUERY = 0x03
COM_FIELD_LIST = 0x04
COM_PROCESS_INFO = 0x0A
COM_CHANGE_USER = 0x11
COM_STMT_PREPARE = 0x16
COM_STMT_EXECUTE = 0x17
COM_STMT_SEND_LONG_DATA = 0x18
COM_STMT_CLOSE = 0x19
COM_STMT_FETCH = 0x1C

CLIENT_LONG_PASSWORD = 1  # MariaDB calls it CLIENT_MYSQL: set = "not MariaDB"
CLIENT_CONNECT_WITH_DB = 1 << 3
CLIENT_COMPRESS = 1 << 5
CLIENT_SSL = 1 << 11
CLIENT_SECURE_CONNECTION = 1 << 15
CLIENT_PLUGIN_AUTH_LENENC_DATA = 1 << 21
CLIENT_SESSION_TRACK = 1 << 23
CLIENT_DEPRECATE_EOF = 1 << 24
# Cleared in both directions so that every result set ends with classic EOF
# packets, OK packets carry no session-state block and the byte stream is
# plain (no TLS, no compression) for the proxy to follow.
CLEARED_CAPABILITIES = (
    CLIENT_COMPRESS | CLIENT_SSL | CLIENT_SESSION_TRACK | CLIENT_DEPRECATE_EOF
)

SERVER_STATUS_AUTOCOMMIT = 0x0002
SERVER_MORE_RESULTS_EXISTS = 0x0008
SERVER_STATUS_CURSOR_EXISTS = 0x0040

TYPE_LONGLONG = 0x08
TYPE_VAR_STRING = 0xFD
CHARSET_UTF8MB4 = 45
CHARSET_BINARY = 63


def header(length, seq):
    return bytes((length & 0xFF, (length >> 8) & 0xFF, length >> 16, seq & 0xFF))


def packets(payload, seq):
    """Frame `payload` as one or more packets from sequence id `seq`.

    Returns (bytes, next sequence id).
    """
    out = bytearray()
    view = memoryview(payload)
    while True:
        part = view[:MAX_PAYLOAD]
        out += header(len(part), seq)
        out += part
        seq = (seq + 1) & 0xFF
        view = view[MAX_PAYLOAD:]
        if len(part) < MAX_PAYLOAD:
            return bytes(out), seq


def lenenc_int(value):
    if value < 0xFB:
        return bytes((value,))
    if value < 1 << 16:
        return b"\xfc" + value.to_bytes(2, "little")
    if value < 1 << 24:
        return b"\xfd" + value.to_bytes(3, "little")
    return b"\xfe" + value.to_bytes(8, "little")


def lenenc_str(data):
    return lenenc_int(len(data)) + data


def read_lenenc(buf, i):
    """Return (value, next index) of the length-encoded integer at buf[i]."""
    first = buf[i]
    if first < 0xFB:
        return first, i + 1
    if first == 0xFC:
        return buf[i + 1] | buf[i + 2] << 8, i + 3
    if first == 0xFD:
        return buf[i + 1] | buf[i + 2] << 8 | buf[i + 3] << 16, i + 4
    return int.from_bytes(buf[i + 1 : i + 9], "little"), i + 9


def ok_payload(affected_rows, status, last_insert_id=0, warnings=0):
    return (
        b"\x00"
        + lenenc_int(affected_rows)
        + lenenc_int(last_insert_id)
        + struct.pack("<HH", status, warnings)
    )


def err_payload(errno, sqlstate, message):
    return (
        b"\xff"
        + struct.pack("<H", errno)
        + b"#"
        + sqlstate.encode("ascii")[:5].ljust(5, b"0")
        + message.encode("utf-8")
    )


def eof_payload(status, warnings=0):
    return b"\xfe" + struct.pack("<HH", warnings, status)


def ok_status(payload):
    """Status flags of an OK packet payload (starting with 0x00)."""
    _, i = read_lenenc(payload, 1)
    _, i = read_lenenc(payload, i)
    return payload[i] | payload[i + 1] << 8


def parse_err(payload):
    """(errno, message) of an ERR packet payload (starting with 0xFF)."""
    errno = payload[1] | payload[2] << 8
    if len(payload) > 3 and payload[3] == 0x23:  # '#' then a 5-char sqlstate
        return errno, bytes(payload[9:]).decode("utf-8", "replace")
    return errno, bytes(payload[3:]).decode("utf-8", "replace")


def column_definition(name, type_code):
    charset, length = (
        (CHARSET_BINARY, 20) if type_code == TYPE_LONGLONG else (CHARSET_UTF8MB4, 4096)
    )
    return (
        lenenc_str(b"def")
        + lenenc_str(b"")
        + lenenc_str(b"")
        + lenenc_str(b"")
        + lenenc_str(name.encode())
        + lenenc_str(name.encode())
        + b"\x0c"
        + struct.pack("<HIBHB", charset, length, type_code, 0, 0)
        + b"\x00\x00"
    )


def text_result_set(columns, rows, status, seq):
    """Packets of a text-protocol result set.

    columns: [(name, TYPE_*)]; rows: tuples of str, int or None.
    Returns (bytes, next sequence id).
    """
    parts = [lenenc_int(len(columns))]
    parts += [column_definition(name, type_code) for name, type_code in columns]
    parts.append(eof_payload(status))
    for row in rows:
        cells = []
        for value in row:
            if value is None:
                cells.append(b"\xfb")
            else:
                cells.append(lenenc_str(str(value).encode("utf-8")))
        parts.append(b"".join(cells))
    parts.append(eof_payload(status))
    out = bytearray()
    for payload in parts:
        framed, seq = packets(payload, seq)
        out += framed
    return bytes(out), seq


def rewrite_server_handshake(payload, version):
    """The server's Handshake V10 with `version` and trimmed capabilities.

    The salt is kept, so the client's scramble still satisfies MariaDB.
    MariaDB's extended capabilities (last 4 of the 10 reserved bytes) are
    zeroed and CLIENT_LONG_PASSWORD set, so clients treat the server as MySQL.
    Returns (new payload, capabilities, status flags).
    """
    end = payload.index(0, 1)
    rest = bytearray(payload[end + 1 :])
    # rest: thread id(4) salt1(8) filler(1) caps_lo(2) charset(1) status(2)
    #       caps_hi(2) auth_len(1) reserved(10) salt2 ... plugin name
    caps = rest[13] | rest[14] << 8
    if len(rest) >= 20:
        caps |= (rest[18] | rest[19] << 8) << 16
    caps = (caps & ~CLEARED_CAPABILITIES) | CLIENT_LONG_PASSWORD
    rest[13:15] = (caps & 0xFFFF).to_bytes(2, "little")
    status = 0
    if len(rest) >= 31:
        status = rest[16] | rest[17] << 8
        rest[18:20] = (caps >> 16).to_bytes(2, "little")
        rest[27:31] = b"\x00\x00\x00\x00"
    new = bytes(payload[:1]) + version.encode("ascii") + b"\x00" + bytes(rest)
    return new, caps, status


def rewrite_handshake_response(payload):
    """Clear the trimmed capabilities in the client's HandshakeResponse41.

    Returns (new payload, database name or None).
    """
    data = bytearray(payload)
    caps = int.from_bytes(data[0:4], "little") & ~CLEARED_CAPABILITIES
    data[0:4] = caps.to_bytes(4, "little")
    data[28:32] = b"\x00\x00\x00\x00"  # MariaDB extended capabilities
    database = None
    try:
        i = data.index(0, 32) + 1  # after the user name
        if caps & CLIENT_PLUGIN_AUTH_LENENC_DATA:
            length, i = read_lenenc(data, i)
            i += length
        elif caps & CLIENT_SECURE_CONNECTION:
            i += 1 + data[i]
        else:
            i = data.index(0, i) + 1
        if caps & CLIENT_CONNECT_WITH_DB:
            end = data.index(0, i)
            database = data[i:end].decode("utf-8") or None
    except (ValueError, IndexError):
        database = None
    return bytes(data), database


def change_user_database(payload, caps):
    """The database named in a COM_CHANGE_USER payload, or None."""
    try:
        i = payload.index(0, 1) + 1
        if caps & CLIENT_SECURE_CONNECTION:
            i += 1 + payload[i]
        else:
            i = payload.index(0, i) + 1
        end = payload.index(0, i)
        return bytes(payload[i:end]).decode("utf-8") or None
    except (ValueError, IndexError):
        return None


# ResponseTracker states
FIRST = 0  # start of a (next) result: OK, ERR, LOCAL INFILE or column count
COLDEFS = 1  # column definitions up to their EOF
ROWS = 2  # rows up to the final EOF (or ERR)
SINGLE = 3  # exactly one packet
PREPARE = 4  # COM_STMT_PREPARE: OK with counts, or ERR
DEFS_EOFS = 5  # definitions followed by `eofs_left` EOF packets
DONE = 6

HEAD = 1024  # enough for any OK, EOF or ERR packet the proxy must read
_PASS = frozenset({COLDEFS, ROWS, DEFS_EOFS})  # only EOF and ERR matter here

_FIRST_STATE = {
    COM_FIELD_LIST: DEFS_EOFS,
    COM_STMT_PREPARE: PREPARE,
    COM_STMT_FETCH: ROWS,
}
_SINGLE_PACKET = frozenset(
    {COM_INIT_DB, 0x07, 0x08, 0x09, 0x0D, 0x0E, 0x1A, 0x1B, 0x1F}
)  # INIT_DB REFRESH SHUTDOWN STATISTICS DEBUG PING STMT_RESET SET_OPTION RESET


class ResponseTracker:
    """Follows one server response through a byte buffer, packet header by
    packet header, without looking at row contents.

    feed(buf, end) inspects buf[0:end] and returns how many leading bytes are
    fully accounted for (safe to forward); the caller keeps the rest, reads
    more after it and feeds again. `done` is set once the response is over.
    With a non-zero `seq_delta` the sequence ids are shifted on the way (the
    proxy sent MariaDB a command framed in a different number of packets).
    """

    __slots__ = ("state", "skip", "cont", "binary", "eofs_left", "status", "error",
                 "infile", "seq_delta")

    def __init__(self):
        self.status = SERVER_STATUS_AUTOCOMMIT
        self.seq_delta = 0
        self.reset(COM_QUERY)

    def reset(self, command):
        if command == COM_QUERY:
            self.state = FIRST
            self.binary = False
        else:
            self.state = SINGLE if command in _SINGLE_PACKET else _FIRST_STATE.get(
                command, FIRST)
            self.binary = command in (COM_STMT_EXECUTE, COM_STMT_FETCH)
        self.eofs_left = 1
        self.skip = 0
        self.cont = False
        self.error = None
        self.infile = False

    @property
    def done(self):
        return self.state == DONE and self.skip == 0

    def feed(self, buf, end):
        pos = 0
        state, skip, cont, delta = self.state, self.skip, self.cont, self.seq_delta
        while True:
            if skip:
                if end - pos < skip:
                    skip -= end - pos
                    pos = end
                    break
                pos += skip
                skip = 0
            if state == DONE or end - pos < 4:
                break
            length = buf[pos] | buf[pos + 1] << 8 | buf[pos + 2] << 16
            if cont or length == 0:  # continuation of a MAX_PAYLOAD packet
                cont = length == MAX_PAYLOAD
            elif end - pos < 5:
                break
            else:
                first = buf[pos + 4]
                if state in _PASS and first != 0xFF and (first != 0xFE or length > 8):
                    cont = length == MAX_PAYLOAD
                else:
                    head = length if length < HEAD else HEAD
                    if end - pos - 4 < head:
                        break
                    state = self._interpret(buf, pos + 4, length, first, state)
                    cont = length == MAX_PAYLOAD
            if delta:
                buf[pos + 3] = (buf[pos + 3] + delta) & 0xFF
            pos += 4
            skip = length
        self.state, self.skip, self.cont = state, skip, cont
        return pos

    def _interpret(self, buf, i, length, first, state):  # noqa: C901
        if first == 0xFF:
            self.error = parse_err(buf[i : i + min(length, HEAD)])
            return DONE
        is_eof = first == 0xFE and length < 9
        if state == FIRST:
            if first == 0x00:
                self._ok_status(buf, i)
                return FIRST if self.status & SERVER_MORE_RESULTS_EXISTS else DONE
            if first == 0xFB:
                self.infile = True
                return DONE
            return COLDEFS
        if state == COLDEFS:
            if is_eof:
                self._eof_status(buf, i, length)
                if self.binary and self.status & SERVER_STATUS_CURSOR_EXISTS:
                    return DONE
                return ROWS
            return COLDEFS
        if state == ROWS:
            if is_eof:
                self._eof_status(buf, i, length)
                return FIRST if self.status & SERVER_MORE_RESULTS_EXISTS else DONE
            return ROWS
        if state == SINGLE:
            if first == 0x00 and length >= 7:
                self._ok_status(buf, i)
            elif is_eof:
                self._eof_status(buf, i, length)
            return DONE
        if state == PREPARE:
            columns = buf[i + 5] | buf[i + 6] << 8
            params = buf[i + 7] | buf[i + 8] << 8
            self.eofs_left = (columns > 0) + (params > 0)
            return DEFS_EOFS if self.eofs_left else DONE
        if state == DEFS_EOFS:
            if is_eof:
                self._eof_status(buf, i, length)
                self.eofs_left -= 1
                return DEFS_EOFS if self.eofs_left else DONE
            return DEFS_EOFS
        return state

    def _ok_status(self, buf, i):
        _, j = read_lenenc(buf, i + 1)
        _, j = read_lenenc(buf, j)
        self.status = buf[j] | buf[j + 1] << 8

    def _eof_status(self, buf, i, length):
        if length >= 5:
            self.status = buf[i + 3] | buf[i + 4] << 8
