# stdeval — two commands do all set-up on a fresh machine:
#   make run    installs, builds the demo warehouse if missing, starts the dashboard
#   make test   installs (Python packages and Debian's chromium) and runs every test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.stdeval-installed
STDEVAL_DB ?= var/stdeval.duckdb
export STDEVAL_DB
PYTEST_ARGS ?=

.PHONY: install run demo test test-fast lint browser-deps lock bench clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "stdeval needs Python >= 3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# The demo is scored once, so the rankings of the dashboard have a run to show.
$(STDEVAL_DB): | $(STAMP)
	$(BIN)/stdeval demo --db $(STDEVAL_DB)
	$(BIN)/stdeval score --db $(STDEVAL_DB)

demo: install
	$(BIN)/stdeval demo --db $(STDEVAL_DB)
	$(BIN)/stdeval score --db $(STDEVAL_DB)

run: install $(STDEVAL_DB)
	$(BIN)/stdeval serve --db $(STDEVAL_DB)

# Browser tests drive the real app in Debian's chromium (Playwright never
# downloads a browser of its own here).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null; then \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk poppler-utils; \
	fi

test: install browser-deps
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

test-fast: install
	$(BIN)/python -m pytest -n 2 -m "not browser and not slow" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Regenerate the pinned lock after changing dependencies in pyproject.toml.
lock: install
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^-e ' > requirements.lock

bench: install
	$(BIN)/python benchmarks/bench_demo.py
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_concurrent.py
	$(BIN)/python benchmarks/bench_scoring.py
	$(BIN)/python benchmarks/bench_sign_in.py
	$(BIN)/python benchmarks/bench_pages.py
	$(BIN)/python benchmarks/bench_readers.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
