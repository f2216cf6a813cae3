from django.apps import AppConfig


class RebuildsConfig(AppConfig):
    name = "tests.integration.apps_rebuild"
    label = "rebuilds"
    default_auto_field = "django.db.models.BigAutoField"
