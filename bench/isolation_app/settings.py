"""The project bench/isolation.py runs its test classes in."""

import os

from target import database

SECRET_KEY = "bench-isolation"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django_singlestore",
    "isolation_app",
]
DATABASES = {
    "default": {
        "ENGINE": "django_singlestore",
        **database(os.environ["SINGLESTORE_TEST_URL"]),
        "NAME": "bench_isolation",
        "TEST": {"NAME": "test_bench_isolation"},
    }
}
ROOT_URLCONF = __name__
urlpatterns = []
