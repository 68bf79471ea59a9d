# The two commands of the README: `make build` and `make test`.
# Both set everything up first (system packages, .venv, the package) and are
# safe to run again: each step only does what is missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# The tests also open the slide deck in LibreOffice, as a user's PowerPoint would,
# and the web editions in Chromium, where axe-core (npm, package-lock.json) checks them.
TEST_PACKAGES := libreoffice-impress-nogui chromium

.PHONY: build test bench setup bytecode system-packages test-system-packages clean

build: setup
	$(BIN)/handouts build

test: setup test-system-packages node_modules/.package-lock.json
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py

setup: system-packages $(STAMP) bytecode

# Every command is a new Python process, which compiles each module it finds no bytecode
# for. pip compiles what it installs, but not the sources of an editable install (ours):
# Python would compile them at every start where PYTHONDONTWRITEBYTECODE is set (50 ms).
# Only changed files are compiled again.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q src/handouts

system-packages:
	@scripts/install-system-packages

test-system-packages:
	@scripts/install-system-packages $(TEST_PACKAGES)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# axe-core at the exact version package-lock.json names (npm ci installs nothing else).
# Debian's npm only where no npm is installed (a Node.js from elsewhere brings its own).
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || scripts/install-system-packages npm
	npm ci --no-audit --no-fund --loglevel=error

clean:
	rm -rf output $(VENV) src/*.egg-info node_modules
