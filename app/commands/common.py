"""Options and helpers shared by the CLI commands."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from core.store import Store

DbOption = typer.Option(None, "--db", help="DuckDB file (default: $OCCUBENCH_DB or "
                        "data/occubench.duckdb).", envvar="OCCUBENCH_DB")


def command_group(help: str, **kwargs) -> typer.Typer:
    """A sub-command group, with help text reflowed as Markdown like the root's: Typer's
    default ("rich") keeps a docstring's line breaks in the command list."""
    return typer.Typer(help=help, rich_markup_mode="markdown", **kwargs)


def open_store(db: Path | None) -> Store:
    from core.store import Store, default_db_path  # duckdb is slow to import: only when used

    return Store(default_db_path(db))
