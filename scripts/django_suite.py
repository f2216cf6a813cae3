#!/usr/bin/env python
"""Run Django's own test suite, stock, against django_singlestore and, side by
side, against Django's MySQL backend on the double's MariaDB (the baseline).

    .venv/bin/python scripts/django_suite.py [--ci | --full] [--baseline]
        [--apps A B ...] [--layout reference|sharded] [--report PATH]

The suite is the ``tests/`` folder of the Django sdist on PyPI for the
installed Django version, unpacked once into ``.django-suite/`` and reused.
Each test app runs in its own ``tests/runtests.py`` process with a settings
module from ``tests/suite_settings/``; one line per app reports its counts.
``--ci`` exits non-zero when the SingleStore run has any failure, error or
unexpected success, i.e. anything ``features.py`` does not account for.
Failures that come from the machine rather than the database (see
``ROOT_ONLY_FAILURES``) are reported separately and do not count.
``--layout`` picks how the SingleStore run stores the test apps (see
``LAYOUTS``); the MySQL baseline has one layout.
Run it through ``scripts/with-database.sh``, which exports the URLs.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".django-suite"
SETTINGS_DIR = ROOT / "tests" / "suite_settings"

# The fast, representative subset CI runs on every change.
CI_APPS = [
    "basic",
    "queries",
    "lookup",
    "expressions",
    "aggregation",
    "model_fields",
    "model_forms",
    "migrations",
    "schema",
    "backends",
    "introspection",
    "inspectdb",
    "admin_views",
    "auth_tests",
    "bulk_create",
    "update",
    "delete",
    "transactions",
    "db_functions",
    "model_inheritance",
    "many_to_many",
    "m2m_through",
    "one_to_one",
    "select_related",
    "prefetch_related",
    "ordering",
    "annotations",
]

# Folders under tests/ that --full leaves out, each with the reason.
EXCLUDED_APPS = {
    "gis_tests": "needs a spatial (GIS) database backend; neither backend is one",
    "postgres_tests": "tests PostgreSQL-only fields, functions and operations",
    "sphinx": "tests the Sphinx extension of Django's docs/, which the sdist's "
    "tests/ folder does not carry; no database involved",
    "import_error_package": "a broken package runtests.py itself never collects",
    "test_runner_apps": "sample apps used by test_runner, not a test app",
}

# Tests that fail when the suite runs as root, on both backends alike: each
# makes a file or folder unreadable or unwritable and expects the resulting
# PermissionError, but root ignores file permissions. CI containers run as
# root. The runner counts these apart (only when it runs as root); they say
# nothing about SingleStore, so they are not in features.py.
ROOT_ONLY_FAILURES = {
    "file_uploads.tests.DirectoryCreationTests.test_readonly_root": (
        "expects PermissionError from a read-only MEDIA_ROOT"
    ),
    "i18n.test_compilation.PoFileTests.test_no_write_access": (
        "expects compilemessages to fail on a read-only locale folder"
    ),
    "template_tests.test_loaders.FileSystemLoaderTests.test_permissions_error": (
        "expects PermissionError from an unreadable template file"
    ),
}

# Each CI app runs in one process (no --parallel): a fresh-clone CI run once
# hung for 15 minutes at the end of `queries`, where a parallel worker's
# connection still held a transaction open on a cloned test database and the
# main process's DROP DATABASE waited for its metadata lock. One process has
# no clones to drop. The per-app timeout bounds any other hang so CI reports
# the app instead of stalling; the slowest CI app takes about 5 minutes.
CI_PARALLEL = 1
CI_TIMEOUT = 900
DEFAULT_TIMEOUT = 1800

# The SingleStore run's settings module per --layout. "reference" stores every
# test app with a unique key outside its primary key as ROWSTORE REFERENCE
# tables; "sharded" lets the AUTO layout policy keep each model on the
# sharded columnstore default wherever SingleStore can enforce its unique sets.
LAYOUTS = {
    "reference": "suite_singlestore",
    "sharded": "suite_singlestore_sharded",
}
DEFAULT_LAYOUT = "reference"

BACKENDS = {
    "singlestore": {
        "label": "SingleStore",
        "settings": LAYOUTS,
        "url_vars": ("SINGLESTORE_TEST_URL", "SINGLESTORE_URL"),
    },
    "mysql": {
        "label": "MySQL",
        "settings": dict.fromkeys(LAYOUTS, "suite_mysql"),
        "url_vars": ("DOUBLE_MARIADB_URL",),
    },
}

COUNT_KEYS = (
    "failures",
    "errors",
    "skipped",
    "expected failures",
    "unexpected successes",
)
RAN_RE = re.compile(r"^Ran (\d+) tests? in [\d.]+s$", re.MULTILINE)
STATUS_RE = re.compile(r"^(OK|FAILED)(?: \(([^)]*)\))?$", re.MULTILINE)
# A subtest's line may carry "[<object object at 0x...>]" (its message
# placeholder) between the test id and its parameters.
# What tests/suite_settings/suite_lenient.py prints after the summary.
LENIENT_PASS_RE = re.compile(r"^LENIENT PASS: ([\w.]+)$", re.MULTILINE)
LENIENT_SUMMARY_RE = re.compile(r"^Lenient-gap passes: (\d+)$", re.MULTILINE)
PROBLEM_RE = re.compile(
    r"^(ERROR|FAIL|UNEXPECTED SUCCESS): (\w+) \(([\w.]+)\)"
    r"(?: \[[^\]]*\])?(?: \((.*)\))?$",
    re.MULTILINE,
)


@dataclass
class AppResult:
    """What one runtests.py process reported for one app."""

    tests: int = 0
    failures: int = 0
    errors: int = 0
    skipped: int = 0
    expected_failures: int = 0
    unexpected_successes: int = 0
    seconds: float = 0.0
    crash: str = ""
    problems: list = field(default_factory=list)
    # The problems ROOT_ONLY_FAILURES explains, when running as root.
    environment: list = field(default_factory=list)
    # For a total: the sum of the apps' passes, each counted as below.
    passed_sum: int | None = None
    # Passing tests that sent a statement touching a lenient gap of the test
    # double (tests/suite_settings/suite_lenient.py); None when not counted.
    lenient: list | None = None

    @property
    def passed(self):
        if self.passed_sum is not None:
            return self.passed_sum
        # A setUpClass error or a failing subtest adds to failures/errors
        # without adding to "Ran N"; never report fewer than zero passes.
        not_passed = (
            self.failures
            + self.errors
            + self.skipped
            + self.expected_failures
            + self.unexpected_successes
        )
        return max(self.tests - not_passed, 0)

    @property
    def unaccounted(self):
        return (
            self.failures
            + self.errors
            + self.unexpected_successes
            - len(self.environment)
        )

    def set_aside(self, explained):
        """Move the problems whose test id is in ``explained`` (a mapping of
        id to reason) from ``problems`` to ``environment``."""
        kept = []
        for problem in self.problems:
            kind, _, rest = problem.partition(": ")
            test_id = rest.split(" ", 1)[0]
            if kind in ("ERROR", "FAIL") and test_id in explained:
                self.environment.append(f"{problem}: {explained[test_id]}")
            else:
                kept.append(problem)
        self.problems = kept

    def add(self, other):
        for name in (
            "tests",
            "failures",
            "errors",
            "skipped",
            "expected_failures",
            "unexpected_successes",
            "seconds",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.lenient is not None:
            self.lenient = (self.lenient or []) + other.lenient


def parse_output(text, returncode):
    """Counts from a runtests.py run's combined output and exit status.

    A run without unittest's summary (an import error, a failed test
    database creation, a timeout, ...) or one that exits non-zero after an
    ``OK`` summary counts as one error; ``crash`` keeps the reason.
    """
    result = AppResult()
    ran = RAN_RE.findall(text)
    status = list(STATUS_RE.finditer(text))
    result.problems = [
        f"{kind}: {dotted}" + (f" ({detail})" if detail else "")
        for kind, _name, dotted, detail in PROBLEM_RE.findall(text)
    ]
    if not ran or not status:
        result.errors = 1
        result.crash = last_meaningful_line(text) or f"exit status {returncode}"
        return result
    result.tests = int(ran[-1])
    counts = dict.fromkeys(COUNT_KEYS, 0)
    for item in filter(None, (status[-1].group(2) or "").split(",")):
        key, _, value = item.strip().partition("=")
        if key not in counts:
            raise ValueError(f"unknown count {key!r} in unittest summary {item!r}")
        counts[key] = int(value)
    result.failures = counts["failures"]
    result.errors = counts["errors"]
    result.skipped = counts["skipped"]
    result.expected_failures = counts["expected failures"]
    result.unexpected_successes = counts["unexpected successes"]
    if LENIENT_SUMMARY_RE.search(text):
        result.lenient = LENIENT_PASS_RE.findall(text)
    if status[-1].group(1) == "OK" and returncode != 0:
        result.errors += 1
        result.crash = (
            f"exit status {returncode} after an OK summary: "
            f"{last_meaningful_line(text)}"
        )
    return result


def last_meaningful_line(text):
    """The last line that says something, usually the exception."""
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line and not line.startswith(("Destroying test database", "----", "====")):
            return line[:300]
    return ""


COLUMNS = (
    ("tests", "tests"),
    ("passed", "passed"),
    ("failures", "failed"),
    ("errors", "errors"),
    ("skipped", "skipped"),
    ("expected_failures", "exp. fail"),
    ("unexpected_successes", "unexp. ok"),
    ("seconds", "seconds"),
)


def cells(result):
    if result is None:
        return ["-"] * len(COLUMNS)
    values = []
    for attr, _title in COLUMNS:
        value = getattr(result, attr)
        values.append(f"{value:.0f}" if attr == "seconds" else str(value))
    return values


def totals(results):
    total = AppResult()
    for result in results.values():
        total.add(result)
    total.passed_sum = sum(result.passed for result in results.values())
    return total


def render_markdown(apps, results_by_backend):
    """A Markdown table: one row per app, one column group per backend."""
    backends = list(results_by_backend)
    header = ["app"] + [
        f"{BACKENDS[b]['label']} {title}" for b in backends for _a, title in COLUMNS
    ]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|",
    ]
    rows = [(app, [results_by_backend[b].get(app) for b in backends]) for app in apps]
    rows.append(("**total**", [totals(results_by_backend[b]) for b in backends]))
    for app, results in rows:
        row = [app] + [c for result in results for c in cells(result)]
        lines.append("| " + " | ".join(row) + " |")
    ratio = summary_line(results_by_backend)
    if ratio:
        lines.extend(["", ratio])
    if "singlestore" in results_by_backend:
        lines.extend(["", lenient_line(results_by_backend["singlestore"])])
    return "\n".join(lines) + "\n"


def summary_line(results_by_backend):
    if set(results_by_backend) != {"singlestore", "mysql"}:
        return ""
    ours = totals(results_by_backend["singlestore"]).passed
    theirs = totals(results_by_backend["mysql"]).passed
    if not theirs:
        return "The MySQL backend passed no tests; no ratio."
    return (
        f"Passed on SingleStore / passed on MySQL: {ours} / {theirs} = "
        f"{100 * ours / theirs:.1f}%."
    )


def lenient_line(results):
    """How many of the SingleStore run's passes touched a lenient gap."""
    uncounted = sorted(app for app, r in results.items() if r.lenient is None)
    touched = sum(len(r.lenient or ()) for r in results.values())
    line = (
        f"Passing tests that sent a statement touching a lenient gap of the "
        f"test double (they may fail on SingleStore): {touched}"
    )
    if uncounted:
        line += f"; not counted in {', '.join(uncounted)}"
    return line + "."


def progress_line(app, results):
    parts = [f"{app:<28}"]
    for backend, result in results.items():
        status = (
            "crash" if result.crash else ("ok" if not result.unaccounted else "FAIL")
        )
        parts.append(
            f"{BACKENDS[backend]['label']}: {result.passed:>5} passed "
            f"{result.failures:>3} failed {result.errors:>3} errors "
            f"{result.skipped:>4} skipped {result.expected_failures:>3} xfail "
            f"{result.unexpected_successes:>2} xpass {result.seconds:>6.1f}s {status}"
        )
    return " | ".join(parts)


def installed_django_version():
    import django

    return django.__version__


def fetch_suite(version):
    """Return the tests/ folder of Django ``version``'s sdist, downloading and
    unpacking it on the first call."""
    target = CACHE / f"django-{version}"
    tests_dir = target / "tests"
    if (tests_dir / "runtests.py").is_file():
        return tests_dir
    CACHE.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--no-binary",
                ":all:",
                f"django=={version}",
                "--dest",
                tmp,
            ],
            check=True,
        )
        archives = list(Path(tmp).glob("*.tar.gz"))
        if len(archives) != 1:
            sys.exit(f"expected one Django {version} sdist from pip, got {archives}")
        prefix = f"{archives[0].name.removesuffix('.tar.gz')}/tests/"
        unpacked = Path(tmp) / "unpacked"
        with tarfile.open(archives[0]) as archive:
            members = [m for m in archive.getmembers() if m.name.startswith(prefix)]
            if not members:
                sys.exit(f"the Django {version} sdist has no {prefix} folder")
            for member in members:
                member.name = member.name.split("/", 1)[1]
            archive.extractall(unpacked, members=members, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        unpacked.rename(target)
    return tests_dir


def discover_apps(tests_dir):
    """Every test app folder in the suite, as runtests.py finds them."""
    return sorted(
        entry.name
        for entry in tests_dir.iterdir()
        if entry.is_dir()
        and "." not in entry.name
        and (entry / "__init__.py").is_file()
    )


def full_apps(tests_dir):
    return [app for app in discover_apps(tests_dir) if app not in EXCLUDED_APPS]


def backend_url(backend):
    for var in BACKENDS[backend]["url_vars"]:
        if os.environ.get(var):
            return os.environ[var]
    return None


def subprocess_env():
    env = dict(os.environ)
    paths = [str(SETTINGS_DIR), str(ROOT)]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.setdefault("DJANGO_SUITE_RUN", f"_{os.getpid()}")
    return env


def can_clone(backend, tests_dir, layout):
    """Ask the configured backend whether it can clone test databases, which
    runtests.py needs for --parallel above 1."""
    code = (
        "import django; django.setup(); from django.db import connections; "
        "print(all(c.features.can_clone_databases for c in connections.all()))"
    )
    env = subprocess_env()
    env["DJANGO_SETTINGS_MODULE"] = BACKENDS[backend]["settings"][layout]
    probe = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tests_dir,
        env=env,
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        sys.exit(
            f"cannot load the {BACKENDS[backend]['label']} settings module:\n"
            f"{probe.stderr.strip()}"
        )
    return probe.stdout.strip() == "True"


def running_as_root():
    return os.geteuid() == 0


def run_app(backend, app, tests_dir, parallel, timeout, log_dir, layout):
    """Run one app's tests in a fresh runtests.py process; keep its log."""
    command = [
        sys.executable,
        "runtests.py",
        "--settings",
        BACKENDS[backend]["settings"][layout],
        "--noinput",
        "--parallel",
        str(parallel),
        app,
    ]
    started = time.monotonic()
    try:
        run = subprocess.run(
            command,
            cwd=tests_dir,
            env=subprocess_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            timeout=timeout,
        )
        output, returncode = run.stdout, run.returncode
    except subprocess.TimeoutExpired as expired:
        # TimeoutExpired carries bytes even when the run was in text mode.
        output = (expired.stdout or b"").decode(errors="replace")
        output += f"\nTimed out after {timeout} seconds\n"
        returncode = -1
    result = parse_output(output, returncode)
    if running_as_root():
        result.set_aside(ROOT_ONLY_FAILURES)
    result.seconds = time.monotonic() - started
    log_dir.mkdir(parents=True, exist_ok=True)
    (log_dir / f"{app}.log").write_text(" ".join(command) + "\n\n" + output)
    return result


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--ci", action="store_true", help="the fast CI subset")
    scope.add_argument(
        "--full", action="store_true", help="every app that applies to SQL backends"
    )
    scope.add_argument("--apps", nargs="+", metavar="APP", help="these apps only")
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="also run Django's MySQL backend on the double's MariaDB",
    )
    parser.add_argument(
        "--baseline-only",
        action="store_true",
        help="run only the MySQL baseline (e.g. to time the apps)",
    )
    parser.add_argument(
        "--layout",
        choices=sorted(LAYOUTS),
        default=DEFAULT_LAYOUT,
        help="how the SingleStore run stores the test apps' tables "
        f"(default: {DEFAULT_LAYOUT})",
    )
    parser.add_argument(
        "--report",
        type=Path,
        default=CACHE / "report.md",
        help="where to write the Markdown table (default: .django-suite/report.md)",
    )
    parser.add_argument(
        "--parallel",
        type=int,
        help="test processes per app when the backend can clone test databases "
        f"(default: {CI_PARALLEL} with --ci, else the number of CPUs)",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        help="seconds before one app's run counts as hung "
        f"(default: {CI_TIMEOUT} with --ci, else {DEFAULT_TIMEOUT})",
    )
    args = parser.parse_args(argv)
    if args.parallel is None:
        args.parallel = CI_PARALLEL if args.ci else (os.cpu_count() or 1)
    if args.timeout is None:
        args.timeout = CI_TIMEOUT if args.ci else DEFAULT_TIMEOUT
    if args.parallel < 1 or args.timeout < 1:
        parser.error("--parallel and --timeout take a positive number")
    return args


def select_backends(args):
    backends = [] if args.baseline_only else ["singlestore"]
    if args.baseline or args.baseline_only:
        if backend_url("mysql"):
            backends.append("mysql")
        else:
            print(
                "No baseline: DOUBLE_MARIADB_URL is not set (it is only there when "
                "scripts/with-database.sh runs the test double, not against a real "
                "SingleStore server)."
            )
    for backend in backends:
        if not backend_url(backend):
            sys.exit(
                f"{' or '.join(BACKENDS[backend]['url_vars'])} is not set. Run: "
                "scripts/with-database.sh .venv/bin/python scripts/django_suite.py ..."
            )
    if not backends:
        sys.exit("nothing to run")
    return backends


def main(argv=None):
    args = parse_args(argv)
    backends = select_backends(args)
    version = installed_django_version()
    tests_dir = fetch_suite(version)
    if args.apps:
        unknown = sorted(set(args.apps) - set(discover_apps(tests_dir)))
        if unknown:
            sys.exit(f"no such test app in Django {version}'s suite: {unknown}")
        apps = args.apps
    elif args.full:
        apps = full_apps(tests_dir)
    else:
        apps = CI_APPS
    parallel = {
        b: args.parallel if can_clone(b, tests_dir, args.layout) else 1
        for b in backends
    }
    print(
        f"Django {version} suite, {len(apps)} apps, {args.layout} layout; "
        "processes per app: "
        + ", ".join(f"{BACKENDS[b]['label']} {parallel[b]}" for b in backends),
        flush=True,
    )
    results = {b: {} for b in backends}
    started = time.monotonic()
    for app in apps:
        for backend in backends:
            results[backend][app] = run_app(
                backend,
                app,
                tests_dir,
                parallel[backend],
                args.timeout,
                CACHE / "logs" / args.layout / backend,
                args.layout,
            )
        print(progress_line(app, {b: results[b][app] for b in backends}), flush=True)
    elapsed = time.monotonic() - started
    report = render_markdown(apps, results)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(report)
    (CACHE / "last-run.json").write_text(
        json.dumps(
            {b: {a: asdict(r) for a, r in results[b].items()} for b in backends},
            indent=1,
        )
    )
    print()
    print(report)
    print(f"Wall time {elapsed / 60:.1f} min; table written to {args.report}.")
    return report_problems(results.get("singlestore", {}))


def report_problems(results):
    """Print what features.py does not account for; the exit status."""
    environment = [p for r in results.values() for p in r.environment]
    if environment:
        print(
            "\nFailing because the suite runs as root (ROOT_ONLY_FAILURES in "
            "scripts/django_suite.py; not counted):"
        )
        for problem in environment:
            print(f"  {problem}")
    bad = {app: r for app, r in results.items() if r.unaccounted}
    if not bad:
        return 0
    print("\nNot accounted for in django_singlestore/test_expectations.py:")
    for app, result in bad.items():
        print(f"  {app}:" + (f" crashed: {result.crash}" if result.crash else ""))
        for problem in result.problems:
            print(f"    {problem}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
