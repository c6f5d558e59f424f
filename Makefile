# examsite — `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# The first Python 3.12+ on PATH (set PYTHON=... to choose another).
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)
# axe-core, for the browser tests' accessibility scan; installed for the tests only.
AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run db test test-fast test-slow test-dates lint format check clean bank-doc bench bench-draw bench-takers screenshots bench-question

help:
	@echo "make run    install, migrate, load the MLS-C01 blueprint and bank, serve on http://$(HOST):$(PORT)"
	@echo "make test   run the whole test suite"
	@echo "make test-fast   the suite without browser and deployment tests"
	@echo "make lint   ruff check and format check, hadolint on the Dockerfile"
	@echo "make bench  load benchmark on PostgreSQL (docs/scaling.md); make bench-draw: the draw against bank size; make bench-takers: candidates carried with real think time; make bench-question: the question page"

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "examsite needs Python 3.12 or newer on PATH (or PYTHON=/path/to/python)."; exit 1; }
	@echo "Creating $(VENV) with $$($(PYTHON) --version)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

db: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_blueprint fixtures/blueprints/
	$(PY) manage.py import_questions --keep-existing fixtures/bank/

run: db
	@echo "examsite on http://$(HOST):$(PORT)/ — create an admin with: $(PY) manage.py createsuperuser"
	$(PY) manage.py runserver $(HOST):$(PORT)

$(AXE):
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix $(VENV)/axe axe-core@4.14; \
	else echo "npm not found: the browser tests will skip their accessibility scan"; fi

test: install $(AXE)
	$(BIN)/pytest

# The inner loop: everything but the browser and deployment tests.
test-fast: install
	$(BIN)/pytest -m "not browser and not deploy" -q

# The long simulation behind the readiness estimate (see docs/readiness.md).
test-slow: install
	$(BIN)/pytest -m slow --slow -q

# The suite as if the machine's date were a year earlier, then a year later.
test-dates: install
	$(BIN)/pytest -m "not browser and not deploy" -q --clock-offset-days=-365
	$(BIN)/pytest -m "not browser and not deploy" -q --clock-offset-days=365

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint Dockerfile

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# The README's screenshots, from a real browser (tests/browser/test_readme_screenshots.py).
screenshots: install $(AXE)
	README_SCREENSHOTS=1 $(BIN)/pytest tests/browser/test_readme_screenshots.py -q

bank-doc: db
	$(PY) manage.py bank_report -o docs/question-bank.md

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache

# Benchmarks (docs/scaling.md): not tests, no thresholds. Each makes its own PostgreSQL
# database on 127.0.0.1:5432 (starting the local cluster if it is not answering) and drops it.
BENCH_PG ?= postgres://postgres@127.0.0.1:5432

define pg_up
	@pg_isready -h 127.0.0.1 -p 5432 -q || { \
		pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql | head -n1)" main start; \
		for _ in $$(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done; }
endef

bench: install
	$(pg_up)
	psql -q "$(BENCH_PG)/postgres" -c "DROP DATABASE IF EXISTS bench_run WITH (FORCE)" -c "CREATE DATABASE bench_run"
	$(PY) -m bench.run "$(BENCH_PG)/bench_run"; status=$$?; \
		psql -q "$(BENCH_PG)/postgres" -c "DROP DATABASE bench_run WITH (FORCE)"; exit $$status

bench-draw: install
	$(pg_up)
	psql -q "$(BENCH_PG)/postgres" -c "DROP DATABASE IF EXISTS bench_draw WITH (FORCE)" -c "CREATE DATABASE bench_draw"
	DATABASE_URL="$(BENCH_PG)/bench_draw" $(PY) -m bench.draw; status=$$?; \
		psql -q "$(BENCH_PG)/postgres" -c "DROP DATABASE bench_draw WITH (FORCE)"; exit $$status

# Candidates carried with real think time (30–90 s a question): several minutes.
bench-takers: install
	$(pg_up)
	psql -q "$(BENCH_PG)/postgres" -c "DROP DATABASE IF EXISTS bench_takers WITH (FORCE)" -c "CREATE DATABASE bench_takers"
	$(PY) -m bench.takers "$(BENCH_PG)/bench_takers"; status=$$?; \
		psql -q "$(BENCH_PG)/postgres" -c "DROP DATABASE bench_takers WITH (FORCE)"; exit $$status
bench-question: install
	$(pg_up)
	psql -q "$(BENCH_PG)/postgres" -c "DROP DATABASE IF EXISTS bench_question WITH (FORCE)" -c "CREATE DATABASE bench_question"
	DATABASE_URL="$(BENCH_PG)/bench_question" $(PY) -m bench.question; status=$$?; \
		psql -q "$(BENCH_PG)/postgres" -c "DROP DATABASE bench_question WITH (FORCE)"; exit $$status
