"""Runs and samples: what a run is, and the life of each (task, sample) in it.

A sample row goes ``pending`` -> ``running`` (attempts + 1) -> ``done`` | ``failed``. The
outcome of a sample (its row, its deliverables, its model calls) is one
:class:`Finished` event applied inside one transaction, so a sample is either fully
recorded or not at all; re-running the same
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

from core.errors import UserError
from core.store.db import Store
from core.store.rowsql import insert_rows, with_rows
from core.store.submissions import DeliverableFile

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
    rows = [(run_id, t, s, "pending") for t, s in keys]
    if rows:
        store.write(lambda con: insert_rows(
            con, "samples", {"run_id": "VARCHAR", "task_id": "VARCHAR", "sample": "INTEGER",
                             "status": "VARCHAR"}, rows, "ON CONFLICT DO NOTHING"))


def sample_states(store: Store, run_id: str) -> dict[tuple[str, int], SampleState]:
    rows = store.query("SELECT task_id, sample, status, attempts FROM samples "
                       "WHERE run_id = ?", [run_id])
    return {(r["task_id"], r["sample"]): SampleState(**r) for r in rows}


@dataclass(frozen=True)
class Started:
    """An attempt at a sample begins: status running, attempts + 1."""

    run_id: str
    task_id: str
    sample: int
    mode: str
    at: datetime


@dataclass(frozen=True)
class Finished:
    """An attempt ended: the sample's row, its deliverables and its model calls."""

    record: SampleRecord
    files: list[DeliverableFile]
    calls: list[Any]  # core.llm.CallRecord


@dataclass(frozen=True)
class Released:
    """An attempt cut short by the run stopping (not by the sample): back to pending,
    the attempt not counted."""

    run_id: str
    task_id: str
    sample: int


SampleEvent = Started | Finished | Released


def started(run_id: str, task_id: str, sample: int, mode: str) -> Started:
    return Started(run_id, task_id, sample, mode, _now())


_KEY = {"run_id": "VARCHAR", "task_id": "VARCHAR", "sample": "INTEGER"}
_STARTS = {**_KEY, "mode": "VARCHAR", "at": "TIMESTAMP"}
_ENDS = {**_KEY, "status": "VARCHAR", "mode": "VARCHAR", "end_reason": "VARCHAR",
         "error": "VARCHAR", "summary": "VARCHAR", "transcript": "VARCHAR",
         "input_tokens": "BIGINT", "output_tokens": "BIGINT", "cached_tokens": "BIGINT",
         "cost_usd": "DOUBLE", "latency_s": "DOUBLE", "turns": "INTEGER",
         "finished_at": "TIMESTAMP"}
_FILES = {"deliverable_id": "VARCHAR", **_KEY, "name": "VARCHAR", "path": "VARCHAR",
          "file_type": "VARCHAR", "sha256": "VARCHAR", "bytes": "BIGINT"}


def apply_events_sql(con: duckdb.DuckDBPyConnection, events: list[SampleEvent]) -> None:
    """Inside the caller's transaction: apply sample events, set-based.

    A handful of statements per kind of event however many there are (DuckDB spends
    milliseconds per statement, so one UPDATE per sample would cap a run's throughput).
    Starts are applied before outcomes and releases, which is the only order that can
    matter within one batch (a sample starts before it finishes or is released).
    """
    starts = [e for e in events if isinstance(e, Started)]
    ends = [e for e in events if isinstance(e, Finished)]
    releases = [e for e in events if isinstance(e, Released)]
    with_rows(con, _STARTS, [(e.run_id, e.task_id, e.sample, e.mode, e.at) for e in starts],
              """UPDATE samples SET status = 'running', attempts = samples.attempts + 1,
                     mode = b.mode, started_at = b.at, finished_at = NULL, error = NULL
                 FROM {b} WHERE samples.run_id = b.run_id AND samples.task_id = b.task_id
                     AND samples.sample = b.sample""")
    if ends:
        _record_ends(con, ends)
    with_rows(con, _KEY, [(e.run_id, e.task_id, e.sample) for e in releases],
              """UPDATE samples SET status = 'pending',
                     attempts = greatest(samples.attempts - 1, 0), started_at = NULL
                 FROM {b} WHERE samples.run_id = b.run_id AND samples.task_id = b.task_id
                     AND samples.sample = b.sample AND samples.status = 'running'""")


def _record_ends(con: duckdb.DuckDBPyConnection, ends: list[Finished]) -> None:
    recs = [e.record for e in ends]
    now = _now()
    with_rows(con, _ENDS, [
        (r.run_id, r.task_id, r.sample, r.status, r.mode, r.end_reason, r.error, r.summary,
         json.dumps(r.transcript, default=str), r.input_tokens, r.output_tokens,
         r.cached_tokens, r.cost_usd, r.latency_s, r.turns, now) for r in recs],
        """UPDATE samples SET status = b.status, mode = b.mode, end_reason = b.end_reason,
               error = b.error, summary = b.summary, transcript = b.transcript,
               input_tokens = b.input_tokens, output_tokens = b.output_tokens,
               cached_tokens = b.cached_tokens, cost_usd = b.cost_usd,
               latency_s = b.latency_s, turns = b.turns, finished_at = b.finished_at
           FROM {b} WHERE samples.run_id = b.run_id AND samples.task_id = b.task_id
               AND samples.sample = b.sample""")
    # the submission's files replace whatever an earlier attempt recorded
    with_rows(con, _KEY, [(r.run_id, r.task_id, r.sample) for r in recs],
              """DELETE FROM deliverables USING {b} WHERE deliverables.run_id = b.run_id
                     AND deliverables.task_id = b.task_id AND deliverables.sample = b.sample""")
    insert_rows(con, "deliverables", _FILES, [
        (f.deliverable_id, f.run_id, f.task_id, f.sample, f.name, str(f.path), f.file_type,
         f.sha256, f.bytes) for e in ends for f in e.files])
    calls = [c for e in ends for c in e.calls]
    if calls:
        from core.store.calls import record_calls_sql

        record_calls_sql(con, calls)


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
