# The two commands of the README: `make run` and `make test`. Both set up what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint format messages install system-deps serve migrate demo benchmark

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# What the suite needs from Debian rather than PyPI: msgfmt for the catalog, Noto CJK so that
# screenshots of the cockpit render Chinese, LibreOffice (Calc and Writer) to prove the ledger
# and the bulletin open and print, Chromium for the browser tests. Each is installed when missing.
system-deps:
	@missing=""; command -v msgfmt >/dev/null 2>&1 || missing="gettext"; \
	  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	  for package in libreoffice-calc libreoffice-writer chromium; do \
	    dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    elif echo "$$missing" | grep -q gettext; then echo "Please install: $$missing"; exit 1; \
	    else echo "Note: $$missing not installed (conversion and browser tests skip)"; fi; \
	  fi

# migrate makes the cache's table (accounts/migrations/0002); createcachetable again covers a
# CACHE_URL switched back to the database later, and does nothing when the table is there.
# A demo database made before the apps took their present layout (it has an `indicators` app)
# cannot be migrated; it holds only demo data, so it is set aside and built again.
migrate: install
	@if [ -z "$$DATABASE_URL" ] && [ -f db.sqlite3 ] && $(BIN)/python -c "import sqlite3, sys; \
	  rows = sqlite3.connect('db.sqlite3').execute(\"select 1 from django_migrations where app = 'indicators'\").fetchall(); \
	  sys.exit(0 if rows else 1)" 2>/dev/null; then \
	  mv db.sqlite3 db.sqlite3.old-layout; echo "db.sqlite3 was made by an older layout: kept as db.sqlite3.old-layout"; fi
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

demo: migrate
	$(MANAGE) load_demo

# The demo plans are of 2024: the server pretends it is 24 June 2024 (June's reports are open).
# The background worker runs beside it, as in production (exports of a region), and stops with it.
run: demo
	@export REPORTING_TODAY=$${REPORTING_TODAY:-2024-06-24}; \
	  $(MANAGE) db_worker --no-reload --verbosity 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver 127.0.0.1:$(PORT)

test: install system-deps
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) compilemessages --ignore=$(VENV) -v 0
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the zh_Hans catalog after changing user-visible strings.
messages: install system-deps
	$(MANAGE) makemessages -l zh_Hans --ignore=$(VENV) --no-obsolete
	$(MANAGE) compilemessages --ignore=$(VENV) -v 0

# bench_province builds a province on its own PostgreSQL database (BENCH_DATABASE_URL, default
# keji_province on 127.0.0.1) the first time, three to four minutes; it says so and stops when
# PostgreSQL does not answer. loadtest.py (60 s under load) is run by hand: see the README.
benchmark: install
	$(BIN)/python benchmarks/bench_importer.py
	$(BIN)/python benchmarks/bench_ledger.py
	$(BIN)/python benchmarks/bench_province.py
