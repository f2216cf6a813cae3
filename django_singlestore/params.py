"""Turn a DATABASES entry into keyword arguments for the singlestoredb driver.

The runtime connection (base.py) and ``dbshell`` (client.py) both read the
result of :func:`connection_settings`, so they always agree on where they go.
"""

from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from .options import check_driver_options
from .tls import fold_driver_keys, tls_arguments

URL_SCHEMES = ("singlestoredb", "mysql")
ISOLATION_LEVELS = ("read committed",)


def parse_host_url(url):
    """Split a ``singlestoredb://`` or ``mysql://`` URL given as HOST."""
    parts = urlsplit(url)
    if parts.scheme not in URL_SCHEMES:
        raise ImproperlyConfigured(
            "DATABASES HOST {!r} uses the scheme {!r}; django_singlestore accepts "
            "{} URLs (the MySQL protocol, which Django's transactions need). "
            "Use for example singlestoredb://user:password@host:3306/dbname.".format(
                url, parts.scheme, " or ".join(f"{s}://" for s in URL_SCHEMES)
            )
        )
    found = {}
    if parts.hostname:
        found["host"] = parts.hostname
    if parts.port:
        found["port"] = parts.port
    if parts.username:
        found["user"] = unquote(parts.username)
    if parts.password:
        found["password"] = unquote(parts.password)
    database = parts.path.lstrip("/")
    if database:
        found["database"] = unquote(database)
    if parts.query:
        raise ImproperlyConfigured(
            f"DATABASES HOST {url!r} has query parameters; put connection "
            f"options in DATABASES OPTIONS instead."
        )
    return found


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


def _port(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ImproperlyConfigured(
            f"DATABASES PORT = {value!r} is not a port number."
        ) from None


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
    host = settings_dict.get("HOST") or ""
    if not isinstance(host, str):
        raise ImproperlyConfigured(
            f"DATABASES HOST must be a string, got {type(host).__name__}."
        )
    if "://" in host:
        kwargs.update(parse_host_url(host))
    elif host.startswith("/"):
        kwargs["unix_socket"] = host
    elif host:
        kwargs["host"] = host
    for setting, key in (
        ("USER", "user"),
        ("PASSWORD", "password"),
        ("NAME", "database"),
        ("PORT", "port"),
    ):
        if settings_dict.get(setting):
            kwargs[key] = settings_dict[setting]
    if "port" in kwargs:
        kwargs["port"] = _port(kwargs["port"])
    isolation_level = _isolation_level(options)
    kwargs.update(tls_arguments(options))
    check_driver_options(options)
    kwargs.update(options)
    return kwargs, isolation_level
