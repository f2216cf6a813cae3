"""The private MariaDB behind the test double, and the double's file layout.

Everything lives under DOUBLE_DIR (default `.double` at the repository root):
data/ (MariaDB's data directory), logs/mariadb.log, logs/proxy.log,
mariadb.sock, mariadb.pid, proxy.pid.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pymysql

REPO = Path(__file__).resolve().parents[2]
MARIADB_PORT = 43306
PROXY_PORT = 43307
HOST = "127.0.0.1"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 60.0
MAX_SOCKET_PATH = 107  # sun_path is 108 bytes with the terminating NUL
INSTALL_HINT = "install mariadb-server (apt-get install mariadb-server), or run " \
    "`make test`, which installs it"

# Relaxed durability and SingleStore 8.x session defaults (utf8mb4 with
# utf8mb4_general_ci, STRICT_ALL_TABLES); 500 connections for Django's
# parallel test runner; 1 GiB packets so the proxy's > 16 MiB relay is testable;
# a 60 s metadata-lock wait (MariaDB's default is a day) so a transaction a test
# leaves open makes a DROP DATABASE fail with 1205 instead of hanging the run.
# READ COMMITTED, SingleStore's only isolation level ("SingleStore provides the
# READ COMMITTED isolation level", docs.singlestore.com/db/v9.1/introduction/
# faqs/durability), where MariaDB's default is REPEATABLE READ: a client then
# need not set it per session, and does not on SingleStore.
ZONEINFO = "/usr/share/zoneinfo"
SERVER_OPTIONS = [
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_general_ci",
    "--sql-mode=STRICT_ALL_TABLES",
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
    "--innodb-flush-method=nosync",
    "--innodb-use-native-aio=0",
    "--innodb-buffer-pool-size=256M",
    "--skip-log-bin",
    "--sync-binlog=0",
    "--sync-frm=0",
    "--skip-performance-schema",
    "--skip-name-resolve",
    "--max-connections=500",
    "--max-allowed-packet=1G",
    "--lock-wait-timeout=60",
    "--transaction-isolation=READ-COMMITTED",
]

USER_SETUP = [
    "CREATE USER IF NOT EXISTS 'root'@'{host}' IDENTIFIED VIA mysql_native_password "
    "USING PASSWORD('')",
    "ALTER USER 'root'@'{host}' IDENTIFIED VIA mysql_native_password "
    "USING PASSWORD('')",
    "GRANT ALL PRIVILEGES ON *.* TO 'root'@'{host}' WITH GRANT OPTION",
]


class DoubleError(Exception):
    """The double cannot be started or stopped; str() says why and what to do."""


@dataclass(frozen=True)
class Layout:
    root: Path
    mariadb_port: int
    proxy_port: int

    @classmethod
    def from_env(cls):
        root = Path(os.environ.get("DOUBLE_DIR") or REPO / ".double").resolve()
        return cls(root, _port("DOUBLE_MARIADB_PORT", MARIADB_PORT),
                   _port("DOUBLE_PORT", PROXY_PORT)).check()

    data = property(lambda self: self.root / "data")
    logs = property(lambda self: self.root / "logs")
    socket = property(lambda self: self.root / "mariadb.sock")
    mariadb_pid = property(lambda self: self.root / "mariadb.pid")
    proxy_pid = property(lambda self: self.root / "proxy.pid")
    mariadb_log = property(lambda self: self.logs / "mariadb.log")
    proxy_log = property(lambda self: self.logs / "proxy.log")

    def check(self):
        if len(os.fsencode(self.socket)) > MAX_SOCKET_PATH:
            raise DoubleError(
                f"the MariaDB socket path {self.socket} is longer than a unix socket "
                f"allows ({MAX_SOCKET_PATH} bytes); set DOUBLE_DIR to a shorter path")
        return self

    @property
    def proxy_url(self):
        return f"singlestoredb://root@{HOST}:{self.proxy_port}"

    @property
    def mariadb_url(self):
        return f"mysql://root@{HOST}:{self.mariadb_port}"


def _port(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise DoubleError(f"{name}={value!r} is not a TCP port number (1-65535)")
    return int(value)


# processes -----------------------------------------------------------------

def read_pid(path):
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def alive(pid, marker):
    """True when `pid` runs and its command line contains `marker`."""
    if pid is None:
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return marker.encode() in cmdline and state != "Z"


def port_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def require_free(port, what, variable):
    if not port_free(port):
        raise DoubleError(
            f"cannot start the double's {what}: port {port} on {HOST} is already in "
            f"use by another program; stop that program or pick a free port with "
            f"{variable}=<port>"
        )


def log_tail(path, lines=15):
    try:
        text = path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return "(no log)"
    return "\n".join(text)


def terminate(pid, marker, pid_file, timeout):
    """SIGTERM the process we started, wait for it, SIGKILL after `timeout`."""
    if alive(pid, marker):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while alive(pid, marker) and time.monotonic() < deadline:
            time.sleep(0.05)
        if alive(pid, marker):
            os.kill(pid, signal.SIGKILL)
            while alive(pid, marker):
                time.sleep(0.05)
    pid_file.unlink(missing_ok=True)


# MariaDB -----------------------------------------------------------------

def find_program(name, fallback):
    found = shutil.which(name) or (fallback if os.access(fallback, os.X_OK) else None)
    if found is None:
        raise DoubleError(f"{name} not found: {INSTALL_HINT}")
    return found


def mariadb_running(layout):
    return alive(read_pid(layout.mariadb_pid), "mariadbd")


def connect(layout, **kwargs):
    return pymysql.connect(unix_socket=str(layout.socket), user="root", password="",
                           autocommit=True, **kwargs)


def start_mariadb(layout):
    """Start MariaDB unless it runs; returns True when it was started."""
    if mariadb_running(layout):
        return False
    mariadbd = find_program("mariadbd", "/usr/sbin/mariadbd")
    require_free(layout.mariadb_port, "MariaDB", "DOUBLE_MARIADB_PORT")
    layout.logs.mkdir(parents=True, exist_ok=True)
    if not (layout.data / "mysql").is_dir():
        _install_db(layout)
    command = [
        mariadbd, "--no-defaults", "--user=root", f"--datadir={layout.data}",
        f"--bind-address={HOST}", f"--port={layout.mariadb_port}",
        f"--socket={layout.socket}", f"--pid-file={layout.mariadb_pid}",
        f"--log-error={layout.mariadb_log}", *SERVER_OPTIONS,
    ]
    with open(layout.mariadb_log, "ab") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise DoubleError(
                f"mariadbd exited with status {process.returncode} while starting; "
                f"{layout.mariadb_log} ends with:\n{log_tail(layout.mariadb_log)}")
        try:
            conn = connect(layout, connect_timeout=1)
            break
        except pymysql.err.OperationalError:
            if time.monotonic() > deadline:
                raise DoubleError(
                    f"MariaDB did not answer within {START_TIMEOUT:.0f}s; see "
                    f"{layout.mariadb_log}") from None
            time.sleep(0.1)
    with conn, conn.cursor() as cursor:
        for host in (HOST, "localhost"):
            for statement in USER_SETUP:
                cursor.execute(statement.format(host=host))
        cursor.execute("SELECT COUNT(*) FROM mysql.time_zone_name")
        if not cursor.fetchone()[0]:
            _load_time_zones(layout)
    return True


def _load_time_zones(layout):
    """SingleStore knows the IANA zone names (CONVERT_TZ(d, 'UTC', 'Europe/Paris'));
    MariaDB does only once its time zone tables are loaded from the system's
    zoneinfo. Done once per data directory."""
    to_sql = find_program("mariadb-tzinfo-to-sql", "/usr/bin/mariadb-tzinfo-to-sql")
    client = find_program("mariadb", "/usr/bin/mariadb")
    sql = subprocess.run([to_sql, ZONEINFO], capture_output=True, check=True).stdout
    with open(layout.mariadb_log, "ab") as log:
        result = subprocess.run(
            [client, "--no-defaults", f"--socket={layout.socket}", "-uroot", "mysql"],
            input=sql, stdout=log, stderr=subprocess.STDOUT)
    if result.returncode:
        raise DoubleError(f"loading the time zone tables failed (status "
                          f"{result.returncode}); see {layout.mariadb_log}")


def _install_db(layout):
    install = find_program("mariadb-install-db", "/usr/bin/mariadb-install-db")
    layout.data.mkdir(parents=True, exist_ok=True)
    with open(layout.mariadb_log, "ab") as log:
        result = subprocess.run(
            [install, "--no-defaults", "--user=root", f"--datadir={layout.data}",
             "--auth-root-authentication-method=normal", "--skip-test-db"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    if result.returncode:
        shutil.rmtree(layout.data, ignore_errors=True)
        raise DoubleError(f"mariadb-install-db failed (status {result.returncode}); "
                          f"{layout.mariadb_log} ends with:\n"
                          f"{log_tail(layout.mariadb_log)}")


def stop_mariadb(layout):
    terminate(read_pid(layout.mariadb_pid), "mariadbd", layout.mariadb_pid,
              STOP_TIMEOUT)
