"""django_singlestore through the test double, or the real server named by
SINGLESTORE_URL (scripts/with-database.sh exports it as SINGLESTORE_TEST_URL)."""

from suite_common import *  # noqa: F403
from suite_common import database_pair

DATABASES = database_pair(
    ("SINGLESTORE_TEST_URL", "SINGLESTORE_URL"), "django_singlestore", "t_suite_ss"
)

# Storage types for the test apps whose models need something other than the
# default columnstore table; the reason is next to each entry.
SINGLESTORE = {
    "STORAGE": {},
}
