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

# Tools the test suite uses that come from Debian, not PyPI: msgfmt for the catalog.
system-deps:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else echo "Please install gettext (msgfmt)"; exit 1; fi; }

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo

# The demo plans are of 2024: the server pretends it is 24 June 2024 (June's reports are open).
run: demo
	REPORTING_TODAY=$${REPORTING_TODAY:-2024-06-24} $(MANAGE) runserver 127.0.0.1:$(PORT)

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

benchmark: install
	$(BIN)/python benchmarks/bench_importer.py
