# smartdev: `make demo` and `make test` work on a fresh clone with only Python 3.11+,
# Node.js/npm and git installed. Everything else is set up here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SOLC_VERSION := 0.8.28
SOLC_OLD_VERSION := 0.6.12
CACHE := $(if $(SMARTDEV_CACHE_DIR),$(SMARTDEV_CACHE_DIR),$(HOME)/.cache/smartdev)
SOLCJS := $(CACHE)/solcjs/$(SOLC_VERSION)/node_modules/solc/soljson.js
SOLCJS_OLD := $(CACHE)/solcjs/$(SOLC_OLD_VERSION)/node_modules/solc/soljson.js
NPM_FLAGS := --no-audit --no-fund --loglevel=error

.PHONY: install solcjs anvil demo test bench gas-check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# solc-js from npm into smartdev's compiler cache (what `smartdev compilers install`
# does too). The tests also compile a 0.6 project, so two versions.
$(CACHE)/solcjs/%/node_modules/solc/soljson.js:
	rm -rf $(CACHE)/solcjs/$*.tmp
	npm install $(NPM_FLAGS) --prefix $(CACHE)/solcjs/$*.tmp solc@$*
	rm -rf $(CACHE)/solcjs/$* && mv $(CACHE)/solcjs/$*.tmp $(CACHE)/solcjs/$*

solcjs: $(SOLCJS) $(SOLCJS_OLD)

# anvil from npm, for the anvil engine tests; optional: they skip without it.
anvil: install
	-$(BIN)/python -c "from smartdev.localnode import find_anvil, install_anvil; print('anvil:', find_anvil() or install_anvil())"

demo: install solcjs
	PATH="$(CURDIR)/$(BIN):$$PATH" bash examples/demo.sh

test: install solcjs anvil
	$(BIN)/python -m pytest -q

bench: install solcjs
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/gas.py

# Gas is deterministic: fail when a library operation got > 2 % dearer than the
# committed baseline (benchmarks/gas-baseline.json; `benchmarks/gas.py --save` updates it).
gas-check: install solcjs
	$(BIN)/python benchmarks/gas.py --no-peer --check

clean:
	rm -rf $(VENV) build dist .pytest_cache examples/token/build examples/token/.smartdev
