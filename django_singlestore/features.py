"""What SingleStore can do, as deltas from Django's MySQL features.

Each flag describes a real SingleStore server (8.5 or later), never the test
double; sources are in the project's SingleStore facts notes.
"""

from django.db.backends.mysql.features import (
    DatabaseFeatures as MySQLDatabaseFeatures,
)
from django.utils.functional import cached_property

from .conf import get_settings
from .test_expectations import (
    EXPECTED_FAILURES,
    LAYOUT_EXPECTED_FAILURES,
    SKIPS,
    layout_of,
)

# Tests that Django's MySQL features skip for MySQL's reasons but that this
# backend passes (each was run): the skips would only hide working code.
PASSING_MYSQL_SKIPS = frozenset(
    {
        "db_functions.comparison.test_greatest.GreatestTests.test_coalesce_workaround",
        "db_functions.comparison.test_least.LeastTests.test_coalesce_workaround",
        "expressions.tests.FTimeDeltaTests.test_durationfield_multiply_divide",
        "update.tests.AdvancedTests.test_update_ordered_by_inline_m2m_annotation",
        "update.tests.AdvancedTests.test_update_ordered_by_m2m_annotation",
        "update.tests.AdvancedTests.test_update_ordered_by_m2m_annotation_desc",
        "queries.test_qs_combinators.QuerySetSetOperationTests.test_union_nested",
        "aggregation.tests.AggregateTestCase."
        "test_group_by_nested_expression_with_params",
    }
)


class DatabaseFeatures(MySQLDatabaseFeatures):
    minimum_database_version = (8, 5)
    # singlestoredb's fetchmany() returns a list.
    empty_fetchmany_value = []

    # No SAVEPOINT statement: writes cannot be rolled back to a savepoint
    # (TestCase then gives each test a transaction of its own). Nested
    # atomic() blocks that fail before writing roll back by emulation
    # (transactions.py), which does not depend on these flags.
    uses_savepoints = False
    can_release_savepoints = False
    supports_transactions = True
    # DDL commits the open transaction.
    can_rollback_ddl = False

    # FOREIGN KEY clauses are never enforced; FK columns get plain indexes.
    supports_foreign_keys = False
    can_create_inline_fk = False
    can_introspect_foreign_keys = False
    # CHECK constraints do not exist.
    supports_column_check_constraints = False
    supports_table_check_constraints = False
    can_introspect_check_constraints = False

    # FOR UPDATE exists, without NOWAIT / SKIP LOCKED / OF.
    has_select_for_update_nowait = False
    has_select_for_update_skip_locked = False
    has_select_for_update_of = False

    # Window functions exist; RANGE frames with an offset do not, and
    # LAG/LEAD take no default value.
    supports_over_clause = True
    supports_frame_range_fixed_distance = False
    supports_default_in_lead_lag = False

    # No INSERT ... RETURNING.
    can_return_columns_from_insert = False
    can_return_rows_from_bulk_insert = False
    # ON DUPLICATE KEY UPDATE has no conflict target.
    supports_update_conflicts = True
    supports_update_conflicts_with_target = False

    # ALTER TABLE t AUTO_INCREMENT = n is refused on sharded tables.
    supports_sequence_reset = False
    # The value 0 cannot be stored in an AUTO_INCREMENT column.
    allows_auto_pk_0 = False
    # RENAME INDEX is not in the ALTER TABLE grammar.
    can_rename_index = False
    # Expression (functional) indexes and ASC/DESC index columns do not exist.
    supports_expression_indexes = False
    supports_index_column_ordering = False
    collate_as_index_expression = False
    # GeneratedField(db_persist=True) is a computed column, "col AS expr
    # PERSISTED type" (computed.py); SingleStore has no virtual columns.
    supports_stored_generated_columns = True
    supports_virtual_generated_columns = False
    # Column defaults must be literals (or CURRENT_TIMESTAMP).
    supports_expression_defaults = False

    has_native_uuid_field = False
    # No JSON_CONTAINS, but functions.py builds "contains" from
    # JSON_GET_TYPE / JSON_EXTRACT_JSON / JSON_ARRAY_CONTAINS_JSON.
    supports_json_field_contains = True
    supports_logical_xor = False
    # SELECT ... EXCEPT SELECT ... (D/db/v9.1/reference/sql-reference/
    # data-manipulation-language-dml/except-and-minus) and INTERSECT.
    supports_select_difference = True
    supports_select_intersection = True
    # ORDER BY x ASC|DESC NULLS FIRST|LAST (issue 9; tests/double/GRAMMAR.md),
    # so Django orders by an annotation's alias, not by a copy of it.
    supports_order_by_nulls_modifier = True
    # A LIMIT after UNION binds to the last branch; compiler.py wraps ordered
    # or sliced compound queries itself, and branches cannot be sliced.
    supports_slicing_ordering_in_compound = False
    # regexp_format defaults to POSIX extended (no backreferences).
    supports_regex_backreferencing = False
    delete_can_self_reference_subquery = True
    allows_group_by_selected_pks = False
    update_can_self_select = False
    is_sql_auto_is_null_enabled = False
    ignores_table_name_case = False
    can_introspect_json_field = True
    # EXPLAIN has no ANALYZE form (SingleStore uses PROFILE).
    supports_explain_analyze = False
    supported_explain_formats = {"JSON", "TEXT"}

    can_clone_databases = True
    test_now_utc_template = "UTC_TIMESTAMP(6)"
    create_test_procedure_without_params_sql = """
        CREATE PROCEDURE test_procedure () AS
        DECLARE
            V_I INT = 1;
        BEGIN
            V_I = V_I + 1;
        END
    """
    create_test_procedure_with_int_param_sql = """
        CREATE PROCEDURE test_procedure (P_I INT) AS
        DECLARE
            V_I INT = P_I;
        BEGIN
            V_I = V_I + 1;
        END
    """

    @cached_property
    def django_test_expected_failures(self):
        layout = layout_of(get_settings().default_storage)
        return (
            super().django_test_expected_failures
            | EXPECTED_FAILURES
            | LAYOUT_EXPECTED_FAILURES[layout]
        )

    @cached_property
    def django_test_skips(self):
        # Django's MySQL skips, less the tests that pass on SingleStore.
        skips = {}
        for reason, tests in super().django_test_skips.items():
            if kept := tests - PASSING_MYSQL_SKIPS:
                skips[reason] = kept
        for reason, tests in SKIPS.items():
            skips[reason] = skips.get(reason, set()) | tests
        return skips

    @cached_property
    def test_collations(self):
        return {
            "ci": "utf8mb4_general_ci",
            "cs": "utf8mb4_bin",
            "non_default": "utf8mb4_unicode_ci",
            "swedish_ci": "utf8mb4_swedish_ci",
            "virtual": "utf8mb4_unicode_ci",
        }

    @cached_property
    def introspected_field_types(self):
        # Auto-increment columns are BIGINT (see schema.py); TINYINT(1) is
        # read back as a BooleanField (introspection.py).
        return {
            **super().introspected_field_types,
            "AutoField": "BigAutoField",
            "SmallAutoField": "BigAutoField",
            "BooleanField": "BooleanField",
        }

    @cached_property
    def has_zoneinfo_database(self):
        return self.connection.server_data["has_zoneinfo_database"]
