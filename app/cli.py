"""``occubench``: the command-line face. Each command group lives in ``app.commands``."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import typer

from app.commands import demo, doctor, grade, report, review, run, suite
from core.errors import UserError

app = typer.Typer(
    name="occubench",
    help="GDPval-style evaluation of AI on real knowledge work: run occupation tasks, "
    "grade the office documents, review them blind, report win rates.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
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
doctor.register(app)


INTERRUPTED = "interrupted: finished work is saved; run the same command again to resume"


def _interrupted(exc: BaseException) -> bool:
    """Whether this exit came from a KeyboardInterrupt (typer's Exit(130) chains it)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, KeyboardInterrupt):
            return True
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return False


def _fail(message: str, code: int = 1) -> NoReturn:
    typer.secho(message, fg=typer.colors.RED, err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: errors become one sentence on stderr and a non-zero exit code, never a
    traceback, unless ``--debug`` (accepted anywhere on the command line) or
    ``OCCUBENCH_DEBUG=1`` asks for one."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get("OCCUBENCH_DEBUG") == "1"
    if "--debug" in args:  # the root option, also after a subcommand (`run ... --debug`)
        args = ["--debug", *(a for a in args if a != "--debug")]
    try:
        app(args=args, prog_name="occubench")
    except SystemExit as exc:
        if _interrupted(exc):  # typer turns Ctrl-C into a silent exit 130
            _fail(INTERRUPTED, 130)
        raise
    except KeyboardInterrupt:
        _fail(INTERRUPTED, 130)
    except UserError as exc:
        if debug:
            raise
        _fail(f"error: {exc}")
    except OSError as exc:
        if debug:
            raise
        where = f" {exc.filename}" if exc.filename else ""
        _fail(f"error: cannot use{where}: {exc.strerror or exc}; check the path and its "
              "permissions (run with --debug for the traceback)")
    except Exception as exc:  # a bug: still one line, with the way to the details
        if debug:
            raise
        _fail(f"error: unexpected {type(exc).__name__}: {' '.join(str(exc).split())[:300]}; "
              "this is a bug in occubench: run the command again with --debug for the "
              "traceback and report it")


if __name__ == "__main__":
    main()
