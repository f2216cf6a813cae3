"""Every error the double raises in SingleStore's name, in one table.

Each entry: errno, sqlstate, message template, source, and whether the errno
is inferred. Sources use the abbreviations of singlestore-facts.md (`D/` is
https://docs.singlestore.com/, `UP` the upstream django-singlestore notes
measured on 8.9, `EF` the SingleStore EF Core provider's tests). Where no
source gives the errno, the "Feature '...' is not supported" family and the
other SingleStore-only messages use 1706 (the errno seen for that family),
parse errors use 1064 and unknown functions 1305, as MySQL does; those rows
say `inferred=True` and KNOWN_GAPS.md lists them.
"""

from dataclasses import dataclass

from .outcomes import Fail


@dataclass(frozen=True)
class Spec:
    errno: int
    sqlstate: str
    template: str
    source: str
    inferred: bool


def _feature(name, source, distributed=False):
    suffix = " Distributed" if distributed else ""
    return Spec(
        1706,
        "HY000",
        f"Feature '{name}' is not supported by SingleStore{suffix}.",
        source,
        False,
    )


def _other(template, source):
    return Spec(1706, "HY000", template, source, True)


_VECTOR_INDEXING = "D/db/v9.1/reference/sql-reference/vector-functions/vector-indexing"

SYNTAX = "You have an error in your SQL syntax; check the manual that corresponds to "
SYNTAX += "your SingleStore server version for the right syntax to use near '{near}'"
SYNTAX += " at line {line}"

_CANNOT = (
    "The query cannot be executed. SingleStore does not support this type of "
    "query: "
)

ERRORS = {
    "syntax": Spec(
        1064, "42000", SYNTAX, "MySQL parse error shape; EF (RENAME INDEX)", True
    ),
    "no_function": Spec(
        1305,
        "42000",
        "FUNCTION {db}.{name} does not exist",
        "MySQL errno for an unknown function; "
        "D/cloud/reference/sql-reference/json-functions/",
        True,
    ),
    "param_count": Spec(
        1582,
        "42000",
        "Incorrect parameter count in the call to native function '{name}'",
        "MySQL errno and message for a wrong argument count (SingleStore's not "
        "found); the signatures are D/cloud/reference/sql-reference/"
        "regular-expression-functions/",
        True,
    ),
    "procedure": Spec(
        1706,
        "HY000",
        "The test double cannot run this SingleStore procedure: {reason}. It "
        "translates parameters, DECLARE variables, assignments and plain SQL "
        "statements only (tests/double/KNOWN_GAPS.md).",
        "the double's own refusal; the grammar is D/db/v9.1/reference/"
        "sql-reference/procedural-sql-reference/create-procedure",
        True,
    ),
    "unique_shard": _other(
        "The unique key named: '{name}' cannot be created because unique keys must "
        "contain all columns of the shard key",
        "UP features.py; D/db/v9.1/reference/troubleshooting-reference/query-errors/"
        "why-do-i-get-errors-about-unique-keys",
    ),
    "reference_no_pk": _feature(
        "Reference Table without a Primary Key",
        "UP features.py; D/db/v9.1/introduction/distributed-architecture/"
        "distributed-sql-surface-area",
        distributed=True,
    ),
    "multi_unique_columnstore": _feature(
        "multiple UNIQUE indexes with at least one index containing multiple columns "
        "on columnstore table",
        "UP features.py (8.9)",
    ),
    "same_columns_hash": _feature(
        "Multiple HASH indices on the same columns",
        "UP features.py; sequelize issue report",
    ),
    "modify_type": _other(
        "ALTER TABLE which modifies type of column '{col}' is not supported on a "
        "columnstore table",
        "UP features.py",
    ),
    "null_to_not_null": _other(
        "ALTER TABLE which modifies column '{col}' from NULL to NOT NULL is not "
        "supported on a columnstore table.",
        "UP features.py",
    ),
    "add_unique_index": _other(
        "ALTER TABLE which adds unique/primary/foreign index '{name}' is not supported "
        "on a columnstore table",
        "UP features.py; "
        "D/cloud/create-a-database/specifying-unenforced-unique-constraints/",
    ),
    "auto_increment_change": _other(
        "ALTER TABLE which modifies column '{col}' by adding or dropping "
        "AUTO_INCREMENT "
        "is not supported on a columnstore table",
        "UP features.py",
    ),
    "change_primary": _other(
        "ALTER TABLE which changes index `PRIMARY` is not supported on a columnstore "
        "table.",
        "UP features.py",
    ),
    "drop_shard_index": _other(
        "ALTER TABLE which drops shard index '{name}' on sharded table is not "
        "supported "
        "on a columnstore table.",
        "UP features.py",
    ),
    "primary_after_create": _other(
        "A primary key cannot be added to a table after creation",
        "UP features.py",
    ),
    "drop_primary": _feature("DROP PRIMARY KEY", "EF tests"),
    "change_type": Spec(
        1706,
        "HY000",
        "Feature 'ALTER TABLE CHANGE to modify column type' is not supported by "
        "SingleStore. Use MODIFY to change a column's type.",
        "singlestoredb-laravel-driver issue #63; dbeaver issue 39184",
        False,
    ),
    "auto_increment_sharded": _feature(
        "ALTER TABLE...AUTO_INCREMENT=X for sharded tables",
        "UP features.py",
        distributed=True,
    ),
    "two_fulltext": _feature("more than one FULLTEXT KEY", "EF tests"),
    "fulltext_rowstore": _feature(
        "FULLTEXT index on a rowstore table",
        "D/cloud/reference/sql-reference/full-text-search-functions/match/ "
        "(columnstore only; message inferred)",
    ),
    "vector_rowstore": _feature(
        "VECTOR index on a rowstore table",
        "D/db/v8.9/reference/sql-reference/vector-functions/vector-indexing "
        "(columnstore only; message inferred)",
    ),
    "vector_columns": _feature(
        "VECTOR index on more than one column",
        _VECTOR_INDEXING + " (a single column; message inferred)",
    ),
    "vector_column_type": _feature(
        "VECTOR index on column '{col}', which is not a VECTOR column",
        _VECTOR_INDEXING + " (VECTOR columns only; message inferred)",
    ),
    "vector_element_type": _feature(
        "VECTOR index on column '{col}' with element type {elem}",
        _VECTOR_INDEXING + " (F32 is the only indexable type; message inferred)",
    ),
    "vector_nullable": _feature(
        "VECTOR index on the nullable column '{col}'",
        "D/db/v8.5/reference/sql-reference/vector-functions/vector-indexing and "
        "D/db/v8.7/... (VECTOR(n[, F32]) NOT NULL; message inferred)",
    ),
    "vector_options": _other(
        "Invalid INDEX_OPTIONS for a VECTOR index: {problem}",
        _VECTOR_INDEXING + " (documented index types, metrics and parameters; "
        "message inferred)",
    ),
    "search_options": _other(
        "Invalid SEARCH_OPTIONS: {problem}",
        "SingleStore's vector tuning page as quoted in github.com/mysql/"
        "mysql-server issue #751 (k, nprobe, ef; message inferred)",
    ),
    "savepoint": _feature("SAVEPOINT", "EF tests; UP uses_savepoints=False"),
    "computed_auto": _other(
        "The test double cannot infer the type of the computed column '{col}' "
        "(PERSISTED AUTO); name its type.",
        "the double's own refusal: D/db/v8.5/reference/sql-reference/"
        "data-definition-language-ddl/create-table/ allows PERSISTED AUTO",
    ),
    "isolation": _feature(
        "{level} isolation level",
        "D/db/v9.1/introduction/faqs/durability "
        "(READ COMMITTED only; message inferred)",
    ),
    "update_delete_order_by": _feature(
        "{verb} with ORDER BY",
        "singlestoredb-laravel-driver README (ORDER BY in UPDATE/DELETE; message "
        "inferred)",
    ),
    "update_limit": _feature(
        "UPDATE...LIMIT must be constrained to a single partition",
        "EF tests; D/db/v9.1/introduction/distributed-architecture/"
        "distributed-sql-surface-area",
    ),
    "update_shard_key": _feature(
        "Updating the shard key column '{col}'",
        "D/db/v9.1/introduction/distributed-architecture/distributed-sql-surface-area "
        "(message inferred)",
    ),
    "limit_in_subquery": _feature(
        "LIMIT within an IN subquery",
        "EF tests; singlestore-facts §5 (message inferred)",
    ),
    "for_update_columnstore": _feature(
        "FOR UPDATE with subselect or join involving a columnstore table",
        "UP features.py",
    ),
    "check_constraint": _feature("Check constraints", "EF tests"),
    "foreign_key": _feature("FOREIGN KEY", "EF tests", distributed=True),
    "insert_ignore_odku": _feature(
        "INSERT IGNORE … ON DUPLICATE KEY UPDATE",
        "D/cloud/reference/sql-reference/data-manipulation-language-dml/insert/",
    ),
    "sha224": _feature(
        "SHA2 with 224 bits", "UP features.py (SHA224; message inferred)"
    ),
    "date_range": Spec(
        1292,
        "22007",
        "Incorrect {kind} value: '{value}' for column '{col}'",
        "MySQL's errno and message for a value outside the type's range; the "
        "range is D/cloud/reference/sql-reference/data-types/time-and-date, "
        "UP features.py (no years before 1000)",
        True,
    ),
    "table_comment_columnstore": _feature(
        "ALTER TABLE COMMENT on a columnstore table",
        "UP features.py (table comment changes skipped, test_db_comment_table "
        "expected to fail; message inferred)",
    ),
    "float_primary_columnstore": _feature(
        "FLOAT or DOUBLE PRIMARY KEY column on a columnstore table",
        "UP features.py (\"SingleStore does not support FLOAT/DOUBLE primary keys "
        "on ColumnStore tables\"; message inferred)",
    ),
    "index_on_indexed_columnstore": _feature(
        "Adding an INDEX with multiple columns on a columnstore table where any "
        "column in the new index is already in an index",
        "EF tests",
    ),
    "select_in_values": _feature("select within values clause", "UP features.py"),
    "subselect_levels_up": _other(
        _CANNOT
        + "scalar subselect references field belonging to outer select that is "
        "more than one level up",
        "UP features.py (8 tests)",
    ),
    "subselect_in_aggregate": _feature(
        "Subselect in aggregate functions", "UP features.py"
    ),
    "scalar_group_order": _feature(
        "scalar subselect inside the GROUP/ORDER BY of a pushed down query",
        "UP features.py",
        distributed=True,
    ),
    "correlated_order_by": _other(
        _CANNOT + "correlated subselect in ORDER BY", "UP features.py"
    ),
    "correlated_having": _other(
        _CANNOT + "correlated subselect inside HAVING", "UP features.py"
    ),
    "nested_project_list": _other(
        _CANNOT + "nested scalar subselects in project list", "UP features.py"
    ),
    # The spacing of "GROUP BY,or" is as the upstream notes record it.
    "correlated_project_columnstore": _feature(
        "Correlated subselect in the project list of a columnstore query with an "
        "ORDER BY, GROUP BY,or DISTINCT",
        "UP features.py",
    ),
    "fulltext_match": _other(
        "MATCH (TABLE {table}) AGAINST requires a FULLTEXT USING VERSION 2 index on "
        "table '{table}'",
        "D/cloud/developer-resources/functional-extensions/working-with-full-text-search",
    ),
    "lucene_syntax": _other(
        "Full-text query syntax error: {problem}",
        "D/cloud/developer-resources/functional-extensions/"
        "working-with-full-text-search (Lucene's query parser refuses it; "
        "message inferred)",
    ),
    "fulltext_bm25": _other(
        "{function} requires a FULLTEXT USING VERSION 2 index on table '{table}'",
        "D/db/v9.1/reference/sql-reference/full-text-search-functions/bm-25 "
        "(VERSION 2 FULLTEXT tables only; message inferred)",
    ),
}


def fail(key, **params):
    spec = ERRORS[key]
    return Fail(spec.errno, spec.sqlstate, spec.template.format(**params))


def syntax_error(sql, near):
    """A 1064 pointing at the text from `near` (an offset into `sql`)."""
    line = sql.count("\n", 0, near) + 1
    return fail("syntax", near=sql[near : near + 80], line=line)
