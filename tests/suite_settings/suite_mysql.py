"""Django's own MySQL backend straight against the double's MariaDB: the
baseline the SingleStore backend is measured against."""

from suite_common import *  # noqa: F403
from suite_common import database_pair

DATABASES = database_pair(
    ("DOUBLE_MARIADB_URL",),
    "django.db.backends.mysql",
    "t_suite_mysql",
    TEST={"CHARSET": "utf8mb4"},
)
