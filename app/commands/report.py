"""`occubench report`: win rates, ratings and agreement from the database, in one format.

Markdown and JSON go to stdout unless ``--out`` is given (so they pipe); HTML goes to a
file (``data/reports/report-<time>.html`` by default); CSV and Parquet go to a folder of
tidy tables. Progress and the path written go to stderr.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from app.commands.common import DbOption
from core.config import data_dir
from core.errors import UserError
from core.store import Store, default_db_path

if TYPE_CHECKING:       # the report stack (pandas, scipy) loads only when a report is made
    from app.report.build import Report, ReportOptions

FORMATS = ("md", "html", "csv", "json", "parquet")
err = Console(stderr=True)


def _split(values: list[str] | None) -> list[str]:
    """Repeatable options that also accept comma-separated lists."""
    return [v.strip() for item in values or [] for v in item.split(",") if v.strip()]


def _open(db: Path | None) -> Store:
    path = default_db_path(db)
    if not path.is_file():
        raise UserError(f"no database at {path}; pass --db PATH (or set OCCUBENCH_DB) to the "
                        "file your runs and reviews wrote")
    try:
        return Store(path, read_only=True)
    except RuntimeError as exc:   # an older schema: a read-write open upgrades it
        raise UserError(f"{path}: {exc}") from exc


def _build(store: Store, opts: ReportOptions, quiet: bool) -> Report:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from app.report.build import build_report
    if quiet or opts.bootstrap == 0:
        return build_report(store, opts)
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                  transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(f"bootstrap · {stage}", total=total)
            bar.update(tasks[stage], completed=done)

        return build_report(store, opts, progress)


def _default_out(fmt: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    base = data_dir() / "reports" / f"report-{stamp}"
    return base.with_suffix(".html") if fmt == "html" else base.with_name(f"{base.name}-{fmt}")


def write_report(report: Report, fmt: str, out: Path | None) -> Path | None:
    """Write ``report`` in ``fmt``; returns the path written (None for stdout)."""
    from app.report.export import report_json, write_tables
    from app.report.html import render_html
    from app.report.markdown import render_markdown
    if fmt in ("md", "json"):
        text = render_markdown(report) if fmt == "md" else report_json(report)
        if out is None:
            typer.echo(text, nl=False)
            return None
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        return out
    if fmt == "html":
        out = out or _default_out(fmt)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render_html(report), encoding="utf-8")
        return out
    out = out or _default_out(fmt)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} is a file; --format {fmt} writes a folder of tables "
                        "(one file per table), so give a folder path")
    write_tables(report, out, fmt)
    return out


def register(app: typer.Typer) -> None:
    @app.command("report")
    def report(
        runs: list[str] = typer.Option(None, "--runs", help="Candidate run ids (repeatable or "
                                       "comma-separated); default: every run."),
        judges: str = typer.Option("all", "--judges", help="Whose judgments: human, auto or "
                                   "all (pooled; the report also splits them)."),
        by: list[str] = typer.Option(None, "--by", help="Breakdowns: sector, occupation, "
                                     "filetype (repeatable or comma-separated); default all."),
        fmt: str = typer.Option("md", "--format", "-f", help="md, html, csv, json or parquet."),
        out: Path = typer.Option(None, "--out", "-o", help="File (md, html, json) or folder "
                                 "(csv, parquet). md and json default to stdout."),
        db: Path = DbOption,
        min_n: int = typer.Option(10, "--min-n", help="Fewer graded judgments than this: "
                                  "greyed and not ranked."),
        bootstrap: int = typer.Option(1000, "--bootstrap", help="Task-bootstrap replicates "
                                      "for intervals and ratings (0: analytic intervals)."),
        seed: int = typer.Option(0, "--seed", help="Random seed of the bootstrap."),
        ties: str = typer.Option("half", "--ties", help="Bradley-Terry ties: half (half a "
                                 "win each) or davidson."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    ) -> None:
        """Win rates against the expert (wins or ties, wins only, ½-ties score, tie rate)
        with intervals, by model and by sector / occupation / file type; Bradley-Terry
        ratings; judge agreement; rubric scores; cost and speed."""
        from app.report.build import BREAKDOWNS, ReportOptions
        if fmt not in FORMATS:
            raise UserError(f"--format {fmt!r}: choose one of {', '.join(FORMATS)}")
        opts = ReportOptions(runs=tuple(_split(runs)) or None, judges=judges,
                             by=tuple(_split(by)) or BREAKDOWNS, min_n=min_n,
                             bootstrap=bootstrap, seed=seed, ties=ties)
        opts.check()
        store = _open(db)
        rep = _build(store, opts, quiet)
        if rep.meta["judgments_graded"] == 0:
            err.print("[yellow]no graded judgments match: the win-rate tables are empty[/]")
        path = write_report(rep, fmt, out)
        if path is not None:
            err.print(f"wrote {path} ({rep.meta['judgments_graded']:,} graded judgments, "
                      f"{rep.timings['total']:.1f}s)")
