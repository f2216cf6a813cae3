"""DATABASES entries into driver arguments and dbshell arguments (no database)."""

import inspect

import pytest
from django.core.exceptions import ImproperlyConfigured
from singlestoredb.mysql.connection import Connection as ProtocolConnection

from django_singlestore import __version__
from django_singlestore.base import DJANGO_CONVERTERS, DatabaseWrapper
from django_singlestore.client import DatabaseClient
from django_singlestore.options import (
    BACKEND_KEYS,
    DRIVER_RULES,
    RESERVED_KEYS,
    SETTING_OF_KEY,
    UNSUPPORTED_KEYS,
)
from django_singlestore.tls import DRIVER_TLS_KEYS


def settings_dict(**entries):
    base = {
        "ENGINE": "django_singlestore",
        "NAME": "",
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "OPTIONS": {},
    }
    return {**base, **entries}


def params(**entries):
    kwargs = DatabaseWrapper(settings_dict(**entries)).get_connection_params()
    assert kwargs.pop("conv") is DJANGO_CONVERTERS
    return kwargs


def refused(**entries):
    with pytest.raises(ImproperlyConfigured) as error:
        params(**entries)
    return str(error.value)


def dbshell(**entries):
    return DatabaseClient.settings_to_cmd_args_env(settings_dict(**entries), [])


FIXED = {
    "charset": "utf8mb4",
    "autocommit": None,
    "client_found_rows": True,
    "parse_json": False,
    "interpolate_query_with_empty_args": True,
    "conn_attrs": {
        "_connector_name": "django-singlestore",
        "_connector_version": __version__,
    },
}
ALLOWED_KEYS = (
    "auth_plugin_map, binary_prefix, bind_address, charset, client_flag, "
    "collation, conn_attrs, connect_timeout, enable_extended_data_types, "
    "encoding_errors, inf_as_null, init_command, invalid_values, "
    "isolation_level, local_infile, max_allowed_packet, multi_statements, "
    "nan_as_null, program_name, pure_python, read_default_file, "
    "read_default_group, read_timeout, server_public_key, socket_options, "
    "sql_mode, ssl, ssl_mode, tls_sni_servername, use_unicode, "
    "vector_data_format, write_timeout"
)


@pytest.fixture
def pem(tmp_path):
    """Paths of existing files named ca.pem, c.pem and k.pem."""
    paths = {}
    for name in ("ca", "c", "k"):
        path = tmp_path / f"{name}.pem"
        path.write_text("")
        paths[name] = str(path)
    return paths


# Plain settings and URLs


def test_plain_settings():
    assert params(
        HOST="db.example", PORT="3307", NAME="shop", USER="app", PASSWORD="pw"
    ) == {
        **FIXED,
        "host": "db.example",
        "port": 3307,
        "database": "shop",
        "user": "app",
        "password": "pw",
    }


def test_url_in_host():
    assert params(HOST="singlestoredb://app:p%40ss@db.example:3308/shop") == {
        **FIXED,
        "host": "db.example",
        "port": 3308,
        "user": "app",
        "password": "p@ss",
        "database": "shop",
    }


def test_settings_win_over_url_parts():
    assert params(
        HOST="mysql://app:pw@db.example:3308/shop", USER="other", NAME="db2"
    ) == {
        **FIXED,
        "host": "db.example",
        "port": 3308,
        "user": "other",
        "password": "pw",
        "database": "db2",
    }


def test_unix_socket():
    assert params(HOST="/run/singlestore.sock", USER="app") == {
        **FIXED,
        "unix_socket": "/run/singlestore.sock",
        "user": "app",
    }


def test_http_url_refused_without_its_password():
    assert refused(HOST="https://app:s3cret@db.example/shop") == (
        "DATABASES HOST 'https://app:***@db.example/shop' uses the scheme 'https'; "
        "django_singlestore accepts singlestoredb:// or mysql:// URLs (the MySQL "
        "protocol, which Django's transactions need). Use for example "
        "singlestoredb://user:password@host:3306/dbname."
    )


def test_url_query_options(pem):
    url = (
        f"singlestoredb://app:pw@db.example/shop?ssl_ca={pem['ca']}"
        "&ssl_verify_cert=true&connect_timeout=2.5&charset=utf8"
    )
    assert params(HOST=url) == {
        **FIXED,
        "host": "db.example",
        "user": "app",
        "password": "pw",
        "database": "shop",
        "charset": "utf8",
        "connect_timeout": 2.5,
        "ssl": {"ca": pem["ca"], "verify_mode": True, "check_hostname": False},
        "ssl_mode": "VERIFY_CA",
    }


NO_CHECKS = {"verify_mode": False, "check_hostname": False}


@pytest.mark.parametrize(
    "query, tls",
    [
        ("ssl=true", {"ssl": NO_CHECKS, "ssl_mode": "REQUIRED"}),
        ("ssl=false", {"ssl_disabled": True, "ssl_mode": "DISABLED"}),
        ("ssl_disabled=1", {"ssl_disabled": True, "ssl_mode": "DISABLED"}),
        ("ssl_mode=preferred", {"ssl": NO_CHECKS, "ssl_mode": "PREFERRED"}),
    ],
)
def test_url_tls_switches(query, tls):
    kwargs = params(HOST=f"singlestoredb://app:secret@h/db?{query}")
    assert {key: value for key, value in kwargs.items() if "ssl" in key} == tls


@pytest.mark.parametrize(
    "host, shown, problem",
    [
        (
            "singlestoredb://app:secret@h/db?compress=1",
            "singlestoredb://app:***@h/db?compress=***",
            "has the query parameter 'compress', which django_singlestore does not "
            "read from a URL; accepted: charset, connect_timeout, ssl, ssl_ca, "
            "ssl_capath, ssl_cert, ssl_cipher, ssl_disabled, ssl_key, ssl_mode, "
            "ssl_verify_cert, ssl_verify_identity. Put other connection options "
            "in DATABASES OPTIONS.",
        ),
        (
            "singlestoredb://app:secret@h/db?ssl=maybe",
            "singlestoredb://app:***@h/db?ssl=maybe",
            "sets ssl='maybe'; use true or false (or 1 or 0).",
        ),
        (
            "singlestoredb://app:secret@h/db?connect_timeout=soon",
            "singlestoredb://app:***@h/db?connect_timeout=soon",
            "sets connect_timeout='soon'; use a number of seconds.",
        ),
        (
            "singlestoredb://app:secret@h/db?charset=utf8&charset=latin1",
            "singlestoredb://app:***@h/db?charset=utf8&charset=latin1",
            "repeats the query parameter 'charset'.",
        ),
        (
            "singlestoredb://app:secret@h:port/db",
            "singlestoredb://app:***@h:port/db",
            "has a port that is not a number.",
        ),
    ],
)
def test_bad_url_named_without_its_password(host, shown, problem):
    assert refused(HOST=host) == f"DATABASES HOST {shown!r} {problem}"


def test_unknown_query_values_hidden():
    assert refused(HOST="mysql://app@h/db?charset=utf8&password=hunter2") == (
        "DATABASES HOST 'mysql://app@h/db?charset=utf8&password=***' has the query "
        "parameter 'password', which django_singlestore does not read from a URL; "
        "accepted: charset, connect_timeout, ssl, ssl_ca, ssl_capath, ssl_cert, "
        "ssl_cipher, ssl_disabled, ssl_key, ssl_mode, ssl_verify_cert, "
        "ssl_verify_identity. Put other connection options in DATABASES OPTIONS."
    )


def test_url_option_also_in_options_refused():
    assert refused(
        HOST="singlestoredb://app:secret@h/db?connect_timeout=3",
        OPTIONS={"connect_timeout": 5},
    ) == (
        "DATABASES HOST 'singlestoredb://app:***@h/db?connect_timeout=3' and "
        "DATABASES OPTIONS both set 'connect_timeout': set each in one place."
    )


def test_password_never_in_option_errors():
    assert refused(HOST="singlestoredb://app:secret@h/db?ssl_mode=sometimes") == (
        "DATABASES OPTIONS['ssl_mode'] = 'sometimes' is not a TLS mode; allowed "
        "values: 'DISABLED', 'PREFERRED', 'REQUIRED', 'VERIFY_CA', "
        "'VERIFY_IDENTITY'."
    )


# OPTIONS


def test_mysql_backend_options_translated(pem):
    options = {
        "ssl": {"ca": pem["ca"], "cert": pem["c"], "key": pem["k"]},
        "init_command": "SET @x = 1",
        "charset": "utf8",
        "isolation_level": "READ COMMITTED",
        "connect_timeout": 3,
    }
    assert params(HOST="h", OPTIONS=options) == {
        **FIXED,
        "host": "h",
        "ssl": {
            "ca": pem["ca"],
            "cert": pem["c"],
            "key": pem["k"],
            "verify_mode": False,
            "check_hostname": False,
        },
        "ssl_mode": "REQUIRED",
        "init_command": "SET @x = 1",
        "charset": "utf8",
        "connect_timeout": 3,
    }


def test_socket_options_pass_through():
    kwargs = params(OPTIONS={"socket_options": {6: {1: 1}}})
    assert kwargs["socket_options"] == {6: {1: 1}}


def test_user_connection_attributes_kept():
    kwargs = params(OPTIONS={"conn_attrs": {"app": "shop"}})
    assert kwargs["conn_attrs"] == {"app": "shop", **FIXED["conn_attrs"]}


def test_isolation_level_none_sets_nothing():
    wrapper = DatabaseWrapper(settings_dict(OPTIONS={"isolation_level": None}))
    wrapper.get_connection_params()
    assert wrapper.isolation_level is None


@pytest.mark.parametrize(
    "options, message",
    [
        (
            {"isolation_level": "serializable"},
            "DATABASES OPTIONS['isolation_level'] = 'serializable' is not "
            "supported: SingleStore runs every transaction at READ COMMITTED. "
            "Use 'read committed' or None (do not set it).",
        ),
        (
            {"client_found_rows": False},
            "DATABASES OPTIONS['client_found_rows'] is set by django_singlestore "
            "and cannot be changed: Django relies on its value.",
        ),
        (
            {"track_env": True},
            "DATABASES OPTIONS['track_env'] is set by django_singlestore "
            "and cannot be changed: Django relies on its value.",
        ),
        (
            {"host": "other"},
            "DATABASES OPTIONS['host'] is not allowed: set it with the HOST "
            "setting instead.",
        ),
        (
            {"autocommit": False},
            "DATABASES OPTIONS['autocommit'] is not allowed: set it with the "
            "AUTOCOMMIT setting instead.",
        ),
        (
            {"compress": True},
            "DATABASES OPTIONS['compress'] is not supported by the singlestoredb "
            "driver: remove it.",
        ),
        (
            {"connect_timeout": "x"},
            "DATABASES OPTIONS['connect_timeout'] = 'x' is not valid: it must be "
            "a number of seconds above 0 and at most 31536000.",
        ),
        (
            {"connect_timeout": 0},
            "DATABASES OPTIONS['connect_timeout'] = 0 is not valid: it must be "
            "a number of seconds above 0 and at most 31536000.",
        ),
        (
            {"connect_timeout": True},
            "DATABASES OPTIONS['connect_timeout'] = True is not valid: it must be "
            "a number of seconds above 0 and at most 31536000.",
        ),
        (
            {"charset": "klingon"},
            "DATABASES OPTIONS['charset'] = 'klingon' is not valid: it must be a "
            "character set name the driver knows, such as 'utf8mb4'.",
        ),
        (
            {"read_timeout": -1},
            "DATABASES OPTIONS['read_timeout'] = -1 is not valid: it must be None "
            "or a number of seconds above 0 and at most 31536000.",
        ),
        (
            {"max_allowed_packet": "16M"},
            "DATABASES OPTIONS['max_allowed_packet'] = '16M' is not valid: it "
            "must be a number of bytes (int) above 0.",
        ),
        (
            {"init_command": ["SET @x = 1"]},
            "DATABASES OPTIONS['init_command'] = ['SET @x = 1'] is not valid: it "
            "must be a non-empty string.",
        ),
        (
            {"conn_attrs": {"app": 1}},
            "DATABASES OPTIONS['conn_attrs'] = {'app': 1} is not valid: it must "
            "be a dict of str to str.",
        ),
        (
            {"socket_options": {6: [1, 1]}},
            "DATABASES OPTIONS['socket_options'] = {6: [1, 1]} is not valid: it "
            "must be a dict of socket level to a dict of option to value (ints), "
            "as socket.setsockopt takes them.",
        ),
        (
            {"encoding_errors": "loose"},
            "DATABASES OPTIONS['encoding_errors'] = 'loose' is not valid: it must "
            "be a codecs error handler name, such as 'strict' or 'replace'.",
        ),
        (
            {"vector_data_format": "text"},
            "DATABASES OPTIONS['vector_data_format'] = 'text' is not valid: it "
            "must be 'json' or 'binary'.",
        ),
        (
            {"local_infile": "yes"},
            "DATABASES OPTIONS['local_infile'] = 'yes' is not valid: it must be "
            "True or False.",
        ),
        (
            {"compresss": True},
            f"DATABASES OPTIONS['compresss'] is not a connection option. Allowed "
            f"keys: {ALLOWED_KEYS}.",
        ),
    ],
)
def test_bad_options(options, message):
    assert refused(OPTIONS=options) == message


def test_secret_values_hidden():
    assert refused(OPTIONS={"server_public_key": 1}) == (
        "DATABASES OPTIONS['server_public_key'] = (hidden) is not valid: it must "
        "be a PEM public key (str or bytes)."
    )


@pytest.mark.parametrize(
    "options, message",
    [
        (
            ["connect_timeout", 3],
            "DATABASES OPTIONS must be a dict of connection options, got list.",
        ),
        (
            "ssl=true",
            "DATABASES OPTIONS must be a dict of connection options, got str.",
        ),
    ],
)
def test_options_not_a_dict(options, message):
    assert refused(OPTIONS=options) == message


def test_bad_port_and_text_settings():
    assert refused(PORT="33o6") == "DATABASES PORT = '33o6' is not a port number."
    assert refused(HOST=["h"]) == "DATABASES HOST must be a string, got list."
    assert refused(USER=7) == "DATABASES USER must be a string, got int."
    assert refused(PASSWORD=1234) == "DATABASES PASSWORD must be a string, got int."
    assert refused(NAME=("shop",)) == "DATABASES NAME must be a string, got tuple."


def test_every_driver_argument_has_a_rule():
    driver = set(inspect.signature(ProtocolConnection.__init__).parameters) - {"self"}
    owned = {
        *DRIVER_RULES,
        *SETTING_OF_KEY,
        *RESERVED_KEYS,
        *UNSUPPORTED_KEYS,
        *BACKEND_KEYS,
        *DRIVER_TLS_KEYS,
        "ssl_disabled",
    }
    assert driver - owned == set()
    assert owned - driver == {"isolation_level", "ssl_mode", "ssl_capath"}


# TLS


@pytest.mark.parametrize(
    "mode, verify, identity",
    [
        ("PREFERRED", False, False),
        ("required", False, False),
        ("VERIFY_CA", True, False),
        ("VERIFY_IDENTITY", True, True),
    ],
)
def test_ssl_mode_mapped(pem, mode, verify, identity):
    kwargs = params(OPTIONS={"ssl_mode": mode, "ssl": {"ca": pem["ca"]}})
    assert (kwargs["ssl"], kwargs["ssl_mode"]) == (
        {"ca": pem["ca"], "verify_mode": verify, "check_hostname": identity},
        mode.upper(),
    )


def test_ssl_mode_disabled():
    kwargs = params(OPTIONS={"ssl_mode": "DISABLED"})
    assert (kwargs["ssl_disabled"], kwargs["ssl_mode"], "ssl" in kwargs) == (
        True,
        "DISABLED",
        False,
    )


@pytest.mark.parametrize(
    "ssl, mode",
    [
        ({}, "REQUIRED"),
        ({"verify_cert": True}, "VERIFY_CA"),
        ({"verify_cert": True, "verify_identity": True}, "VERIFY_IDENTITY"),
        ({"check_hostname": True}, "VERIFY_IDENTITY"),
    ],
)
def test_ssl_dict_implies_a_mode(pem, ssl, mode):
    kwargs = params(OPTIONS={"ssl": {"ca": pem["ca"], **ssl}})
    assert kwargs["ssl_mode"] == mode


def test_driver_tls_keys_folded(pem):
    kwargs = params(OPTIONS={"ssl_ca": pem["ca"], "ssl_verify_identity": True})
    assert (kwargs["ssl"], kwargs["ssl_mode"]) == (
        {"ca": pem["ca"], "verify_mode": True, "check_hostname": True},
        "VERIFY_IDENTITY",
    )


@pytest.mark.parametrize(
    "options, message",
    [
        (
            {"ssl": {"ca": "/no/such/ca.pem"}},
            "DATABASES OPTIONS['ssl']['ca'] = '/no/such/ca.pem': no such file.",
        ),
        (
            {"ssl": {"capath": "/no/such/dir"}},
            "DATABASES OPTIONS['ssl']['capath'] = '/no/such/dir': no such directory.",
        ),
        (
            {"ssl": "/ca.pem"},
            "DATABASES OPTIONS['ssl'] must be a dict with keys among ca, capath, "
            "cert, check_hostname, cipher, key, verify_cert, verify_identity; got "
            "str.",
        ),
        (
            {"ssl": {"cafile": "/x"}},
            "DATABASES OPTIONS['ssl'] has unknown key(s) 'cafile'; allowed keys: "
            "ca, capath, cert, check_hostname, cipher, key, verify_cert, "
            "verify_identity.",
        ),
        (
            {"ssl": {"cipher": 3}},
            "DATABASES OPTIONS['ssl']['cipher'] = 3 must be a non-empty string.",
        ),
        (
            {"ssl": {"verify_cert": "yes"}},
            "DATABASES OPTIONS['ssl']['verify_cert'] = 'yes' must be True or False.",
        ),
        (
            {"ssl_mode": 1},
            "DATABASES OPTIONS['ssl_mode'] = 1 is not a TLS mode; allowed values: "
            "'DISABLED', 'PREFERRED', 'REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'.",
        ),
        (
            {"ssl_mode": "VERIFY_CA"},
            "DATABASES OPTIONS['ssl_mode'] = 'VERIFY_CA' verifies the server's "
            "certificate and needs the certificate authority: set "
            "OPTIONS['ssl']['ca'] (a file) or OPTIONS['ssl']['capath'] (a "
            "directory).",
        ),
        (
            {"ssl": {"verify_identity": True}},
            "DATABASES OPTIONS['ssl_mode'] = 'VERIFY_IDENTITY' verifies the "
            "server's certificate and needs the certificate authority: set "
            "OPTIONS['ssl']['ca'] (a file) or OPTIONS['ssl']['capath'] (a "
            "directory).",
        ),
        (
            {"ssl": {"verify_identity": True, "verify_cert": False}},
            "DATABASES OPTIONS['ssl'] asks to verify the server's host name but "
            "not its certificate ('verify_cert': False); the host name can only "
            "be checked on a verified certificate.",
        ),
        (
            {"ssl": {"verify_identity": True, "check_hostname": False}},
            "DATABASES OPTIONS['ssl'] sets 'check_hostname' and 'verify_identity' "
            "differently; they are the same setting: keep one.",
        ),
        (
            {"ssl_mode": "DISABLED", "ssl": {"cipher": "HIGH"}},
            "DATABASES OPTIONS['ssl_mode'] = 'DISABLED' conflicts with "
            "OPTIONS['ssl']: remove one of them.",
        ),
        (
            {"ssl_mode": "REQUIRED", "ssl": {"verify_cert": True}},
            "DATABASES OPTIONS['ssl']['verify_cert'] = True conflicts with "
            "OPTIONS['ssl_mode'] = 'REQUIRED': remove 'verify_cert' (the mode "
            "decides what is verified) or choose the mode that matches.",
        ),
        (
            {"ssl_mode": "PREFERRED", "ssl": {"check_hostname": True}},
            "DATABASES OPTIONS['ssl']['check_hostname'] = True conflicts with "
            "OPTIONS['ssl_mode'] = 'PREFERRED': remove 'check_hostname' (the mode "
            "decides what is verified) or choose the mode that matches.",
        ),
        (
            {"ssl_mode": "REQUIRED", "ssl_disabled": True},
            "DATABASES OPTIONS['ssl_disabled'] = True conflicts with "
            "OPTIONS['ssl_mode'] = 'REQUIRED': keep only ssl_mode.",
        ),
        (
            {"ssl_ca": "/a.pem", "ssl": {"ca": "/b.pem"}},
            "DATABASES OPTIONS['ssl_ca'] repeats OPTIONS['ssl']['ca']: keep only "
            "OPTIONS['ssl']['ca'].",
        ),
        (
            {"ssl": "/ca.pem", "ssl_ca": "/ca.pem"},
            "DATABASES OPTIONS['ssl'] must be a dict with keys among ca, capath, "
            "cert, check_hostname, cipher, key, verify_cert, verify_identity; got "
            "str.",
        ),
        (
            {"ssl": {"key": "/k.pem"}},
            "DATABASES OPTIONS['ssl'] has 'key' without 'cert': give the client "
            "certificate too.",
        ),
    ],
)
def test_bad_tls_settings(options, message):
    assert refused(OPTIONS=options) == message


# dbshell


def test_dbshell_uses_the_runtime_settings(pem):
    args, env = DatabaseClient.settings_to_cmd_args_env(
        settings_dict(
            HOST="singlestoredb://app:pw@db.example:3308/shop",
            OPTIONS={
                "ssl": {"ca": pem["ca"], "verify_cert": True},
                "init_command": "SET @x = 1",
            },
        ),
        ["--batch"],
    )
    assert args == [
        "mysql",
        "--user=app",
        "--host=db.example",
        "--port=3308",
        "--ssl-mode=VERIFY_CA",
        f"--ssl-ca={pem['ca']}",
        "--default-character-set=utf8mb4",
        "--init-command=SET @x = 1",
        "shop",
        "--batch",
    ]
    assert env == {"MYSQL_PWD": "pw"}


def test_dbshell_tls_from_the_url_and_an_option_file(pem, tmp_path):
    args, _ = dbshell(
        HOST=f"singlestoredb://h/shop?ssl_mode=VERIFY_IDENTITY&ssl_ca={pem['ca']}",
        OPTIONS={"read_default_file": "/etc/my.cnf"},
    )
    assert args == [
        "mysql",
        "--defaults-file=/etc/my.cnf",
        "--host=h",
        "--ssl-mode=VERIFY_IDENTITY",
        f"--ssl-ca={pem['ca']}",
        "--default-character-set=utf8mb4",
        "shop",
    ]
    args, _ = dbshell(HOST="h", OPTIONS={"ssl_mode": "disabled"})
    assert args == [
        "mysql",
        "--host=h",
        "--ssl-mode=DISABLED",
        "--default-character-set=utf8mb4",
    ]


def test_dbshell_unix_socket_without_password():
    args, env = dbshell(HOST="/run/s.sock", NAME="shop")
    assert args == [
        "mysql",
        "--socket=/run/s.sock",
        "--default-character-set=utf8mb4",
        "shop",
    ]
    assert env is None


def test_dbshell_refuses_what_the_connection_refuses():
    with pytest.raises(ImproperlyConfigured) as error:
        dbshell(OPTIONS={"ssl_mode": "ALWAYS"})
    assert str(error.value).startswith("DATABASES OPTIONS['ssl_mode'] = 'ALWAYS' ")
