"""An app for the models inspectdb writes (test_inspectdb runs them in isolate_apps).

Not in INSTALLED_APPS: test_inspectdb registers models here only inside
django.test.utils.isolate_apps.
"""
