"""The pure parts of scripts/django_suite.py: reading runtests.py output into
counts and rendering the side-by-side table."""

import importlib.util
import io
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "django_suite.py"
_spec = importlib.util.spec_from_file_location("django_suite", SCRIPT)
suite = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(suite)

FAILED_RUN = """\
Testing against Django installed in '/x/django' with up to 2 processes
Found 120 test(s).
Creating test database for alias 'default'...
System check identified no issues (0 silenced).
..s.....F....E.....x.....u
======================================================================
ERROR: test_update_fk (update.tests.AdvancedTests.test_update_fk)
----------------------------------------------------------------------
Traceback (most recent call last):
singlestoredb.exceptions.OperationalError: 1706: Feature 'X' is not supported

======================================================================
ERROR: setUpClass (queries.tests.Queries1Tests)
----------------------------------------------------------------------
Traceback (most recent call last):
django.db.utils.ProgrammingError: boom

======================================================================
FAIL: test_in (lookup.tests.LookupTests.test_in) (value=3)
----------------------------------------------------------------------
AssertionError: 1 != 2

======================================================================
UNEXPECTED SUCCESS: test_json (model_fields.test_jsonfield.Tests.test_json)
----------------------------------------------------------------------
Ran 120 tests in 12.345s

FAILED (failures=1, errors=2, skipped=7, expected failures=3, unexpected successes=1)
Destroying test database for alias 'default'...
"""


def test_parse_failed_summary_counts_every_kind():
    result = suite.parse_output(FAILED_RUN, 1)
    assert (
        result.tests,
        result.failures,
        result.errors,
        result.skipped,
        result.expected_failures,
        result.unexpected_successes,
    ) == (120, 1, 2, 7, 3, 1)
    assert result.passed == 106
    assert result.unaccounted == 4
    assert result.crash == ""


def test_parse_failed_summary_lists_the_failing_test_ids():
    assert suite.parse_output(FAILED_RUN, 1).problems == [
        "ERROR: update.tests.AdvancedTests.test_update_fk",
        "ERROR: queries.tests.Queries1Tests",
        "FAIL: lookup.tests.LookupTests.test_in (value=3)",
        "UNEXPECTED SUCCESS: model_fields.test_jsonfield.Tests.test_json",
    ]


def test_parse_ok_with_skips_and_expected_failures():
    text = "Ran 34 tests in 0.5s\n\nOK (skipped=2, expected failures=4)\n"
    result = suite.parse_output(text, 0)
    assert (result.tests, result.skipped, result.expected_failures) == (34, 2, 4)
    assert result.passed == 28
    assert result.unaccounted == 0
    assert result.problems == []


def test_parse_plain_ok():
    result = suite.parse_output("Ran 1 test in 0.001s\n\nOK\n", 0)
    assert (result.tests, result.passed, result.unaccounted) == (1, 1, 0)


def test_parse_crash_before_summary_is_one_error_with_the_reason():
    text = (
        "Creating test database for alias 'default'...\n"
        "Traceback (most recent call last):\n"
        '  File "runtests.py", line 1, in <module>\n'
        "django.db.utils.OperationalError: (1706, \"Feature 'FOREIGN KEY' is "
        'not supported")\n'
    )
    result = suite.parse_output(text, 1)
    assert (result.tests, result.errors, result.passed) == (0, 1, 0)
    assert result.crash == (
        "django.db.utils.OperationalError: (1706, \"Feature 'FOREIGN KEY' is "
        'not supported")'
    )


def test_parse_crash_after_ok_summary_counts_as_an_error():
    text = (
        "Ran 5 tests in 0.1s\n\nOK\nDestroying test database for alias "
        "'default'...\nRuntimeError: could not drop test database\n"
        "Destroying test database for alias 'other'...\n"
    )
    result = suite.parse_output(text, 1)
    assert (result.tests, result.errors, result.passed) == (5, 1, 4)
    assert result.crash == (
        "exit status 1 after an OK summary: RuntimeError: could not drop test database"
    )


def test_parse_timeout_without_output():
    result = suite.parse_output("\nTimed out after 60 seconds\n", -1)
    assert (result.errors, result.crash) == (1, "Timed out after 60 seconds")


def test_parse_empty_output_names_the_exit_status():
    assert suite.parse_output("", -9).crash == "exit status -9"


def test_parse_refuses_an_unknown_summary_count():
    with pytest.raises(ValueError, match="unknown count 'flaky'"):
        suite.parse_output("Ran 3 tests in 0.1s\n\nFAILED (flaky=1)\n", 1)


def test_passed_is_never_negative():
    result = suite.AppResult(tests=1, errors=2)
    assert result.passed == 0


def test_total_passed_is_the_sum_of_the_apps_passes():
    crashed = suite.AppResult(tests=0, errors=1)
    fine = suite.AppResult(tests=5, failures=1)
    assert suite.totals({"a": crashed, "b": fine}).passed == 4


def test_markdown_table_side_by_side_with_totals_and_ratio():
    ours = {
        "basic": suite.AppResult(tests=10, skipped=1, seconds=2.4),
        "lookup": suite.AppResult(tests=20, failures=1, expected_failures=2, seconds=3),
    }
    theirs = {
        "basic": suite.AppResult(tests=10, seconds=1.2),
        "lookup": suite.AppResult(tests=20, skipped=1, seconds=1.6),
    }
    table = suite.render_markdown(
        ["basic", "lookup"], {"singlestore": ours, "mysql": theirs}
    )
    assert table.splitlines() == [
        "| app | SingleStore tests | SingleStore passed | SingleStore failed "
        "| SingleStore errors | SingleStore skipped | SingleStore exp. fail "
        "| SingleStore unexp. ok | SingleStore seconds | MySQL tests "
        "| MySQL passed | MySQL failed | MySQL errors | MySQL skipped "
        "| MySQL exp. fail | MySQL unexp. ok | MySQL seconds |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:"
        "|---:|---:|---:|",
        "| basic | 10 | 9 | 0 | 0 | 1 | 0 | 0 | 2 | 10 | 10 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "| lookup | 20 | 17 | 1 | 0 | 0 | 2 | 0 | 3 "
        "| 20 | 19 | 0 | 0 | 1 | 0 | 0 | 2 |",
        "| **total** | 30 | 26 | 1 | 0 | 1 | 2 | 0 | 5 | 30 | 29 | 0 | 0 | 1 | 0 "
        "| 0 | 3 |",
        "",
        "Passed on SingleStore / passed on MySQL: 26 / 29 = 89.7%.",
        "",
        "Passing tests that sent a statement touching a lenient gap of the test "
        "double (they may fail on SingleStore): 0; not counted in "
        "basic, lookup.",
    ]


def test_markdown_table_marks_an_app_missing_from_one_backend():
    table = suite.render_markdown(
        ["basic"],
        {"singlestore": {"basic": suite.AppResult(tests=1)}, "mysql": {}},
    )
    assert table.splitlines()[2] == (
        "| basic | 1 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | - | - | - | - | - | - | - | - |"
    )


def test_markdown_table_without_baseline_has_no_ratio():
    table = suite.render_markdown(
        ["basic"], {"singlestore": {"basic": suite.AppResult(tests=4, seconds=1)}}
    )
    assert table.splitlines() == [
        "| app | SingleStore tests | SingleStore passed | SingleStore failed "
        "| SingleStore errors | SingleStore skipped | SingleStore exp. fail "
        "| SingleStore unexp. ok | SingleStore seconds |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        "| basic | 4 | 4 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "| **total** | 4 | 4 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "",
        "Passing tests that sent a statement touching a lenient gap of the test "
        "double (they may fail on SingleStore): 0; not counted in basic.",
    ]


def test_ci_subset_covers_the_apps_the_issue_names():
    required = set(
        "basic queries lookup expressions aggregation model_fields model_forms "
        "migrations schema backends introspection inspectdb admin_views auth_tests "
        "bulk_create update delete transactions db_functions model_inheritance "
        "many_to_many m2m_through one_to_one select_related prefetch_related "
        "ordering annotations".split()
    )
    assert required <= set(suite.CI_APPS)
    assert len(suite.CI_APPS) == len(set(suite.CI_APPS))


def test_full_run_excludes_only_apps_with_a_reason(tmp_path):
    for name in ("basic", "gis_tests", "postgres_tests", "sphinx", "test_runner_apps"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")
    (tmp_path / "templates").mkdir()
    (tmp_path / "runtests.py").write_text("")
    assert suite.discover_apps(tmp_path) == [
        "basic",
        "gis_tests",
        "postgres_tests",
        "sphinx",
        "test_runner_apps",
    ]
    assert suite.full_apps(tmp_path) == ["basic"]
    assert all(reason for reason in suite.EXCLUDED_APPS.values())


def test_progress_line_shows_both_backends_and_a_verdict():
    line = suite.progress_line(
        "lookup",
        {
            "singlestore": suite.AppResult(tests=20, failures=1, seconds=3.25),
            "mysql": suite.AppResult(tests=20, skipped=2, seconds=1.5),
        },
    )
    assert line == (
        "lookup                       | SingleStore:    19 passed   1 failed   0 errors"
        "    0 skipped   0 xfail  0 xpass    3.2s FAIL | MySQL:    18 passed   0 failed"
        "   0 errors    2 skipped   0 xfail  0 xpass    1.5s ok"
    )


def test_progress_line_marks_a_crash():
    crashed = suite.parse_output("ImportError: boom\n", 1)
    assert suite.progress_line("basic", {"singlestore": crashed}) == (
        "basic                        | SingleStore:     0 passed   0 failed   1 errors"
        "    0 skipped   0 xfail  0 xpass    0.0s crash"
    )


ROOT_RUN = """\
======================================================================
FAIL: test_readonly_root (file_uploads.tests.DirectoryCreationTests.test_readonly_root)
----------------------------------------------------------------------
AssertionError: PermissionError not raised

======================================================================
ERROR: test_upload (file_uploads.tests.FileUploadTests.test_upload)
----------------------------------------------------------------------
Ran 40 tests in 1.0s

FAILED (failures=1, errors=1)
"""


def test_root_only_failures_are_set_aside_with_their_reason():
    result = suite.parse_output(ROOT_RUN, 1)
    result.set_aside(suite.ROOT_ONLY_FAILURES)
    assert result.environment == [
        "FAIL: file_uploads.tests.DirectoryCreationTests.test_readonly_root: "
        "expects PermissionError from a read-only MEDIA_ROOT"
    ]
    assert result.problems == ["ERROR: file_uploads.tests.FileUploadTests.test_upload"]
    assert (result.failures, result.errors, result.unaccounted) == (1, 1, 1)


def test_an_unexpected_success_is_never_set_aside():
    text = (
        "UNEXPECTED SUCCESS: test_readonly_root (file_uploads.tests."
        "DirectoryCreationTests.test_readonly_root)\n"
        "Ran 1 test in 0.1s\n\nFAILED (unexpected successes=1)\n"
    )
    result = suite.parse_output(text, 1)
    result.set_aside(suite.ROOT_ONLY_FAILURES)
    assert (result.environment, result.unaccounted) == ([], 1)


def test_report_lists_root_only_failures_apart_and_exits_zero(capsys):
    result = suite.parse_output(ROOT_RUN.replace(", errors=1", ""), 1)
    result.problems = result.problems[:1]
    result.errors = 0
    result.set_aside(suite.ROOT_ONLY_FAILURES)
    assert suite.report_problems({"file_uploads": result}) == 0
    assert capsys.readouterr().out == (
        "\nFailing because the suite runs as root (ROOT_ONLY_FAILURES in "
        "scripts/django_suite.py; not counted):\n"
        "  FAIL: file_uploads.tests.DirectoryCreationTests.test_readonly_root: "
        "expects PermissionError from a read-only MEDIA_ROOT\n"
    )


def test_report_lists_unaccounted_problems_and_exits_one(capsys):
    result = suite.parse_output(ROOT_RUN, 1)
    result.set_aside(suite.ROOT_ONLY_FAILURES)
    assert suite.report_problems({"file_uploads": result}) == 1
    assert capsys.readouterr().out.endswith(
        "Not accounted for in django_singlestore/test_expectations.py:\n"
        "  file_uploads:\n"
        "    ERROR: file_uploads.tests.FileUploadTests.test_upload\n"
    )


def test_root_only_failures_name_existing_style_ids_and_reasons():
    for test_id, reason in suite.ROOT_ONLY_FAILURES.items():
        assert test_id.count(".") >= 3 and test_id.split(".")[-1].startswith("test_")
        assert reason


def test_ci_runs_one_process_per_app_with_a_timeout():
    args = suite.parse_args(["--ci"])
    assert (args.parallel, args.timeout) == (1, 900)


def test_full_run_keeps_parallel_processes_and_the_long_timeout(monkeypatch):
    monkeypatch.setattr(suite.os, "cpu_count", lambda: 2)
    args = suite.parse_args(["--full"])
    assert (args.parallel, args.timeout) == (2, 1800)


def test_explicit_parallel_and_timeout_win_over_the_ci_defaults():
    args = suite.parse_args(["--ci", "--parallel", "2", "--timeout", "60"])
    assert (args.parallel, args.timeout) == (2, 60)


def test_parallel_must_be_positive(capsys):
    with pytest.raises(SystemExit):
        suite.parse_args(["--ci", "--parallel", "0"])
    assert "--parallel and --timeout take a positive number" in capsys.readouterr().err


def test_a_subtest_with_a_message_placeholder_is_listed():
    text = (
        "FAIL: test_ordering_by_transform (model_fields.test_jsonfield."
        "TestQuerying.test_ordering_by_transform) [<object object at "
        "0x7fa3066d3ba0>] (field='value')\n"
        "Ran 1 test in 0.1s\n\nFAILED (failures=1)\n"
    )
    assert suite.parse_output(text, 1).problems == [
        "FAIL: model_fields.test_jsonfield.TestQuerying.test_ordering_by_transform"
        " (field='value')"
    ]


LENIENT_RUN = """\
..
----------------------------------------------------------------------
Ran 3 tests in 0.2s

OK (skipped=1)
LENIENT PASS: queries.tests.Queries1Tests.test_exists
LENIENT PASS: queries.tests.Queries4Tests.test_ticket_24525
Lenient-gap passes: 2
"""


def test_parse_reads_the_lenient_gap_passes():
    result = suite.parse_output(LENIENT_RUN, 0)
    assert (result.tests, result.passed, result.skipped) == (3, 2, 1)
    assert result.lenient == [
        "queries.tests.Queries1Tests.test_exists",
        "queries.tests.Queries4Tests.test_ticket_24525",
    ]


def test_parse_without_the_lenient_summary_has_no_count():
    assert suite.parse_output(LENIENT_RUN.split("LENIENT")[0], 0).lenient is None
    not_counted = LENIENT_RUN.split("LENIENT")[0] + (
        "Lenient-gap passes: not counted (--parallel 2)\n"
    )
    assert suite.parse_output(not_counted, 0).lenient is None


def test_lenient_line_sums_the_counted_apps_and_names_the_others():
    results = {
        "basic": suite.AppResult(tests=3, lenient=[]),
        "queries": suite.AppResult(tests=5, lenient=["q.t.A.test_a", "q.t.A.test_b"]),
        "lookup": suite.AppResult(tests=2, lenient=["l.t.B.test_c"]),
        "schema": suite.AppResult(tests=2),
    }
    assert suite.lenient_line(results) == (
        "Passing tests that sent a statement touching a lenient gap of the test "
        "double (they may fail on SingleStore): 3; not counted in schema."
    )
    total = suite.totals(results)
    assert total.lenient == ["q.t.A.test_a", "q.t.A.test_b", "l.t.B.test_c"]


def test_layout_picks_the_singlestore_settings_module():
    assert suite.parse_args(["--ci"]).layout == "reference"
    assert suite.parse_args(["--ci", "--layout", "sharded"]).layout == "sharded"
    assert suite.BACKENDS["singlestore"]["settings"] == {
        "reference": "suite_singlestore",
        "sharded": "suite_singlestore_sharded",
    }
    assert suite.BACKENDS["mysql"]["settings"] == {
        "reference": "suite_mysql",
        "sharded": "suite_mysql",
    }


def test_an_unknown_layout_is_refused(capsys):
    with pytest.raises(SystemExit):
        suite.parse_args(["--layout", "columnar"])
    assert "invalid choice: 'columnar'" in capsys.readouterr().err


def _suite_lenient():
    path = SCRIPT.parents[1] / "tests" / "suite_settings" / "suite_lenient.py"
    spec = importlib.util.spec_from_file_location("suite_lenient", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Case:
    def __init__(self, name):
        self.name = name

    def id(self):
        return f"app.tests.T.{self.name}"


def test_the_lenient_runner_names_passing_tests_whose_counts_grew(monkeypatch):
    lenient = _suite_lenient()
    counts = iter(
        [
            {("default", 1): 4},  # before test_a
            {("default", 1): 5},  # after test_a: grew, passed
            {("default", 1): 5},  # before test_b
            {("default", 1): 5, ("other", 2): 1},  # after: a new connection, failed
            {("default", 1): 5},  # before test_c
            {("default", 7): 0},  # after: reopened, nothing sent
        ]
    )
    monkeypatch.setattr(lenient, "lenient_counts", lambda: next(counts))
    monkeypatch.setattr(lenient.LenientResult, "touched", [])
    result = lenient.LenientResult(io.StringIO(), descriptions=False, verbosity=0)
    for name, passed in (("test_a", True), ("test_b", False), ("test_c", True)):
        case = _Case(name)
        result.startTest(case)
        if passed:
            result.addSuccess(case)
        result.stopTest(case)
    assert result.touched == ["app.tests.T.test_a"]


def test_a_parallel_worker_sends_its_lenient_passes_as_events(monkeypatch):
    lenient = _suite_lenient()
    counts = iter(
        [
            {("default", 1): 0},  # before test_a
            {("default", 1): 2},  # after test_a: grew, passed
            {("default", 1): 2},  # before test_b
            {("default", 1): 2},  # after test_b: unchanged
        ]
    )
    monkeypatch.setattr(lenient, "lenient_counts", lambda: next(counts))
    result = lenient.LenientRemoteResult()
    for name in ("test_a", "test_b"):
        case = _Case(name)
        result.startTest(case)
        result.addSuccess(case)
        result.stopTest(case)
    assert [e for e in result.events if e[0] != "addDuration"] == [
        ("startTest", 0),
        ("addSuccess", 0),
        ("stopTest", 0),
        ("addLenientPass", 0),
        ("startTest", 1),
        ("addSuccess", 1),
        ("stopTest", 1),
    ]


def test_the_main_process_of_a_parallel_run_collects_the_workers_passes(
    monkeypatch,
):
    lenient = _suite_lenient()
    monkeypatch.setattr(lenient.LenientResult, "touched", [])
    monkeypatch.setattr(lenient.LenientResult, "counting", False)
    monkeypatch.setattr(
        lenient, "lenient_counts", lambda: pytest.fail("the main process counted")
    )
    result = lenient.LenientResult(io.StringIO(), descriptions=False, verbosity=0)
    cases = [_Case("test_a"), _Case("test_b")]
    suite = lenient.LenientParallelSuite([], 2)
    assert suite.runner_class.resultclass is lenient.LenientRemoteResult
    for event in (
        ("startTest", 0),
        ("addSuccess", 0),
        ("stopTest", 0),
        ("startTest", 1),
        ("addSuccess", 1),
        ("stopTest", 1),
        ("addLenientPass", 1),
    ):
        suite.handle_event(result, cases, event)
    assert result.touched == ["app.tests.T.test_b"]
    assert lenient.LenientGapRunner.parallel_test_suite is lenient.LenientParallelSuite
