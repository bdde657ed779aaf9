# Two entry points for a fresh machine: `make build` runs the main job, `make test` passes the tests.
# Each creates the virtual environment .venv on first use (pinned versions from requirements-lock.txt).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test lint venv clean

$(BIN)/lowcarbon: pyproject.toml requirements-lock.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements-lock.txt -e '.[dev]'
	touch $(BIN)/lowcarbon

venv: $(BIN)/lowcarbon

build: venv
	$(BIN)/lowcarbon build

lint: venv
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# One worker per core; a test file stays on one worker, so its module fixtures (and the
# SPARQL servers of tests/test_servers.py) are made once. Files go out in collection order,
# which puts the slowest first (tests/conftest.py), so the workers end together.
test: venv lint
	$(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder

clean:
	rm -rf $(VENV) store
