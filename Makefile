# Setup and run everything on a fresh machine:
#   make check   students: test exercises/ and show what passes
#   make test    the project's own tests (verify + unit tests)
include kit.mk

N ?= 100
OUT ?= grades
.PHONY: test verify unit lint stubs stress bench release test-all-pythons clean grade gradescope system nbgrader

# The project's own tools (pylint, nbgrader) on top of the students' set.
DEV_STAMP := $(VENV)/.kit-dev
$(DEV_STAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test,dev]'
	@touch $@

# Debian packages the grader uses: bubblewrap confines student code; iptables
# cuts the grading users off the network where bubblewrap cannot run. Installed
# when we can (root with apt-get); otherwise the grader falls back to weaker
# isolation and says so in every report's flags.
SYSTEM_STAMP := $(VENV)/.kit-system
$(SYSTEM_STAMP): | $(STAMP)
	@missing=""; \
	command -v bwrap >/dev/null 2>&1 || missing="$$missing bubblewrap"; \
	if [ "$$(id -u)" = 0 ]; then command -v iptables >/dev/null 2>&1 || missing="$$missing iptables"; fi; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "note:$$missing not installed; grading falls back to weaker isolation"; \
	  fi; \
	fi
	@touch $@

system: $(SYSTEM_STAMP)

# Debian's chromium, for the project's own tests only: tests/kit/test_report.py
# looks at report.html in it (without one, that test skips and says why).
BROWSER_STAMP := $(VENV)/.kit-browser
$(BROWSER_STAMP): | $(STAMP)
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "note: chromium not installed; the report's browser test will skip"; \
	  fi; \
	fi
	@touch $@

# make grade SUBMISSIONS=DIR [OUT=grades]   grade a whole class (resumable)
grade: $(SYSTEM_STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=DIR [OUT=grades]"; exit 2; }
	$(PY) -m grader batch $(SUBMISSIONS) --out $(OUT)

gradescope: $(STAMP)
	$(PY) -m grader gradescope

stubs: $(STAMP)
	$(PY) -m grader stubs

verify: $(SYSTEM_STAMP)
	$(PY) -m grader verify

# The unit tests mostly wait (graders, sandboxes, nbgrader's kernels), so four
# pytest-xdist workers share the two cores (tests/kit/conftest.py schedules them).
UNIT_WORKERS ?= 4
unit: $(SYSTEM_STAMP) $(DEV_STAMP) $(BROWSER_STAMP)
	$(PY) -m pytest tests/kit -q -n $(UNIT_WORKERS) --durations=20

# pylint over our code (settings in pyproject.toml); anything below 10.00 fails.
lint: $(DEV_STAMP)
	$(PY) -m pylint --fail-under=10 grader solutions tests bench

# make nbgrader [COURSE=course]   the kit as an nbgrader course
COURSE ?= course
nbgrader: $(DEV_STAMP)
	$(PY) -m grader nbgrader build $(COURSE)

# lint beside the unit tests (each target's output printed whole when it ends),
# then verify: with all three at once a correct asyncio_chain lost 0.49 points
# in one fresh-clone run (load average near 10 on two cores).
test: $(SYSTEM_STAMP) $(DEV_STAMP) $(BROWSER_STAMP)
	@$(MAKE) --no-print-directory -j2 --output-sync=target lint unit
	@$(MAKE) --no-print-directory verify

stress: $(STAMP)
	$(PY) bench/stress.py --runs $(N)

# make bench [WRITE=1]   the README's speed table, measured here (WRITE=1 writes it in)
bench: $(SYSTEM_STAMP) $(DEV_STAMP)
	$(PY) bench/speed_table.py $(if $(WRITE),--write-readme)

# make mutation [T=countdown]   mutants of solutions/ against each topic's own tests
# (a maintainer's check, not part of make test; survivors: tests/mutation_equivalent.toml)
.PHONY: mutation
mutation: $(DEV_STAMP)
	$(PY) bench/mutation.py $(if $(T),--topics $(T))

release: $(STAMP)
	$(PY) -m grader release

# Run the suite on every other CPython that pyenv has (3.12, 3.13 when present).
test-all-pythons:
	@for v in $$(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[2-9]\.'); do \
	  py=$$(pyenv root)/versions/$$v/bin/python; \
	  echo "== Python $$v"; \
	  $(MAKE) --no-print-directory VENV=.venv-$$v PYTHON=$$py unit verify || exit 1; \
	done

clean:
	rm -rf dist .hints-seen.json
