# The two commands of the README's quick start. Both set up what is missing first.
.PHONY: demo test setup lint

setup:
	@./scripts/setup.sh

demo: setup
	.venv/bin/occubench demo

test: setup
	.venv/bin/python -m pytest

lint: setup
	.venv/bin/ruff check .
