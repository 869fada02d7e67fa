"""Small store helpers for report tests: build a real DuckDB file row by row (by hand,
for hand-computed expectations) or at random (human and autograder judgments together).

Rows are collected as frames and written in one bulk transaction by ``commit``."""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.store import Store
from core.store.bulk import insert_frames
from core.store.comparisons import comparison_id_for

SECRET_HASH = "pbkdf2_sha256$600000$s3cr3t-salt$SECRET-HASH-MUST-NOT-LEAK"


class Db:
    """A fresh database plus helpers that stage rows; ``commit()`` writes them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store = Store(path)
        self.rows: dict[str, list[dict]] = defaultdict(list)
        self._ids = itertools.count(1)
        self.run("gold", "human/expert")

    def task(self, task_id: str, sector: str = "Sector A", occupation: str = "Occ 1",
             types: tuple[str, ...] = ("docx",), hours: float | None = None,
             wage: float | None = None) -> str:
        self.rows["tasks"].append({
            "task_id": task_id, "sector": sector, "occupation": occupation, "title": task_id,
            "deliverable_types": list(types), "expert_hours": hours,
            "expert_hourly_wage_usd": wage, "spec": "{}", "spec_sha256": "0" * 64})
        return task_id

    def run(self, run_id: str, model: str) -> str:
        self.rows["runs"].append({"run_id": run_id, "model": model})
        return run_id

    def sample(self, run_id: str, task_id: str, sample: int = 0, *, status: str = "done",
               cost: float | None = None, latency: float | None = None,
               tokens: tuple[int, int] | None = (1000, 100)) -> None:
        self.rows["samples"].append({
            "run_id": run_id, "task_id": task_id, "sample": sample, "status": status,
            "attempts": 1, "cost_usd": cost, "latency_s": latency,
            "input_tokens": tokens[0] if tokens else None,
            "output_tokens": tokens[1] if tokens else None})

    def comparison(self, task_id: str, cand: tuple[str, int], ref: tuple[str, int] = ("gold", 0),
                   batch: str | None = None, attention: bool = False) -> str:
        cid = comparison_id_for(task_id, cand, ref, batch)
        if not any(r["comparison_id"] == cid for r in self.rows["comparisons"]):
            self.rows["comparisons"].append({
                "comparison_id": cid, "task_id": task_id, "candidate_run_id": cand[0],
                "candidate_sample": cand[1], "reference_run_id": ref[0],
                "reference_sample": ref[1], "batch_id": batch, "attention": attention})
        return cid

    def judge(self, comparison_id: str, outcome: float | None, *, kind: str = "human",
              judge: str = "rev-1", side: str | None = None, consistent: bool | None = None,
              supersedes: str | None = None, status: str | None = None) -> str:
        jid = f"j{next(self._ids)}"
        self.rows["judgments"].append({
            "judgment_id": jid, "comparison_id": comparison_id, "judge_kind": kind,
            "judge_id": judge, "outcome": outcome,
            "status": status or ("ungraded" if outcome is None else "graded"),
            "candidate_side": side, "position_consistent": consistent,
            "supersedes": supersedes})
        return jid

    def vs_expert(self, run_id: str, task_id: str, outcomes: list[float | None], *,
                  sample: int = 0, kind: str = "human", judges: list[str] | None = None,
                  batch: str | None = None) -> list[str]:
        """One comparison of (run, task, sample) against gold, judged once per outcome
        by distinct judges."""
        cid = self.comparison(task_id, (run_id, sample), batch=batch)
        judges = judges or [f"rev-{k + 1}" for k in range(len(outcomes))]
        return [self.judge(cid, o, kind=kind, judge=j)
                for o, j in zip(outcomes, judges, strict=True)]

    def rubric(self, run_id: str, task_id: str, score: float | None, *, sample: int = 0,
               judge_model: str = "judge/rubric", status: str = "graded") -> None:
        self.rows["rubric_grades"].append({
            "grade_id": f"g{next(self._ids)}", "run_id": run_id, "task_id": task_id,
            "sample": sample, "judge_model": judge_model, "grader_version": "1",
            "status": status, "score": score})

    def reviewer(self, reviewer_id: str, username: str) -> None:
        self.rows["reviewers"].append({
            "reviewer_id": reviewer_id, "username": username, "display_name": username.title(),
            "role": "reviewer", "occupations": ["Occ 1"], "password_hash": SECRET_HASH})

    def commit(self) -> Db:
        frames = {t: pd.DataFrame(rows) for t, rows in self.rows.items() if rows}
        for name in ("judgments", "comparisons"):
            if name in frames:
                for col in ("supersedes", "candidate_side", "batch_id"):
                    if col in frames[name]:
                        frames[name][col] = frames[name][col].astype("string")
                if "position_consistent" in frames[name]:
                    frames[name]["position_consistent"] = \
                        frames[name]["position_consistent"].astype("boolean")
        insert_frames(self.store, frames)
        self.rows.clear()
        Store.close_all()
        return self


@pytest.fixture
def db(tmp_path: Path) -> Db:
    return Db(tmp_path / "report.duckdb")


def random_db(path: Path, *, seed: int = 0, models: int = 4, tasks: int = 30,
              samples: int = 2, reviewers: int = 6) -> Db:
    """Human reviewers (3 per pair) and an autograder (both orders) on every model-vs-gold
    pair, some model-vs-model pairs, superseded and ungraded votes, attention checks,
    rubric grades, costs with a few unknown, reviewers with password hashes."""
    rng = np.random.default_rng(seed)
    d = Db(path)
    sectors = ["Finance and Insurance", "Health Care", "Retail Trade"]
    for t in range(tasks):
        d.task(f"task-{t:03d}", sector=sectors[t % 3], occupation=f"Occupation {t % 5}",
               types=(("docx", "xlsx"), ("pptx",), ("pdf",))[t % 3],
               hours=float(2 + t % 7), wage=50.0 + t)
    strength = rng.normal(0, 0.8, models)
    runs = [d.run(f"run-{m}", f"vendor/model-{m}") for m in range(models)]
    for r in range(reviewers):
        d.reviewer(f"rev-{r}", f"reviewer{r}")
    for m, run in enumerate(runs):
        for t in range(tasks):
            tid = f"task-{t:03d}"
            for s in range(samples):
                d.sample(run, tid, s, cost=None if rng.random() < 0.1 else 0.02 + 0.01 * m,
                         latency=float(rng.uniform(60, 600)))
                d.rubric(run, tid, float(1 / (1 + np.exp(-strength[m] - rng.normal()))),
                         sample=s)
                p_win = 0.8 / (1 + np.exp(-strength[m]))
                cid = d.comparison(tid, (run, s), batch="b1")
                for j in rng.choice(reviewers, 3, replace=False):
                    u = rng.random()
                    o = 1.0 if u < p_win else (0.5 if u < p_win + 0.2 else 0.0)
                    if rng.random() < 0.03:
                        o = None
                    jid = d.judge(cid, o, judge=f"rev-{j}", side=rng.choice(["A", "B"]))
                    if rng.random() < 0.05:
                        d.judge(cid, 1.0 - (o if o is not None else 0.5), judge=f"rev-{j}",
                                supersedes=jid, side="A")
                auto = d.comparison(tid, (run, s))                  # autograder: no batch
                u = rng.random()
                d.judge(auto, 1.0 if u < p_win else (0.5 if u < p_win + 0.2 else 0.0),
                        kind="auto", judge="judge/auto-1", consistent=bool(rng.random() < 0.8))
            if t % 5 == 0:
                other = runs[(m + 1) % models]
                cid = d.comparison(tid, (run, 0), (other, 0), batch="b-rr")
                d.judge(cid, float(rng.choice([0, 0.5, 1])), judge="rev-0")
        att = d.comparison("task-000", (run, 0), batch="attention", attention=True)
        d.judge(att, 0.0, judge="rev-1")
    late = d.run("run-late", "vendor/late-model")          # too few judgments to rank
    for t in range(2):
        d.sample(late, f"task-{t:03d}", cost=0.5, latency=100.0)
        d.vs_expert(late, f"task-{t:03d}", [1.0], judges=["rev-2"], batch="b1")
    return d.commit()
