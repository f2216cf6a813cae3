"""An example project on SingleStore: what `startproject` gives, plus a shop app.

The server is SINGLESTORE_URL (a real SingleStore) or SINGLESTORE_TEST_URL
(the test double started by `make demo`), e.g.
singlestoredb://root:secret@127.0.0.1:3306.
"""

import os

SERVER_URL = os.environ.get("SINGLESTORE_URL") or os.environ.get(
    "SINGLESTORE_TEST_URL", "singlestoredb://root@127.0.0.1:3306"
)

SECRET_KEY = "example-only-not-secret"
DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
USE_TZ = True
TIME_ZONE = "UTC"
ROOT_URLCONF = "exampleproject.urls"
STATIC_URL = "static/"
SITE_ID = 1

INSTALLED_APPS = [
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
    "shop",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

DATABASES = {
    "default": {
        "ENGINE": "django_singlestore",
        # A singlestoredb:// URL in HOST carries host, port, user and password.
        "HOST": SERVER_URL,
        "NAME": os.environ.get("EXAMPLE_DATABASE", "example_shop"),
    }
}

# How SingleStore stores the shop's tables. The contrib apps need no entry:
# the backend's built-in defaults give them shapes SingleStore accepts.
SINGLESTORE = {
    "STORAGE": {
        "shop.Product": "ROWSTORE REFERENCE",  # small, joined everywhere, unique SKU
        "shop.Customer": "ROWSTORE",  # hot rows, in-memory, sharded by id
        "shop.Order": "COLUMNSTORE",  # many rows, analytical queries
    },
    # Orders are read per customer: shard by the customer, not the primary key.
    "SHARD_KEYS": {"shop.Order": ["customer"]},
    "SORT_KEYS": {"shop.Order": ["-placed_at"]},
}
