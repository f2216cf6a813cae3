"""Field checks: MySQL's, minus the 255-character unique CharField limit."""

from django.db.backends.mysql.validation import (
    DatabaseValidation as MySQLDatabaseValidation,
)


class DatabaseValidation(MySQLDatabaseValidation):
    def check_field_type(self, field, field_type):
        # SingleStore unique keys are hash indexes: no InnoDB prefix limit,
        # so MySQL's warning about unique varchar > 255 (mysql.W003) does not
        # apply.
        return [
            issue
            for issue in super().check_field_type(field, field_type)
            if issue.id != "mysql.W003"
        ]
