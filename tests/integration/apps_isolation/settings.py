"""A small project whose test classes write in set-up (test_isolation.py
runs its cases.py through Django's runner and through pytest-django).

Its own test database, so that it can run while the main one is in use.
"""

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django_singlestore",
    "tests.integration.apps_isolation",
]
SINGLESTORE = {}
DATABASES = {
    "default": {
        **DATABASES["default"],  # noqa: F405
        "TEST": {"NAME": "test_django_singlestore_isolation"},
    }
}
TEST_RUNNER = "django_singlestore.test.runner.DiscoverRunner"
MIDDLEWARE = []
ROOT_URLCONF = __name__
urlpatterns = []
