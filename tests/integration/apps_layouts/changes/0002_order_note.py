"""The app's own migration 0002_order_note, taken as it is."""

from importlib import import_module

Migration = import_module(
    "tests.integration.apps_layouts.migrations.0002_order_note"
).Migration
