from django.apps import AppConfig


class LayoutsConfig(AppConfig):
    name = "tests.integration.apps_layouts"
    label = "layouts"
    default_auto_field = "django.db.models.BigAutoField"
