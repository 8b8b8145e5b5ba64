# netiquette — set-up and checks. Everything a fresh machine needs is installed from here.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL_DEFAULT := postgresql://postgres@127.0.0.1:5432/postgres
DEMO_DB := $(CURDIR)/.demo/netiquette-demo.sqlite3

ifeq ($(CI),true)
export NETIQUETTE_TEST_PG_URL ?= $(PG_URL_DEFAULT)
endif

.PHONY: demo test bench lint install install-test clean

$(BIN)/netiquette: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@# as pip does for a regular install: where PYTHONDONTWRITEBYTECODE is set, an editable
	@# one would compile the modules again at every command (0.1 s of each)
	$(BIN)/python -m compileall -q src/netiquette
	@touch $@

install: $(BIN)/netiquette

$(VENV)/.test-deps: pyproject.toml $(BIN)/netiquette
	$(BIN)/pip install --quiet -e ".[test]"
	./scripts/install-test-deps
	@touch $@

install-test: $(VENV)/.test-deps

demo: install
	@rm -rf .demo && mkdir -p .demo
	NETIQUETTE_DB=$(DEMO_DB) NETIQUETTE_CONFIG_DIR=$(CURDIR)/.demo \
	  $(BIN)/python -m netiquette.demo
	@echo
	@echo "Try it yourself:  NETIQUETTE_DB=$(DEMO_DB) $(BIN)/netiquette agenda"
	@echo "Or in a browser:  NETIQUETTE_DB=$(DEMO_DB) NETIQUETTE_CONFIG_DIR=$(CURDIR)/.demo $(BIN)/netiquette serve"
	@echo "                  (then open the sign-in link it prints)"

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

test: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/pytest -p no:cacheprovider
	@if [ -n "$$NETIQUETTE_TEST_PG_URL" ]; then \
	  echo "== the store tests again, on PostgreSQL"; \
	  NETIQUETTE_DB="$$NETIQUETTE_TEST_PG_URL" $(BIN)/pytest -p no:cacheprovider -m store; \
	else echo "NETIQUETTE_TEST_PG_URL is not set: the PostgreSQL pass is skipped"; fi

bench: install-test
	./scripts/install-bench-deps
	$(BIN)/python bench/run.py

clean:
	rm -rf .demo build dist *.egg-info
