# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
#
# Both install exactly the versions in uv.lock (the lock CI tested), with uv itself pinned and
# installed from PyPI into its own small virtualenv, so that a fresh clone resolves nothing anew.
# Refresh the lock after changing pyproject.toml's dependencies with `make lock`
# (or `make upgrade-lock` to take the newest versions the ranges allow), run `make test`, and
# commit pyproject.toml and uv.lock together.
PYTHON ?= python3
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
UV := $(TOOLS)/bin/uv
STAMP := $(VENV)/.installed-stamp
# axe-core for the desk's accessibility tests, installed by npm from its lock (tests/browser/axe).
AXE := tests/browser/axe/node_modules/axe-core/axe.min.js

# uv uses the machine's Python (never downloads one) and keeps the project environment in .venv.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: demo test lint typecheck pytest lock upgrade-lock clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet 'uv==$(UV_VERSION)'

$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --extra dev --python $(PYTHON) --quiet
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m testament.demo

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(AXE)
	$(BIN)/pytest -n auto

# Without npm the accessibility tests are skipped (and fail in CI, which installs npm).
$(AXE): tests/browser/axe/package.json tests/browser/axe/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix tests/browser/axe --no-audit --no-fund && touch $(AXE); \
	else \
		echo "npm is missing: the accessibility tests will be skipped (apt-get install npm)"; \
	fi

# `uv sync --locked` above refuses to install when pyproject.toml and uv.lock disagree.
lock: | $(UV)
	$(UV) lock --python $(PYTHON)

upgrade-lock: | $(UV)
	$(UV) lock --upgrade --python $(PYTHON)

clean:
	rm -rf $(VENV) $(TOOLS) demo .mypy_cache .ruff_cache .pytest_cache tests/browser/axe/node_modules
