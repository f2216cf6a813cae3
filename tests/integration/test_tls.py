"""TLS against a server that offers it: encrypted, verified as the mode says.

The test double offers no TLS (its refusal is tested in test_connection.py),
so these tests run a loopback server of their own that speaks the MySQL
handshake, switches to TLS when the client asks, records what it saw and
then refuses the login: a connection that gets that far was set up as the
settings asked.
"""

import shutil
import socket
import ssl
import struct
import subprocess
import threading

import pytest
from django.db import OperationalError, connection

from django_singlestore.base import DatabaseWrapper

CLIENT_SSL = 0x800
CAPABILITIES = (
    0x1  # LONG_PASSWORD
    | 0x8  # CONNECT_WITH_DB
    | 0x200  # PROTOCOL_41
    | CLIENT_SSL
    | 0x2000  # TRANSACTIONS
    | 0x8000  # SECURE_CONNECTION
    | 0x80000  # PLUGIN_AUTH
)
REFUSAL = "Access denied by the TLS test server"

pytestmark = pytest.mark.skipif(
    shutil.which("openssl") is None,
    reason="the openssl command is needed to make the test certificates",
)


def packet(sequence, payload):
    return struct.pack("<I", len(payload))[:3] + bytes([sequence]) + payload


def handshake():
    salt = b"abcdefgh" + b"ijklmnopqrst"
    return (
        b"\x0a8.0.0-tls-test\x00"
        + struct.pack("<I", 7)
        + salt[:8]
        + b"\x00"
        + struct.pack("<H", CAPABILITIES & 0xFFFF)
        + bytes([45])  # utf8mb4_general_ci
        + struct.pack("<H", 2)
        + struct.pack("<H", CAPABILITIES >> 16)
        + bytes([21])
        + b"\x00" * 10
        + salt[8:]
        + b"\x00mysql_native_password\x00"
    )


def receive(peer, size):
    # Unbuffered: the bytes after the SSL request belong to the TLS handshake.
    data = b""
    while len(data) < size:
        chunk = peer.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the client closed the connection")
        data += chunk
    return data


def read_packet(peer):
    header = receive(peer, 4)
    return header[3], receive(peer, int.from_bytes(header[:3], "little"))


def make_certificate(directory, name, host):
    cert, key = directory / f"{name}.pem", directory / f"{name}-key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            f"/CN={host}",
            "-addext",
            f"subjectAltName=DNS:{host}",
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


class TLSServer:
    """Accepts one connection at a time; ``seen`` lists 'TLS...' or 'plaintext'."""

    def __init__(self, cert, key):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.seen = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.done.is_set():
            try:
                peer = self.listener.accept()[0]
            except TimeoutError:
                continue
            try:
                self.talk(peer)
            except (OSError, ssl.SSLError):
                self.seen.append("failed")
            finally:
                peer.close()

    def talk(self, peer):
        peer.settimeout(5)
        peer.sendall(packet(0, handshake()))
        sequence, payload = read_packet(peer)
        if struct.unpack("<I", payload[:4])[0] & CLIENT_SSL and len(payload) == 32:
            peer = self.context.wrap_socket(peer, server_side=True)
            sequence, payload = read_packet(peer)
            self.seen.append(peer.version())
        else:
            self.seen.append("plaintext")
        message = REFUSAL.encode()
        error = b"\xff" + struct.pack("<H", 1045) + b"#28000" + message
        peer.sendall(packet(sequence + 1, error))

    def sessions(self):
        """What the server saw, once it has finished with the one client."""
        for _ in range(50):
            if self.seen:
                break
            self.done.wait(0.1)
        return self.seen

    def close(self):
        self.done.set()
        self.thread.join()
        self.listener.close()


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    directory = tmp_path_factory.mktemp("tls")
    return {
        "server": make_certificate(directory, "server", "localhost"),
        "other": make_certificate(directory, "other", "localhost"),
    }


@pytest.fixture
def server(certificates):
    running = TLSServer(*certificates["server"])
    yield running
    running.close()


def connect(server, host="localhost", **options):
    wrapper = DatabaseWrapper(
        {
            **connection.settings_dict,
            "HOST": host,
            "PORT": server.port,
            "USER": "app",
            "OPTIONS": {"connect_timeout": 5, **options},
        }
    )
    with pytest.raises(OperationalError) as error:
        wrapper.ensure_connection()
    return error.value.args[:2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "options_for",
    [
        lambda ca: {"ssl_mode": "PREFERRED"},
        lambda ca: {"ssl_mode": "REQUIRED"},
        lambda ca: {"ssl": {}},
        lambda ca: {"ssl_mode": "VERIFY_CA", "ssl": {"ca": ca}},
        lambda ca: {"ssl_mode": "VERIFY_IDENTITY", "ssl": {"ca": ca}},
        lambda ca: {"ssl": {"ca": ca, "verify_cert": True, "verify_identity": True}},
    ],
    ids=["PREFERRED", "REQUIRED", "ssl-dict", "VERIFY_CA", "VERIFY_IDENTITY", "flags"],
)
def test_tls_offered_is_used(server, certificates, options_for):
    options = options_for(certificates["server"][0])
    assert connect(server, **options) == (1045, REFUSAL)
    assert [session[:6] for session in server.sessions()] == ["TLSv1."]


@pytest.mark.django_db
def test_tls_disabled_stays_plaintext(server):
    assert connect(server, ssl_mode="DISABLED") == (1045, REFUSAL)
    assert server.sessions() == ["plaintext"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mode, host, ca, reason",
    [
        (
            "VERIFY_CA",
            "localhost",
            "other",
            "certificate verify failed: self-signed certificate",
        ),
        (
            "VERIFY_IDENTITY",
            "127.0.0.1",
            "server",
            "certificate verify failed: IP address mismatch, certificate is not "
            "valid for '127.0.0.1'.",
        ),
    ],
)
def test_certificate_that_fails_verification_is_refused(
    server, certificates, mode, host, ca, reason
):
    errno, message = connect(
        server, host=host, ssl_mode=mode, ssl={"ca": certificates[ca][0]}
    )
    assert errno == 2003
    assert message.startswith(f"Can't connect to MySQL server on {host!r} ")
    assert reason in message
    assert server.sessions() == ["failed"]


@pytest.mark.django_db
def test_required_without_verification_accepts_any_certificate(server, certificates):
    # REQUIRED encrypts but, as in MySQL, does not check the certificate.
    options = {"ssl_mode": "REQUIRED", "ssl": {"ca": certificates["other"][0]}}
    assert connect(server, host="127.0.0.1", **options) == (1045, REFUSAL)
    assert [session[:6] for session in server.sessions()] == ["TLSv1."]
