"""The SINGLESTORE setting: defaults, validation, environment overrides.

This is the only module of the package that reads ``os.environ``.

Precedence, highest first, for every table:

1. the upstream environment variables (``DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_<APP>``,
   ``DJANGO_SINGLESTORE_NOT_ENFORCED_UNIQUE_<APP>``,
   ``DJANGO_SINGLESTORE_SKIP_AUTOCOMMIT``): a deployment override for a whole app;
2. ``SINGLESTORE`` entries for the model (``"app_label.ModelName"``);
3. ``SINGLESTORE`` entries for the app (``"app_label"``);
4. the built-in defaults for ``django.contrib`` apps (:data:`CONTRIB_STORAGE`);
5. ``SINGLESTORE["DEFAULT_STORAGE"]``.

Wherever a storage type is accepted, ``"AUTO"`` is too: the layout policy of
:mod:`django_singlestore.tables` then picks the storage type per model.

:func:`get_settings` returns one frozen :class:`SingleStoreSettings`, cached
until ``SINGLESTORE`` changes (``override_settings`` included).
"""

import functools
import os
from dataclasses import dataclass
from types import MappingProxyType

from appconf import AppConf
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

STORAGE_TYPES = ("COLUMNSTORE", "ROWSTORE", "REFERENCE", "ROWSTORE REFERENCE")
# The layout policy: TablePlan picks a storage type (and shard key) per model.
AUTO = "AUTO"
STORAGE_VALUES = (*STORAGE_TYPES, AUTO)

DEFAULTS = {
    "DEFAULT_STORAGE": "COLUMNSTORE",
    "STORAGE": {},
    "SHARD_KEYS": {},
    "SORT_KEYS": {},
    "UNENFORCED_UNIQUE": [],
    "SKIP_AUTOCOMMIT": False,
}

# Every contrib model declares unique keys that do not contain its primary key
# (auth.User.username, contenttypes (app_label, model), sites.Site.domain, the
# many-to-many tables, ...), and several contrib migrations alter column types
# or nullability, which columnstore tables refuse. A rowstore reference table
# has no shard key, enforces every unique key and accepts those ALTERs; contrib
# tables are small and read everywhere, which is what reference tables are for.
CONTRIB_STORAGE = MappingProxyType(
    {
        app_label: "ROWSTORE REFERENCE"
        for app_label in (
            "admin",
            "auth",
            "contenttypes",
            "sessions",
            "sites",
            "flatpages",
            "redirects",
        )
    }
)

ENV_STORAGE_PREFIX = "DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_"
ENV_UNENFORCED_PREFIX = "DJANGO_SINGLESTORE_NOT_ENFORCED_UNIQUE_"
ENV_SKIP_AUTOCOMMIT = "DJANGO_SINGLESTORE_SKIP_AUTOCOMMIT"
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "")


def _allowed(values):
    return ", ".join(repr(value) for value in values)


def parse_storage(value, where):
    """Return the canonical storage value for ``value`` (case and spacing free):
    one of STORAGE_TYPES, or AUTO."""
    normalized = " ".join(value.upper().split()) if isinstance(value, str) else None
    if normalized not in STORAGE_VALUES:
        raise ImproperlyConfigured(
            f"{where} is {value!r}; allowed values: {_allowed(STORAGE_VALUES)}."
        )
    return normalized


def parse_bool(value, where):
    """Return the truth value of an environment variable's text."""
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{where} is {value!r}; allowed values: {_allowed(TRUE_WORDS)} for on, "
        f"{_allowed(FALSE_WORDS)} for off."
    )


def _label(key, where, model_only=False):
    """Validate an ``"app_label"`` or ``"app_label.ModelName"`` key.

    Returns the lookup form: the app label as written, the model name lower-cased
    (Django matches model names case-insensitively, see ``Options.label_lower``).
    """
    parts = key.split(".") if isinstance(key, str) else []
    if not (1 <= len(parts) <= 2 and all(parts)) or (model_only and len(parts) != 2):
        shape = '"app_label.ModelName"'
        if not model_only:
            shape = '"app_label" or ' + shape
        raise ImproperlyConfigured(f"{where} has the key {key!r}; keys are {shape}.")
    if len(parts) == 2:
        return f"{parts[0]}.{parts[1].lower()}"
    return parts[0]


def lookup_label(key):
    """The lookup form of a valid ``"app_label[.ModelName]"`` key."""
    return _label(key, "The key")


def _labelled(entries, where, model_only=False):
    """Yield (lookup label, key, value) for ``entries``, refusing duplicates.

    ``"shop.Ledger"`` and ``"shop.ledger"`` name one model; with both, one entry
    would silently win, so the pair is refused.
    """
    seen = {}
    for key, value in entries:
        label = _label(key, where, model_only)
        if label in seen:
            what = "model (model names are matched case-insensitively)"
            raise ImproperlyConfigured(
                f"{where} has both {seen[label]!r} and {key!r}, which name the same "
                f"{what if '.' in label else 'app'}; keep one of them."
            )
        seen[label] = key
        yield label, key, value


def _field_list(value, where):
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ImproperlyConfigured(
            f"{where} is {value!r}; it must be a list of field names, "
            f'e.g. ["customer", "-created"].'
        )
    for name in value:
        if not isinstance(name, str) or not name.lstrip("-"):
            raise ImproperlyConfigured(
                f"{where} contains {name!r}; field names are non-empty strings."
            )
    if len({name.lstrip("-") for name in value}) != len(value):
        raise ImproperlyConfigured(f"{where} is {value!r}; it names a field twice.")
    return tuple(value)


def _mapping(value, where):
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{where} is {value!r}; it must be a dict.")
    return value


class SingleStoreConf(AppConf):
    """django-appconf holder of the SINGLESTORE defaults and validators."""

    SINGLESTORE = DEFAULTS

    class Meta:
        prefix = "singlestore"

    def configure_singlestore(self, value):
        """Validate ``value``; settings.SINGLESTORE keeps it as written, so the
        fixes the checks suggest can be pasted over it."""
        self.merged(value)
        return value

    def merged(self, value):
        """Return ``value`` merged over :data:`DEFAULTS`, every key validated."""
        _mapping(value, "SINGLESTORE")
        unknown = sorted(set(value) - set(DEFAULTS), key=str)
        if unknown:
            raise ImproperlyConfigured(
                f"SINGLESTORE has the unknown key {unknown[0]!r}; allowed keys: "
                f"{_allowed(DEFAULTS)}."
            )
        merged = {**DEFAULTS, **value}
        for key in DEFAULTS:
            merged[key] = getattr(self, f"configure_{key.lower()}")(merged[key])
        return merged

    def configure_default_storage(self, value):
        return parse_storage(value, "SINGLESTORE['DEFAULT_STORAGE']")

    def configure_storage(self, value):
        where = "SINGLESTORE['STORAGE']"
        return {
            label: parse_storage(storage, f"{where}[{key!r}]")
            for label, key, storage in _labelled(_mapping(value, where).items(), where)
        }

    def configure_shard_keys(self, value):
        where = "SINGLESTORE['SHARD_KEYS']"
        keys = {}
        entries = _mapping(value, where).items()
        for label, key, fields in _labelled(entries, where, model_only=True):
            fields = _field_list(fields, f"{where}[{key!r}]")
            if any(name.startswith("-") for name in fields):
                raise ImproperlyConfigured(
                    f"{where}[{key!r}] is {list(fields)!r}; a shard key has no order, "
                    f"remove the '-'."
                )
            keys[label] = fields
        return keys

    def configure_sort_keys(self, value):
        where = "SINGLESTORE['SORT_KEYS']"
        entries = _mapping(value, where).items()
        return {
            label: _field_list(fields, f"{where}[{key!r}]")
            for label, key, fields in _labelled(entries, where, model_only=True)
        }

    def configure_unenforced_unique(self, value):
        where = "SINGLESTORE['UNENFORCED_UNIQUE']"
        if not isinstance(value, list | tuple | set | frozenset):
            raise ImproperlyConfigured(
                f"{where} is {value!r}; it must be a list of app labels and "
                f'"app_label.ModelName" names.'
            )
        entries = ((key, None) for key in value)
        return tuple(sorted(label for label, _, _ in _labelled(entries, where)))

    def configure_skip_autocommit(self, value):
        if not isinstance(value, bool):
            raise ImproperlyConfigured(
                f"SINGLESTORE['SKIP_AUTOCOMMIT'] is {value!r}; "
                "allowed values: True, False."
            )
        return value


def _app_suffixes(environ, prefix):
    """Yield (APP_LABEL_UPPER, variable name, value) for ``prefix<APP>`` variables."""
    for name, value in sorted(environ.items()):
        if name.startswith(prefix):
            suffix = name[len(prefix) :]
            if not suffix:
                raise ImproperlyConfigured(
                    f"The environment variable {name} names no app; use "
                    f"{prefix}<APP_LABEL>, the app label in upper case."
                )
            if suffix != suffix.upper():
                raise ImproperlyConfigured(
                    f"The environment variable {name} does not name the app in "
                    f"upper case; the backend reads {prefix}<APP_LABEL> with the "
                    f"label upper-cased, as the upstream package does. Rename it "
                    f"to {prefix}{suffix.upper()}."
                )
            yield suffix, name, value


@dataclass(frozen=True)
class SingleStoreSettings:
    """The validated, merged SINGLESTORE setting with its environment overrides.

    Keys of the mappings are app labels or ``app_label.modelname`` (lower-case
    model name); environment mappings are keyed by the upper-case app label.
    """

    default_storage: str
    storage: MappingProxyType
    shard_keys: MappingProxyType
    sort_keys: MappingProxyType
    unenforced_unique: frozenset
    skip_autocommit: bool
    env_storage: MappingProxyType
    env_unenforced_unique: MappingProxyType

    def storage_source(self, model):
        """Return (storage type, where it comes from) for ``model``'s table."""
        opts = model._meta
        app, env_app = opts.app_label, opts.app_label.upper()
        if env_app in self.env_storage:
            where = f"the environment variable {ENV_STORAGE_PREFIX}{env_app}"
            return self.env_storage[env_app], where
        if opts.label_lower in self.storage:
            where = f"SINGLESTORE['STORAGE'][{opts.label!r}]"
            return self.storage[opts.label_lower], where
        if opts.auto_created:
            # An auto-created many-to-many table follows the model declaring it.
            return self.storage_source(opts.auto_created)
        if app in self.storage:
            return self.storage[app], f"SINGLESTORE['STORAGE'][{app!r}]"
        if app in CONTRIB_STORAGE:
            return CONTRIB_STORAGE[app], "the built-in default for django.contrib"
        return self.default_storage, "SINGLESTORE['DEFAULT_STORAGE']"

    def storage_for(self, model):
        """Return the configured storage of ``model``'s table: one of
        STORAGE_TYPES, or AUTO (TablePlan then picks the type)."""
        return self.storage_source(model)[0]

    def shard_key_for(self, model):
        """Return the configured shard-key field names, or None when not configured."""
        return self.shard_keys.get(model._meta.label_lower)

    def sort_key_for(self, model):
        """Return the configured ((field name, descending), ...), or None."""
        return self.sort_keys.get(model._meta.label_lower)

    def unenforced_unique_for(self, model):
        """Whether ``model``'s unenforceable unique sets become UNENFORCED keys."""
        opts = model._meta
        if opts.app_label.upper() in self.env_unenforced_unique:
            return self.env_unenforced_unique[opts.app_label.upper()]
        return bool({opts.label_lower, opts.app_label} & self.unenforced_unique)


def build_settings(value, environ):
    """Validate ``value`` (the SINGLESTORE dict) and ``environ``; freeze the result."""
    merged = SingleStoreConf().merged(value)
    env_storage = {
        app: parse_storage(text, f"The environment variable {name}")
        for app, name, text in _app_suffixes(environ, ENV_STORAGE_PREFIX)
        if text.strip()
    }
    env_unenforced = {
        app: parse_bool(text, f"The environment variable {name}")
        for app, name, text in _app_suffixes(environ, ENV_UNENFORCED_PREFIX)
    }
    skip_autocommit = merged["SKIP_AUTOCOMMIT"]
    if ENV_SKIP_AUTOCOMMIT in environ:
        skip_autocommit = parse_bool(
            environ[ENV_SKIP_AUTOCOMMIT],
            f"The environment variable {ENV_SKIP_AUTOCOMMIT}",
        )
    return SingleStoreSettings(
        default_storage=merged["DEFAULT_STORAGE"],
        storage=MappingProxyType(merged["STORAGE"]),
        shard_keys=MappingProxyType(merged["SHARD_KEYS"]),
        sort_keys=MappingProxyType(
            {
                label: tuple((name.lstrip("-"), name.startswith("-")) for name in names)
                for label, names in merged["SORT_KEYS"].items()
            }
        ),
        unenforced_unique=frozenset(merged["UNENFORCED_UNIQUE"]),
        skip_autocommit=skip_autocommit,
        env_storage=MappingProxyType(env_storage),
        env_unenforced_unique=MappingProxyType(env_unenforced),
    )


@functools.cache
def get_settings():
    """Return the frozen settings, read on first use and cached."""
    from django.conf import settings

    return build_settings(getattr(settings, "SINGLESTORE", {}), os.environ)


@receiver(setting_changed)
def _clear_cache(*, setting, **kwargs):
    if setting == "SINGLESTORE":
        get_settings.cache_clear()
