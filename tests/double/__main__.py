"""Command line of the test double, run from the repository root:

    python -m tests.double start [--memsql-version 8.9.3]
                                 [--default-table-type columnstore]
    python -m tests.double stop | status | env | restart [start options]

`start` is idempotent and prints the DSN. `restart` replaces only the proxy
(to load changed code under tests/double); MariaDB keeps running. `env`
prints shell export lines (use `eval "$(python -m tests.double env)"`).
`status` exits 0 only when MariaDB and the proxy both run. `serve` is the
proxy daemon itself.
Ports: DOUBLE_MARIADB_PORT (43306), DOUBLE_PORT (43307); files: DOUBLE_DIR.
"""

import argparse
import logging
import os
import signal
import socket
import subprocess
import sys
import time

from tests.double import mariadb
from tests.double.faults import TABLE_TYPES, VERSION_FORMAT
from tests.double.mariadb import HOST, DoubleError, Layout
from tests.double.protocol import SERVER_VERSION

PROXY_MARKER = "tests.double\0serve"


def proxy_running(layout):
    return mariadb.alive(mariadb.read_pid(layout.proxy_pid), PROXY_MARKER)


def proxy_answers(layout, timeout=1.0):
    """True when the proxy relays MariaDB's handshake with our version."""
    try:
        with socket.create_connection((HOST, layout.proxy_port), timeout) as sock:
            sock.settimeout(timeout)
            data = b""
            while len(data) < 5 + len(SERVER_VERSION):
                chunk = sock.recv(256)
                if not chunk:
                    return False
                data += chunk
    except OSError:
        return False
    return data[5:5 + len(SERVER_VERSION)].decode("latin1") == SERVER_VERSION


def start_proxy(layout, args):
    if proxy_running(layout):
        return False
    mariadb.require_free(layout.proxy_port, "proxy", "DOUBLE_PORT")
    command = [sys.executable, "-m", "tests.double", "serve",
               "--memsql-version", args.memsql_version,
               "--default-table-type", args.default_table_type]
    env = dict(os.environ, DOUBLE_DIR=str(layout.root),
               DOUBLE_MARIADB_PORT=str(layout.mariadb_port),
               DOUBLE_PORT=str(layout.proxy_port))
    with open(layout.proxy_log, "ab") as log:
        process = subprocess.Popen(command, cwd=mariadb.REPO, env=env,
                                   stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    layout.proxy_pid.write_text(f"{process.pid}\n")
    deadline = time.monotonic() + mariadb.START_TIMEOUT
    while not proxy_answers(layout):
        if process.poll() is not None:
            layout.proxy_pid.unlink(missing_ok=True)
            raise DoubleError(
                f"the proxy exited with status {process.returncode} while starting; "
                f"{layout.proxy_log} ends with:\n{mariadb.log_tail(layout.proxy_log)}")
        if time.monotonic() > deadline:
            raise DoubleError(f"the proxy did not answer within "
                              f"{mariadb.START_TIMEOUT:.0f}s; see {layout.proxy_log}")
        time.sleep(0.05)
    return True


def stop_proxy(layout):
    mariadb.terminate(mariadb.read_pid(layout.proxy_pid), PROXY_MARKER,
                      layout.proxy_pid, 10.0)


def cmd_start(layout, args):
    started_db = mariadb.start_mariadb(layout)
    started_proxy = start_proxy(layout, args)
    if started_db or started_proxy:
        print(f"SingleStore test double started: {layout.proxy_url}")
    else:
        print(f"SingleStore test double already running: {layout.proxy_url}")
    print(f"MariaDB behind it: {layout.mariadb_url}; logs in {layout.logs}")
    return 0


def cmd_stop(layout, args):
    stop_proxy(layout)
    mariadb.stop_mariadb(layout)
    print("SingleStore test double stopped")
    return 0


def cmd_restart(layout, args):
    """A new proxy (it loads tests/double anew); MariaDB keeps running."""
    stop_proxy(layout)
    return cmd_start(layout, args)


def cmd_status(layout, args):
    db = mariadb.mariadb_running(layout)
    proxy = proxy_running(layout) and proxy_answers(layout)
    state = {True: "running", False: "not running"}
    print(f"MariaDB {state[db]} ({layout.mariadb_url})")
    print(f"proxy {state[proxy]} ({layout.proxy_url})")
    return 0 if db and proxy else 1


def cmd_env(layout, args):
    print(f"export SINGLESTORE_TEST_URL={layout.proxy_url}")
    print(f"export DOUBLE_MARIADB_URL={layout.mariadb_url}")
    return 0


def cmd_serve(layout, args):
    # imported here so that start/stop/status/env never depend on the SQL layer
    from tests.double.proxy import Proxy, Upstream

    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(threadName)s %(message)s")
    options = {"memsql_version": args.memsql_version,
               "default_table_type": args.default_table_type}
    proxy = Proxy(HOST, layout.proxy_port, Upstream(unix_socket=str(layout.socket)),
                  options)
    proxy.bind()

    def on_term(signum, frame):
        proxy.close()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_term)
    proxy.serve_forever()
    return 0


COMMANDS = {"start": cmd_start, "stop": cmd_stop, "restart": cmd_restart,
            "status": cmd_status, "env": cmd_env, "serve": cmd_serve}


def version(text):
    if not VERSION_FORMAT.match(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a version like 8.9.3 (major.minor.patch)")
    return text


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.double",
                                     description="The SingleStore test double.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        command = sub.add_parser(name)
        if name in ("start", "restart", "serve"):
            command.add_argument("--memsql-version", default="8.9.3", type=version,
                                 help="@@memsql_version to report (default 8.9.3)")
            command.add_argument("--default-table-type", default="columnstore",
                                 choices=TABLE_TYPES,
                                 help="what plain CREATE TABLE makes")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    try:
        layout = Layout.from_env()
        return COMMANDS[args.command](layout, args)
    except DoubleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
