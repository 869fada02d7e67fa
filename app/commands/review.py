"""``occubench review``: the blind-review web app, its batches, and reviewer accounts.

``occubench review [--port N] [--db PATH] [--host ADDR]`` starts the Streamlit app.
``occubench review batch create|list|close|open`` manages what is reviewed, and
``occubench reviewers add|list|disable|enable|passwd`` manages who reviews.
"""

from __future__ import annotations

import csv
import difflib
import os
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from app.commands.common import DbOption, command_group, open_store
from core.documents import INSTALL_OFFICE, soffice_path
from core.errors import UserError
from core.store import Store
from core.store.batches import (
    add_attention_pairs,
    create_batch,
    find_batch,
    list_batches,
    set_closed,
)
from core.store.review_admin import judgments_export, task_occupations
from core.store.reviewers import (
    ANY_OCCUPATION,
    add_reviewer,
    list_reviewers,
    set_active,
    set_occupations,
    set_password,
)
from core.store.submissions import GOLD_RUN
from core.taxonomy import taxonomy_for

console = Console()
APP_SCRIPT = Path(__file__).resolve().parents[1] / "review" / "streamlit_app.py"

review_app = command_group("Blind pairwise review by experts: the web app (run with no "
                           "subcommand) and review batches.", invoke_without_command=True)
batch_app = command_group("Review batches: which pairs are judged, by how many.",
                          no_args_is_help=True)
reviewers_app = command_group("Reviewer and admin accounts of the review app.",
                              no_args_is_help=True)
review_app.add_typer(batch_app, name="batch")


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")
    app.add_typer(reviewers_app, name="reviewers")


# -- the server ----------------------------------------------------------------------


def streamlit_command(port: int, host: str) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(APP_SCRIPT),
            "--server.port", str(port), "--server.address", host,
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none", "--server.runOnSave", "false",
            "--client.toolbarMode", "minimal", "--client.showErrorDetails", "none",
            "--global.developmentMode", "false", "--server.enableCORS", "true",
            "--server.enableXsrfProtection", "true"]


@review_app.callback()
def review(
    ctx: typer.Context,
    port: int = typer.Option(8501, "--port", help="Port to serve the app on."),
    host: str = typer.Option("127.0.0.1", "--host",
                             help="Address to listen on; 0.0.0.0 serves other machines."),
    hold_minutes: float = typer.Option(30.0, "--hold-minutes",
                                       help="How long a pair stays reserved for the reviewer "
                                       "who opened it."),
    db: Path = DbOption,
) -> None:
    """Start the review app (Streamlit) on the given port."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"db": db}
        return
    store = open_store(db)
    people = list_reviewers(store, include_inactive=False)
    if not any(r.is_admin for r in people):
        typer.secho("note: no admin account yet; add one with `occubench reviewers add NAME "
                    "--admin`", fg=typer.colors.YELLOW, err=True)
    if soffice_path() is None:
        typer.secho(f"warning: LibreOffice is not installed, so reviewers will see the "
                    f"documents' text but no page previews; {INSTALL_OFFICE}",
                    fg=typer.colors.YELLOW, err=True)
    env = {**os.environ, "OCCUBENCH_DB": str(store.path.resolve()),
           "OCCUBENCH_REVIEW_HOLD_MINUTES": str(hold_minutes)}
    typer.echo(f"review app on http://{host}:{port}  (database {store.path})", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    cmd = streamlit_command(port, host)
    Store.close_all()  # the server must not inherit this process's handle on the file
    os.execve(cmd[0], cmd, env)


def _db(ctx: typer.Context, db: Path | None) -> Path | None:
    """``--db`` given after the subcommand, else the one given to ``review``."""
    return db or (ctx.obj or {}).get("db")


# -- batches ---------------------------------------------------------------------------


@batch_app.command("create")
def batch_create(
    ctx: typer.Context,
    runs: list[str] = typer.Option(..., "--runs", help="Candidate run id (repeatable, or "
                                   "comma-separated)."),
    against: str = typer.Option(GOLD_RUN, "--against", help="'gold' or a reference run id."),
    k: int = typer.Option(3, "--k", help="Distinct reviewers per pair."),
    task: list[str] = typer.Option(None, "--task", help="Only these task ids (globs)."),
    occupation: list[str] = typer.Option(None, "--occupation",
                                         help="Only tasks of these occupations (globs)."),
    name: str = typer.Option(None, "--name", help="Batch name; an existing name is "
                             "extended with missing pairs."),
    attention: int = typer.Option(0, "--attention", help="Add this many attention pairs "
                                  "(a task's gold against itself; right answer: as good as)."),
    db: Path = DbOption,
) -> None:
    """Create (or extend) a batch of candidate-vs-reference pairs for review."""
    store = open_store(_db(ctx, db))
    run_ids = [r.strip() for item in runs for r in item.split(",") if r.strip()]
    result = create_batch(store, runs=run_ids, against=against, k=k, name=name,
                          task_ids=task or None, occupations=occupation or None,
                          created_by="cli")
    extra = add_attention_pairs(store, result.batch.batch_id, n=attention) if attention else 0
    for line in result.skipped:
        typer.echo(f"skipped {line}", err=True)
    typer.echo(f"batch {result.batch.name!r} ({result.batch.batch_id}): {result.added} pairs "
               f"added, {result.batch.pairs} in all, k={result.batch.k}"
               + (f", {extra} attention pairs added" if attention else ""))


@batch_app.command("list")
def batch_list(ctx: typer.Context, db: Path = DbOption) -> None:
    """List review batches."""
    batches = list_batches(open_store(_db(ctx, db)))
    table = Table(title=f"{len(batches)} batches")
    for col in ("id", "name", "k", "pairs", "attention", "runs", "against", "closed"):
        table.add_column(col, overflow="fold")
    for b in batches:
        table.add_row(b.batch_id, b.name, str(b.k), str(b.pairs), str(b.attention_pairs),
                      ", ".join(b.config.get("runs", [])), str(b.config.get("against", "")),
                      "yes" if b.closed else "")
    console.print(table)


@batch_app.command("close")
def batch_close(ctx: typer.Context, batch: str = typer.Argument(..., help="Batch id or name."),
                db: Path = DbOption) -> None:
    """Take a batch out of every reviewer's queue (its votes stay)."""
    store = open_store(_db(ctx, db))
    b = set_closed(store, find_batch(store, batch).batch_id, True)
    typer.echo(f"batch {b.name!r} closed")


@batch_app.command("open")
def batch_open(ctx: typer.Context, batch: str = typer.Argument(..., help="Batch id or name."),
               db: Path = DbOption) -> None:
    """Put a closed batch back into reviewers' queues."""
    store = open_store(_db(ctx, db))
    b = set_closed(store, find_batch(store, batch).batch_id, False)
    typer.echo(f"batch {b.name!r} reopened")


@review_app.command("export")
def export(ctx: typer.Context,
           out: Path = typer.Option(..., "--out", help="CSV file to write."),
           current_only: bool = typer.Option(False, "--current-only",
                                             help="Leave out votes changed later."),
           db: Path = DbOption) -> None:
    """Write every human vote (unblinded) to a CSV file."""
    rows = judgments_export(open_store(_db(ctx, db)), current_only=current_only)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        if rows:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    typer.echo(f"{len(rows)} votes written to {out}")


# -- reviewers ---------------------------------------------------------------------------

UsernameArg = typer.Argument(..., help="Login name of the account.")


def _check_occupations(store: Store, occupations: list[str]) -> list[str]:
    """Canonical names (case fixed) from the taxonomy or the stored tasks; a typo would
    leave the reviewer with an empty queue, so it is an error."""
    names = [*taxonomy_for().occupations, *task_occupations(store)]
    known = {o.lower(): o for o in names}
    out = []
    for occ in occupations:
        if occ == ANY_OCCUPATION:
            out.append(occ)
            continue
        canonical = known.get(occ.strip().lower())
        if canonical is None:
            close = difflib.get_close_matches(occ, names, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UserError(f"unknown occupation {occ!r}{hint}; use a name from "
                            "occupations/taxonomy.yaml (quoted) or '*' for all")
        out.append(canonical)
    return out


def _read_password(from_stdin: bool, none: bool) -> str | None:
    if none:
        return None
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise UserError("--password-stdin was given but standard input had no password")
        return password
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@reviewers_app.command("add")
def reviewers_add(
    username: str = typer.Argument(..., help="Login name (the e-mail address for single "
                                   "sign-on)."),
    occupation: list[str] = typer.Option(None, "--occupation", "-o",
                                         help="Occupation of expertise (repeatable; '*' = "
                                         "all)."),
    admin: bool = typer.Option(False, "--admin", help="Make an admin (sees the admin pages)."),
    name: str = typer.Option(None, "--name", help="Display name."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from the first line of "
                                        "standard input instead of prompting."),
    no_password: bool = typer.Option(False, "--no-password",
                                     help="Single sign-on only (st.login)."),
    db: Path = DbOption,
) -> None:
    """Add a reviewer or admin; the password is stored only as a scrypt hash."""
    store = open_store(db)
    occs = _check_occupations(store, occupation or ([ANY_OCCUPATION] if admin else []))
    password = _read_password(password_stdin, no_password)
    rev = add_reviewer(store, username, password=password, occupations=occs,
                       role="admin" if admin else "reviewer", display_name=name)
    typer.echo(f"added {rev.role} {rev.username} ({', '.join(rev.occupations)})")


@reviewers_app.command("list")
def reviewers_list(db: Path = DbOption) -> None:
    """List reviewer and admin accounts: role, occupations, active or not, sign-in."""
    people = list_reviewers(open_store(db))
    table = Table(title=f"{len(people)} accounts")
    for col in ("username", "name", "role", "occupations", "active", "sign-in"):
        table.add_column(col, overflow="fold")
    for r in people:
        table.add_row(r.username, r.display_name or "", r.role, ", ".join(r.occupations),
                      "yes" if r.active else "no", "password" if r.has_password else "SSO")
    console.print(table)


@reviewers_app.command("disable")
def reviewers_disable(username: str = UsernameArg, db: Path = DbOption) -> None:
    """Stop an account from signing in (its votes stay)."""
    set_active(open_store(db), username, False)
    typer.echo(f"{username} disabled")


@reviewers_app.command("enable")
def reviewers_enable(username: str = UsernameArg, db: Path = DbOption) -> None:
    """Let a disabled account sign in again."""
    set_active(open_store(db), username, True)
    typer.echo(f"{username} enabled")


@reviewers_app.command("passwd")
def reviewers_passwd(
    username: str = UsernameArg,
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the new password from standard input."),
    db: Path = DbOption,
) -> None:
    """Set a new password."""
    password = _read_password(password_stdin, False)
    assert password is not None
    set_password(open_store(db), username, password)
    typer.echo(f"password of {username} changed")


@reviewers_app.command("occupations")
def reviewers_occupations(
    username: str = UsernameArg,
    occupation: list[str] = typer.Option(..., "--occupation", "-o", help="Repeatable."),
    db: Path = DbOption,
) -> None:
    """Replace an account's occupations of expertise."""
    store = open_store(db)
    rev = set_occupations(store, username, _check_occupations(store, occupation))
    typer.echo(f"{rev.username}: {', '.join(rev.occupations)}")
