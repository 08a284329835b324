# Two commands for a new user: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_RUN  := $(VENV)/.installed-run
STAMP_DEV  := $(VENV)/.installed-dev

.PHONY: run test lint typecheck bench clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(STAMP_RUN)

## run: set up .venv, run the main job (the demo) into out/, propose symbiosis exchanges for
## KIIC (so its park page has decisions to make), then serve the dashboard at
## http://127.0.0.1:8000/ with one demo account per role (Ctrl-C stops it)
run: $(STAMP_RUN)
	$(BIN)/sinergi demo --out out
	$(BIN)/sinergi symbiosis kiic --period 2024 --propose --db sqlite:///out/sinergi.db >/dev/null
	SINERGI_ENV=development $(BIN)/sinergi serve --db sqlite:///out/sinergi.db --demo-accounts

## browser: Debian's Chromium for the dashboard's browser tests (apt-get as root when missing;
## does nothing when it is there or cannot be installed: those tests then skip with the reason)
CHROMIUM := /usr/bin/chromium
browser:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "could not install chromium; the browser tests will skip"; \
	else echo "no $(CHROMIUM) and not root: the browser tests will skip (apt-get install chromium)"; fi

## test: set up .venv with dev extras, lint, type-check and run the whole suite
test: $(STAMP_DEV) browser
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP_DEV)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

## bench: every benchmark, each against its named peer in the same run (minutes; see docs/benchmarks.md)
bench: $(STAMP_DEV)
	$(BIN)/python -m pip install --quiet -e '.[dev,fast]'
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/assess.py
	$(BIN)/python bench/footprint.py
	$(BIN)/python bench/symbiosis.py --repeats 3 --solve both --time-limit 120
	$(BIN)/python bench/circularity.py
	$(BIN)/python bench/api.py --backend both --seconds 30 --workers 2
	$(BIN)/python bench/national.py
	$(BIN)/python bench/custody.py --lots 30000 --traces 30
	$(BIN)/python bench/dashboard.py --companies 30000 --parks 150 --repeats 5

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
