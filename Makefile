# The README's commands. `make demo` and `make test` are the whole set-up:
# each creates the project-local virtual environment and installs into it.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
CSKG   := $(VENV)/bin/cskg
STAMP  := $(VENV)/.installed

.PHONY: install demo test bench eval import clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "cskg needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# byte-compiled on every make, which redoes only what changed: where PYTHONDONTWRITEBYTECODE
# is set, an editable install would otherwise compile the changed sources again in every
# command (a third of a fast query's time), and the bench would measure that
install: $(STAMP)
	@$(PY) -m compileall -q src > /dev/null

demo: install
	$(CSKG) build
	$(CSKG) validate
	$(CSKG) stats
	$(CSKG) show "Bolton"
	$(CSKG) query statistical-neighbours --param council=Bolton

# Re-make the committed national graphs from the published files (../shared/data/README.md).
# Importing the same files again changes nothing; a newer ILACS snapshot adds history.
DATA  ?= ../shared/data
ILACS ?= $(DATA)/ilacs-overview-2025-03-10.xlsx
# Every later snapshot in ilacs-snapshots/ adds its month to the history (in date order here,
# though any order gives the same graph files).
SNAPSHOTS ?= $(sort $(wildcard $(DATA)/ilacs-snapshots/ilacs-overview-*.xlsx))
import: install
	$(CSKG) import la-lookup $(DATA)/la-lookup.csv
	$(CSKG) import ilacs $(ILACS)
	$(CSKG) import report-index $(DATA)/inspection-reports-index.csv
	@for f in $(SNAPSHOTS); do echo "$(CSKG) import ilacs $$f"; $(CSKG) import ilacs "$$f" > /dev/null || exit $$?; done

test: install
	$(PY) -m pytest

# Benchmarks (benchmarks/README.md): every command at each size against a naive baseline
# (rdflib + pySHACL + networkx), the oxigraph CLI as reference, and bench_add.py's
# add-vs-full-validation figures, all into benchmarks/RESULTS.md. Not a test: it takes minutes.
# Sizes in triples; BENCH_SIZES=10000,100000,1000000 make bench for more; BENCH_ARGS for options.
BENCH_SIZES ?= 10000,100000
BENCH_ARGS  ?=
HISTORY_ARGS ?=
bench: install
	$(PY) -m pip install --quiet --disable-pip-version-check oxigraph
	-$(PY) -m pip install --quiet --disable-pip-version-check pyrudof
	$(PY) benchmarks/bench.py --sizes $(BENCH_SIZES) $(BENCH_ARGS)
	$(PY) benchmarks/bench_history.py $(HISTORY_ARGS)

# How good are cskg extract's drafts: the five seed articles against their curated graphs,
# category by category (src/cskg/extract/evaluate.py); the table goes into the README.
SEEDS ?= $(wildcard ../shared/seeds/*.txt)
eval: install
	$(PY) -m cskg.extract.evaluate --readme README.md $(SEEDS)

clean:
	rm -rf .cskg $(VENV)
