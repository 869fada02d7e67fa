"""`occubench grade ...` (not built yet)."""

from __future__ import annotations

import typer

from app.commands.common import not_built

app = typer.Typer(help="Grade deliverables: rubric grading and the pairwise autograder.",
                  no_args_is_help=True)


@app.command("rubric", help="Not built yet.")
def rubric() -> None:
    not_built("grade rubric")


@app.command("pairwise", help="Not built yet.")
def pairwise() -> None:
    not_built("grade pairwise")
