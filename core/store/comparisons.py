"""Comparisons: pairs of submissions to judge (candidate vs reference).

Shared by the pairwise autograder and by review batches: the same pair can sit in
several batches (``batch_id``) and the autograder's own pairs carry no batch.
"""

from __future__ import annotations

import hashlib
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
