"""Shared pieces of the unit tests' throwaway models."""

from django.db import models

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


class Unit(models.Model):
    """Base of models declared in tests under ``isolate_apps("tests.unit")``."""

    class Meta:
        abstract = True
        app_label = "unit"
