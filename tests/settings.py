"""Settings for the project's own tests (pytest-django).

The database is SINGLESTORE_TEST_URL, exported by scripts/with-database.sh:
the test double, or the real server named by SINGLESTORE_URL. Without it the
tests use the double's proxy on DOUBLE_PORT (43307 unless set), so a shell
that set the double's ports for `make double-start` reaches its own double.
"""

import os
from urllib.parse import unquote, urlsplit

_url = urlsplit(
    os.environ.get("SINGLESTORE_TEST_URL")
    or f"singlestoredb://root@127.0.0.1:{os.environ.get('DOUBLE_PORT') or 43307}"
)

SECRET_KEY = "django-singlestore-tests"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SITE_ID = 1
ROOT_URLCONF = "tests.urls"
# What `startproject` installs, plus the contrib apps with tables it leaves out.
CONTRIB_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.redirects",
    "django_singlestore",
]
INSTALLED_APPS = [*CONTRIB_APPS, "tests.integration"]
# The integration models' shapes; no contrib app is named: they run on the
# backend's built-in defaults (zero configuration).
SINGLESTORE = {
    "STORAGE": {
        "integration.Category": "ROWSTORE REFERENCE",
        "integration.Counter": "ROWSTORE",
    },
    "SORT_KEYS": {"integration.Item": ["-created"]},
}
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
STATIC_URL = "static/"
DATABASES = {
    "default": {
        "ENGINE": "django_singlestore",
        "HOST": _url.hostname or "127.0.0.1",
        "PORT": _url.port or 3306,
        "USER": unquote(_url.username or "root"),
        "PASSWORD": unquote(_url.password or ""),
        "NAME": "django_singlestore_tests",
        "TEST": {"NAME": "test_django_singlestore"},
    }
}
