# evalkg tasks. `make sample` and `make test` are the README's two set-up commands;
# `make test` is what CI (.ci/run) runs. Both work in a virtual environment, .venv, which
# they make with $(PYTHON) (a stock Debian Python refuses `pip install` outside one).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# the tests start `evalkg` and the `oxigraph` server by name: the venv's bin comes first
export PATH := $(abspath $(VENV))/bin:$(PATH)

.PHONY: venv install install-dev sample test lint pytest demo clean browser-deps test-deps screenshot

# apt-get install, as root or with sudo, of the Debian packages that follow it
APT_INSTALL = if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
  $$SUDO apt-get update -q && \
  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q

venv: $(PY)

# Debian splits venv's pip out of python3 (package python3-venv): without it, `-m venv`
# fails half-way, so the half-made folder is removed and the package installed first.
$(PY):
	@echo "Making the virtual environment $(VENV) with $$($(PYTHON) --version 2>&1) ($(PYTHON))."
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  echo "$(PYTHON) cannot make a virtual environment: installing Debian's python3-venv with apt-get."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv && \
	  $(PYTHON) -m venv $(VENV); }

# Stamps: pip runs again only when pyproject.toml changes.
$(VENV)/.installed: $(PY) pyproject.toml
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.installed-dev: $(PY) pyproject.toml
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed          ## evalkg, to use it (no test tools)

install-dev: $(VENV)/.installed-dev  ## evalkg and its test tools: ruff, mypy, pytest, playwright, oxigraph

sample: install                      ## install, then build the bundled sample into ./evalkg-data
	$(VENV)/bin/evalkg build --sample
	@echo "evalkg is in $(VENV)/bin: run '. $(VENV)/bin/activate' to have it on your PATH."

lint: install-dev                    ## ruff and mypy
	$(PY) -m ruff check kg tests benchmarks
	$(PY) -m mypy

pytest: install-dev test-deps        ## the test suite (all markers)
	$(PY) -m pytest -n 2

test: lint pytest                    ## everything CI checks

browser-deps:                        ## Debian's chromium for the browser tests (apt-get, as root or with sudo)
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "The browser tests need Debian's chromium: installing it with apt-get (about 130 packages, 350 MB)."; \
	  $(APT_INSTALL) chromium; \
	fi

# What the tests start and the venv cannot hold, in one apt-get update: chromium (the
# browser tests) and virtuoso-opensource (tests/test_virtuoso.py runs its own virtuoso-t
# on 127.0.0.1, its database in a temporary folder). Debian's package also starts a
# server of its own where the init system lets it (on every address, user dba, password
# dba): it is stopped and disabled (`update-rc.d virtuoso-opensource-7 enable` to undo).
test-deps:                           ## Debian's chromium and virtuoso-opensource for the tests (apt-get, as root or with sudo)
	@missing=; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -x /usr/bin/virtuoso-t ] || missing="$$missing virtuoso-opensource"; \
	if [ -n "$$missing" ]; then \
	  echo "The tests need Debian's$$missing: installing with apt-get."; \
	  $(APT_INSTALL) $$missing || exit 1; \
	  case "$$missing" in *virtuoso*) \
	    echo "Stopping and disabling the Virtuoso service the package may have started (the tests run their own)."; \
	    $$SUDO invoke-rc.d virtuoso-opensource-7 stop >/dev/null 2>&1 || true; \
	    $$SUDO update-rc.d virtuoso-opensource-7 disable >/dev/null 2>&1 || true;; \
	  esac; \
	fi

screenshot: install-dev browser-deps ## docs/actors-view.png and docs/map.png: the sample's actor view and map
	$(PY) benchmarks/screenshot.py --output docs/actors-view.png
	$(PY) benchmarks/screenshot_map.py --output docs/map.png

demo: sample                         ## build the bundled sample and show what it holds
	$(VENV)/bin/evalkg stats

clean:                               ## what builds and tests leave (not the venv)
	rm -rf evalkg-data build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis
