from django.apps import AppConfig


class NewLayoutConfig(AppConfig):
    name = "tests.integration.apps_newlayout"
    label = "newlayout"
    default_auto_field = "django.db.models.BigAutoField"
