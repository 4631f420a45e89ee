# The README's commands. `make demo` and `make test` are the whole set-up:
# each creates the project-local virtual environment and installs into it.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
CSKG   := $(VENV)/bin/cskg
STAMP  := $(VENV)/.installed

.PHONY: install demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "cskg needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(CSKG) build
	$(CSKG) validate
	$(CSKG) stats
	$(CSKG) show "Westminster"

test: install
	$(PY) -m pytest

# Benchmarks: validating an addition vs the whole graph (benchmarks/README.md).
# Sizes in triples; BENCH_SIZES=10000,100000,1000000 make bench for more.
BENCH_SIZES ?= 10000,100000
bench: install
	$(PY) benchmarks/bench_add.py --sizes $(BENCH_SIZES)

clean:
	rm -rf .cskg $(VENV)
