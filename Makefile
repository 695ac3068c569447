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

install-test: install $(VENV)/.installed-test
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the end-to-end tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

run: install
	$(BIN)/guichet migrate
	$(BIN)/guichet demo-data
	$(BIN)/guichet serve --port $(PORT)

test: install-test
	@echo "== tests and journeys on SQLite"
	GUICHET_TEST_DATABASE=sqlite $(BIN)/python -m pytest tests e2e
	@if $(BIN)/python tests/support/postgres.py reachable "$(POSTGRES_URL)"; then \
	  echo "== tests and journeys on PostgreSQL ($(POSTGRES_URL))"; \
	  GUICHET_TEST_DATABASE=postgres GUICHET_TEST_POSTGRES_URL="$(POSTGRES_URL)" \
	    $(BIN)/python -m pytest tests e2e; \
	else echo "== PostgreSQL not reachable at $(POSTGRES_URL): its run is skipped"; fi

bench: install-test
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench $(BENCH_ARGS)

# After changing a French text: extract it, then translate the new entries in nl, de and en.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k N_ -o app/locale/messages.pot --no-location \
	  --sort-output --project=Guichet --copyright-holder="Guichet contributors" . >/dev/null
	$(BIN)/pybabel update -i app/locale/messages.pot -d app/locale -D messages --no-fuzzy-matching \
	  --ignore-obsolete
