# Tradewind — every target installs what it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TW := $(VENV)/bin/tradewind
export TRADEWIND_DATA_DIR ?= $(CURDIR)/var
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/tradewind
# Debian packages: CJK fonts and pango for documents, gettext for translations.
SYSTEM_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 gettext
# Only for the test suite: the browser and the PDF tools its checks use.
TEST_SYSTEM_PACKAGES := chromium poppler-utils dovecot-imapd

.PHONY: help install system-packages test-system-packages run test test-sqlite test-postgres \
        bench lint format clean

help:
	@echo "make run    install, migrate, seed the demo workspace (new database only), serve on http://$(HOST):$(PORT)"
	@echo "make test   install and run the whole test suite (SQLite, and PostgreSQL when reachable)"
	@echo "make bench  run the benchmarks in benchmarks/"
	@echo "make lint   ruff, import-linter and the migrations check"

install: system-packages $(VENV)/.installed node_modules/.installed src/tradewind/locale/zh_Hans/LC_MESSAGES/django.mo

system-packages:
	@scripts/apt-ensure $(SYSTEM_PACKAGES)

test-system-packages:
	@scripts/apt-ensure $(TEST_SYSTEM_PACKAGES)

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

src/tradewind/locale/zh_Hans/LC_MESSAGES/django.mo: src/tradewind/locale/zh_Hans/LC_MESSAGES/django.po $(VENV)/.installed
	cd src/tradewind && ../../$(PY) -m django compilemessages --settings tradewind.config.settings -v0

run: install
	@mkdir -p "$(TRADEWIND_DATA_DIR)"
	$(TW) migrate --no-input -v0
	$(TW) collectstatic --no-input -v0
	@if [ "$$($(TW) shell -v 0 -c 'from tradewind.accounts.models import User; print(User.objects.exists())')" = "False" ]; then \
		$(TW) demo; \
	else \
		$(TW) demo --print-logins; \
	fi
	$(TW) serve --host $(HOST) --port $(PORT)

test: install test-system-packages test-sqlite test-postgres

test-sqlite:
	$(PY) -m pytest -p no:cacheprovider -n 2 --dist loadgroup

test-postgres:
	@if scripts/postgres-ensure; then \
		DATABASE_URL=$(POSTGRES_TEST_URL) $(PY) -m pytest -p no:cacheprovider -n 2 --dist loadgroup; \
	elif [ -n "$$CI" ]; then \
		echo "PostgreSQL is not reachable and CI requires it." >&2; exit 1; \
	else \
		echo "WARNING: PostgreSQL is not reachable at 127.0.0.1:5432 — the PostgreSQL pass was not run." >&2; \
	fi

bench: install
	$(PY) benchmarks/run.py

lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/lint-imports
	TRADEWIND_DATA_DIR=$$(mktemp -d) $(TW) makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix src tests benchmarks
	$(VENV)/bin/ruff format src tests benchmarks

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
