# npswatch: the targets a newcomer needs.  `make demo` and `make test` do all set-up themselves.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HAS_HEADERS := import os, sysconfig; assert os.path.isfile(os.path.join(sysconfig.get_paths()["include"], "Python.h"))

.PHONY: install system-packages demo test test-fast eval train bench lint clean

# Create the virtual environment and install the pinned dependencies (idempotent: re-runs only when pins change).
install: $(STAMP)

# The matcher tables and the stored lexicon (nlp/data/tables/, read when a pipeline is built) are written from these
# files and the code; so are the tokenizer answers and French tokenizer data, from spaCy's (nlp/specials.py).
TABLE_INPUTS := nlp/data/lexicon.json nlp/data/routes.tsv nlp/data/effects.tsv nlp/data/cues.json nlp/data/clinical_cues.json

# The extraction hot path is compiled with mypyc, and nlp/docread.pyx with Cython (setup.py): a C and C++ compiler and
# the Python headers are needed, and installed from Debian when missing and run as root (NPSWATCH_PURE_PYTHON set, not
# 0, skips compiling). Editing a compiled module's source makes the next `make install` (and so `make test`) compile
# again.
$(STAMP): pyproject.toml requirements.lock setup.py $(wildcard nlp/*.py nlp/*.pyx nlp/components/*.py) $(TABLE_INPUTS)
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "npswatch needs Python 3.11 or newer"'
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq python3-venv; }
	@[ -n "$${NPSWATCH_PURE_PYTHON#0}" ] || { command -v cc >/dev/null 2>&1 && command -v c++ >/dev/null 2>&1 && $(PYTHON) -c "$$HAS_HEADERS"; } \
	  || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq gcc g++ python3-dev; } \
	  || { echo "npswatch: compiling needs a C and C++ compiler and the Python headers (Debian: gcc g++ python3-dev), or set NPSWATCH_PURE_PYTHON=1" >&2; exit 1; }
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	@echo "compiling the extraction modules with mypyc and Cython (a few minutes)"
	$(PY) -m pip install -q --disable-pip-version-check --no-build-isolation --no-deps -e .
	@echo "writing the matcher tables, stored lexicon and tokenizer data (nlp/data/tables/)"
	$(PY) -m nlp.tables
	@touch $@

# Serve the local demo sites and crawl every demo source over the simulated days.
demo: install
	$(VENV)/bin/npswatch demo

# Debian packages the tests need (.ci/apt-packages: tor, ...), installed when one is missing and run as root, so a
# newcomer's `make test` skips nothing that CI runs; otherwise the missing ones are named and the tests that need
# them say so.
system-packages:
	@missing=$$(grep -v '^#' .ci/apt-packages | while read -r p; do [ -z "$$p" ] || dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'ok installed' || echo "$$p"; done | xargs); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing Debian packages the tests need: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "npswatch: the tests need these Debian packages (run as root to install them): $$missing" >&2; fi; \
	fi

# The whole test suite (services the tests need are started by the tests).
test: install system-packages
	$(PY) -m pytest -q

# The fast loop while editing: every test but those marked slow (each over 2 s: crawls, the fault suite, the browser,
# whole exports; tests/conftest.py marks the faults and browser kinds slow), one worker per core.
test-fast: install
	$(PY) -m pytest -q -m "not slow" -n auto

# The third-party data sets (TripSit, Reddit drug NER, PsyTAR): ../shared/data beside the project unless
# NPSWATCH_SHARED_DIR names another folder (nlp itself reads no environment: the folder is passed as --shared).
SHARED := $(if $(NPSWATCH_SHARED_DIR),--shared $(NPSWATCH_SHARED_DIR))

# Extraction quality: precision / recall / F1 per field and language.
eval: install
	$(PY) -m nlp.evaluate $(SHARED)

# Train the recogniser (nlp/data/recogniser/, committed) on the Reddit drug NER set; says so and keeps the committed
# model when the set is absent. `make install` never trains. One BLAS thread: the same weights byte for byte.
train: install
	OMP_NUM_THREADS=1 $(PY) -m nlp.train $(SHARED)

# Benchmarks; results in bench/results/*.json, summarised in docs/benchmarks.md.
bench: install
	$(PY) bench/crawl_bench.py
	$(PY) bench/extract_bench.py
	$(PY) bench/index_bench.py
	$(PY) bench/surveillance_bench.py
	$(PY) bench/web_bench.py
	$(PY) bench/signals_bench.py

# Lint and types (strict on nlp, pipelines, storage and exports; see pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy crawlers pipelines storage nlp npswatch signals health exports demosites scheduler.py web

clean:
	rm -rf $(VENV) var build *.egg-info
	find nlp -name '*.so' -delete
	rm -rf nlp/data/tables
