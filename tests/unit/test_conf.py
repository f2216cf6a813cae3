"""The SINGLESTORE setting: defaults, validation, environment overrides, cache."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.test.utils import isolate_apps

from django_singlestore.conf import (
    DEFAULTS,
    SingleStoreConf,
    SingleStoreSettings,
    build_settings,
    get_settings,
)
from tests.unit.models import Unit

ALL_STORAGE = "'COLUMNSTORE', 'ROWSTORE', 'REFERENCE', 'ROWSTORE REFERENCE', 'AUTO'"
ALL_KEYS = (
    "'DEFAULT_STORAGE', 'STORAGE', 'SHARD_KEYS', 'SORT_KEYS', "
    "'UNENFORCED_UNIQUE', 'SKIP_AUTOCOMMIT'"
)
BOOL_WORDS = "'1', 'true', 'yes', 'on' for on, '0', 'false', 'no', 'off', '' for off"


def refused(value, environ=None):
    with pytest.raises(ImproperlyConfigured) as raised:
        build_settings(value, environ or {})
    return str(raised.value)


def test_defaults():
    assert build_settings({}, {}) == SingleStoreSettings(
        default_storage="COLUMNSTORE",
        storage={},
        shard_keys={},
        sort_keys={},
        unenforced_unique=frozenset(),
        skip_autocommit=False,
        env_storage={},
        env_unenforced_unique={},
    )
    assert DEFAULTS["DEFAULT_STORAGE"] == "COLUMNSTORE"


def test_values_are_normalized():
    result = build_settings(
        {
            "DEFAULT_STORAGE": "rowstore",
            "STORAGE": {"shop": "Rowstore   Reference", "shop.Order": "columnstore"},
            "SHARD_KEYS": {"shop.Order": ("customer",)},
            "SORT_KEYS": {"shop.Order": ["-created", "id"]},
            "UNENFORCED_UNIQUE": ["analytics", "shop.Event"],
            "SKIP_AUTOCOMMIT": True,
        },
        {},
    )
    assert result.default_storage == "ROWSTORE"
    assert dict(result.storage) == {
        "shop": "ROWSTORE REFERENCE",
        "shop.order": "COLUMNSTORE",
    }
    assert dict(result.shard_keys) == {"shop.order": ("customer",)}
    assert dict(result.sort_keys) == {"shop.order": (("created", True), ("id", False))}
    assert result.unenforced_unique == frozenset({"analytics", "shop.event"})
    assert result.skip_autocommit is True


@pytest.mark.parametrize(
    "value, text",
    [
        (
            ["STORAGE"],
            "SINGLESTORE is ['STORAGE']; it must be a dict.",
        ),
        (
            {"STORGE": {}},
            f"SINGLESTORE has the unknown key 'STORGE'; allowed keys: {ALL_KEYS}.",
        ),
        (
            {"DEFAULT_STORAGE": "INMEMORY"},
            f"SINGLESTORE['DEFAULT_STORAGE'] is 'INMEMORY'; allowed values: "
            f"{ALL_STORAGE}.",
        ),
        (
            {"STORAGE": {"shop": "FAST"}},
            f"SINGLESTORE['STORAGE']['shop'] is 'FAST'; allowed values: {ALL_STORAGE}.",
        ),
        (
            {"STORAGE": {"shop.Order.x": "ROWSTORE"}},
            "SINGLESTORE['STORAGE'] has the key 'shop.Order.x'; keys are "
            '"app_label" or "app_label.ModelName".',
        ),
        (
            {"STORAGE": "ROWSTORE"},
            "SINGLESTORE['STORAGE'] is 'ROWSTORE'; it must be a dict.",
        ),
        (
            {"SHARD_KEYS": {"shop": ["id"]}},
            "SINGLESTORE['SHARD_KEYS'] has the key 'shop'; keys are "
            '"app_label.ModelName".',
        ),
        (
            {"SHARD_KEYS": {"shop.Order": "customer"}},
            "SINGLESTORE['SHARD_KEYS']['shop.Order'] is 'customer'; it must be a "
            'list of field names, e.g. ["customer", "-created"].',
        ),
        (
            {"SHARD_KEYS": {"shop.Order": ["-customer"]}},
            "SINGLESTORE['SHARD_KEYS']['shop.Order'] is ['-customer']; a shard key "
            "has no order, remove the '-'.",
        ),
        (
            {"SORT_KEYS": {"shop.Order": ["created", "-created"]}},
            "SINGLESTORE['SORT_KEYS']['shop.Order'] is ['created', '-created']; it "
            "names a field twice.",
        ),
        (
            {"SORT_KEYS": {"shop.Order": ["-"]}},
            "SINGLESTORE['SORT_KEYS']['shop.Order'] contains '-'; field names are "
            "non-empty strings.",
        ),
        (
            {"UNENFORCED_UNIQUE": "shop"},
            "SINGLESTORE['UNENFORCED_UNIQUE'] is 'shop'; it must be a list of app "
            'labels and "app_label.ModelName" names.',
        ),
        (
            {"UNENFORCED_UNIQUE": [""]},
            "SINGLESTORE['UNENFORCED_UNIQUE'] has the key ''; keys are "
            '"app_label" or "app_label.ModelName".',
        ),
        (
            {"STORAGE": {"shop.Ledger": "ROWSTORE", "shop.ledger": "REFERENCE"}},
            "SINGLESTORE['STORAGE'] has both 'shop.Ledger' and 'shop.ledger', which "
            "name the same model (model names are matched case-insensitively); keep "
            "one of them.",
        ),
        (
            {"SHARD_KEYS": {"shop.ledger": ["id"], "shop.LEDGER": ["account"]}},
            "SINGLESTORE['SHARD_KEYS'] has both 'shop.ledger' and 'shop.LEDGER', "
            "which name the same model (model names are matched case-insensitively); "
            "keep one of them.",
        ),
        (
            {"SORT_KEYS": {"shop.Ledger": ["id"], "shop.ledger": ["-id"]}},
            "SINGLESTORE['SORT_KEYS'] has both 'shop.Ledger' and 'shop.ledger', "
            "which name the same model (model names are matched case-insensitively); "
            "keep one of them.",
        ),
        (
            {"UNENFORCED_UNIQUE": ["shop.Ledger", "shop", "shop.ledger"]},
            "SINGLESTORE['UNENFORCED_UNIQUE'] has both 'shop.Ledger' and "
            "'shop.ledger', which name the same model (model names are matched "
            "case-insensitively); keep one of them.",
        ),
        (
            {"UNENFORCED_UNIQUE": ["shop", "shop"]},
            "SINGLESTORE['UNENFORCED_UNIQUE'] has both 'shop' and 'shop', which name "
            "the same app; keep one of them.",
        ),
        (
            {"SKIP_AUTOCOMMIT": "yes"},
            "SINGLESTORE['SKIP_AUTOCOMMIT'] is 'yes'; allowed values: True, False.",
        ),
    ],
)
def test_bad_settings_name_the_key_the_value_and_the_allowed_values(value, text):
    assert refused(value) == text


def test_environment_variables_are_read_and_validated():
    result = build_settings(
        {"SKIP_AUTOCOMMIT": False},
        {
            "DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_SHOP": " rowstore reference ",
            "DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_ADMIN_CHANGELIST": "REFERENCE",
            "DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_EMPTY": "",
            "DJANGO_SINGLESTORE_NOT_ENFORCED_UNIQUE_QUERIES": "1",
            "DJANGO_SINGLESTORE_NOT_ENFORCED_UNIQUE_SHOP": "off",
            "DJANGO_SINGLESTORE_SKIP_AUTOCOMMIT": "True",
            "UNRELATED": "x",
        },
    )
    assert dict(result.env_storage) == {
        "SHOP": "ROWSTORE REFERENCE",
        "ADMIN_CHANGELIST": "REFERENCE",
    }
    assert dict(result.env_unenforced_unique) == {"QUERIES": True, "SHOP": False}
    assert result.skip_autocommit is True


@pytest.mark.parametrize(
    "environ, text",
    [
        (
            {"DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_SHOP": "MEMORY"},
            "The environment variable DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_SHOP is "
            f"'MEMORY'; allowed values: {ALL_STORAGE}.",
        ),
        (
            {"DJANGO_SINGLESTORE_NOT_ENFORCED_UNIQUE_SHOP": "maybe"},
            "The environment variable DJANGO_SINGLESTORE_NOT_ENFORCED_UNIQUE_SHOP is "
            f"'maybe'; allowed values: {BOOL_WORDS}.",
        ),
        (
            {"DJANGO_SINGLESTORE_SKIP_AUTOCOMMIT": "2"},
            "The environment variable DJANGO_SINGLESTORE_SKIP_AUTOCOMMIT is '2'; "
            f"allowed values: {BOOL_WORDS}.",
        ),
        (
            {"DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_": "ROWSTORE"},
            "The environment variable DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_ names "
            "no app; use DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_<APP_LABEL>, the app "
            "label in upper case.",
        ),
        (
            {"DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_shop": "ROWSTORE"},
            "The environment variable DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_shop does "
            "not name the app in upper case; the backend reads "
            "DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_<APP_LABEL> with the label "
            "upper-cased, as the upstream package does. Rename it to "
            "DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_SHOP.",
        ),
        (
            {"DJANGO_SINGLESTORE_NOT_ENFORCED_UNIQUE_Shop": "1"},
            "The environment variable DJANGO_SINGLESTORE_NOT_ENFORCED_UNIQUE_Shop "
            "does not name the app in upper case; the backend reads "
            "DJANGO_SINGLESTORE_NOT_ENFORCED_UNIQUE_<APP_LABEL> with the label "
            "upper-cased, as the upstream package does. Rename it to "
            "DJANGO_SINGLESTORE_NOT_ENFORCED_UNIQUE_SHOP.",
        ),
    ],
)
def test_bad_environment_values_name_the_variable(environ, text):
    assert refused({}, environ) == text


@isolate_apps("tests.unit")
def test_lookup_precedence():
    class Order(Unit):
        pass

    class Event(Unit):
        pass

    settings = build_settings(
        {
            "DEFAULT_STORAGE": "ROWSTORE",
            "STORAGE": {"unit": "REFERENCE", "unit.Order": "COLUMNSTORE"},
            "SHARD_KEYS": {"unit.ORDER": ["id"]},
            "SORT_KEYS": {"unit.Order": ["-id"]},
            "UNENFORCED_UNIQUE": ["unit.Order"],
        },
        {},
    )
    assert settings.storage_source(Order) == (
        "COLUMNSTORE",
        "SINGLESTORE['STORAGE']['unit.Order']",
    )
    assert settings.storage_source(Event) == (
        "REFERENCE",
        "SINGLESTORE['STORAGE']['unit']",
    )
    assert settings.shard_key_for(Order) == ("id",)
    assert settings.shard_key_for(Event) is None
    assert settings.sort_key_for(Order) == (("id", True),)
    assert settings.unenforced_unique_for(Order) is True
    assert settings.unenforced_unique_for(Event) is False

    environ = {
        "DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_UNIT": "ROWSTORE",
        "DJANGO_SINGLESTORE_NOT_ENFORCED_UNIQUE_UNIT": "0",
    }
    overridden = build_settings(
        {"STORAGE": {"unit.Order": "COLUMNSTORE"}, "UNENFORCED_UNIQUE": ["unit"]},
        environ,
    )
    assert overridden.storage_source(Order) == (
        "ROWSTORE",
        "the environment variable DJANGO_SINGLESTORE_TABLE_STORAGE_TYPE_UNIT",
    )
    assert overridden.unenforced_unique_for(Order) is False
    assert build_settings({}, {}).storage_source(Order) == (
        "COLUMNSTORE",
        "SINGLESTORE['DEFAULT_STORAGE']",
    )


def test_contrib_defaults_lose_to_any_entry_for_the_app():
    user = apps.get_model("auth", "User")
    assert build_settings({}, {}).storage_source(user) == (
        "ROWSTORE REFERENCE",
        "the built-in default for django.contrib",
    )
    assert build_settings({"STORAGE": {"auth": "ROWSTORE"}}, {}).storage_for(user) == (
        "ROWSTORE"
    )
    through = user.groups.through
    assert build_settings({"STORAGE": {"auth.User": "ROWSTORE"}}, {}).storage_source(
        through
    ) == ("ROWSTORE", "SINGLESTORE['STORAGE']['auth.User']")


def test_get_settings_is_cached_and_follows_override_settings(monkeypatch):
    get_settings.cache_clear()
    first = get_settings()
    assert get_settings() is first
    with override_settings(SINGLESTORE={"DEFAULT_STORAGE": "ROWSTORE"}):
        assert get_settings().default_storage == "ROWSTORE"
        with override_settings(SINGLESTORE={"SKIP_AUTOCOMMIT": "no"}):
            with pytest.raises(ImproperlyConfigured):
                get_settings()
    assert get_settings().default_storage == "COLUMNSTORE"

    monkeypatch.setenv("DJANGO_SINGLESTORE_SKIP_AUTOCOMMIT", "yes")
    get_settings.cache_clear()
    assert get_settings().skip_autocommit is True
    monkeypatch.delenv("DJANGO_SINGLESTORE_SKIP_AUTOCOMMIT")
    get_settings.cache_clear()
    assert get_settings().skip_autocommit is False


def test_the_setting_stays_as_written():
    # django-appconf stores what configure_singlestore returns in settings.py's
    # place; the fixes the checks print merge into the value as written.
    written = {"STORAGE": {"shop.Order": "rowstore"}}
    assert SingleStoreConf().configure_singlestore(written) is written
    assert SingleStoreConf().merged(written)["STORAGE"] == {"shop.order": "ROWSTORE"}


def test_settings_object_is_frozen():
    settings = build_settings({"STORAGE": {"shop": "ROWSTORE"}}, {})
    with pytest.raises(AttributeError):
        settings.default_storage = "ROWSTORE"
    with pytest.raises(TypeError):
        settings.storage["shop"] = "REFERENCE"


@override_settings(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
    SINGLESTORE={"STORAGE": {"auth": "ROWSTORE"}},
)
def test_settings_are_read_without_the_app_installed():
    assert not apps.is_installed("django_singlestore")
    assert get_settings().storage_for(apps.get_model("auth", "User")) == "ROWSTORE"
