"""Comparisons: pairs of submissions to judge (candidate vs reference).

Shared by the pairwise autograder and by review batches: the same pair can sit in
several batches (``batch_id``) and the autograder's own pairs carry no batch.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import duckdb

from core.store.db import Store


@dataclass(frozen=True)
class Comparison:
    comparison_id: str
    task_id: str
    candidate_run_id: str
    candidate_sample: int
    reference_run_id: str
    reference_sample: int
    batch_id: str | None = None
    attention: bool = False
    expected_outcome: float | None = None


def comparison_id_for(task_id: str, cand: tuple[str, int], ref: tuple[str, int],
                      batch_id: str | None) -> str:
    key = f"{task_id}\0{cand[0]}\0{cand[1]}\0{ref[0]}\0{ref[1]}\0{batch_id or ''}"
    return "cmp_" + hashlib.sha256(key.encode()).hexdigest()[:20]


def ensure_comparisons_sql(con: duckdb.DuckDBPyConnection, comps: list[Comparison]) -> None:
    """Inside a caller's transaction: insert the pairs that are not there yet.

    Multi-row VALUES in chunks: DuckDB's ``executemany`` runs one statement per row
    (about 15 ms each here), which made a 360-pair batch take 5 s."""
    rows = [(c.comparison_id, c.task_id, c.candidate_run_id, c.candidate_sample,
             c.reference_run_id, c.reference_sample, c.batch_id, c.attention,
             c.expected_outcome) for c in comps]
    for start in range(0, len(rows), 200):
        chunk = rows[start:start + 200]
        values = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(chunk))
        con.execute(
            f"""INSERT INTO comparisons (comparison_id, task_id, candidate_run_id,
                    candidate_sample, reference_run_id, reference_sample, batch_id, attention,
                    expected_outcome)
                VALUES {values} ON CONFLICT DO NOTHING""",
            [v for row in chunk for v in row],
        )


def ensure_comparison(store: Store, task_id: str, cand: tuple[str, int], ref: tuple[str, int],
                      batch_id: str | None = None) -> Comparison:
    """The comparison for this pair (and batch), created if needed. Idempotent."""
    comp = Comparison(comparison_id_for(task_id, cand, ref, batch_id), task_id, cand[0],
                      cand[1], ref[0], ref[1], batch_id)
    store.write(lambda con: ensure_comparisons_sql(con, [comp]))
    return comp


def get_comparison(store: Store, comparison_id: str) -> Comparison | None:
    rows = store.query(
        """SELECT comparison_id, task_id, candidate_run_id, candidate_sample, reference_run_id,
                  reference_sample, batch_id, attention, expected_outcome
           FROM comparisons WHERE comparison_id = ?""", [comparison_id])
    return Comparison(**rows[0]) if rows else None


# -- autograder judgments -------------------------------------------------------------------
# Judgments are append-only. The autograder writes one judgment per (comparison, judge
# model, grader version); a failed attempt is an 'ungraded' row (outcome NULL) that a later
# successful attempt supersedes, so reports that read the latest non-superseded judgment
# never see a failure as a win or a loss.


@dataclass(frozen=True)
class AutoJudgment:
    judgment_id: str
    comparison_id: str
    judge_id: str
    grader_version: str
    status: str  # graded | ungraded
    outcome: float | None
    position_consistent: bool | None
    rationale: str | None
    raw: dict
    supersedes: str | None = None


def auto_judgment_key(comparison_id: str, judge_id: str, grader_version: str) -> str:
    """The idempotency key of the one graded autograder judgment of a comparison."""
    return f"auto|{comparison_id}|{judge_id}|{grader_version}"


def latest_auto_judgment(store: Store, comparison_id: str, judge_id: str,
                         grader_version: str) -> AutoJudgment | None:
    """The newest autograder judgment no other judgment supersedes, or None."""
    rows = store.query(
        """SELECT judgment_id, comparison_id, judge_id, grader_version, status, outcome,
                  position_consistent, rationale, raw, supersedes
           FROM judgments j
           WHERE comparison_id = ? AND judge_kind = 'auto' AND judge_id = ?
             AND grader_version = ?
             AND NOT EXISTS (SELECT 1 FROM judgments s WHERE s.supersedes = j.judgment_id)
           ORDER BY created_at DESC, judgment_id LIMIT 1""",
        [comparison_id, judge_id, grader_version])
    if not rows:
        return None
    row = rows[0]
    row["raw"] = json.loads(row["raw"]) if row["raw"] else {}
    return AutoJudgment(**row)


def record_auto_judgment(store: Store, j: AutoJudgment) -> bool:
    """Append an autograder judgment; False when its graded twin is already there.

    A graded judgment carries the comparison's idempotency key, so two graders racing on
    the same pair store it once; ungraded attempts carry a key of their own.
    """
    key = (auto_judgment_key(j.comparison_id, j.judge_id, j.grader_version)
           if j.status == "graded" else f"auto-ungraded|{j.judgment_id}")

    def write(con: duckdb.DuckDBPyConnection) -> bool:
        before = con.execute("SELECT count(*) FROM judgments WHERE idempotency_key = ?",
                             [key]).fetchone()[0]
        if before:
            return False
        con.execute(
            """INSERT INTO judgments (judgment_id, comparison_id, judge_kind, judge_id, outcome,
                   status, rationale, position_consistent, grader_version, raw,
                   idempotency_key, supersedes)
               VALUES (?, ?, 'auto', ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [j.judgment_id, j.comparison_id, j.judge_id, j.outcome, j.status, j.rationale,
             j.position_consistent, j.grader_version, json.dumps(j.raw), key, j.supersedes])
        return True

    return store.write(write)


def auto_judgments_of_run(store: Store, run_id: str, reference_run_id: str, judge_id: str,
                          grader_version: str) -> list[tuple[str, int, AutoJudgment]]:
    """(task, candidate sample, latest autograder judgment) of every comparison of a run
    against a reference run (autograder pairs only, not review batches)."""
    rows = store.query(
        """SELECT c.task_id, c.candidate_sample,
                  j.judgment_id, j.comparison_id, j.judge_id, j.grader_version, j.status,
                  j.outcome, j.position_consistent, j.rationale, j.raw, j.supersedes
           FROM judgments j JOIN comparisons c USING (comparison_id)
           WHERE c.candidate_run_id = ? AND c.reference_run_id = ? AND c.batch_id IS NULL
             AND j.judge_kind = 'auto' AND j.judge_id = ? AND j.grader_version = ?
             AND NOT EXISTS (SELECT 1 FROM judgments s WHERE s.supersedes = j.judgment_id)
           ORDER BY c.task_id, c.candidate_sample""",
        [run_id, reference_run_id, judge_id, grader_version])
    out = []
    for r in rows:
        task_id, sample = r.pop("task_id"), r.pop("candidate_sample")
        r["raw"] = json.loads(r["raw"]) if r["raw"] else {}
        out.append((task_id, sample, AutoJudgment(**r)))
    return out
