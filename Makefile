# The two commands of the README's quick start. Both set up what is missing first.
.PHONY: demo test setup lint

setup:
	@./scripts/setup.sh

demo: setup
	.venv/bin/occubench demo

# Two workers, one test module each at a time: the newcomer's clean-clone walk (about
# 8 minutes) runs beside everything else instead of after it.
test: setup
	.venv/bin/python -m pytest -n 2 --dist loadscope

lint: setup
	.venv/bin/ruff check .
