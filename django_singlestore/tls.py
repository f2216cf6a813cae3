"""TLS settings: OPTIONS['ssl'] and OPTIONS['ssl_mode'] into the driver's form.

``ssl_mode`` has the MySQL client's meaning. Without it, an ``ssl`` dict asks
for TLS: REQUIRED, or VERIFY_CA / VERIFY_IDENTITY when it asks for
verification. Whenever TLS is asked for, the connection refuses a server
that does not offer it (driver.py) instead of falling back to plaintext.
"""

import os

from django.core.exceptions import ImproperlyConfigured

SSL_MODES = ("DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY")
# Modes under which a server without TLS is refused.
REQUIRED_MODES = ("REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY")
FILE_KEYS = ("ca", "capath", "cert", "key")
TEXT_KEYS = (*FILE_KEYS, "cipher")
FLAG_KEYS = ("check_hostname", "verify_cert", "verify_identity")
SSL_KEYS = tuple(sorted((*TEXT_KEYS, *FLAG_KEYS)))


def _fail(message):
    raise ImproperlyConfigured(f"DATABASES OPTIONS{message}")


def _check_ssl_dict(ssl):
    if not isinstance(ssl, dict):
        _fail(
            "['ssl'] must be a dict with keys among {}; got {}.".format(
                ", ".join(SSL_KEYS), type(ssl).__name__
            )
        )
    unknown = sorted(set(ssl) - set(SSL_KEYS), key=str)
    if unknown:
        _fail(
            "['ssl'] has unknown key(s) {}; allowed keys: {}.".format(
                ", ".join(repr(k) for k in unknown), ", ".join(SSL_KEYS)
            )
        )
    for key in TEXT_KEYS:
        value = ssl.get(key)
        if value is not None and not (isinstance(value, str) and value):
            _fail(f"['ssl'][{key!r}] = {value!r} must be a non-empty string.")
    for key in FLAG_KEYS:
        if key in ssl and not isinstance(ssl[key], bool):
            _fail(f"['ssl'][{key!r}] = {ssl[key]!r} must be True or False.")
    if "key" in ssl and "cert" not in ssl:
        _fail("['ssl'] has 'key' without 'cert': give the client certificate too.")
    if (
        "check_hostname" in ssl
        and "verify_identity" in ssl
        and ssl["check_hostname"] != ssl["verify_identity"]
    ):
        _fail(
            "['ssl'] sets 'check_hostname' and 'verify_identity' differently; "
            "they are the same setting: keep one."
        )
    for key in FILE_KEYS:
        path = ssl.get(key)
        exists = os.path.isdir if key == "capath" else os.path.isfile
        if path and not exists(path):
            what = "directory" if key == "capath" else "file"
            _fail(f"['ssl'][{key!r}] = {path!r}: no such {what}.")


def _mode_of_flags(ssl):
    identity = ssl.get("verify_identity", ssl.get("check_hostname"))
    if identity and ssl.get("verify_cert") is False:
        _fail(
            "['ssl'] asks to verify the server's host name but not its "
            "certificate ('verify_cert': False); the host name can only be "
            "checked on a verified certificate."
        )
    if identity:
        return "VERIFY_IDENTITY"
    return "VERIFY_CA" if ssl.get("verify_cert") else "REQUIRED"


def _check_agreement(mode, ssl):
    if mode == "DISABLED" and ssl:
        _fail(
            "['ssl_mode'] = 'DISABLED' conflicts with OPTIONS['ssl']: remove "
            "one of them."
        )
    verify = mode in ("VERIFY_CA", "VERIFY_IDENTITY")
    identity = mode == "VERIFY_IDENTITY"
    for key, wanted in (
        ("verify_cert", verify),
        ("verify_identity", identity),
        ("check_hostname", identity),
    ):
        if key in ssl and ssl[key] != wanted:
            _fail(
                f"['ssl'][{key!r}] = {ssl[key]!r} conflicts with "
                f"OPTIONS['ssl_mode'] = {mode!r}: remove {key!r} (the mode "
                "decides what is verified) or choose the mode that matches."
            )


def _ssl_mode(options):
    mode = options["ssl_mode"]
    if not isinstance(mode, str) or mode.upper() not in SSL_MODES:
        _fail(
            "['ssl_mode'] = {!r} is not a TLS mode; allowed values: {}.".format(
                mode, ", ".join(repr(m) for m in SSL_MODES)
            )
        )
    return mode.upper()


def tls_arguments(options):
    """Pop 'ssl' and 'ssl_mode' from OPTIONS; return the driver's arguments.

    The result holds ``ssl`` (the driver's dict) or ``ssl_disabled``, and
    ``ssl_mode`` for driver.Connection and dbshell; it is empty when the
    settings say nothing about TLS.
    """
    if "ssl" not in options and "ssl_mode" not in options:
        return {}
    ssl = options.pop("ssl", {})
    _check_ssl_dict(ssl)
    if "ssl_mode" in options:
        mode = _ssl_mode(options)
        options.pop("ssl_mode")
        _check_agreement(mode, ssl)
    else:
        mode = _mode_of_flags(ssl)
    if mode == "DISABLED":
        return {"ssl_disabled": True, "ssl_mode": mode}
    verify = mode in ("VERIFY_CA", "VERIFY_IDENTITY")
    if verify and not (ssl.get("ca") or ssl.get("capath")):
        _fail(
            f"['ssl_mode'] = {mode!r} verifies the server's certificate and needs "
            "the certificate authority: set OPTIONS['ssl']['ca'] (a file) or "
            "OPTIONS['ssl']['capath'] (a directory)."
        )
    driver_ssl = {key: ssl[key] for key in TEXT_KEYS if key in ssl}
    driver_ssl.update(verify_mode=verify, check_hostname=mode == "VERIFY_IDENTITY")
    return {"ssl": driver_ssl, "ssl_mode": mode}


# The driver's own TLS keyword arguments (also the names of its URL query
# parameters), accepted in OPTIONS and folded into the backend's form.
DRIVER_TLS_KEYS = {
    "ssl_ca": "ca",
    "ssl_capath": "capath",
    "ssl_cert": "cert",
    "ssl_key": "key",
    "ssl_cipher": "cipher",
    "ssl_verify_cert": "verify_cert",
    "ssl_verify_identity": "verify_identity",
}


def fold_driver_keys(options):
    """Move ssl_ca, ssl_disabled, ... of OPTIONS into 'ssl' and 'ssl_mode'."""
    for name, key in DRIVER_TLS_KEYS.items():
        if name not in options:
            continue
        ssl = options.get("ssl", {})
        if not isinstance(ssl, dict):
            break  # tls_arguments says what OPTIONS['ssl'] must be
        if key in ssl:
            _fail(
                f"[{name!r}] repeats OPTIONS['ssl'][{key!r}]: keep only "
                f"OPTIONS['ssl'][{key!r}]."
            )
        options["ssl"] = {**ssl, key: options.pop(name)}
    if "ssl_disabled" in options:
        disabled = options.pop("ssl_disabled")
        if not isinstance(disabled, bool):
            _fail(f"['ssl_disabled'] = {disabled!r} must be True or False.")
        if disabled:
            if str(options.get("ssl_mode", "DISABLED")).upper() != "DISABLED":
                _fail(
                    "['ssl_disabled'] = True conflicts with OPTIONS['ssl_mode'] = "
                    f"{options['ssl_mode']!r}: keep only ssl_mode."
                )
            options["ssl_mode"] = "DISABLED"
    return options
