"""`occubench run`: run a suite against a model, resumably, with a live progress bar."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app.commands.common import DbOption
from core.errors import UserError
from runner.policy import TOOL_NAMES

if TYPE_CHECKING:
    from runner.orchestrate import Progress as RunProgress
    from runner.orchestrate import RunConfig, RunResult

console = Console(stderr=True)


def _cost(p: RunProgress) -> str:
    if p.cost_unknown:
        return f"${p.cost_usd:.4f}+ (some prices unknown)" if p.cost_usd else "$? (price unknown)"
    return f"${p.cost_usd:.4f}"


def _print_start(r: RunResult) -> None:
    p = r.progress
    console.print(f"run id: [bold]{r.run_id}[/bold]  (re-run the same command to resume)")
    console.print(f"model {r.model}, {r.mode} mode"
                  + (f", sandbox: {r.sandbox_level}" if r.sandbox_level else ""))
    for w in r.failures:
        console.print(f"[yellow]warning:[/yellow] {w}")
    r.failures.clear()
    if p.skipped:
        console.print(f"{p.skipped} sample(s) already finished, {p.total} to run")


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run_cmd(
        suite: Path = typer.Option(Path("occupations"), "--suite",
                                   help="Suite folder (or a task folder / task.yaml)."),
        model: str = typer.Option(None, "--model",
                                  help="provider/model, e.g. openai/gpt-4o or "
                                       "`vllm/<name>`; default: the embedded local model."),
        samples: int = typer.Option(1, "--samples", min=1, max=100,
                                    help="Samples per task."),
        max_connections: int = typer.Option(8, "--max-connections", min=1, max=512,
                                            help="Concurrent model calls."),
        task: list[str] = typer.Option(None, "--task", help="Task id (repeatable)."),
        occupation: list[str] = typer.Option(None, "--occupation",
                                             help="Occupation name (glob, repeatable)."),
        run_id: str = typer.Option(None, "--run-id",
                                   help="Name of the run (default: from model and suite; "
                                        "the same id resumes)."),
        mode: str = typer.Option("auto", "--mode",
                                 help="tools, plan (one JSON document plan), or auto "
                                      "(tools when the model can call tools)."),
        max_turns: int = typer.Option(30, "--max-turns", min=1, max=1000,
                                      help="Model calls per sample."),
        max_tokens: int = typer.Option(100_000, "--max-tokens", min=100,
                                       help="Output tokens per sample."),
        timeout: float = typer.Option(1800.0, "--timeout", min=1.0,
                                      help="Wall-time limit per sample, seconds."),
        max_cost: float = typer.Option(None, "--max-cost", min=0.0,
                                       help="Cost cap per sample, USD (needs a known price)."),
        policy: Path = typer.Option(None, "--policy",
                                    help="Tool policy YAML (default: `<suite>/policy.yaml`)."),
        approve: list[str] = typer.Option(None, "--approve",
                                          help="Confirm a tool the policy marks as needing "
                                               "confirmation (repeatable)."),
        responses_api: bool = typer.Option(False, "--responses-api",
                                           help="Use the Responses API instead of Chat "
                                                "Completions."),
        db: Path = DbOption,
    ) -> None:
        """Run every selected task with a model and record the deliverables.

        Deliverables land in `data/runs/<run>/<task>/<sample>/`; every sample's outcome,
        transcript, usage and cost go to DuckDB. Interrupt at any time: finished samples
        are kept and the same command resumes.
        """
        if mode not in ("auto", "tools", "plan"):
            raise UserError(f"--mode {mode!r} must be auto, tools or plan")
        bad = [t for t in approve or [] if t not in TOOL_NAMES]
        if bad:
            raise UserError(f"--approve {bad[0]!r} is not a tool; tools are "
                            f"{', '.join(TOOL_NAMES)}")
        # imported here: the model client pulls in the openai SDK, which other commands
        # should not pay for at start-up
        from core.llm import DEFAULT_LOCAL_MODEL
        from runner.limits import Limits
        from runner.orchestrate import RunConfig

        cfg = RunConfig(
            suite=suite, model=model or DEFAULT_LOCAL_MODEL, samples=samples,
            max_connections=max_connections, task_ids=task or None,
            occupations=occupation or None, run_id=run_id, mode=mode,
            limits=Limits(max_turns=max_turns, max_output_tokens=max_tokens,
                          timeout_s=timeout, max_cost_usd=max_cost),
            policy_path=policy, approve=approve or [], db=db, responses_api=responses_api)
        result = _run_with_progress(cfg)
        _print_summary(result)
        if result.progress.failed:
            raise typer.Exit(1)


def _run_with_progress(cfg: RunConfig) -> RunResult:
    bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[stats]}"), TimeElapsedColumn(), console=console,
                   transient=False)
    state: dict = {}

    def stats(p: RunProgress) -> str:
        return (f"failed {p.failed} · running {p.running} · tokens "
                f"{p.input_tokens:,} in / {p.output_tokens:,} out · {_cost(p)}")

    def on_start(r: RunResult) -> None:
        _print_start(r)
        bar.start()
        state["task"] = bar.add_task("samples", total=r.progress.total, stats=stats(r.progress))

    def on_progress(p: RunProgress) -> None:
        if "task" in state:
            bar.update(state["task"], completed=p.done + p.failed, stats=stats(p))

    from runner.orchestrate import execute_run

    try:
        return asyncio.run(execute_run(cfg, on_progress=on_progress, on_start=on_start))
    except asyncio.CancelledError:  # SIGTERM: the run stopped cleanly, like Ctrl-C
        raise KeyboardInterrupt from None
    finally:
        bar.stop()


def _print_summary(r: RunResult) -> None:
    p = r.progress
    for f in r.failures[:20]:
        console.print(f"[red]failed[/red] {f}")
    if len(r.failures) > 20:
        console.print(f"... and {len(r.failures) - 20} more")
    by = r.totals.get("by_status", {})
    total_cost = r.totals.get("cost_usd")
    console.print(
        f"run {r.run_id}: {p.done} done, {p.failed} failed this time in {r.wall_s:.1f}s; "
        f"in the store: {', '.join(f'{n} {s}' for s, n in sorted(by.items()))}; "
        f"cost {'unknown' if total_cost is None else f'${total_cost:.4f}'}")
