"""`occubench demo`: run, grade, open for review and report, offline, in one command."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from app.commands.common import DbOption, open_store

console = Console(stderr=True)


def _step(n: int, text: str) -> None:
    console.rule(f"[bold]{n}/5 {text}")


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        suite: Path = typer.Option(Path("occupations"), "--suite", help="Suite folder."),
        all_tasks: bool = typer.Option(False, "--all", help="Every runnable task of the suite "
                                       "(about 1.5 minutes per task on 2 cores) instead of "
                                       "the three-task tour."),
        task: list[str] = typer.Option(None, "--task", help="Only these task ids "
                                       "(repeatable)."),
        db: Path = DbOption,
    ) -> None:
        """Run the starter suite on the embedded model, grade it, open a review batch and
        write the reports — offline. Run it again to resume rather than repeat.

        By default a tour of three tasks that together ask for docx, xlsx, pptx and pdf
        deliverables; --all runs every starter task.
        """
        from app.commands.grade import _run as run_judge
        from app.commands.grade import check_office
        from app.commands.report import write_report
        from app.commands.run import _print_summary, _run_with_progress
        from app.demo import REVIEWER, ensure_accounts, ensure_batch, plan_demo
        from app.report.build import ReportOptions, build_report
        from core.documents import OfficeMissingError, soffice_path
        from core.llm import DEFAULT_LOCAL_MODEL
        from graders.batch import grade_run_pairwise, grade_run_rubric
        from runner.limits import Limits
        from runner.orchestrate import RunConfig

        plan = plan_demo(suite, all_tasks=all_tasks, task_ids=task or None)
        if soffice_path() is None:  # before minutes of model work, not after
            raise OfficeMissingError("grade the demo's documents and show them in the "
                                     "review app")
        store = open_store(db)
        console.print(f"occubench demo: {len(plan.tasks)} task(s) on {DEFAULT_LOCAL_MODEL}, "
                      f"offline; database {store.path}")
        runnable = sum(t.task.runnable for t in plan.suite.tasks)
        if len(plan.tasks) < runnable and not task:
            console.print(f"a tour of {len(plan.tasks)} of the suite's {runnable} runnable "
                          "tasks (together they ask for docx, xlsx, pptx and pdf); --all runs "
                          f"every one, about {round(runnable * 1.5)} minutes on 2 cores")

        _step(1, "run: the embedded model writes the deliverables")
        cfg = RunConfig(suite=suite, model=DEFAULT_LOCAL_MODEL, samples=1, max_connections=1,
                        task_ids=plan.task_ids, occupations=None, run_id=plan.run_id,
                        mode="auto", limits=Limits(timeout_s=900.0), policy_path=None,
                        approve=[], db=store.path, responses_api=False)
        result = _run_with_progress(cfg)
        _print_summary(result)

        _step(2, "grade: rubric items (checks, then the embedded judge)")
        summary = run_judge(store, DEFAULT_LOCAL_MODEL, 1, lambda j, start, done:
                            grade_run_rubric(store, j, plan.run_id, task_ids=plan.task_ids,
                                             on_start=start, on_done=done))
        typer.echo(summary.line())
        check_office(summary.office_missing)

        _step(3, "grade: pairwise against the professional's deliverable, both orders")
        summary = run_judge(store, DEFAULT_LOCAL_MODEL, 1, lambda j, start, done:
                            grade_run_pairwise(store, j, plan.run_id, against="gold",
                                               task_ids=plan.task_ids, on_start=start,
                                               on_done=done))
        typer.echo(summary.line())

        _step(4, "review: a blind batch and demo accounts")
        added = ensure_batch(store, plan)
        accounts = ensure_accounts(store, plan)
        console.print(f"review batch ready ({added} pair(s) added now)")

        _step(5, "report: win rates, ratings, rubric scores, cost")
        report = build_report(store, ReportOptions(judges="all", bootstrap=200, min_n=1))
        html = write_report(report, "html", plan.reports / "demo.html")
        md = write_report(report, "md", plan.reports / "demo.md")

        console.rule("[bold green]done")
        typer.echo(f"report:  {html}  (and {md})")
        typer.echo(f"review:  .venv/bin/occubench review --db {store.path}   then open "
                   "http://127.0.0.1:8501")
        typer.echo(f"         sign in as '{REVIEWER}' with password '{accounts[REVIEWER]}' "
                   f"(admin: 'demo-admin' / '{accounts['demo-admin']}'; both kept in "
                   f"{plan.accounts_file})")
