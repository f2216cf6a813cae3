"""SingleStore stored procedures: the simple shapes Django's backend tests
create (django_singlestore/features.py create_test_procedure_*_sql), CALL and
DROP PROCEDURE; other procedural SQL gets the double's refusal."""

import pytest

from django_singlestore.features import DatabaseFeatures
from tests.double_tests.util import error_of, feature, rows, run

WITHOUT_PARAMS = DatabaseFeatures.create_test_procedure_without_params_sql
WITH_INT_PARAM = DatabaseFeatures.create_test_procedure_with_int_param_sql


def refusal(reason):
    return (
        1706,
        f"The test double cannot run this SingleStore procedure: {reason}. It "
        "translates parameters, DECLARE variables, assignments and plain SQL "
        "statements only (tests/double/KNOWN_GAPS.md).",
    )


def test_procedure_without_params_is_created_called_and_dropped(s2):
    cur = run(s2, WITHOUT_PARAMS, "CALL test_procedure()")
    assert rows(
        s2,
        "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES"
        " WHERE ROUTINE_SCHEMA = DATABASE()",
    ) == [("test_procedure", "PROCEDURE")]
    cur.execute("DROP PROCEDURE test_procedure")
    assert (
        rows(
            s2,
            "SELECT ROUTINE_NAME FROM information_schema.ROUTINES"
            " WHERE ROUTINE_SCHEMA = DATABASE()",
        )
        == []
    )


def test_procedure_with_int_param(s2):
    run(s2, WITH_INT_PARAM, "CALL test_procedure(1)")
    run(s2, "DROP PROCEDURE IF EXISTS test_procedure")


def test_procedure_body_writes_rows(s2):
    run(
        s2,
        "CREATE TABLE log (id BIGINT PRIMARY KEY, v BIGINT)",
        """CREATE OR REPLACE PROCEDURE add_row (P_ID BIGINT, P_V BIGINT NOT NULL) AS
        DECLARE
            total BIGINT = P_V * 2;
            unused TEXT;
        BEGIN
            total := total + 1;
            INSERT INTO log VALUES (P_ID, total);
            UPDATE log SET v = v + 100 WHERE id = P_ID;
        END;""",
        "CALL add_row(1, 5)",
        "CALL add_row(2, 7)",
    )
    assert rows(s2, "SELECT id, v FROM log ORDER BY id") == [(1, 111), (2, 115)]


def test_calling_a_missing_procedure(s2):
    errno, message = error_of(s2, "CALL nowhere()")
    assert errno == 1305
    assert message.startswith("PROCEDURE ") and message.endswith(
        ".nowhere does not exist"
    )


@pytest.mark.parametrize(
    "sql, reason",
    [
        (
            "CREATE PROCEDURE p() RETURNS INT AS BEGIN RETURN 1; END",
            "'RETURNS' after the parameter list, where AS is expected",
        ),
        (
            "CREATE PROCEDURE p() AS BEGIN IF 1 THEN SELECT 1; END IF; END",
            "the IF statement",
        ),
        (
            "CREATE PROCEDURE p() AS BEGIN ECHO SELECT 1; END",
            "the ECHO statement",
        ),
        (
            "CREATE PROCEDURE p(a INT DEFAULT 1) AS BEGIN SELECT a; END",
            "the parameter default in 'a INT DEFAULT 1'",
        ),
        (
            "CREATE PROCEDURE p(a ARRAY(INT)) AS BEGIN SELECT 1; END",
            "the non-scalar parameter type in 'a ARRAY(INT)'",
        ),
        (
            "CREATE PROCEDURE p() AS DECLARE q QUERY(a INT) = SELECT 1; BEGIN END",
            "the non-scalar variable type in 'q QUERY(a INT) = SELECT 1'",
        ),
        (
            "CREATE PROCEDURE p() AS SELECT 1",
            "BEGIN ... END after AS is missing",
        ),
    ],
)
def test_other_procedural_sql_is_refused(s2, sql, reason):
    assert error_of(s2, sql) == refusal(reason)


def test_callproc_of_the_driver(s2):
    run(s2, WITH_INT_PARAM)
    cur = s2.cursor()
    assert cur.callproc("test_procedure", [41]) == [41]
    assert rows(s2, "SELECT @_test_procedure_0") == [(41,)]


def test_body_statements_get_singlestore_translation(s2):
    run(
        s2,
        "CREATE TABLE docs (id BIGINT PRIMARY KEY, doc JSON, n BIGINT)",
        """INSERT INTO docs VALUES (1, '{"a": 41}', 0)""",
        """CREATE PROCEDURE bump (P_ID BIGINT) AS
        DECLARE
            v BIGINT = 0;
        BEGIN
            v = JSON_EXTRACT_BIGINT('{"a": 1}', 'a');
            UPDATE docs SET n = doc::%a + v WHERE id = P_ID;
        END""",
        "CALL bump(1)",
    )
    assert rows(s2, "SELECT n FROM docs") == [(42,)]


def test_body_statements_get_singlestore_refusals(s2):
    run(s2, "CREATE TABLE t (id BIGINT PRIMARY KEY)")
    assert error_of(
        s2,
        "CREATE PROCEDURE p () AS BEGIN UPDATE t SET id = 1 ORDER BY id; END",
    ) == feature("UPDATE with ORDER BY")
    assert error_of(
        s2,
        "CREATE PROCEDURE p () AS BEGIN SAVEPOINT s; END",
    ) == refusal("the SAVEPOINT statement")
    assert error_of(
        s2,
        "CREATE PROCEDURE p () AS BEGIN CREATE TABLE u (id BIGINT); END",
    ) == refusal("the CREATE statement")
