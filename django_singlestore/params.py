"""Turn a DATABASES entry into keyword arguments for the singlestoredb driver.

The runtime connection (base.py) and ``dbshell`` (client.py) both read the
result of :func:`connection_settings`, so they always agree on where they go.
Every message raised here leaves passwords out (:func:`redact_url`).
"""

from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

from .options import check_driver_options
from .tls import DRIVER_TLS_KEYS, fold_driver_keys, tls_arguments

URL_SCHEMES = ("singlestoredb", "mysql")
ISOLATION_LEVELS = ("read committed",)
TRUE_WORDS = ("true", "1", "yes", "on")
FALSE_WORDS = ("false", "0", "no", "off")
# URL query parameters -> how their text becomes an OPTIONS value.
QUERY_FLAGS = ("ssl_verify_cert", "ssl_verify_identity", "ssl_disabled")
QUERY_TEXTS = ("charset", "ssl_mode", *DRIVER_TLS_KEYS.keys() - set(QUERY_FLAGS))
QUERY_PARAMETERS = tuple(sorted(("connect_timeout", "ssl", *QUERY_FLAGS, *QUERY_TEXTS)))


def _redacted_pair(pair):
    name, equals, _ = pair.partition("=")
    return pair if name in QUERY_PARAMETERS else f"{name}{equals}***"


def redact_url(url):
    """The URL with its password, and query values it does not read, as '***'."""
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if parts.password is not None:
        userinfo = userinfo.partition(":")[0] + ":***"
    query = "&".join(_redacted_pair(pair) for pair in parts.query.split("&") if pair)
    return urlunsplit(parts._replace(netloc=f"{userinfo}{at}{hostport}", query=query))


def _url_error(url, problem):
    return ImproperlyConfigured(f"DATABASES HOST {redact_url(url)!r} {problem}")


def _flag_of_text(url, name, text):
    if text.lower() in TRUE_WORDS:
        return True
    if text.lower() in FALSE_WORDS:
        return False
    raise _url_error(url, f"sets {name}={text!r}; use true or false (or 1 or 0).")


def _query_options(url, query):
    """OPTIONS given as URL query parameters (singlestoredb's own names)."""
    options = {}
    for name, text in parse_qsl(query, keep_blank_values=True):
        if name not in QUERY_PARAMETERS:
            raise _url_error(
                url,
                "has the query parameter {!r}, which django_singlestore does not "
                "read from a URL; accepted: {}. Put other connection options "
                "in DATABASES OPTIONS.".format(name, ", ".join(QUERY_PARAMETERS)),
            )
        if name in options:
            raise _url_error(url, f"repeats the query parameter {name!r}.")
        if name == "connect_timeout":
            try:
                options[name] = float(text)
            except ValueError:
                raise _url_error(
                    url, f"sets connect_timeout={text!r}; use a number of seconds."
                ) from None
        elif name == "ssl":
            wanted = _flag_of_text(url, name, text)
            options.update({"ssl": {}} if wanted else {"ssl_disabled": True})
        elif name in QUERY_FLAGS:
            options[name] = _flag_of_text(url, name, text)
        else:
            options[name] = text
    return fold_driver_keys(options)


def parse_host_url(url):
    """Split a ``singlestoredb://`` or ``mysql://`` URL given as HOST.

    Return (connection arguments, OPTIONS from the query string).
    """
    parts = urlsplit(url)
    if parts.scheme not in URL_SCHEMES:
        raise _url_error(
            url,
            "uses the scheme {!r}; django_singlestore accepts {} URLs (the MySQL "
            "protocol, which Django's transactions need). Use for example "
            "singlestoredb://user:password@host:3306/dbname.".format(
                parts.scheme, " or ".join(f"{s}://" for s in URL_SCHEMES)
            ),
        )
    found = {}
    try:
        port = parts.port
    except ValueError:
        raise _url_error(url, "has a port that is not a number.") from None
    if parts.hostname:
        found["host"] = parts.hostname
    if port:
        found["port"] = port
    if parts.username:
        found["user"] = unquote(parts.username)
    if parts.password:
        found["password"] = unquote(parts.password)
    database = parts.path.lstrip("/")
    if database:
        found["database"] = unquote(database)
    return found, _query_options(url, parts.query)


def _isolation_level(options):
    level = options.pop("isolation_level", "read committed")
    if level is None:
        return None
    if not isinstance(level, str) or level.lower() not in ISOLATION_LEVELS:
        raise ImproperlyConfigured(
            f"DATABASES OPTIONS['isolation_level'] = {level!r} is not supported: "
            "SingleStore runs every transaction at READ COMMITTED. Use "
            "'read committed' or None (do not set it)."
        )
    return level.lower()


def _text_setting(settings_dict, setting):
    # The type only: the value may be a password.
    value = settings_dict.get(setting) or ""
    if not isinstance(value, str):
        raise ImproperlyConfigured(
            f"DATABASES {setting} must be a string, got {type(value).__name__}."
        )
    return value


def _port(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(
            f"DATABASES PORT = {value!r} is not a port number."
        ) from None


def _merge_url_options(options, url_options, url):
    both = sorted(set(options) & set(url_options))
    if both:
        raise _url_error(
            url,
            "and DATABASES OPTIONS both set {}: set each in one place.".format(
                ", ".join(repr(key) for key in both)
            ),
        )
    return {**options, **url_options}


def connection_settings(settings_dict):
    """Return (driver keyword arguments, isolation level).

    ``init_command``, ``charset`` and the other MySQL-backend options are
    driver arguments of the same name and pass through, checked. ``ssl`` and
    ``ssl_mode`` become the driver's TLS arguments plus ``ssl_mode``, which
    driver.Connection reads.

    Explicit USER/PASSWORD/PORT/NAME settings win over the parts of a URL
    given as HOST.
    """
    options = settings_dict.get("OPTIONS") or {}
    if not isinstance(options, dict):
        raise ImproperlyConfigured(
            "DATABASES OPTIONS must be a dict of connection options, got "
            f"{type(options).__name__}."
        )
    options = fold_driver_keys(dict(options))
    kwargs = {"charset": "utf8mb4"}
    host = _text_setting(settings_dict, "HOST")
    if "://" in host:
        found, url_options = parse_host_url(host)
        kwargs.update(found)
        options = _merge_url_options(options, url_options, host)
    elif host.startswith("/"):
        kwargs["unix_socket"] = host
    elif host:
        kwargs["host"] = host
    for setting, key in (
        ("USER", "user"),
        ("PASSWORD", "password"),
        ("NAME", "database"),
    ):
        if _text_setting(settings_dict, setting):
            kwargs[key] = settings_dict[setting]
    if settings_dict.get("PORT"):
        kwargs["port"] = settings_dict["PORT"]
    if "port" in kwargs:
        kwargs["port"] = _port(kwargs["port"])
    isolation_level = _isolation_level(options)
    kwargs.update(tls_arguments(options))
    check_driver_options(options)
    kwargs.update(options)
    return kwargs, isolation_level
