"""Settings shared by both backends when Django's own test suite runs.

Django's ``tests/runtests.py`` adds its own INSTALLED_APPS, templates and
URLconf; a settings module for it only names the databases and the few
values its bundled ``test_sqlite`` module sets.
"""

import os
from urllib.parse import unquote, urlsplit

SECRET_KEY = "django_tests_secret_key"
# Hashing passwords the fast way keeps auth_tests short; the suite's own
# settings module makes the same choice.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = False


def database_pair(env_vars, engine, prefix, **extra):
    """Return DATABASES with ``default`` and ``other`` (runtests needs both)
    on the server named by the URL in the first of ``env_vars`` that is set."""
    url = next(filter(None, map(os.environ.get, env_vars)), None)
    if not url:
        raise RuntimeError(
            f"{' or '.join(env_vars)} is not set: run the suite through "
            "scripts/with-database.sh (it starts the test double and exports it)."
        )
    parts = urlsplit(url)
    base = {
        "ENGINE": engine,
        "HOST": parts.hostname or "127.0.0.1",
        "PORT": parts.port or 3306,
        "USER": unquote(parts.username or "root"),
        "PASSWORD": unquote(parts.password or ""),
        **extra,
    }
    # scripts/django_suite.py names each of its runs, so two runs at once
    # (a CI job and a developer, say) never share a test database.
    prefix += os.environ.get("DJANGO_SUITE_RUN", "")
    return {
        alias: {
            **base,
            "NAME": f"{prefix}_{alias}",
            "TEST": {**base.get("TEST", {}), "NAME": f"test_{prefix}_{alias}"},
        }
        for alias in ("default", "other")
    }
