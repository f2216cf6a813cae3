"""Vector indexes through the double: SingleStore's refusals, statement in,
error out (the sources are in tests/double/sql/vectors.py and errors.py)."""

import pytest

from tests.double_tests.util import error_of, feature, rows, run

OPTIONS = "INDEX_OPTIONS '{}'"


@pytest.mark.parametrize(
    "definition, error",
    [
        (
            "a VECTOR(2) NOT NULL, b VECTOR(2) NOT NULL, VECTOR INDEX vi (a, b)",
            feature("VECTOR index on more than one column"),
        ),
        (
            "a TEXT, VECTOR INDEX vi (a)",
            feature("VECTOR index on column 'a', which is not a VECTOR column"),
        ),
        (
            "a VECTOR(2, I8) NOT NULL, VECTOR INDEX vi (a)",
            feature("VECTOR index on column 'a' with element type I8"),
        ),
        (
            "a VECTOR(2) NOT NULL, VECTOR INDEX vi (a) "
            + OPTIONS.format('{"index_type":"FLAT"}'),
            (1706, "Invalid INDEX_OPTIONS for a VECTOR index: index_type FLAT"),
        ),
        (
            "a VECTOR(2) NOT NULL, VECTOR INDEX vi (a) "
            + OPTIONS.format('{"metric_type":"COSINE"}'),
            (1706, "Invalid INDEX_OPTIONS for a VECTOR index: metric_type COSINE"),
        ),
        (
            "a VECTOR(2) NOT NULL, VECTOR INDEX vi (a) "
            + OPTIONS.format('{"index_type":"IVF_FLAT","M":4}'),
            (
                1706,
                "Invalid INDEX_OPTIONS for a VECTOR index: M for index_type IVF_FLAT",
            ),
        ),
        (
            "a VECTOR(2) NOT NULL, VECTOR INDEX vi (a) " + OPTIONS.format("[1]"),
            (1706, "Invalid INDEX_OPTIONS for a VECTOR index: it is not a JSON object"),
        ),
    ],
)
def test_create_table_refuses_undocumented_vector_indexes(s2, definition, error):
    sql = f"CREATE TABLE t (id BIGINT PRIMARY KEY, {definition})"
    assert error_of(s2, sql) == error
    assert rows(s2, "SHOW TABLES") == []


def test_every_documented_index_type_is_accepted(s2):
    for number, (index_type, parameters) in enumerate(
        [
            ("AUTO", ""),
            ("IVF_FLAT", ',"nlist":4,"nprobe":2'),
            ("IVF_PQ", ',"nlist":4,"nprobe":2,"m":2,"nbits":8'),
            ("IVF_PQFS", ',"nlist":4,"nprobe":2,"m":2'),
            ("HNSW_FLAT", ',"M":8,"efConstruction":16,"ef":8'),
            ("HNSW_PQ", ',"M":8,"efConstruction":16,"ef":8,"m":2,"nbits":8'),
        ]
    ):
        options = (
            f'{{"index_type":"{index_type}","metric_type":"DOT_PRODUCT"{parameters}}}'
        )
        run(
            s2,
            f"CREATE TABLE t{number} (id BIGINT PRIMARY KEY, v VECTOR(4) NOT NULL,"
            f" VECTOR INDEX vi (v) INDEX_OPTIONS '{options}')",
        )
        ddl = rows(s2, f"SHOW CREATE TABLE t{number}")[0][1]
        assert f"VECTOR INDEX `vi` (`v`) INDEX_OPTIONS '{options}'" in ddl


def test_alter_table_add_vector_index_follows_the_same_rules(s2):
    run(s2, "CREATE TABLE t (id BIGINT PRIMARY KEY, v VECTOR(2, F64), w VECTOR(2))")
    assert error_of(s2, "ALTER TABLE t ADD VECTOR INDEX vi (v)") == feature(
        "VECTOR index on column 'v' with element type F64"
    )
    assert error_of(s2, "ALTER TABLE t ADD VECTOR INDEX vi (id)") == feature(
        "VECTOR index on column 'id', which is not a VECTOR column"
    )
    run(
        s2,
        'ALTER TABLE t ADD VECTOR INDEX wi (w) INDEX_OPTIONS \'{"index_type":"AUTO"}\'',
    )
    run(s2, "DROP INDEX wi ON t")
    assert "VECTOR INDEX" not in rows(s2, "SHOW CREATE TABLE t")[0][1]


def test_nullable_vector_index_column_on_8_5_and_8_7_only(s2, faults):
    definition = "(id BIGINT PRIMARY KEY, v VECTOR(2), VECTOR INDEX vi (v))"
    run(s2, "CREATE TABLE on_8_9 " + definition)
    for version in ("8.5.22", "8.7.10"):
        faults.set("MEMSQL_VERSION", version)
        assert error_of(s2, "CREATE TABLE old " + definition) == feature(
            "VECTOR index on the nullable column 'v'"
        )
    run(
        s2,
        "CREATE TABLE not_null (id BIGINT PRIMARY KEY, v VECTOR(2) NOT NULL,"
        " VECTOR INDEX vi (v))",
    )


def test_explain_names_the_index_for_the_ann_shape_only(s2):
    run(
        s2,
        "CREATE TABLE e (id BIGINT PRIMARY KEY, v VECTOR(2) NOT NULL,"
        ' VECTOR INDEX ev (v) INDEX_OPTIONS \'{"metric_type":"DOT_PRODUCT"}\')',
    )
    database = rows(s2, "SELECT DATABASE()")[0][0]
    assert rows(
        s2, "EXPLAIN SELECT id FROM e ORDER BY DOT_PRODUCT(v, '[1,0]') DESC LIMIT 3"
    ) == [
        ("VectorIndexSearch index:ev DOT_PRODUCT DESC limit:3",),
        (f"ColumnStoreScan {database}.e",),
    ]
    for other_shape in (
        # Another metric, the wrong direction, no LIMIT: an exact search.
        "SELECT id FROM e ORDER BY EUCLIDEAN_DISTANCE(v, '[1,0]') LIMIT 3",
        "SELECT id FROM e ORDER BY DOT_PRODUCT(v, '[1,0]') LIMIT 3",
        "SELECT id FROM e ORDER BY DOT_PRODUCT(v, '[1,0]') DESC",
    ):
        plan = rows(s2, "EXPLAIN " + other_shape)
        assert "VectorIndexSearch" not in str(plan)


def test_search_options_are_checked_and_the_search_runs_exactly(s2):
    run(
        s2,
        "CREATE TABLE so (id BIGINT PRIMARY KEY, v VECTOR(2) NOT NULL)",
        "INSERT INTO so VALUES (1, '[1,0]'), (2, '[0,1]'), (3, '[0.6,0.8]')",
    )
    search = (
        "SELECT id FROM so ORDER BY DOT_PRODUCT(v, '[0,1]') SEARCH_OPTIONS {} DESC"
        " LIMIT 2"
    )
    assert rows(s2, search.format('\'{"k":10,"ef":20,"nprobe":4}\'')) == [(2,), (3,)]
    for options, problem in [
        ("'{\"probes\":3}'", "unknown option probes"),
        ("'{\"k\":0}'", "k 0"),
        ("'[1]'", "it is not a JSON object"),
    ]:
        assert error_of(s2, search.format(options)) == (
            1706,
            f"Invalid SEARCH_OPTIONS: {problem}",
        )
