"""What leaked set-up rows cost a test suite, and what stopping the leak costs.

Runs bench/isolation_app's suite (BENCH_CLASSES TestCase classes, each
writing BENCH_ROWS rows, every test reading all rows) under Django's own
DiscoverRunner and under django_singlestore.test.runner.DiscoverRunner,
alternating, REPETITIONS times each, in two set-ups:

- "setUpClass": the rows are written in setUpClass(), so under Django's
  runner they are committed and every later class reads all earlier
  classes' rows too;
- "setUpTestData": the rows are written in setUpTestData(), inside each
  test's transaction (no leak under either runner): what the backend's
  runner costs when there is nothing to put back.

The time is unittest's "Ran N tests in X s" (test database creation is not
counted); the best of the repetitions is kept and the ratio printed, never
asserted. Run it with ``scripts/with-database.sh .venv/bin/python
bench/isolation.py`` (see bench/README.md).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNNERS = {
    "Django's runner": "django.test.runner.DiscoverRunner",
    "django_singlestore's runner": "django_singlestore.test.runner.DiscoverRunner",
}
SETUPS = {"setUpClass": "class", "setUpTestData": "data"}
REPETITIONS = 3
RAN = re.compile(r"^Ran (\d+) tests? in ([\d.]+)s$", re.MULTILINE)
SEEN = re.compile(r"^rows seen by the last class: (\d+)$", re.MULTILINE)


def run(runner, setup):
    done = subprocess.run(
        [sys.executable, "-m", "django", "test", "isolation_app.cases",
         "--settings=isolation_app.settings", "--noinput", f"--testrunner={runner}"],
        cwd=HERE,
        env={**os.environ, "BENCH_SETUP": setup},
        capture_output=True,
        text=True,
    )
    output = done.stdout + done.stderr
    ran, seen = RAN.search(output), SEEN.search(output)
    if done.returncode or not ran or not seen:
        sys.exit(f"the suite failed under {runner}:\n{output}")
    return int(ran.group(1)), float(ran.group(2)), int(seen.group(1))


def main():
    if "SINGLESTORE_TEST_URL" not in os.environ:
        sys.exit("bench/isolation.py needs SINGLESTORE_TEST_URL: run it through "
                 "scripts/with-database.sh")
    print(f"{os.environ.get('BENCH_CLASSES', '40')} classes x "
          f"{os.environ.get('BENCH_TESTS', '5')} tests, "
          f"{os.environ.get('BENCH_ROWS', '250')} rows per class, "
          f"best of {REPETITIONS}")
    print("| rows written in | runner | tests | seconds | rows the last class read |")
    print("|---|---|---:|---:|---:|")
    for name, setup in SETUPS.items():
        best = {}
        for _ in range(REPETITIONS):
            for label, runner in RUNNERS.items():
                tests, seconds, seen = run(runner, setup)
                if label not in best or seconds < best[label][1]:
                    best[label] = (tests, seconds, seen)
        for label, (tests, seconds, seen) in best.items():
            print(f"| {name}() | {label} | {tests} | {seconds:.2f} | {seen:,} |")
        django, ours = (best[label][1] for label in RUNNERS)
        print(f"| {name}() | ratio Django's / ours | | {django / ours:.2f}x | |")


if __name__ == "__main__":
    main()
