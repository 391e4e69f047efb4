# npswatch: the targets a newcomer needs.  `make demo` and `make test` do all set-up themselves.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HAS_HEADERS := import os, sysconfig; assert os.path.isfile(os.path.join(sysconfig.get_paths()["include"], "Python.h"))

.PHONY: install demo test eval bench lint clean

# Create the virtual environment and install the pinned dependencies (idempotent: re-runs only when pins change).
install: $(STAMP)

# The extraction hot path is compiled with mypyc (setup.py): a C compiler and the Python headers are needed, and
# installed from Debian when missing and run as root (NPSWATCH_PURE_PYTHON set, not 0, skips compiling). Editing a compiled
# module's source makes the next `make install` (and so `make test`) compile again.
$(STAMP): pyproject.toml requirements.lock setup.py $(wildcard nlp/*.py nlp/components/*.py)
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "npswatch needs Python 3.11 or newer"'
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq python3-venv; }
	@[ -n "$${NPSWATCH_PURE_PYTHON#0}" ] || { command -v cc >/dev/null 2>&1 && $(PYTHON) -c "$$HAS_HEADERS"; } \
	  || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq gcc python3-dev; } \
	  || { echo "npswatch: compiling needs a C compiler and the Python headers (Debian: gcc python3-dev), or set NPSWATCH_PURE_PYTHON=1" >&2; exit 1; }
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	@echo "compiling the extraction modules with mypyc (about a minute)"
	$(PY) -m pip install -q --disable-pip-version-check --no-build-isolation --no-deps -e .
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
	$(PY) bench/signals_bench.py

# Lint and types (strict on nlp, pipelines, storage and exports; see pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy crawlers pipelines storage nlp npswatch alerts signals exports

clean:
	rm -rf $(VENV) var build *.egg-info
	find nlp -name '*.so' -delete
