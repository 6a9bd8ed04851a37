# Two commands work on a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUNTIME := $(VENV)/.installed-runtime
STAMP_DEV := $(VENV)/.installed-dev
STAMP_BENCH := $(VENV)/.installed-bench

.PHONY: demo test lint typecheck unit browser docs bench bench-pandera-spark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The spark extra too, so the Spark engine's tests run wherever `make test` does (they need Java 17+).
$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,docs,gx,spark]'
	touch $@ $(STAMP_RUNTIME)

demo: $(STAMP_RUNTIME)
	@echo "== accord lint contracts/transactions.yaml"
	@$(BIN)/accord lint contracts/transactions.yaml
	@echo
	@echo "== accord validate contracts/transactions.yaml examples/transactions.csv"
	@$(BIN)/accord validate contracts/transactions.yaml examples/transactions.csv; \
	  code=$$?; echo; echo "exit code $$code (0 passed, 1 violations found, 2 could not run)"; \
	  test $$code -le 1

lint: $(STAMP_DEV)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

# The HTML report is tested in headless Chromium: install Debian's package where it is missing
# and we may (root with apt-get); otherwise say so, and those tests skip with the reason.
browser:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
	  :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "== installing chromium for the HTML report tests"; \
	  (apt-get update -q && apt-get install -y -q chromium) >/dev/null || \
	    echo "chromium could not be installed: the HTML browser tests will be skipped"; \
	else \
	  echo "chromium is missing and cannot be installed here (needs root and apt-get):" \
	    "the HTML browser tests will be skipped"; \
	fi

# --durations: the slowest tests in every CI log, so a fuzzer or a Spark test that grows is seen
unit: $(STAMP_DEV) browser
	$(BIN)/pytest -q -p no:cacheprovider --durations=25

# The reference pages are generated from the models and the CLI: a stale page fails the build
# (tests/test_docs.py checks the same), and --strict fails on any broken link or nav entry.
docs: $(STAMP_DEV)
	$(BIN)/python docs/generate.py --check
	$(BIN)/mkdocs build --strict --quiet --site-dir build/site

test: lint typecheck unit docs

# --bounded-rows: the batched CLI on 50M rows (peak RSS < 2 GB) and the batched-vs-whole report
# check at 10M; about 2 more minutes on an idle 2-core machine.
BENCH_ARGS ?= --rows 1000000 5000000 10000000 --repeat 3 --bounded-rows 50000000
# The Spark rows: accord on Spark against a hand-written one-pass pyspark.sql query, on local[2]
# (Java 17+); written into the Spark section of RESULTS.md, which benchmarks.run keeps.
SPARK_BENCH_ARGS ?= --rows 1000000 5000000 20000000 --repeat 1 --master local[2]

# Not part of `make test`: numbers belong in benchmarks/RESULTS.md, never in unit tests.
$(STAMP_BENCH): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[bench,spark]'
	touch $@ $(STAMP_RUNTIME)

bench: $(STAMP_BENCH)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS) --write-results
	$(BIN)/python -m benchmarks.spark $(SPARK_BENCH_ARGS) --write-results

# pandera.pyspark beside the Spark rows: it cannot be imported beside pandas 3, so it gets an
# environment of its own with pandas < 3 (not accord's, never part of `make test`); then the Spark
# benchmark runs benchmarks/pandera_spark.py in it for each size and prints its row.
PANDERA_SPARK := .venv-pandera-spark
STAMP_PANDERA_SPARK := $(PANDERA_SPARK)/.installed

$(STAMP_PANDERA_SPARK):
	$(PYTHON) -m venv $(PANDERA_SPARK)
	$(PANDERA_SPARK)/bin/python -m pip install --quiet --upgrade pip
	$(PANDERA_SPARK)/bin/python -m pip install --quiet 'pandas<3' 'pandera[pyspark]' 'pyspark>=4.0' pyarrow
	touch $@

bench-pandera-spark: $(STAMP_PANDERA_SPARK) $(STAMP_BENCH)
	$(BIN)/python -m benchmarks.spark $(SPARK_BENCH_ARGS) --pandera-python $(PANDERA_SPARK)/bin/python

clean:
	rm -rf $(VENV) $(PANDERA_SPARK) .mypy_cache .ruff_cache .pytest_cache build/site
