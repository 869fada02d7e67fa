"""Runs and samples: what a run is, and the life of each (task, sample) in it.

A sample row goes ``pending`` -> ``running`` (attempts + 1) -> ``done`` | ``failed``. The
outcome of a sample (its row, its deliverables, its model calls) is written in one
transaction, so a sample is either fully recorded or not at all; re-running the same
command reads these rows to resume: ``done`` is skipped, ``failed`` is retried while it
has had fewer than ``MAX_ATTEMPTS`` attempts, and ``running`` (left by a killed process) or
``pending`` runs again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
import pyarrow as pa

from core.errors import UserError
from core.store.db import Store
from core.store.submissions import DeliverableFile, replace_deliverables_sql

MAX_ATTEMPTS = 2  # a failed sample is retried once


@dataclass(frozen=True)
class SampleState:
    task_id: str
    sample: int
    status: str
    attempts: int

    @property
    def runnable(self) -> bool:
        if self.status == "done":
            return False
        if self.status == "failed":
            return self.attempts < MAX_ATTEMPTS
        return True  # pending, or running when a process was killed


@dataclass
class SampleRecord:
    """The outcome of one attempt at a sample, as stored."""

    run_id: str
    task_id: str
    sample: int
    status: str  # done | failed
    mode: str
    end_reason: str
    error: str | None
    summary: str | None
    transcript: dict
    input_tokens: int | None
    output_tokens: int | None
    cached_tokens: int | None
    cost_usd: float | None
    latency_s: float | None
    turns: int


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ensure_run(store: Store, run_id: str, model: str, suite: str | None,
               config: dict[str, Any]) -> bool:
    """Create the run, or check that an existing one used the same model.

    Returns True when the run is new. The stored config is the latest invocation's, with
    earlier ones kept under ``history``.
    """
    def write(con: duckdb.DuckDBPyConnection) -> bool:
        row = con.execute("SELECT model, config FROM runs WHERE run_id = ?", [run_id]).fetchone()
        if row is None:
            con.execute("INSERT INTO runs (run_id, model, suite, config) VALUES (?, ?, ?, ?)",
                        [run_id, model, suite, json.dumps(config)])
            return True
        if row[0] != model:
            raise UserError(f"run {run_id!r} was made with model {row[0]!r}, not {model!r}; "
                            "pass another --run-id (or omit it) for a new run")
        old = json.loads(row[1]) if row[1] else {}
        history = old.pop("history", [])
        if old and old != config:
            history.append(old)
        con.execute("UPDATE runs SET config = ?, suite = coalesce(?, suite) WHERE run_id = ?",
                    [json.dumps({**config, "history": history[-20:]}), suite, run_id])
        return False

    return store.write(write)


def plan_samples(store: Store, run_id: str, keys: Iterable[tuple[str, int]]) -> None:
    """Insert a ``pending`` row for each (task, sample) that has none yet."""
    keys = list(keys)
    if not keys:
        return
    # one set-based insert: executemany runs a statement per row (seconds for thousands)
    planned = pa.table({"task_id": [t for t, _ in keys], "sample": [s for _, s in keys]})

    def write(con: duckdb.DuckDBPyConnection) -> None:
        con.register("occubench_planned", planned)
        try:
            con.execute("""INSERT INTO samples (run_id, task_id, sample, status)
                           SELECT ?, task_id, sample, 'pending' FROM occubench_planned
                           ON CONFLICT DO NOTHING""", [run_id])
        finally:
            con.unregister("occubench_planned")

    store.write(write)


def sample_states(store: Store, run_id: str) -> dict[tuple[str, int], SampleState]:
    rows = store.query("SELECT task_id, sample, status, attempts FROM samples "
                       "WHERE run_id = ?", [run_id])
    return {(r["task_id"], r["sample"]): SampleState(**r) for r in rows}


def mark_running_sql(con: duckdb.DuckDBPyConnection, run_id: str, task_id: str, sample: int,
                     mode: str) -> None:
    """An attempt starts: status running, attempts + 1, previous outcome cleared."""
    con.execute(
        """INSERT INTO samples (run_id, task_id, sample, status, attempts, mode, started_at)
           VALUES (?, ?, ?, 'running', 1, ?, ?)
           ON CONFLICT (run_id, task_id, sample) DO UPDATE SET
               status = 'running', attempts = samples.attempts + 1, mode = excluded.mode,
               started_at = excluded.started_at, finished_at = NULL, error = NULL""",
        [run_id, task_id, sample, mode, _now()])


def release_sql(con: duckdb.DuckDBPyConnection, run_id: str, task_id: str, sample: int) -> None:
    """An attempt that was cut short by the run stopping (not by the sample): back to
    pending, the attempt not counted."""
    con.execute("""UPDATE samples SET status = 'pending', attempts = greatest(attempts - 1, 0),
                   started_at = NULL WHERE run_id = ? AND task_id = ? AND sample = ?
                   AND status = 'running'""", [run_id, task_id, sample])


def record_sample_sql(con: duckdb.DuckDBPyConnection, rec: SampleRecord,
                      files: list[DeliverableFile]) -> None:
    """Inside the caller's transaction: the sample's row and its deliverables."""
    con.execute(
        """UPDATE samples SET status = ?, mode = ?, end_reason = ?, error = ?, summary = ?,
               transcript = ?, input_tokens = ?, output_tokens = ?, cached_tokens = ?,
               cost_usd = ?, latency_s = ?, turns = ?, finished_at = ?
           WHERE run_id = ? AND task_id = ? AND sample = ?""",
        [rec.status, rec.mode, rec.end_reason, rec.error, rec.summary,
         json.dumps(rec.transcript, default=str), rec.input_tokens, rec.output_tokens,
         rec.cached_tokens, rec.cost_usd, rec.latency_s, rec.turns, _now(),
         rec.run_id, rec.task_id, rec.sample])
    replace_deliverables_sql(con, rec.run_id, rec.task_id, rec.sample, files)


def run_totals(store: Store, run_id: str) -> dict[str, Any]:
    """Counts by status and summed usage of a run (cost is None if any is unknown)."""
    rows = store.query(
        """SELECT status, count(*) AS n, sum(input_tokens) AS input_tokens,
                  sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost,
                  count(*) FILTER (WHERE cost_usd IS NULL AND status IN ('done', 'failed')
                                   AND turns > 0) AS cost_unknown
           FROM samples WHERE run_id = ? GROUP BY status""", [run_id])
    by = {r["status"]: r for r in rows}
    unknown = sum(r["cost_unknown"] for r in rows)
    return {
        "by_status": {s: r["n"] for s, r in by.items()},
        "input_tokens": sum(r["input_tokens"] or 0 for r in rows),
        "output_tokens": sum(r["output_tokens"] or 0 for r in rows),
        "cost_usd": None if unknown else sum(r["cost"] or 0.0 for r in rows),
    }


def sample_row(store: Store, run_id: str, task_id: str, sample: int) -> dict | None:
    rows = store.query("SELECT * FROM samples WHERE run_id = ? AND task_id = ? AND sample = ?",
                       [run_id, task_id, sample])
    return rows[0] if rows else None


def samples_of_run(store: Store, run_id: str) -> list[dict]:
    """Every sample row of a run (without transcripts), by task and sample."""
    return store.query(
        """SELECT run_id, task_id, sample, status, attempts, mode, end_reason, error,
                  input_tokens, output_tokens, cost_usd, latency_s, turns, started_at,
                  finished_at
           FROM samples WHERE run_id = ? ORDER BY task_id, sample""", [run_id])
