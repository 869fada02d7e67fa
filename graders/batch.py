"""Grading a whole run: pick its submissions, grade them concurrently, summarise.

Deliverables are read from the store (``deliverables`` rows), never regenerated; task
specs come from the store's snapshot (``tasks.spec``) so a run stays gradable after the
suite on disk changes. Summaries are computed from the store after grading, so they
describe the run's whole state for this judge (including earlier invocations).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.documents import OFFICE_MISSING
from core.errors import UserError
from core.store.comparisons import auto_judgments_of_run, ensure_comparison
from core.store.db import Store
from core.store.grades import grades_of_run, run_model, submissions_of_run
from core.store.submissions import GOLD_RUN, describe, register_gold, submission_files
from core.store.tasks import get_task
from core.suite import LoadedTask
from core.task import Task
from graders import pairwise, rubric
from graders.judge import Judge, family_warning

Progress = Callable[[str], None]


@dataclass
class RubricSummary:
    graded: int = 0
    partial: int = 0
    ungraded: int = 0
    mean_score: float | None = None  # over fully graded submissions
    worked: int = 0  # submissions (re)graded by this invocation
    skipped: list[str] = field(default_factory=list)  # why some were not graded
    warnings: list[str] = field(default_factory=list)
    office_missing: int = 0  # submissions left partly ungraded for want of LibreOffice

    def line(self) -> str:
        mean = "n/a" if self.mean_score is None else f"{self.mean_score:.3f}"
        return (f"rubric: {self.graded} graded, {self.partial} partial, {self.ungraded} "
                f"ungraded; mean score {mean} (fully graded only); {self.worked} graded now, "
                f"{len(self.skipped)} skipped")


@dataclass
class PairwiseSummary:
    graded: int = 0
    ungraded: int = 0
    wins: int = 0
    ties: int = 0
    losses: int = 0
    position_consistent: int = 0
    worked: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def win_rate(self) -> float | None:
        """Wins plus half ties, over graded comparisons."""
        return (self.wins + 0.5 * self.ties) / self.graded if self.graded else None

    def line(self) -> str:
        rate = "n/a" if self.win_rate is None else f"{self.win_rate:.3f}"
        return (f"pairwise: {self.graded} graded, {self.ungraded} ungraded; win rate {rate} "
                f"(wins + half ties): {self.wins} wins, {self.ties} ties, {self.losses} "
                f"losses; {self.position_consistent}/{self.graded} position-consistent; "
                f"{self.worked} judged now, {len(self.skipped)} skipped")


def _task(store: Store, task_id: str, cache: dict[str, tuple[Task, str | None] | None]
          ) -> tuple[Task, str | None] | None:
    if task_id not in cache:
        cache[task_id] = get_task(store, task_id)
    return cache[task_id]


def check_gradable(store: Store, run_id: str, task_ids: Sequence[str] | None = None, *,
                   against: str | None = None) -> None:
    """Fail fast, before a judge model is started, on an unknown run or reference."""
    _selected(store, run_id, task_ids)
    if against is not None and against != GOLD_RUN and run_model(store, against) is None:
        raise UserError(f"reference run {against!r} is not in the store; check --against")
    if against == run_id:
        raise UserError("--against names the graded run itself; pick gold or another run")


def _selected(store: Store, run_id: str, task_ids: Sequence[str] | None) -> list[tuple[str, int]]:
    if run_model(store, run_id) is None:
        raise UserError(f"run {run_id!r} is not in the store; check --run and --db")
    subs = submissions_of_run(store, run_id, list(task_ids) if task_ids else None)
    if not subs:
        which = f" for tasks {', '.join(task_ids)}" if task_ids else ""
        raise UserError(f"run {run_id!r} has no finished submissions{which} to grade")
    return subs


async def _bounded(jobs: Sequence[Callable[[], Awaitable[None]]], limit: int) -> None:
    sem = asyncio.Semaphore(max(1, limit))

    async def run(job: Callable[[], Awaitable[None]]) -> None:
        async with sem:
            await job()

    tasks = [asyncio.ensure_future(run(j)) for j in jobs]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        # one job hit an error that ends the session (e.g. no judge server): stop the
        # rest now rather than let them fail one by one against a closed client
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def _family_warnings(store: Store, judge: Judge, run_ids: Sequence[str]) -> list[str]:
    """One warning per graded run whose model is of the judge's family (no repeats)."""
    out: list[str] = []
    for run_id in run_ids:
        warning = family_warning(judge.model_id, run_model(store, run_id))
        if warning and warning not in out:
            out.append(warning)
    return out


def _stored_tasks(store: Store, subs: Sequence[tuple[str, int]], skipped: list[str]
                  ) -> Iterator[tuple[str, int, Task, str | None]]:
    """(task id, sample, task, task dir) for each submission whose task the store holds;
    the others are noted in ``skipped``."""
    tasks: dict[str, tuple[Task, str | None] | None] = {}
    for task_id, sample in subs:
        found = _task(store, task_id, tasks)
        if found is None:
            skipped.append(f"{task_id}/{sample}: task not in the store")
            continue
        yield task_id, sample, found[0], found[1]


async def grade_run_rubric(store: Store, judge: Judge, run_id: str, *,
                           task_ids: Sequence[str] | None = None,
                           on_start: Callable[[int], None] | None = None,
                           on_done: Progress | None = None) -> RubricSummary:
    """Rubric-grade every submission of a run (idempotent; retries ungraded items)."""
    subs = _selected(store, run_id, task_ids)
    summary = RubricSummary()
    summary.warnings.extend(_family_warnings(store, judge, [run_id]))
    jobs = []
    for task_id, sample, task, task_dir in _stored_tasks(store, subs, summary.skipped):
        if not task.rubric:
            summary.skipped.append(f"{task_id}/{sample}: task has no rubric")
            continue
        target = rubric.RubricTarget(run_id, task_id, sample, task,
                                     submission_files(store, run_id, task_id, sample),
                                     _inputs(task, task_dir)[0])

        async def job(t: rubric.RubricTarget = target) -> None:
            _, worked = await rubric.grade_submission(store, judge, t,
                                                      warnings=summary.warnings)
            summary.worked += worked
            if on_done:
                on_done(f"{t.task_id}/{t.sample}")
        jobs.append(job)
    if on_start:
        on_start(len(jobs))
    await _bounded(jobs, judge.max_connections)

    wanted = {(t, s) for t, s in subs}
    grades = [g for g in grades_of_run(store, run_id, judge_model=judge.model_id,
                                       grader_version=rubric.GRADER_VERSION)
              if (g.task_id, g.sample) in wanted]
    summary.graded = sum(g.status == "graded" for g in grades)
    summary.partial = sum(g.status == "partial" for g in grades)
    summary.ungraded = sum(g.status == "ungraded" for g in grades)
    summary.office_missing = sum(g.status != "graded" and OFFICE_MISSING in (g.error or "")
                                 for g in grades)
    full = [g.score for g in grades if g.status == "graded" and g.score is not None]
    summary.mean_score = sum(full) / len(full) if full else None
    return summary


def _reference(store: Store, against: str, task: Task, task_dir: str | None, task_id: str,
               sample: int) -> tuple[tuple[str, int], list] | str:
    """The reference submission and its files, or why there is none."""
    if against == GOLD_RUN:
        files = submission_files(store, GOLD_RUN, task_id, 0)
        if not files and task.gold and task_dir and Path(task_dir).is_dir():
            register_gold(store, [LoadedTask(task, Path(task_dir))])
            files = submission_files(store, GOLD_RUN, task_id, 0)
        return ((GOLD_RUN, 0), files) if files else "no gold deliverable registered"
    samples = sorted(s for t, s in submissions_of_run(store, against, [task_id]))
    if not samples:
        return f"run {against} has no submission for this task"
    ref_sample = sample if sample in samples else samples[0]
    return (against, ref_sample), submission_files(store, against, task_id, ref_sample)


def _inputs(task: Task, task_dir: str | None) -> tuple[list, list[str]]:
    """The task's reference files on disk (as digestible files) and those missing."""
    present, missing = [], []
    for f in task.inputs:
        path = Path(task_dir) / f.path if task_dir else None
        if f.missing or path is None or not path.is_file():
            missing.append(f.name)
        else:
            present.append(describe("inputs", task.id, 0, path))
    return present, missing


async def grade_run_pairwise(store: Store, judge: Judge, run_id: str, *,
                             against: str = GOLD_RUN, trials: int = 1,
                             task_ids: Sequence[str] | None = None,
                             on_start: Callable[[int], None] | None = None,
                             on_done: Progress | None = None) -> PairwiseSummary:
    """Judge every submission of a run against ``against`` (gold or another run)."""
    if trials < 1:
        raise UserError("--trials must be at least 1")
    check_gradable(store, run_id, task_ids, against=against)
    subs = _selected(store, run_id, task_ids)
    summary = PairwiseSummary()
    summary.warnings.extend(_family_warnings(
        store, judge, [run_id] if against == GOLD_RUN else [run_id, against]))
    jobs = []
    for task_id, sample, task, task_dir in _stored_tasks(store, subs, summary.skipped):
        ref = _reference(store, against, task, task_dir, task_id, sample)
        if isinstance(ref, str):
            summary.skipped.append(f"{task_id}/{sample}: {ref}")
            continue
        (ref_key, ref_files) = ref
        comp = ensure_comparison(store, task_id, (run_id, sample), ref_key)
        inputs, missing = _inputs(task, task_dir)
        target = pairwise.PairTarget(comp, task, submission_files(store, run_id, task_id,
                                                                  sample),
                                     ref_files, inputs, missing)

        async def job(t: pairwise.PairTarget = target) -> None:
            _, worked = await pairwise.judge_pair(store, judge, t, trials=trials,
                                                  warnings=summary.warnings)
            summary.worked += worked
            if on_done:
                on_done(f"{t.comparison.task_id}/{t.comparison.candidate_sample}")
        jobs.append(job)
    if on_start:
        on_start(len(jobs))
    await _bounded(jobs, max(1, judge.max_connections // 2))

    wanted = {(t, s) for t, s in subs}
    judged = auto_judgments_of_run(store, run_id, against, judge.model_id,
                                   pairwise.GRADER_VERSION)
    for task_id, sample, j in judged:
        if (task_id, sample) not in wanted:
            continue
        if j.status != "graded":
            summary.ungraded += 1
            continue
        summary.graded += 1
        summary.wins += j.outcome == 1.0
        summary.ties += j.outcome == 0.5
        summary.losses += j.outcome == 0.0
        summary.position_consistent += bool(j.position_consistent)
    return summary
