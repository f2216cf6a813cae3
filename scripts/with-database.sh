#!/usr/bin/env bash
# Runs a command against SingleStore: the real server named by SINGLESTORE_URL
# when it is set, otherwise the test double, started here and stopped after.
# The command sees SINGLESTORE_TEST_URL (always) and DOUBLE_MARIADB_URL (only
# with the double: the MariaDB behind it, for baselines).
set -euo pipefail
PY=.venv/bin/python
if [ -n "${SINGLESTORE_URL:-}" ]; then
  export SINGLESTORE_TEST_URL="$SINGLESTORE_URL"
  exec "$@"
fi
started=0
if ! $PY -m tests.double status >/dev/null 2>&1; then
  $PY -m tests.double start
  started=1
fi
eval "$($PY -m tests.double env)"
status=0
"$@" || status=$?
if [ $started = 1 ]; then
  $PY -m tests.double stop
fi
exit $status
