"""The app's own migration 0001_initial, taken as it is."""

from importlib import import_module

Migration = import_module(
    "tests.integration.apps_layouts.migrations.0001_initial"
).Migration
