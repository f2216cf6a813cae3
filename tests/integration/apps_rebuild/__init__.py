"""Stations and their readings, changed by migrations that rebuild columnstore
tables (tests/integration/test_rebuild_migrate.py).

Not installed by tests.settings: the tests add it with override_settings.
"""
