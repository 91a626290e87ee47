# Two commands on a fresh machine (Python 3.11 is all it needs):
#   make lab    installs, builds the demo databases and opens JupyterLab on notebooks/
#   make test   installs and runs every test, notebooks included
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
TSC    := $(VENV)/node_modules/.bin/tsc
PORT   ?= 8888

.PHONY: lab test demo install system-packages bench screenshots stop clean

lab: $(STAMP)
	@scripts/system-packages.sh lab
	$(BIN)/workbench demo
	$(BIN)/workbench lab --port $(PORT)

test: $(STAMP) system-packages $(TSC)
	PATH="$(CURDIR)/$(VENV)/node_modules/.bin:$$PATH" $(BIN)/pytest

# The TypeScript compiler checks the generated types (a test tier skipped where npm is missing).
$(TSC):
	@command -v npm >/dev/null 2>&1 \
	  && npm install --silent --no-audit --no-fund --prefix $(VENV) typescript@5 >/dev/null 2>&1 \
	  || echo "note: no TypeScript compiler (needs npm); the tsc check of generated types is skipped" >&2

system-packages:
	@scripts/system-packages.sh

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/workbench demo

bench: $(STAMP)
	$(BIN)/python benchmarks/inspect.py
	$(BIN)/python benchmarks/erd.py
	$(BIN)/python benchmarks/advise.py
	$(BIN)/python benchmarks/diff.py
	$(BIN)/python benchmarks/locks.py
	$(BIN)/python benchmarks/alternatives.py

# The README's screenshots, taken by the browser tests in a real JupyterLab.
screenshots: $(STAMP) system-packages
	WORKBENCH_SCREENSHOTS=docs/screenshots $(BIN)/pytest -o addopts="" -q tests/browser/test_tour.py

stop:
	-$(BIN)/workbench server stop

clean: stop
	rm -rf $(VENV) .workbench

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0] + ": run make PYTHON=python3.11 …")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "could not create a virtual environment: on Debian/Ubuntu run 'apt-get install python3-venv' first" >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)
