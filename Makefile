# One-command set-up on a fresh machine with Python 3.11+: `make run` opens the app, `make test`
# runs the suite. Both create .venv and install the project (with the default spaCy model).
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test test-quick lint install bench bench-scale eval dist dist-test clean screenshots

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "News Annotator needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,readers,cluster]"
	@touch $@

install: $(STAMP)

run: $(STAMP)
	$(PY) -m annotator $(if $(DB),--db $(DB))

test: $(STAMP)
	$(VENV)/bin/ruff check .
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

# The edit-test loop: the suite without the tests marked slow (kills, training, the learning window).
test-quick: $(STAMP)
	$(VENV)/bin/ruff check .
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/run.py

# The big runs (not in `make bench`): 10k, 100k and 1M documents, about 2 GB of disk in a
# temporary folder (BENCH_DIR=... to choose the disk) and 30-40 minutes here; then documents/s
# of pre-annotation on a local Dask cluster of 1 and of 2 workers (about a minute).
bench-scale: $(STAMP)
	$(PY) bench/scale_bench.py $(SIZES)
	$(PY) bench/dask_bench.py

eval: $(STAMP)
	$(PY) -m pip install --quiet -e ".[eval]" || echo "textacy not installable: comparing without it"
	$(PY) scripts/eval_suggestions.py
	$(PY) scripts/learning_curve.py --draws 2

dist: $(STAMP)
	$(PY) -m pip install --quiet -e ".[dist]"
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build/work build/annotator.spec

dist-test: dist
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/dist -q

screenshots: $(STAMP)
	xvfb-run -a -s "-screen 0 1600x1000x24" $(PY) docs/screenshots/take.py

clean:
	rm -rf $(VENV) dist build/work .pytest_cache
