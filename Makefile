# The two commands of the README. Both install what they need first (scripts/setup.sh).
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=
JOBS ?= 2

.PHONY: serve test setup image bench

serve:
	bash scripts/setup.sh serve
	.venv/bin/grader serve --host $(HOST) --port $(PORT)

test:
	bash scripts/setup.sh test
	.venv/bin/python -m pytest -n $(JOBS) $(PYTEST_ARGS)

setup:
	bash scripts/setup.sh test

image:
	.venv/bin/python -m runner build

bench:
	.venv/bin/python bench/bench_runner.py
