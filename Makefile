# evalkg developer tasks. `make test` is the one command that CI (.ci/run) runs.
PYTHON ?= python3

.PHONY: install test lint pytest demo clean

install:            ## install evalkg and its test tools (editable)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[test]'

lint: install       ## ruff and mypy
	$(PYTHON) -m ruff check kg tests benchmarks
	$(PYTHON) -m mypy

pytest: install     ## the test suite (all markers)
	$(PYTHON) -m pytest -n 2

test: lint pytest   ## everything CI checks

demo: install       ## build the bundled sample and show what it holds
	evalkg build --sample
	evalkg stats

clean:
	rm -rf evalkg-data build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
