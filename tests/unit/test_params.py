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


def test_mysql_backend_options_translated():
    options = {
        "ssl": {"ca": "/ca.pem", "cert": "/c.pem", "key": "/k.pem"},
        "init_command": "SET @x = 1",
        "charset": "utf8",
        "isolation_level": "READ COMMITTED",
        "connect_timeout": 3,
    }
    assert params(HOST="h", OPTIONS=options) == {
        **FIXED,
        "host": "h",
        "ssl_ca": "/ca.pem",
        "ssl_cert": "/c.pem",
        "ssl_key": "/k.pem",
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
            {"ssl": {"ca": "/ca.pem", "capath": "/x"}},
            "DATABASES OPTIONS['ssl'] has unknown key(s) 'capath'; allowed keys: "
            "ca, cert, check_hostname, cipher, key, verify_cert, verify_identity.",
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


def test_dbshell_uses_the_runtime_settings():
    args, env = DatabaseClient.settings_to_cmd_args_env(
        settings_dict(
            HOST="singlestoredb://app:pw@db.example:3308/shop",
            OPTIONS={"ssl": {"ca": "/ca.pem"}, "init_command": "SET @x = 1"},
        ),
        ["--batch"],
    )
    assert args == [
        "mysql",
        "--user=app",
        "--host=db.example",
        "--port=3308",
        "--ssl-ca=/ca.pem",
        "--default-character-set=utf8mb4",
        "--init-command=SET @x = 1",
        "shop",
        "--batch",
    ]
    assert env == {"MYSQL_PWD": "pw"}


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
