"""The double's command line: env and status output, idempotent start, and the
errors for a taken port or a missing MariaDB. Failing starts use a throwaway
DOUBLE_DIR and ports, so the shared double is never touched."""

import os
import socket
import subprocess
import sys
from argparse import Namespace

import pytest

from tests.double import mariadb
from tests.double.__main__ import start_proxy
from tests.double.mariadb import REPO, DoubleError, Layout


def cli(*args, **env):
    result = subprocess.run([sys.executable, "-m", "tests.double", *args], cwd=REPO,
                            env=dict(os.environ, **env), capture_output=True,
                            text=True, timeout=120)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture
def taken_port():
    """A port on 127.0.0.1 held by a listening socket of this test."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


@pytest.fixture
def shared_double(is_double):
    if not is_double:
        pytest.skip("SINGLESTORE_URL names a real server: no double runs")
    code, out, _ = cli("status")
    if code != 0:
        pytest.skip(f"the shared double is not running: {out.strip()}")


def test_env_prints_export_lines():
    code, out, err = cli("env", DOUBLE_PORT="45001", DOUBLE_MARIADB_PORT="45000")
    assert (code, err) == (0, "")
    assert out == ("export SINGLESTORE_TEST_URL=singlestoredb://root@127.0.0.1:45001\n"
                   "export DOUBLE_MARIADB_URL=mysql://root@127.0.0.1:45000\n")


def test_env_defaults():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DOUBLE_PORT", "DOUBLE_MARIADB_PORT")}
    result = subprocess.run([sys.executable, "-m", "tests.double", "env"], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout == (
        "export SINGLESTORE_TEST_URL=singlestoredb://root@127.0.0.1:43307\n"
        "export DOUBLE_MARIADB_URL=mysql://root@127.0.0.1:43306\n")


def test_status_of_a_double_that_does_not_run(tmp_path):
    code, out, _ = cli("status", DOUBLE_DIR=str(tmp_path), DOUBLE_PORT="45003",
                       DOUBLE_MARIADB_PORT="45002")
    assert code == 1
    assert out == ("MariaDB not running (mysql://root@127.0.0.1:45002)\n"
                   "proxy not running (singlestoredb://root@127.0.0.1:45003)\n")


def test_status_and_start_of_the_running_double(shared_double):
    layout = Layout.from_env()
    code, out, _ = cli("status")
    assert code == 0
    assert out == (f"MariaDB running ({layout.mariadb_url})\n"
                   f"proxy running ({layout.proxy_url})\n")
    code, out, _ = cli("start")
    assert code == 0
    assert out == (f"SingleStore test double already running: {layout.proxy_url}\n"
                   f"MariaDB behind it: {layout.mariadb_url}; logs in {layout.logs}\n")


def test_start_refuses_a_taken_mariadb_port(tmp_path, taken_port):
    code, out, err = cli("start", DOUBLE_DIR=str(tmp_path / "double"),
                         DOUBLE_MARIADB_PORT=str(taken_port), DOUBLE_PORT="45005")
    assert (code, out) == (2, "")
    assert err == (
        f"error: cannot start the double's MariaDB: port {taken_port} on 127.0.0.1 is "
        "already in use by another program; stop that program or pick a free port "
        "with DOUBLE_MARIADB_PORT=<port>\n")
    assert not (tmp_path / "double" / "data").exists()


def test_start_proxy_refuses_a_taken_port(tmp_path, taken_port):
    layout = Layout(tmp_path, 45006, taken_port)
    args = Namespace(memsql_version="8.9.3", default_table_type="columnstore")
    with pytest.raises(DoubleError) as refused:
        start_proxy(layout, args)
    assert str(refused.value) == (
        f"cannot start the double's proxy: port {taken_port} on 127.0.0.1 is already "
        "in use by another program; stop that program or pick a free port with "
        "DOUBLE_PORT=<port>")
    assert not layout.proxy_pid.exists()


def test_a_missing_mariadb_names_the_package():
    with pytest.raises(DoubleError) as missing:
        mariadb.find_program("mariadbd-t-dbl-missing", "/nonexistent/mariadbd")
    assert str(missing.value) == (
        "mariadbd-t-dbl-missing not found: install mariadb-server (apt-get install "
        "mariadb-server), or run `make test`, which installs it")


def test_bad_port_variable_is_named():
    code, out, err = cli("env", DOUBLE_PORT="http")
    assert (code, out) == (2, "")
    assert err == "error: DOUBLE_PORT='http' is not a TCP port number (1-65535)\n"


def test_stop_of_a_double_that_does_not_run_is_harmless(tmp_path):
    code, out, _ = cli("stop", DOUBLE_DIR=str(tmp_path), DOUBLE_PORT="45008",
                       DOUBLE_MARIADB_PORT="45007")
    assert (code, out) == (0, "SingleStore test double stopped\n")


def test_bad_memsql_version_option_is_refused_before_starting():
    code, out, err = cli("start", "--memsql-version", "8.9")
    assert (code, out) == (2, "")
    assert err.endswith("error: argument --memsql-version: '8.9' is not a version "
                        "like 8.9.3 (major.minor.patch)\n")


def test_a_double_dir_too_long_for_the_socket_is_named(tmp_path):
    root = tmp_path / ("d" * 110)
    code, out, err = cli("status", DOUBLE_DIR=str(root))
    assert (code, out) == (2, "")
    assert err == (f"error: the MariaDB socket path {root}/mariadb.sock is longer than "
                   "a unix socket allows (107 bytes); set DOUBLE_DIR to a shorter "
                   "path\n")
