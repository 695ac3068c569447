# Guichet: `make run` serves it, `make test` proves it. `make bench` measures it.
PORT ?= 8000
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
POSTGRES_URL ?= $(or $(GUICHET_TEST_POSTGRES_URL),postgresql://postgres@127.0.0.1:5432/postgres)
CATALOGS := $(wildcard app/locale/*/LC_MESSAGES/messages.po)

.PHONY: run test bench install install-test translations pdf-libraries
.DEFAULT_GOAL := run

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

# The catalogs are compiled by the install, never committed.
app/locale/%/LC_MESSAGES/messages.mo: app/locale/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile -D messages -i $< -o $@ >/dev/null

# WeasyPrint draws the e-Box's PDFs with Debian's Pango, HarfBuzz and fontconfig, in the DejaVu fonts.
PDF_LIBRARIES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core

pdf-libraries:
	@dpkg -s $(PDF_LIBRARIES) >/dev/null 2>&1 || { \
	  echo "Installing Debian's libraries for the PDF documents (WeasyPrint)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBRARIES) >/dev/null; }

install: $(VENV)/.installed $(CATALOGS:.po=.mo) pdf-libraries

# tests/test_oidc.py signs in through panva's oidc-provider when node is there: installed here from
# the committed lock file, before the two runs of `make test` (which go at the same time) start.
OIDC_PROVIDER := tests/support/oidc_provider

install-test: install $(VENV)/.installed-test
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the end-to-end tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@if command -v node >/dev/null 2>&1 && [ ! -d $(OIDC_PROVIDER)/node_modules/oidc-provider ]; then \
	  echo "Installing oidc-provider for the OpenID Connect tests (npm ci)"; \
	  cd $(OIDC_PROVIDER) && npm ci --no-audit --no-fund --loglevel=error >/dev/null; fi

run: install
	$(BIN)/guichet migrate
	$(BIN)/guichet demo-data
	$(BIN)/guichet serve --port $(PORT)

# `pytest tests e2e` on SQLite and on PostgreSQL (skipped when unreachable), the two at the same
# time, each into e2e/artifacts/<database>/pytest.log, printed when it ends (tests/support/runs.py).
test: install-test
	$(BIN)/python -m tests.support.runs "$(POSTGRES_URL)" tests e2e

bench: install-test
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench $(BENCH_ARGS)

# After changing a French text: extract it, then translate the new entries in nl, de and en.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k N_ -o app/locale/messages.pot --no-location \
	  --sort-output --project=Guichet --copyright-holder="Guichet contributors" . >/dev/null
	$(BIN)/pybabel update -i app/locale/messages.pot -d app/locale -D messages --no-fuzzy-matching \
	  --ignore-obsolete
