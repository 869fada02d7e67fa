"""``occubench``: the command-line face. Each command group lives in ``app.commands``."""

from __future__ import annotations

import os
import sys

import typer

from app.commands import demo, grade, report, review, run, suite
from core.errors import UserError

app = typer.Typer(
    name="occubench",
    help="GDPval-style evaluation of AI on real knowledge work: run occupation tasks, "
    "grade the office documents, review them blind, report win rates.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
) -> None:
    if debug:
        os.environ["OCCUBENCH_DEBUG"] = "1"


app.add_typer(suite.app, name="suite")
run.register(app)
app.add_typer(grade.app, name="grade")
review.register(app)
report.register(app)
demo.register(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one sentence and exit code 1, unless --debug."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or os.environ.get("OCCUBENCH_DEBUG") == "1"
    try:
        app(args=args, prog_name="occubench")
    except UserError as exc:
        if debug:
            raise
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        typer.secho("interrupted: finished work is saved; run the same command again to "
                    "resume", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
