"""Test databases; clones are made table by table (no mysqldump on SingleStore)."""

from django.db.backends.mysql.creation import DatabaseCreation as MySQLDatabaseCreation


class DatabaseCreation(MySQLDatabaseCreation):
    def _clone_db(self, source_database_name, target_database_name):
        # CREATE TABLE ... LIKE keeps the storage type, shard key, sort key
        # and keys; INSERT ... SELECT copies the rows.
        quote = self.connection.ops.quote_name
        with self._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT TABLE_NAME FROM information_schema.TABLES "
                "WHERE TABLE_SCHEMA = %s AND TABLE_TYPE = 'BASE TABLE' "
                "ORDER BY TABLE_NAME",
                [source_database_name],
            )
            for (table,) in cursor.fetchall():
                source = f"{quote(source_database_name)}.{quote(table)}"
                target = f"{quote(target_database_name)}.{quote(table)}"
                cursor.execute(f"CREATE TABLE {target} LIKE {source}")
                cursor.execute(f"INSERT INTO {target} SELECT * FROM {source}")
