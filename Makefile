# DokVault — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps

export PATH := $(CURDIR)/.tools/node_modules/.bin:$(CURDIR)/$(BIN):$(PATH)
export REFLEX_DIR := $(CURDIR)/.reflex
export BUN_INSTALL_CACHE_DIR := $(CURDIR)/.cache/bun
export BUN_RUNTIME_TRANSPILER_CACHE_PATH := $(CURDIR)/.cache/bun-transpiler
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false

.PHONY: run test lint bench clean

run: $(STAMPS)/app $(STAMPS)/tools
	@scripts/ensure-system.sh ocr
	$(BIN)/dokvault run

# Two workers (pytest-xdist), each test file on one of them: browser tests wait on the app
# and the browser as much as they compute. PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= 2

test: $(STAMPS)/app $(STAMPS)/test $(STAMPS)/tools $(STAMPS)/system
	scripts/ensure-servers.sh
	$(BIN)/ruff check .
	$(BIN)/pytest -p no:cacheprovider -ra -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(STAMPS)/test
	$(BIN)/ruff check .

bench: $(STAMPS)/app $(STAMPS)/test
	scripts/ensure-servers.sh
	$(BIN)/python bench/ingest.py

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMPS)/app: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e .
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/test: pyproject.toml $(STAMPS)/app
	$(BIN)/pip install -q -e '.[test]'
	@mkdir -p $(STAMPS) && touch $@

# bun for Reflex's frontend build and s3rver for the presigned-link expiry test, from npm.
$(STAMPS)/tools:
	npm install --no-save --no-audit --no-fund --prefix .tools bun@1.4.4 s3rver@3.7.1
	@mkdir -p $(STAMPS) && touch $@

# Debian packages the tests need (Chromium, fonts); installed when missing and root.
$(STAMPS)/system:
	scripts/ensure-system.sh
	@mkdir -p $(STAMPS) && touch $@

clean:
	rm -rf $(STAMPS) .web .web-* .states tests/artifacts
