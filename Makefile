# npswatch: the targets a newcomer needs.  `make demo` and `make test` do all set-up themselves.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install demo test eval bench lint clean

# Create the virtual environment and install the pinned dependencies (idempotent: re-runs only when pins change).
install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "npswatch needs Python 3.11 or newer"'
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq python3-venv; }
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

# Serve the local demo sites and crawl every demo source over the simulated days.
demo: install
	$(VENV)/bin/npswatch demo

# The whole test suite (services the tests need are started by the tests).
test: install
	$(PY) -m pytest -q

# Extraction quality: precision / recall / F1 per field and language.
eval: install
	$(PY) -m nlp.evaluate

# Benchmarks; results in bench/results/*.json, summarised in docs/benchmarks.md.
bench: install
	$(PY) bench/crawl_bench.py
	$(PY) bench/extract_bench.py
	$(PY) bench/index_bench.py
	$(PY) bench/surveillance_bench.py

# Lint and types (strict on nlp, pipelines, storage and exports; see pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy crawlers pipelines storage nlp npswatch alerts signals exports

clean:
	rm -rf $(VENV) var build *.egg-info
