# The two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.12 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Two test processes: the suite is mostly waiting on browsers, servers and databases.
TEST_WORKERS ?= 2
PYTEST_ARGS ?=
# The browser tests drive pages whose behaviour does not depend on the database: with PostgreSQL
# (what production runs) also tested, they run there only, which keeps `make test` near 12 minutes.
SQLITE_MARKS := $(if $(TEST_DATABASE_URL),-m "not browser",)

.PHONY: help install run test lint messages bench faults mutation screenshots clean

help:
	@echo "make run    set up and serve the portal with its worker at http://127.0.0.1:$(PORT)"
	@echo "make test   lint, checks, and the whole test suite (SQLite, then PostgreSQL if TEST_DATABASE_URL is set)"

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 or newer is needed (set PYTHON=/path/to/python3.12).")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	@touch $@

install: $(VENV)/.installed

run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_content
	@trap 'kill 0' EXIT INT TERM; \
	$(PY) manage.py run_worker --interval 1 --no-startup-delay & \
	echo; echo "Help portal: http://127.0.0.1:$(PORT)/  (Dutch: http://127.0.0.1:$(PORT)/nl/, French: http://127.0.0.1:$(PORT)/fr/)"; \
	SITE_URL=http://127.0.0.1:$(PORT) $(PY) manage.py dev_account; \
	echo "Mail is printed here by the worker (set EMAIL_URL=smtp://127.0.0.1:1025 to send it to an SMTP server)."; echo; \
	SITE_URL=http://127.0.0.1:$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# axe-core for the accessibility tests, at the version package-lock.json pins. (A stamp file:
# npm gives installed files an old date, so their own date would say "install again".)
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm is missing: the accessibility tests will fail in CI and be skipped here."; fi

test: lint node_modules/.installed
	@mkdir -p var
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	@echo "== test suite on SQLite$(if $(TEST_DATABASE_URL), (the browser tests run on PostgreSQL below))"
	DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(PY) -m pytest -n $(TEST_WORKERS) $(SQLITE_MARKS) $(PYTEST_ARGS)
	@if [ -n "$${TEST_DATABASE_URL:-}" ]; then \
		echo "== test suite on PostgreSQL ($${TEST_DATABASE_URL})"; \
		DATABASE_URL="$${TEST_DATABASE_URL}" $(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS); \
	else echo "== TEST_DATABASE_URL is not set: the PostgreSQL run is skipped"; fi

# The production stack under load: gunicorn, PostgreSQL (portal_bench), the worker. See README.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench
bench: install
	@mkdir -p var/bench
	BENCH_DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) bench/run.py $(BENCH_ARGS)

# SMTP, worker and database faults under load (also part of `make test`).
faults: install
	@mkdir -p var
	DATABASE_URL="$${TEST_DATABASE_URL:-sqlite:///$(CURDIR)/var/test.sqlite3}" $(PY) -m pytest -m faults $(PYTEST_ARGS)

# Mutation testing of the code that must never silently break, scored per module (slow, not part
# of `make test`; see docs/testing-mutation.md). MODULES="outbox/delivery.py" runs some of them.
mutation: install
	$(PY) tools/mutation.py $(MODULES)

# Screenshots of home, article, guide step and return form, phone and desktop, into docs/screenshots/.
screenshots: install
	@mkdir -p var docs/screenshots
	SCREENSHOTS=1 DATABASE_URL=sqlite:///$(CURDIR)/var/screenshots.sqlite3 $(PY) -m pytest -q -p no:cacheprovider tests/browser/test_screenshots.py

messages: install
	$(PY) manage.py makemessages -l nl -l fr --no-obsolete -i '.venv/*' -i 'tests/*' -i 'var/*' \
		-i 'troubleshooting/*' -i 'guides/*' -i 'support/*' -i 'returns/*' -i 'photosearch/*' -i 'conversations/*' -i 'suggestions/*' -i 'reports/*' -i 'node_modules/*' -i 'bench/*' -i 'mutants/*'
	for app in troubleshooting guides support returns photosearch conversations suggestions reports; do \
		(cd $$app && mkdir -p locale && ../$(PY) ../manage.py makemessages -l nl -l fr --no-obsolete -e html,txt,py); done
	$(PY) manage.py compilemessages -i .venv -i node_modules

clean:
	rm -rf $(VENV) var/test.sqlite3 var/static mutants
