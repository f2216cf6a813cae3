"""Django test-suite ids that cannot pass on SingleStore, with the reason.

``features.py`` hands these to Django's runner as
``django_test_expected_failures`` and ``django_test_skips``. Every group
starts with one plain sentence naming the SingleStore limitation and a link
to the SingleStore documentation that states it. Expected failures are
preferred: Django reports them as unexpected successes the day they pass.
Skips are only for tests that hang, crash the run or do not apply.
"""

EXPECTED_FAILURES: set[str] = set()

SKIPS: dict[str, set[str]] = {}
