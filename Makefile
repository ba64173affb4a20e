# evalkg developer tasks. `make test` is the one command that CI (.ci/run) runs.
PYTHON ?= python3

.PHONY: install test lint pytest demo clean browser-deps screenshot

install:            ## install evalkg and its test tools (editable)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[test]'

lint: install       ## ruff and mypy
	$(PYTHON) -m ruff check kg tests benchmarks
	$(PYTHON) -m mypy

pytest: install browser-deps  ## the test suite (all markers)
	$(PYTHON) -m pytest -n 2

test: lint pytest   ## everything CI checks

browser-deps:       ## Debian's chromium for the browser tests (apt-get, as root or with sudo)
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "The browser tests need Debian's chromium: installing it with apt-get (about 130 packages, 350 MB)."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	fi

screenshot: install browser-deps  ## docs/actors-view.png: the sample's actor view
	$(PYTHON) benchmarks/screenshot.py --output docs/actors-view.png

demo: install       ## build the bundled sample and show what it holds
	evalkg build --sample
	evalkg stats

clean:
	rm -rf evalkg-data build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
