"""`occubench doctor`: is this machine ready for occubench, and what fixes it if not."""

from __future__ import annotations

from pathlib import Path

import typer

from app.commands.common import DbOption

COLOURS = {"OK": typer.colors.GREEN, "INFO": typer.colors.BLUE, "MISSING": typer.colors.RED,
           "LOCKED": typer.colors.YELLOW, "BROKEN": typer.colors.RED}


def register(app: typer.Typer) -> None:
    @app.command("doctor")
    def doctor(db: Path = DbOption) -> None:
        """Check the environment: Python, LibreOffice, fonts, Chromium, the sandbox, the
        embedded model, the database and which model providers are configured.

        Prints one line per item (OK, MISSING, LOCKED, BROKEN or INFO) with the command
        that fixes it; exits 0 when everything `occubench demo` needs is present, else 1.
        Provider variables are listed by name only, never their values.
        """
        from app.doctor import diagnose

        findings = diagnose(db)
        width = max(len(f.name) for f in findings)
        for f in findings:
            status = typer.style(f"{f.status:<7}", fg=COLOURS.get(f.status), bold=True)
            optional = "" if f.needed or f.ok else " (optional)"
            fix = f"  -> fix: {f.fix}" if f.fix and not f.ok else ""
            typer.echo(f"{status} {f.name:<{width}}  {f.detail}{optional}{fix}")
        blocking = [f.name for f in findings if f.blocks_demo]
        if blocking:
            typer.secho(f"not ready for `occubench demo`: fix {', '.join(blocking)} (see "
                        "the fix on each line above)", fg=typer.colors.RED, err=True)
            raise typer.Exit(1)
        typer.secho("ready for `occubench demo`", fg=typer.colors.GREEN)
