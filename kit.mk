# The students' commands, shared by the project's Makefile and the student
# release's: set up .venv on first use, run the checks, show hints.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.kit-installed

.PHONY: check hint watch venv

# pip's own output stays in $(VENV)/pip.log unless the install fails.
$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: make PYTHON=python3.11 ...")'
	@if [ -x $(PY) ]; then echo "Updating .venv (the kit's Python packages)..."; \
	else echo "Setting up .venv, once (about 20 s): a Python of the kit's own, with pytest and pylint..."; fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]' \
	  > $(VENV)/pip.log 2>&1 || { cat $(VENV)/pip.log; echo "Setting up .venv failed (above: pip's output)."; exit 1; }
	@touch $(STAMP)
	@echo "Done."

venv: $(STAMP)

# make check            every topic against exercises/
# make check T=countdown one topic
check: $(STAMP)
	@$(PY) -m grader check $(if $(T),--topics $(T)) $(if $(TARGET),--target $(TARGET))

# make watch            check the topic you edit each time you save it (Ctrl-C stops)
watch: $(STAMP)
	@$(PY) -m grader watch $(if $(T),--topics $(T)) $(if $(TARGET),--target $(TARGET))

# make hint              a hint for the first test that fails (first failing topic)
# make hint T=countdown  the same within one topic
hint: $(STAMP)
	@$(PY) -m grader hint $(T) $(if $(TARGET),--target $(TARGET))
