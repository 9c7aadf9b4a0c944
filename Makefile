# The two commands a fresh machine needs: `make lab` and `make test`.
# Both create (or reuse) the virtual environment in .venv and install the course into it.

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
INSTALLED := $(VENV)/.installed
# JupyterLab settings for `make lab` only: no nbgrader instructor tools (see starter_lib/lab.py).
LEARNER_LAB := $(VENV)/learner-lab

# Debian packages the tests need: bubblewrap sandboxes graded notebooks, Chromium drives
# the JupyterLab browser test, PostgreSQL serves a gradebook (pg_ctlcluster marks it installed).
# Installed when missing (as root, or with sudo).
SYSTEM_PACKAGES := bubblewrap chromium chromium-driver postgresql
SYSTEM_COMMANDS := bwrap chromium chromedriver pg_ctlcluster
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: lab instructor test build install system-packages bench

# Installers write no bytecode and these machines often forbid Python to cache it, so the install
# compiles it once: every kernel then imports TensorFlow in a third of the CPU time.
$(INSTALLED): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --python $(BIN)/python --quiet -e ".[lab,instructor,test]"
	$(BIN)/python -m autograder.bytecode
	$(BIN)/python -m starter_lib.lab $(LEARNER_LAB)
	touch $(INSTALLED)

install: $(INSTALLED)

## Start JupyterLab on the learner notebooks, without nbgrader's instructor tools.
lab: $(INSTALLED)
	PATH="$(BIN):$$PATH" JUPYTER_CONFIG_PATH="$(CURDIR)/$(LEARNER_LAB)" jupyter lab --ServerApp.root_dir=notebooks $(ALLOW_ROOT)

## Start JupyterLab on the nbgrader course, with Formgrader, Create Assignment and the Nbgrader menu.
instructor: $(INSTALLED)
	PATH="$(BIN):$$PATH" jupyter lab --ServerApp.root_dir=course $(ALLOW_ROOT)

system-packages:
	@for command in $(SYSTEM_COMMANDS); do command -v $$command >/dev/null || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $(SYSTEM_PACKAGES)"; \
	  { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; } \
	  || echo "Could not install $(SYSTEM_PACKAGES): the tests that need them will fail and name the package."; \
	fi

## Run the whole test suite, two test files at a time (TEST_WORKERS=1 for one): a file's tests
## share their notebook runs and grading classes, so each file stays on one worker.
TEST_WORKERS ?= 2
test: $(INSTALLED) system-packages
	PATH="$(BIN):$$PATH" python -m pytest -n $(TEST_WORKERS) --dist loadfile

## Regenerate master notebooks and learner copies from the text sources.
build: $(INSTALLED)
	PATH="$(BIN):$$PATH" python -m autograder build

## Re-run the benchmarks; each prints a table and writes benchmarks/results/, then the README shows them.
bench: $(INSTALLED) system-packages
	$(BIN)/uv pip install --python $(BIN)/python --quiet -e ".[test,bench]"
	PATH="$(BIN):$$PATH" python -m benchmarks.kernel_start
	PATH="$(BIN):$$PATH" python -m benchmarks.accuracy
	PATH="$(BIN):$$PATH" python -m benchmarks.notebook_times
	PATH="$(BIN):$$PATH" python -m benchmarks.pipeline_speed
	PATH="$(BIN):$$PATH" python -m benchmarks.grading_speed
	PATH="$(BIN):$$PATH" python -m benchmarks.grading_speed --assignments all --students 4 --workers 1 2
	PATH="$(BIN):$$PATH" python -m benchmarks.grading_scale
	PATH="$(BIN):$$PATH" python -m benchmarks.readme

.PHONY: test-stacks test-pythons

## Every learner notebook, answers filled in, on the colab, kaggle, floor and latest stacks
## (tests/stacks/), or those in STACKS=floor,kaggle; writes the README's table. CI runs colab.
test-stacks: $(INSTALLED)
	PATH="$(BIN):$$PATH" KERAS_STARTER_STACKS=$(or $(STACKS),all) KERAS_STARTER_STACK_TABLE=1 \
	  python -m pytest tests/test_stacks.py
	PATH="$(BIN):$$PATH" python -m benchmarks.readme

## The lowest and highest supported Python (3.11, 3.13): install, autograder commands, notebook 03.
test-pythons: $(INSTALLED)
	PATH="$(BIN):$$PATH" KERAS_STARTER_TEST_PYTHONS=1 python -m pytest tests/test_pythons.py
