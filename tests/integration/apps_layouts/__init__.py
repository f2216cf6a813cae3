"""A small shop run under every table layout (tests/integration/test_layout_matrix.py).

Not installed by tests.settings: the tests add it with override_settings and
migrate it per layout.
"""
