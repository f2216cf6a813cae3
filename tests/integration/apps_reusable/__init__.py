"""Models shaped like a reusable app's (test_auto_layout).

Unique fields, a unique_together, a one-to-one and a many-to-many, none of
which the default sharded columnstore table can enforce: without a layout for
each, migrate is refused; with DEFAULT_STORAGE = "AUTO" it migrates as is.
Installed only inside the tests (override_settings(INSTALLED_APPS=...)).
"""
