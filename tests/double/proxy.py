"""The test double's MySQL-protocol proxy: one thread per client connection.

Packets are relayed, not decoded: the handshake gets a SingleStore-like
version string and trimmed capabilities (protocol.py); each COM_QUERY is first
checked for a `DOUBLE ...` control statement (faults.py), then for armed
faults, then offered to the SQL dialect layer (tests.double.sql), whose
`wants()` decides between the fast path (the original packet goes to MariaDB
untouched) and `handle()`. Server responses are read in large chunks and
forwarded as they arrive; only packet headers are followed (ResponseTracker).
"""

import logging
import socket
import threading
import time

import pymysql

from tests.double import protocol as p
from tests.double.faults import ControlError, FaultRegistry, parse_control
from tests.double.sql import Engine, Fail, Forward, Ok, lenient

log = logging.getLogger("tests.double.proxy")

INTERNAL_ERRNO = 1105
RECV_CHUNK = 256 * 1024
CLIENT_BUFFER = 64 * 1024
MAYBE_CONTROL = frozenset(b"Dd \t\r\n")  # first bytes a DOUBLE statement may have
NO_RESPONSE = frozenset({p.COM_STMT_CLOSE, p.COM_STMT_SEND_LONG_DATA})
SHOW_FAULTS_COLUMNS = [
    ("Kind", p.TYPE_VAR_STRING),
    ("Pattern", p.TYPE_VAR_STRING),
    ("Errno", p.TYPE_LONGLONG),
    ("Message", p.TYPE_VAR_STRING),
    ("Latency_ms", p.TYPE_LONGLONG),
    ("Remaining", p.TYPE_LONGLONG),
]

SHOW_SETTINGS_COLUMNS = [("Name", p.TYPE_VAR_STRING), ("Value", p.TYPE_VAR_STRING)]
SHOW_LENIENT_COLUMNS = [("Gap", p.TYPE_VAR_STRING), ("Statements", p.TYPE_LONGLONG)]


class Closed(Exception):
    """One side closed the connection (or a DISCONNECT fault fired)."""


class Upstream:
    """Where MariaDB listens: a unix socket path, or TCP host and port."""

    def __init__(self, host="127.0.0.1", port=3306, unix_socket=None, user="root",
                 password=""):
        self.host, self.port, self.unix_socket = host, port, unix_socket
        self.user, self.password = user, password

    def __str__(self):
        return self.unix_socket or f"{self.host}:{self.port}"

    def connect(self):
        if self.unix_socket:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(self.unix_socket)
            return sock
        sock = socket.create_connection((self.host, self.port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def side_connection(self):
        """A PyMySQL connection for the SQL layer's catalog work."""
        kwargs = {"unix_socket": self.unix_socket} if self.unix_socket else {
            "host": self.host, "port": self.port}
        return pymysql.connect(user=self.user, password=self.password,
                               autocommit=True, charset="utf8mb4", **kwargs)


class Proxy:
    def __init__(self, host, port, upstream, options, version=p.SERVER_VERSION,
                 engine_class=Engine):
        self.host, self.port = host, port
        self.upstream = upstream
        self.version = version
        self.faults = FaultRegistry()
        self.engine = engine_class(upstream.side_connection, options)
        self.listener = None
        self.closing = False

    def bind(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((self.host, self.port))
        self.listener.listen(512)
        self.port = self.listener.getsockname()[1]

    def serve_forever(self):
        self.engine.install()
        if self.listener is None:
            self.bind()
        log.info("proxy listening on %s:%d", self.host, self.port)
        while True:
            try:
                client, address = self.listener.accept()
            except OSError:
                if self.closing:
                    return
                raise
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=ClientConnection(self, client).run,
                             name=f"client-{address[1]}", daemon=True).start()

    def close(self):
        self.closing = True
        if self.listener is not None:
            try:
                self.listener.shutdown(socket.SHUT_RDWR)  # wakes up accept()
            except OSError:
                pass
            self.listener.close()


class ClientConnection:
    def __init__(self, proxy, client):
        self.proxy = proxy
        self.client = client
        self.server = None
        self.session = None
        self.tracker = p.ResponseTracker()
        self.client_caps = 0
        self.cbuf = bytearray(CLIENT_BUFFER)
        self.cview = memoryview(self.cbuf)
        self.chave = 0
        self.sbuf = bytearray(RECV_CHUNK)
        self.sview = memoryview(self.sbuf)
        self.shave = 0

    def run(self):
        try:
            try:
                self.server = self.proxy.upstream.connect()
            except OSError as exc:
                self._refuse(f"test double: cannot reach its MariaDB at "
                             f"{self.proxy.upstream}: {exc}; start it with "
                             f"`python -m tests.double start`")
                raise Closed from exc
            try:
                self.session = self.proxy.engine.session()
            except Exception as exc:
                log.exception("engine.session() failed")
                self._refuse(f"test double internal error: {type(exc).__name__}: {exc}")
                raise Closed from exc
            self._handshake()
            self._serve()
        except (Closed, ConnectionError):
            pass
        except OSError as exc:
            log.info("connection dropped: %s", exc)
        except Exception:
            log.exception("proxy connection failed")
        finally:
            for sock in (self.client, self.server):
                if sock is not None:
                    sock.close()
            if self.session is not None:
                try:
                    self.session.close()
                except Exception:
                    log.exception("session.close() failed")

    def _refuse(self, message):
        """An ERR packet in place of the server greeting."""
        log.error("%s", message)
        framed, _ = p.packets(p.err_payload(INTERNAL_ERRNO, "HY000", message), 0)
        self.client.sendall(framed)

    # client side reading -------------------------------------------------

    def _recv_client(self):
        n = self.client.recv_into(self.cview[self.chave:])
        if not n:
            raise Closed
        self.chave += n

    def _take_packet(self):
        """(raw packet bytes, payload length, sequence id) from the client."""
        while self.chave < 4:
            self._recv_client()
        buf = self.cbuf
        length = buf[0] | buf[1] << 8 | buf[2] << 16
        end = 4 + length
        if end > len(buf):  # all buffered bytes belong to this big packet
            raw = bytearray(end)
            raw[:self.chave] = buf[:self.chave]
            got, view = self.chave, memoryview(raw)
            while got < end:
                n = self.client.recv_into(view[got:])
                if not n:
                    raise Closed
                got += n
            self.chave = 0
            return raw, length, raw[3]
        while self.chave < end:
            self._recv_client()
        raw = bytes(buf[:end])
        left = self.chave - end
        if left:
            buf[:left] = buf[end:self.chave]
        self.chave = left
        return raw, length, raw[3]

    def _read_command(self):
        """(raw bytes as sent, payload, last sequence id) of one command."""
        raw, length, seq = self._take_packet()
        if length < p.MAX_PAYLOAD:
            return raw, memoryview(raw)[4:], seq
        raws, payloads = [raw], [raw[4:]]
        while length == p.MAX_PAYLOAD:
            raw, length, seq = self._take_packet()
            raws.append(raw)
            payloads.append(raw[4:])
        return b"".join(raws), memoryview(b"".join(payloads)), seq

    def _recv_server_packet(self):
        """(payload, sequence id) of one server packet, outside a response."""
        while True:
            if self.shave >= 4:
                buf = self.sbuf
                length = buf[0] | buf[1] << 8 | buf[2] << 16
                if self.shave >= 4 + length:
                    payload, seq = bytes(buf[4:4 + length]), buf[3]
                    left = self.shave - 4 - length
                    buf[:left] = buf[4 + length:self.shave]
                    self.shave = left
                    return payload, seq
            n = self.server.recv_into(self.sview[self.shave:])
            if not n:
                raise Closed
            self.shave += n

    # connection phase ----------------------------------------------------

    def _handshake(self):
        payload, seq = self._recv_server_packet()
        if payload[:1] == b"\xff":  # e.g. too many connections
            self.client.sendall(p.header(len(payload), seq) + payload)
            raise Closed
        payload, caps, status = p.rewrite_server_handshake(payload, self.proxy.version)
        self.tracker.status = status
        self.client.sendall(p.header(len(payload), seq) + payload)
        _, response, seq = self._read_command()
        if len(response) <= 32:
            log.info("client asked for TLS, which the double does not offer")
            raise Closed
        response, database = p.rewrite_handshake_response(response)
        self.client_caps = int.from_bytes(response[:4], "little")
        self.session.database = database
        self.server.sendall(p.header(len(response), seq) + response)
        if not self._authenticate():
            raise Closed

    def _authenticate(self):
        """Relay the authentication exchange until MariaDB says OK or ERR."""
        while True:
            payload, seq = self._recv_server_packet()
            self.client.sendall(p.header(len(payload), seq) + payload)
            first = payload[:1]
            if first == b"\x00":
                self.tracker.status = p.ok_status(payload)
                return True
            if first == b"\xff":
                return False
            if payload == b"\x01\x03":  # fast-auth success: OK follows
                continue
            raw, _, _ = self._take_packet()
            self.server.sendall(raw)

    # command phase -------------------------------------------------------

    def _serve(self):
        cbuf, cview = self.cbuf, self.cview
        recv_into, send_server = self.client.recv_into, self.server.sendall
        wants, faults = self.session.wants, self.proxy.faults
        while True:
            have = self.chave
            if not have:
                have = self.chave = recv_into(cview)
                if not have:
                    return
            # Fast path: exactly one whole COM_QUERY packet buffered, not a
            # control statement, no fault armed.
            if (have > 5 and cbuf[4] == p.COM_QUERY and cbuf[5] not in MAYBE_CONTROL
                    and not faults.active
                    and have == 4 + (cbuf[0] | cbuf[1] << 8 | cbuf[2] << 16)):
                sql = str(cview[5:have], "utf-8", "surrogateescape")
                self.chave = 0
                try:
                    wanted = wants(sql)
                except Exception as exc:
                    self._internal_error(cbuf[3], exc, sql)
                    continue
                if wanted:
                    self._handle(sql, cbuf[3])
                else:
                    send_server(cview[:have])
                    self._relay(p.COM_QUERY)
                continue
            self._command()

    def _command(self):
        raw, payload, seq = self._read_command()
        command = payload[0] if len(payload) else -1
        if command == p.COM_QUERY:
            self._query(raw, payload, seq)
        elif command == p.COM_QUIT:
            raise Closed
        elif command in NO_RESPONSE:
            self.server.sendall(raw)
        elif command == p.COM_CHANGE_USER:
            self.server.sendall(raw)
            if self._authenticate():
                self.session.database = p.change_user_database(bytes(payload),
                                                               self.client_caps)
        else:
            if command == p.COM_STMT_PREPARE:
                # Relayed untouched: no rules, no translation (KNOWN_GAPS.md).
                lenient.note(self.session, "prepared_statement")
            self.server.sendall(raw)
            self._relay(command)
            if command == p.COM_INIT_DB and self.tracker.error is None:
                self.session.database = bytes(payload[1:]).decode("utf-8")

    def _relay(self, command):
        """Forward the server's response to `command` to the client."""
        tracker = self.tracker
        tracker.reset(command)
        buf, view, client = self.sbuf, self.sview, self.client
        have = self.shave
        while True:
            if have:
                used = tracker.feed(buf, have)
                if used:
                    client.sendall(view[:used])
                    left = have - used
                    if left:
                        buf[:left] = buf[used:have]
                    have = left
                if tracker.done:
                    if tracker.infile:
                        self.shave = have
                        self._send_infile()
                        tracker.reset(p.COM_QUERY)
                        have = self.shave
                        continue
                    break
            n = self.server.recv_into(view[have:])
            if not n:
                self.shave = 0
                raise Closed
            have += n
        self.shave = have
        if have:
            log.warning("%d unexpected bytes after a response", have)

    def _send_infile(self):
        """LOAD DATA LOCAL: relay the client's file packets up to the empty one."""
        while True:
            raw, length, _ = self._take_packet()
            self.server.sendall(raw)
            if length == 0:
                return

    def _query(self, raw, payload, seq):
        text = payload[1:]
        sql = str(text, "utf-8", "surrogateescape")
        if bytes(text[:48]).lstrip()[:6].upper() == b"DOUBLE":
            if self._control(sql, seq):
                return
        faults = self.proxy.faults
        if faults.active:
            latency, fault = faults.match(sql)
            if latency:
                time.sleep(latency)
            if fault is not None and fault.kind == "disconnect":
                log.info("DISCONNECT fault on %.200r", sql)
                raise Closed
            if fault is not None:
                if fault.kind == "error rollback":
                    self._rollback_on_server()
                self._send_error(seq, fault.errno, "HY000", fault.message)
                return
        try:
            wanted = self.session.wants(sql)
        except Exception as exc:
            self._internal_error(seq, exc, sql)
            return
        if wanted:
            self._handle(sql, seq)
        else:
            self.server.sendall(raw)
            self._relay(p.COM_QUERY)

    def _handle(self, sql, seq):
        try:
            outcome = self.session.handle(sql)
        except Exception as exc:
            self._internal_error(seq, exc, sql)
            return
        if isinstance(outcome, Forward):
            self._forward(outcome, seq, sql)
        elif isinstance(outcome, Fail):
            self._send_error(seq, outcome.errno, outcome.sqlstate, outcome.message)
        elif isinstance(outcome, Ok):
            framed, _ = p.packets(
                p.ok_payload(outcome.affected_rows, self.tracker.status), seq + 1)
            self.client.sendall(framed)
        else:
            self._internal_error(
                seq, TypeError(f"session.handle() returned {outcome!r}"), sql)

    def _forward(self, outcome, seq, sql):
        framed, next_seq = p.packets(
            b"\x03" + outcome.sql.encode("utf-8", "surrogateescape"), 0)
        self.server.sendall(framed)
        self.tracker.seq_delta = (seq + 1 - next_seq) & 0xFF
        try:
            self._relay(p.COM_QUERY)
        finally:
            self.tracker.seq_delta = 0
        if outcome.on_done is not None:
            try:
                outcome.on_done(self.tracker.error)
            except Exception:
                log.exception("on_done failed after %.500r", sql)

    def _rollback_on_server(self):
        """Roll back the open transaction on MariaDB, answering no one.

        The OK's status (no SERVER_STATUS_IN_TRANS) is what the client sees
        in the next response that carries a status.
        """
        framed, _ = p.packets(b"\x03ROLLBACK", 0)
        self.server.sendall(framed)
        payload, _ = self._recv_server_packet()
        if payload[:1] == b"\x00":
            self.tracker.status = p.ok_status(payload)

    def _send_error(self, seq, errno, sqlstate, message):
        framed, _ = p.packets(p.err_payload(errno, sqlstate, message), seq + 1)
        self.client.sendall(framed)

    def _internal_error(self, seq, exc, sql):
        log.exception("engine failed on %.500r", sql)
        self._send_error(seq, INTERNAL_ERRNO, "HY000",
                         f"test double internal error: {type(exc).__name__}: {exc}")

    def _control(self, sql, seq):
        """Answer a DOUBLE statement; False when `sql` is not one after all."""
        try:
            command = parse_control(sql)
        except ControlError as exc:
            self._send_error(seq, 1064, "42000", str(exc))
            return True
        if command is None:
            return False
        faults = self.proxy.faults
        if command.action == "arm":
            faults.arm(command.fault)
        elif command.action == "clear":
            faults.clear()
        elif command.action == "set":
            self.proxy.engine.options[command.name] = command.value
        elif command.action in ("show", "settings", "lenient"):
            if command.action == "show":
                columns = SHOW_FAULTS_COLUMNS
                rows = [(f.kind, f.pattern, f.errno, f.message, f.latency_ms,
                         f.remaining) for f in faults.snapshot()]
            elif command.action == "lenient":
                columns = SHOW_LENIENT_COLUMNS
                rows = lenient.counts(self.session)
            else:
                columns = SHOW_SETTINGS_COLUMNS
                rows = sorted(self.proxy.engine.options.items())
            framed, _ = p.text_result_set(columns, rows, self.tracker.status, seq + 1)
            self.client.sendall(framed)
            return True
        log.info("control: %s", sql.strip())
        framed, _ = p.packets(p.ok_payload(0, self.tracker.status), seq + 1)
        self.client.sendall(framed)
        return True
