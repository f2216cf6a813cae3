# Every target installs what it needs: a virtualenv in .venv, Debian's
# mariadb-server when `mariadbd` is missing, and the SingleStore test double
# (started for the command and stopped after it) unless SINGLESTORE_URL names a
# real server.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
WITH_DB := scripts/with-database.sh

# The layout of the Django suite subset make test runs: "sharded" (the AUTO
# layout policy, the tables users get) or "reference" (test apps with unique
# keys on reference tables); see docs/ref/django-suite.rst.
SUITE_LAYOUT ?= sharded

.PHONY: test demo lint unit double-test integration django-suite django-suite-full \
        bench bench-vector docs double-start double-stop system-deps clean

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/sphinx-build -W -q -b html docs docs/_build/html
	$(WITH_DB) $(PY) -m pytest
	$(WITH_DB) $(PY) scripts/django_suite.py --ci --layout $(SUITE_LAYOUT)

demo: $(STAMP)
	$(WITH_DB) $(PY) example/demo.py

system-deps:
	@scripts/system-deps.sh

$(STAMP): setup.cfg setup.py | system-deps
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,docs]'
	@touch $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

django-suite-full: $(STAMP)
	$(WITH_DB) $(PY) scripts/django_suite.py --full --baseline

# roundtrip.py: the double's own overhead; orm.py: this backend against
# Django's MySQL backend (its table and the targets met or missed also go to
# bench/orm-latest.md); layers.py: where each workload's time goes, layer by
# layer, and the same statements on each driver alone.
bench: $(STAMP)
	$(WITH_DB) $(PY) bench/roundtrip.py
	$(WITH_DB) $(PY) bench/orm.py
	$(WITH_DB) $(PY) bench/layers.py --top 10

# BENCH_ARGS, e.g. "--search-rows 1000" on the test double (see bench/README.md).
bench-vector: $(STAMP)
	$(WITH_DB) $(PY) bench/vector.py $(BENCH_ARGS)

docs: $(STAMP)
	$(VENV)/bin/sphinx-build -W -q -b html docs docs/_build/html

double-start: $(STAMP)
	$(PY) -m tests.double start

double-stop: $(STAMP)
	$(PY) -m tests.double stop

clean:
	-$(PY) -m tests.double stop
	rm -rf $(VENV) .double docs/_build
