"""Models whose tables test_live_checks creates with raw SQL, drifting from the plan.

Installed only inside the tests (override_settings(INSTALLED_APPS=...)), so the
project's migrations and the other tests never see them.
"""
