# Setup and run everything on a fresh machine:
#   make check   students: test exercises/ and show what passes
#   make test    the project's own tests (verify + unit tests)
include kit.mk

N ?= 100
.PHONY: test verify unit stubs stress bench release test-all-pythons clean

stubs: $(STAMP)
	$(PY) -m grader stubs

verify: $(STAMP)
	$(PY) -m grader verify

unit: $(STAMP)
	$(PY) -m pytest tests/kit -q

test: unit verify

stress: $(STAMP)
	$(PY) bench/stress.py --runs $(N)

bench: $(STAMP)
	$(PY) bench/speed.py

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
