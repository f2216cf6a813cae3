"""The django_singlestore app: installing it turns on the system checks.

The backend works without it (it reads SINGLESTORE on first use); with it in
INSTALLED_APPS, a bad SINGLESTORE value or environment variable stops start-up,
and ``manage.py check`` and ``migrate`` report model shapes SingleStore refuses.
"""

from django.apps import AppConfig


class SingleStoreConfig(AppConfig):
    name = "django_singlestore"
    label = "django_singlestore"
    verbose_name = "SingleStore"

    def ready(self):
        from . import checks
        from .conf import get_settings

        get_settings()
        checks.register()
