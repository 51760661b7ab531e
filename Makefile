# Entry points: make run | make test | make bench | make lint | make conformance |
# make cmi5-conformance
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HUB_STORE_URL ?= sqlite:///var/hub.db
HUB_BLOB_URL ?= file://var/blobs
HUB_PUBLIC_URL ?= http://127.0.0.1:$(PORT)
export HUB_STORE_URL HUB_BLOB_URL HUB_PUBLIC_URL PORT

.PHONY: run test lint bench conformance cmi5-conformance chromium install clean

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

# Debian's chromium for the browser test (tests/lti/test_cmi5_browser.py) and the cmi5 LMS test
# suite: installed when missing and apt-get can (as root); otherwise, or when the install fails,
# only a note: those tests then skip, saying how to install it, and `make test` goes on.
chromium:
	@if [ -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "chromium: installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	    >/dev/null) || echo "chromium: apt-get install failed; the browser tests will skip"; \
	else echo "chromium: absent and no apt-get as root; browser tests skip" \
	  "(install it: apt-get install -y chromium)"; fi

test: lint chromium
	$(PY) -m pytest -n 2 -q

bench: install
	$(PY) -m benchmarks

conformance: install
	$(PY) -m benchmarks.conformance

# The ADL cmi5 LMS test suite (CATAPULT lts/, outside the repository: $$CMI5_SUITE_DIR).
cmi5-conformance: install chromium
	$(PY) -m benchmarks.cmi5_conformance

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
