"""`occubench grade rubric|pairwise`: grade a run's stored deliverables with a judge model.

The judge (``--judge``) is chosen apart from the model that made the run and defaults to
the embedded local model, so grading works offline. Both commands are idempotent: run
them again to retry what failed; what was graded is kept.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app.commands.common import DbOption, command_group, open_store
from core.errors import UserError

if TYPE_CHECKING:  # the graders pull in the openai SDK (~1 s): only when grading
    from core.store.db import Store
    from graders.judge import Judge

DEFAULT_JUDGE = "local/smollm2-135m"  # = core.llm.DEFAULT_LOCAL_MODEL (checked in tests)

app = command_group("Grade deliverables: rubric grading and the pairwise autograder.",
                    no_args_is_help=True)
console = Console(stderr=True)
T = TypeVar("T")

JudgeOption = typer.Option(DEFAULT_JUDGE, "--judge", help="Judge model id (provider/model); "
                           "separate from the run's model. Default: the embedded local model.")
ConnOption = typer.Option(4, "--max-connections", min=1, max=64,
                          help="Concurrent judge calls.")


def _run(store: Store, judge_model: str, max_connections: int,
         work: Callable[[Judge, Callable[[int], None], Callable[[str], None]], Awaitable[T]]
         ) -> T:
    """Open the judge, run ``work`` under a progress bar, and return its summary."""
    from graders.judge import open_judge

    async def main() -> T:
        async with open_judge(store, judge_model, max_connections=max_connections) as judge:
            with Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                          MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                          transient=False) as bar:
                tid = bar.add_task("grading", total=None)

                def start(n: int) -> None:
                    bar.update(tid, total=n)

                def done(what: str) -> None:
                    bar.update(tid, advance=1, description=what)

                return await work(judge, start, done)

    return asyncio.run(main())


def _warn_family(store: Store, judge: str, *runs: str) -> None:
    from core.store.grades import run_model
    from graders.judge import family_warning

    for run in runs:
        warning = family_warning(judge, run_model(store, run))
        if warning:
            console.print(f"[yellow]warning:[/] {warning}")


def _report(summary: object) -> None:
    skipped = getattr(summary, "skipped", [])
    for s in skipped[:20]:
        console.print(f"skipped {s}")
    if len(skipped) > 20:
        console.print(f"... and {len(skipped) - 20} more skipped")
    typer.echo(summary.line())  # type: ignore[attr-defined]


@app.command("rubric")
def rubric(
    run: str = typer.Option(..., "--run", help="Run id whose deliverables to grade."),
    judge: str = JudgeOption,
    task: list[str] = typer.Option(None, "--task", help="Only these task ids (repeatable)."),
    max_connections: int = ConnOption,
    db: Path | None = DbOption,
) -> None:
    """Score each submission of a run against its task's rubric (checks + LLM judge)."""
    from graders.batch import check_gradable, grade_run_rubric

    store = open_store(db)
    check_gradable(store, run, task or None)
    _warn_family(store, judge, run)
    summary = _run(store, judge, max_connections, lambda j, start, done: grade_run_rubric(
        store, j, run, task_ids=task or None, on_start=start, on_done=done))
    _report(summary)
    check_office(summary.office_missing)


def check_office(office_missing: int) -> None:
    """Fail with the fix when rubric items were left ungraded for want of LibreOffice."""
    if office_missing:
        from core.documents import INSTALL_OFFICE

        raise UserError(f"{office_missing} submission(s) could not be fully graded because "
                        "LibreOffice is not installed (checks on formula values and page "
                        f"counts need it): {INSTALL_OFFICE}, then run the same command again "
                        "(what was graded is kept)")


@app.command("pairwise")
def pairwise(
    run: str = typer.Option(..., "--run", help="Run id whose deliverables to judge."),
    against: str = typer.Option("gold", "--against",
                                help="Reference: 'gold' (the expert's deliverable) or a run id."),
    judge: str = JudgeOption,
    trials: int = typer.Option(1, "--trials", min=1, max=10,
                               help="Repeats; each judges both orders (A/B swapped)."),
    task: list[str] = typer.Option(None, "--task", help="Only these task ids (repeatable)."),
    max_connections: int = ConnOption,
    db: Path | None = DbOption,
) -> None:
    """Judge each submission of a run against a reference, in both orders."""
    from graders.batch import check_gradable, grade_run_pairwise

    store = open_store(db)
    check_gradable(store, run, task or None, against=against)
    _warn_family(store, judge, run, *([] if against == "gold" else [against]))
    summary = _run(store, judge, max_connections, lambda j, start, done: grade_run_pairwise(
        store, j, run, against=against, trials=trials, task_ids=task or None,
        on_start=start, on_done=done))
    _report(summary)
