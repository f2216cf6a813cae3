"""Validation of the DATABASES OPTIONS keys handed to the singlestoredb driver.

Every key the driver's MySQL-protocol connection accepts is either checked
here (type and range), set from another setting, set by the backend itself,
or refused, so a wrong value raises ImproperlyConfigured naming the key and
what is allowed, before any connection is attempted.
"""

import codecs
import numbers

from django.core.exceptions import ImproperlyConfigured
from singlestoredb.mysql.charset import charset_by_name

MAX_TIMEOUT = 31536000  # the driver's upper bound for connect_timeout (a year)
# Keys whose values are not repeated in error messages.
SECRET_KEYS = frozenset({"password", "passwd", "server_public_key"})


class Rule:
    def __init__(self, test, allowed):
        self.test = test
        self.allowed = allowed


def _text(value):
    return isinstance(value, str) and value != ""


def _flag(value):
    return isinstance(value, bool)


def _number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _seconds(value):
    return _number(value) and 0 < value <= MAX_TIMEOUT


def _charset(value):
    return isinstance(value, str) and charset_by_name(value) is not None


def _socket_options(value):
    # {level: {option: value}}, as socket.setsockopt takes them.
    return isinstance(value, dict) and all(
        isinstance(level, int)
        and isinstance(options, dict)
        and all(
            isinstance(option, int) and isinstance(setting, (int, bytes))
            for option, setting in options.items()
        )
        for level, options in value.items()
    )


def _error_handler(value):
    try:
        codecs.lookup_error(value)
    except (LookupError, TypeError):
        return False
    return True


TEXT = Rule(_text, "a non-empty string")
FLAG = Rule(_flag, "True or False")
MAPPING = Rule(lambda value: isinstance(value, dict), "a dict")
SECONDS = Rule(_seconds, f"a number of seconds above 0 and at most {MAX_TIMEOUT}")
OPTIONAL_SECONDS = Rule(
    lambda value: value is None or _seconds(value), f"None or {SECONDS.allowed}"
)

DRIVER_RULES = {
    "auth_plugin_map": MAPPING,
    "binary_prefix": FLAG,
    "bind_address": TEXT,
    "charset": Rule(
        _charset, "a character set name the driver knows, such as 'utf8mb4'"
    ),
    "client_flag": Rule(
        lambda value: (
            isinstance(value, int) and not isinstance(value, bool) and value >= 0
        ),
        "a non-negative int of CLIENT flags",
    ),
    "collation": TEXT,
    "conn_attrs": Rule(
        lambda value: (
            isinstance(value, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
        ),
        "a dict of str to str",
    ),
    "connect_timeout": SECONDS,
    "enable_extended_data_types": FLAG,
    "encoding_errors": Rule(
        _error_handler, "a codecs error handler name, such as 'strict' or 'replace'"
    ),
    "inf_as_null": FLAG,
    "init_command": TEXT,
    "invalid_values": MAPPING,
    "local_infile": FLAG,
    "max_allowed_packet": Rule(
        lambda value: (
            isinstance(value, int) and not isinstance(value, bool) and value > 0
        ),
        "a number of bytes (int) above 0",
    ),
    "multi_statements": FLAG,
    "nan_as_null": FLAG,
    "program_name": TEXT,
    "pure_python": Rule(
        lambda value: value is None or _flag(value), "None, True or False"
    ),
    "read_default_file": TEXT,
    "read_default_group": TEXT,
    "read_timeout": OPTIONAL_SECONDS,
    "server_public_key": Rule(
        lambda value: isinstance(value, (str, bytes)) and value != "",
        "a PEM public key (str or bytes)",
    ),
    "socket_options": Rule(
        _socket_options,
        "a dict of socket level to a dict of option to value (ints), as "
        "socket.setsockopt takes them",
    ),
    "sql_mode": TEXT,
    "tls_sni_servername": TEXT,
    "use_unicode": FLAG,
    "vector_data_format": Rule(
        lambda value: isinstance(value, str) and value.lower() in ("json", "binary"),
        "'json' or 'binary'",
    ),
    "write_timeout": OPTIONAL_SECONDS,
}
# Given by another DATABASES setting.
SETTING_OF_KEY = {
    "host": "HOST",
    "unix_socket": "HOST (a path starting with '/')",
    "port": "PORT",
    "database": "NAME",
    "db": "NAME",
    "user": "USER",
    "password": "PASSWORD",
    "passwd": "PASSWORD",
    "autocommit": "AUTOCOMMIT",
}
# Set by the backend; a user value would break Django's contract with the
# driver (row counts, parameter style, JSON and TIME decoding, buffered
# results, connecting in get_new_connection to the server the settings name,
# which track_env would replace by one from the environment).
RESERVED_KEYS = (
    "buffered",
    "client_found_rows",
    "conv",
    "cursorclass",
    "defer_connect",
    "driver",
    "interpolate_query_with_empty_args",
    "parse_json",
    "results_type",
    "track_env",
)
UNSUPPORTED_KEYS = ("compress", "named_pipe")
# Keys of OPTIONS the backend reads itself (see params.py and tls.py).
BACKEND_KEYS = ("isolation_level", "ssl", "ssl_mode")


def shown(key, value):
    """The value as an error message may show it: never a secret."""
    return "(hidden)" if key in SECRET_KEYS else repr(value)


def check_driver_options(options):
    """Raise ImproperlyConfigured for the first key of OPTIONS that is wrong."""
    for key, value in options.items():
        if key in SETTING_OF_KEY:
            raise ImproperlyConfigured(
                f"DATABASES OPTIONS[{key!r}] is not allowed: set it with the "
                f"{SETTING_OF_KEY[key]} setting instead."
            )
        if key in RESERVED_KEYS:
            raise ImproperlyConfigured(
                f"DATABASES OPTIONS[{key!r}] is set by django_singlestore and cannot "
                "be changed: Django relies on its value."
            )
        if key in UNSUPPORTED_KEYS:
            raise ImproperlyConfigured(
                f"DATABASES OPTIONS[{key!r}] is not supported by the singlestoredb "
                "driver: remove it."
            )
        rule = DRIVER_RULES.get(key)
        if rule is None:
            raise ImproperlyConfigured(
                "DATABASES OPTIONS[{!r}] is not a connection option. Allowed "
                "keys: {}.".format(
                    key, ", ".join(sorted((*BACKEND_KEYS, *DRIVER_RULES)))
                )
            )
        if not rule.test(value):
            raise ImproperlyConfigured(
                f"DATABASES OPTIONS[{key!r}] = {shown(key, value)} is not valid: it "
                f"must be {rule.allowed}."
            )
