# Set-up and everyday commands. `make dashboard` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM ?= /usr/bin/chromium
PORT ?= 8866
LAB_PORT ?= 8888

.PHONY: setup chromium dashboard lab test test-fast lint bench clean-notebooks

setup: $(VENV)/.installed

# rfc3987-syntax arrives with the Jupyter server stack and costs about 1 s in every process that imports
# nbformat (see docs/deploy.md); nothing in spreadlab needs IRI format checks, so it is removed.
$(VENV)/.installed: pyproject.toml
	@echo "Setting up $(VENV): spreadlab and the Python packages it needs (first run only, a few minutes)…"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/pip uninstall --quiet --yes rfc3987-syntax
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@
	@echo "$(VENV) is ready."

# Chromium prints the PDF reports (and drives the browser tests); poppler-utils' pdftotext checks the PDFs' text.
chromium:
	@[ -x $(CHROMIUM) ] || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }
	@command -v pdftotext >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq poppler-utils; }

dashboard: setup
	$(BIN)/spreadlab dashboard --port $(PORT)

# JupyterLab on the notebooks from the project's venv, on loopback with its usual token; --allow-root because
# JupyterLab refuses to start as root without it (containers, CI machines).
lab: setup
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) --allow-root

test: setup chromium
	$(BIN)/python -m pytest

# The plain tier while you work: every test that starts neither a browser nor a kernel (no Chromium needed).
test-fast: setup
	$(BIN)/python -m pytest -m "not browser and not kernel"

# ruff for style and likely bugs; mypy for the types the package promises (py.typed; settings in pyproject.toml).
lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: setup chromium
	$(BIN)/python benchmarks/run.py
