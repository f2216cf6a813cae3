"""Django's MySQL backend, unchanged but for its version check.

The double answers ``VERSION()`` with SingleStore's MySQL-compatible version
(5.7.32), below the MySQL 8.0.11 Django 5.2 requires; the benchmark's
statements are plain enough for both.
"""

from django.db.backends.mysql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def check_database_version_supported(self):
        pass
