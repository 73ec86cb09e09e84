# Two commands: `make run` (install, migrate, demo, serve on http://127.0.0.1:5000) and
# `make test` (the whole suite; on PostgreSQL too when EXCHANGE_TEST_DATABASE_URL is set).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_SECRET := development-only-secret-do-not-use-in-production
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install system-deps translations bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)
	@$(BIN)/python scripts/i18n.py --compile

system-deps:
	@scripts/system-deps

run: install system-deps
	@if [ -z "$$EXCHANGE_SECRET_KEY" ]; then echo "make run: EXCHANGE_SECRET_KEY is not set, so a development secret is used (never do this in production)"; fi
	@export EXCHANGE_SECRET_KEY="$${EXCHANGE_SECRET_KEY:-$(DEV_SECRET)}"; \
	  $(BIN)/exchange db upgrade && \
	  $(BIN)/exchange demo && \
	  echo "Serving on http://$(HOST):$(PORT) (Ctrl-C to stop)" && \
	  exec $(BIN)/exchange run --host $(HOST) --port $(PORT)

test: install system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

translations: install
	$(BIN)/python scripts/i18n.py

bench: install
	$(BIN)/python bench/import_seekers.py

clean:
	rm -rf $(VENV) instance .pytest_cache test-artifacts
