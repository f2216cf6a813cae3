"""Django test-suite ids that cannot pass on SingleStore, with the reason.

``features.py`` hands these to Django's runner as
``django_test_expected_failures`` and ``django_test_skips``. Every group
starts with one plain sentence naming the SingleStore limitation and a link
to the SingleStore documentation that states it. Expected failures are
preferred: Django reports them as unexpected successes the day they pass.
Skips are only for tests that hang, crash the run or do not apply.
"""

EXPECTED_FAILURES = {
    # A sharded table enforces a unique key only when the key contains the
    # shard key, so these tests' models (columnstore tables of apps created
    # inside the tests) cannot be created.
    # https://docs.singlestore.com/db/v9.1/reference/troubleshooting-reference/query-errors/why-do-i-get-errors-about-unique-keys/
    "migrations.test_operations.OperationTests.test_alter_constraint",
    "migrations.test_operations.OperationTests."
    "test_alter_field_reloads_state_on_fk_with_to_field_target_changes",
    "migrations.test_operations.OperationTests."
    "test_alter_index_together_remove_with_unique_together",
    "migrations.test_operations.OperationTests.test_alter_unique_together",
    "migrations.test_operations.OperationTests.test_create_model_with_unique_after",
    "migrations.test_operations.OperationTests."
    "test_remove_unique_together_on_unique_field",
    "migrations.test_operations.OperationTests.test_rename_field_unique_together",
    "migrations.test_operations.OperationTests."
    "test_rename_index_unnamed_index_with_unique_index",
    # For the same reason the suite keeps the migrations app in reference
    # tables, whose DDL reads CREATE ROWSTORE REFERENCE TABLE rather than the
    # CREATE TABLE this test looks for.
    # https://docs.singlestore.com/db/v9.1/reference/sql-reference/data-definition-language-ddl/create-table/
    "migrations.test_commands.MigrateTests.test_sqlmigrate_forwards",
    # A columnstore table cannot change the type of a column that is part of
    # a key (MODIFY refuses it, and a key column cannot be rebuilt by copy).
    # https://docs.singlestore.com/db/v9.1/reference/sql-reference/data-definition-language-ddl/alter-table/
    "migrations.test_executor.ExecutorTests.test_alter_id_type_with_fk",
    "migrations.test_operations.OperationTests.test_alter_field_pk",
    "migrations.test_operations.OperationTests.test_alter_field_pk_fk_char_to_int",
    "migrations.test_operations.OperationTests."
    "test_alter_field_reloads_state_on_fk_target_changes",
    "migrations.test_operations.OperationTests.test_alter_field_with_index",
    "migrations.test_operations.OperationTests.test_alter_fk_non_fk",
    "migrations.test_operations.OperationTests.test_composite_pk_operations",
    "migrations.test_operations.OperationTests."
    "test_rename_field_reloads_state_on_fk_target_changes",
    # A primary key cannot be added to or moved on an existing table: ALTER
    # TABLE has no ADD PRIMARY KEY or ADD CONSTRAINT.
    # https://docs.singlestore.com/db/v9.1/reference/sql-reference/data-definition-language-ddl/alter-table/
    "migrations.test_operations.OperationTests.test_alter_id_pk_to_uuid_pk",
    "schema.tests.SchemaTests.test_add_auto_field",
    "schema.tests.SchemaTests.test_alter_int_pk_to_int_unique",
    "schema.tests.SchemaTests.test_alter_not_unique_field_to_primary_key",
    "schema.tests.SchemaTests.test_primary_key",
    # SingleStore does not enforce foreign keys, so loading a fixture that
    # points at a missing row raises no IntegrityError.
    # https://docs.singlestore.com/cloud/developer-resources/unsupported-mysql-features/
    "fixtures_regress.tests.TestFixtures."
    "test_loaddata_raises_error_when_fixture_has_invalid_foreign_key",
    # SingleStore has no JSON containment test: JSON_ARRAY_CONTAINS_JSON
    # matches whole top-level elements only, so contains on nested objects or
    # arrays, and contained_by, cannot be expressed.
    # https://docs.singlestore.com/db/v9.1/reference/sql-reference/json-functions/json-array-contains-type/
    "model_fields.test_jsonfield.TestQuerying.test_contained_by",
    "model_fields.test_jsonfield.TestQuerying.test_contains",
    "model_fields.test_jsonfield.TestQuerying."
    "test_contains_contained_by_with_key_transform",
    # SHA2 supports only 256, 384 and 512 bits (and 0 for 256), not 224.
    # https://docs.singlestore.com/db/v9.1/reference/sql-reference/string-functions/sha-2/
    "db_functions.text.test_sha224.SHA224Tests.test_basic",
    "db_functions.text.test_sha224.SHA224Tests.test_transform",
}

SKIPS: dict[str, set[str]] = {}
