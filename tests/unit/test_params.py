"""DATABASES entries into driver arguments and dbshell arguments (no database)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from django_singlestore import __version__
from django_singlestore.base import DJANGO_CONVERTERS, DatabaseWrapper
from django_singlestore.client import DatabaseClient


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
    "client_found_rows": True,
    "parse_json": False,
    "interpolate_query_with_empty_args": True,
    "conn_attrs": {
        "_connector_name": "django-singlestore",
        "_connector_version": __version__,
    },
}


@pytest.fixture
def pem(tmp_path):
    """Paths of existing files named ca.pem, c.pem and k.pem."""
    paths = {}
    for name in ("ca", "c", "k"):
        path = tmp_path / f"{name}.pem"
        path.write_text("")
        paths[name] = str(path)
    return paths


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


def test_http_url_refused():
    with pytest.raises(ImproperlyConfigured) as error:
        params(HOST="https://db.example/shop")
    assert str(error.value) == (
        "DATABASES HOST 'https://db.example/shop' uses the scheme 'https'; "
        "django_singlestore accepts singlestoredb:// or mysql:// URLs (the MySQL "
        "protocol, which Django's transactions need). Use for example "
        "singlestoredb://user:password@host:3306/dbname."
    )


def test_url_query_refused():
    with pytest.raises(ImproperlyConfigured) as error:
        params(HOST="singlestoredb://db.example/shop?connect_timeout=3")
    assert str(error.value) == (
        "DATABASES HOST 'singlestoredb://db.example/shop?connect_timeout=3' has "
        "query parameters; put connection options in DATABASES OPTIONS instead."
    )


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


def test_user_connection_attributes_kept():
    kwargs = params(OPTIONS={"conn_attrs": {"app": "shop"}})
    assert kwargs["conn_attrs"] == {"app": "shop", **FIXED["conn_attrs"]}


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
            {"host": "other"},
            "DATABASES OPTIONS['host'] is not allowed: set it with the HOST, "
            "PORT, NAME, USER or PASSWORD setting instead.",
        ),
    ],
)
def test_bad_options(options, message):
    with pytest.raises(ImproperlyConfigured) as error:
        params(OPTIONS=options)
    assert str(error.value) == message


def test_unknown_option_names_the_key_and_the_allowed_keys():
    with pytest.raises(ImproperlyConfigured) as error:
        params(OPTIONS={"compresss": True})
    text = str(error.value)
    assert text.startswith(
        "DATABASES OPTIONS['compresss'] is not a singlestoredb connection "
        "argument. Allowed keys: isolation_level, ssl, "
    )
    assert ", connect_timeout, " in text and ", init_command, " in text


def test_isolation_level_none_sets_nothing():
    wrapper = DatabaseWrapper(settings_dict(OPTIONS={"isolation_level": None}))
    wrapper.get_connection_params()
    assert wrapper.isolation_level is None


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


def test_dbshell_tls_off_and_an_option_file():
    args, _ = dbshell(
        HOST="h",
        OPTIONS={"ssl_mode": "disabled", "read_default_file": "/etc/my.cnf"},
    )
    assert args == [
        "mysql",
        "--defaults-file=/etc/my.cnf",
        "--host=h",
        "--ssl-mode=DISABLED",
        "--default-character-set=utf8mb4",
    ]


def test_dbshell_unix_socket_without_password():
    args, env = DatabaseClient.settings_to_cmd_args_env(
        settings_dict(HOST="/run/s.sock", NAME="shop"), []
    )
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
