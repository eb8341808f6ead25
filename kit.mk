# The students' commands, shared by the project's Makefile and the student
# release's: set up .venv on first use, run the checks, show hints.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.kit-installed

.PHONY: check hint venv

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: make PYTHON=python3.11 ...")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

# make check            every topic against exercises/
# make check T=countdown one topic
check: $(STAMP)
	@$(PY) -m grader check $(if $(T),--topics $(T)) $(if $(TARGET),--target $(TARGET))

# make hint T=countdown  the next hint for a topic
hint: $(STAMP)
	@$(PY) -m grader hint $(T)
