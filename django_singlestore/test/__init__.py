"""Test support: keep the rows test classes write in set-up from leaking.

``isolation`` holds the mechanism; ``runner`` (Django's test runner) and
``pytest_plugin`` (pytest-django) apply it to every ``django.test.TestCase``
class. See docs/transactions.rst, "Testing".
"""
