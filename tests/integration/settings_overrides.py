"""tests.settings plus the integration test app and its SINGLESTORE shapes.

Run: pytest --ds=tests.integration.settings_overrides tests/integration
"""

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.integration"]
DATABASES = {
    "default": {**DATABASES["default"], "TEST": {"NAME": "t_backend_test"}},
}
SINGLESTORE = {
    "STORAGE": {
        "integration.Category": "ROWSTORE REFERENCE",
        "integration.Counter": "ROWSTORE",
    },
    "SORT_KEYS": {"integration.Item": ["-created"]},
}
