# The two commands a fresh machine needs: `make lab` and `make test`.
# Both create (or reuse) the virtual environment in .venv and install the course into it.

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: lab test build install

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --python $(BIN)/python --quiet -e ".[test]"
	touch $(INSTALLED)

install: $(INSTALLED)

## Start JupyterLab on the learner notebooks.
lab: $(INSTALLED)
	PATH="$(BIN):$$PATH" jupyter lab --ServerApp.root_dir=notebooks

## Run the whole test suite.
test: $(INSTALLED)
	PATH="$(BIN):$$PATH" python -m pytest

## Regenerate master notebooks and learner copies from the text sources.
build: $(INSTALLED)
	PATH="$(BIN):$$PATH" python -m autograder build
