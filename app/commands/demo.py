"""`occubench demo` (not built yet)."""

from __future__ import annotations

import typer

from app.commands.common import not_built


def register(app: typer.Typer) -> None:
    @app.command("demo", help="Not built yet.")
    def _cmd() -> None:
        not_built("demo")
