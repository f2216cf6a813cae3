"""A model SingleStore cannot hold as declared (test_migrate_checks).

Ticket.code is unique on the default sharded columnstore table, whose shard key
is (id): singlestore.E001. Installed only inside the tests
(override_settings(INSTALLED_APPS=...)).
"""
