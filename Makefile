# Entry points: make run | make test | make bench | make lint | make conformance
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HUB_STORE_URL ?= sqlite:///var/hub.db
HUB_BLOB_URL ?= file://var/blobs
HUB_PUBLIC_URL ?= http://127.0.0.1:$(PORT)
export HUB_STORE_URL HUB_BLOB_URL HUB_PUBLIC_URL PORT

.PHONY: run test lint bench conformance install clean

# Re-install only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	mkdir -p var
	$(VENV)/bin/hub demo load --if-empty
	$(VENV)/bin/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - wsgi:app

# ruff (style and bugs), import-linter (the layers and no import circles), mypy (the packages).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

test: lint
	$(PY) -m pytest -n 2 -q

bench: install
	$(PY) -m benchmarks

conformance: install
	$(PY) -m benchmarks.conformance

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
