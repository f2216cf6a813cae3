"""Shared pieces of the unit tests' throwaway models."""

from django.db import models

from tests.settings import CONTRIB_APPS  # noqa: F401 (shared with the unit tests)


class Unit(models.Model):
    """Base of models declared in tests under ``isolate_apps("tests.unit")``."""

    class Meta:
        abstract = True
        app_label = "unit"
