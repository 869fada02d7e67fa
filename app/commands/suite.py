"""`occubench suite ...`: validate, list and import task suites."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from app.commands.common import command_group
from core.errors import UserError
from core.gdpval import GDPvalImportError, import_gdpval
from core.suite import Suite, load_suite

app = command_group("Validate, list and import task suites.", no_args_is_help=True)
console = Console()


def _load(path: Path) -> Suite:
    if not path.exists():
        raise UserError(f"suite path {path} does not exist; pass the folder holding the "
                        "task.yaml files (the starter suite is 'occupations')")
    return load_suite(path)


@app.command("validate")
def validate(
    path: Path = typer.Argument(Path("occupations"),
                                help="Suite folder, task folder or task.yaml."),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings as errors."),
) -> None:
    """Check every task: schema, taxonomy, files inside the task folder, unique ids, rubric.

    Prints `path:field: message` for each problem and exits 1 when any error (or, with
    --strict, any warning) is found; otherwise prints task counts by sector and occupation.
    """
    suite = _load(path)
    for p in suite.problems:
        typer.echo(str(p), err=True)
    failing = suite.problems if strict else suite.errors
    if failing:
        typer.secho(f"{len(failing)} problem(s) in {path}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    counts = suite.counts()
    runnable = sum(t.task.runnable for t in suite.tasks)
    typer.echo(f"{len(suite.tasks)} tasks valid ({runnable} runnable) in {path}")
    typer.echo(f"\nby sector ({len(counts['sector'])}):")
    for name, n in sorted(counts["sector"].items()):
        typer.echo(f"  {n:4d}  {name}")
    typer.echo(f"\nby occupation ({len(counts['occupation'])}):")
    for name, n in sorted(counts["occupation"].items()):
        typer.echo(f"  {n:4d}  {name}")


@app.command("list")
def list_tasks(
    path: Path = typer.Argument(Path("occupations"), help="Suite folder."),
    sector: list[str] = typer.Option(None, "--sector", help="Sector name (glob, repeatable)."),
    occupation: list[str] = typer.Option(None, "--occupation",
                                         help="Occupation name (glob, repeatable)."),
    deliverable_type: list[str] = typer.Option(None, "--type",
                                               help="Deliverable type: docx, xlsx, pptx, pdf..."),
    runnable: bool = typer.Option(False, "--runnable", help="Only tasks that can be run."),
    ids_only: bool = typer.Option(False, "--ids", help="Print task ids only, one per line."),
) -> None:
    """List tasks, filtered by sector, occupation and deliverable type."""
    suite = _load(path)
    tasks = suite.select(sectors=sector, occupations=occupation,
                         deliverable_types=deliverable_type, runnable_only=runnable)
    if ids_only:
        for lt in tasks:
            typer.echo(lt.id)
        return
    table = Table(title=f"{len(tasks)} of {len(suite.tasks)} tasks")
    for col in ("id", "occupation", "title", "types", "rubric", "runnable"):
        table.add_column(col, overflow="fold")
    for lt in tasks:
        t = lt.task
        table.add_row(t.id, t.occupation, t.title, ",".join(t.deliverable_types) or "?",
                      str(len(t.rubric)), "yes" if t.runnable else "no")
    console.print(table)
    if suite.errors:
        typer.secho(f"{len(suite.errors)} task file(s) have errors and are not listed; run "
                    f"`occubench suite validate {path}`", fg=typer.colors.YELLOW, err=True)


@app.command("import-gdpval")
def import_cmd(
    source: Path = typer.Argument(..., help="GDPval rows: .parquet, .jsonl or .json."),
    out: Path = typer.Option(..., "--out", help="Suite folder to write."),
    files: Path = typer.Option(None, "--files",
                               help="Local copy of the dataset's files (reference_files/, "
                               "deliverable_files/)."),
) -> None:
    """Import GDPval rows (v1 or v2 schema) as suite folders, one per task.

    Files not found under --files are recorded as missing and the task is marked not
    runnable, with the reason; no row is dropped silently.
    """
    if files is not None and not files.is_dir():
        raise UserError(f"--files {files} is not a folder")
    try:
        result = import_gdpval(source, out, files)
    except GDPvalImportError as exc:
        raise UserError(str(exc)) from exc
    typer.echo(f"imported {len(result.written)} tasks with {result.rubric_items} rubric items "
               f"into {out}")
    if result.not_runnable:
        typer.echo(f"{len(result.not_runnable)} task(s) are not runnable until their files "
                   "are present (pass --files):")
        for line in result.not_runnable[:10]:
            typer.echo(f"  {line}")
        if len(result.not_runnable) > 10:
            typer.echo(f"  ... and {len(result.not_runnable) - 10} more")
    for err in result.errors:
        typer.secho(f"skipped {err}", fg=typer.colors.RED, err=True)
    if result.errors:
        raise typer.Exit(1)
