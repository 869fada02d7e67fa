"""Review batches: which pairs expert reviewers are asked to judge, and by how many.

A batch pairs every finished submission of the chosen runs with a reference submission
(the gold deliverable, or another run's submission of the same task), optionally
narrowed to some tasks or occupations, and asks for ``k`` distinct reviewers per pair.
Creating a batch twice under the same name adds only the pairs that are missing, so it
can be re-run after more samples finish. Attention pairs carry a known answer
(``expected_outcome``) and are shown to every eligible reviewer, whatever ``k`` says.
"""

from __future__ import annotations

import fnmatch
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from core.errors import UserError
from core.store.comparisons import Comparison, comparison_id_for, ensure_comparisons_sql
from core.store.db import Store
from core.store.submissions import GOLD_RUN


@dataclass(frozen=True)
class Batch:
    batch_id: str
    name: str
    k: int
    config: dict
    created_by: str | None
    created_at: datetime | None
    pairs: int = 0
    attention_pairs: int = 0

    @property
    def closed(self) -> bool:
        return bool(self.config.get("closed"))


@dataclass
class BatchResult:
    """What ``create_batch`` did: pairs added now, pairs in the batch, and why some
    submissions got no pair."""

    batch: Batch
    added: int
    skipped: list[str] = field(default_factory=list)


def _submissions(con: duckdb.DuckDBPyConnection, runs: list[str]) -> list[tuple]:
    """(run, task, sample, occupation) of every submission with files and a known task,
    leaving out samples recorded as not done."""
    return con.execute(
        """SELECT DISTINCT d.run_id, d.task_id, d.sample, t.occupation
           FROM deliverables d JOIN tasks t ON t.task_id = d.task_id
           LEFT JOIN samples s ON s.run_id = d.run_id AND s.task_id = d.task_id
                AND s.sample = d.sample
           WHERE list_contains(?, d.run_id) AND (s.status IS NULL OR s.status = 'done')
           ORDER BY d.run_id, d.task_id, d.sample""", [runs]).fetchall()


def _known_runs(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT run_id FROM runs").fetchall()} | {
        r[0] for r in con.execute("SELECT DISTINCT run_id FROM deliverables").fetchall()}


def _matches(value: str, patterns: list[str] | None) -> bool:
    return not patterns or any(fnmatch.fnmatch(value.lower(), p.lower()) for p in patterns)


def _pick_reference(refs: dict[str, list[int]], task_id: str, sample: int) -> int | None:
    samples = refs.get(task_id)
    if not samples:
        return None
    return sample if sample in samples else min(samples)


def create_batch(store: Store, *, runs: list[str], against: str = GOLD_RUN, k: int = 3,
                 name: str | None = None, task_ids: list[str] | None = None,
                 occupations: list[str] | None = None, created_by: str | None = None
                 ) -> BatchResult:
    """Create (or extend, when ``name`` exists) a batch of candidate-vs-reference pairs.

    Each candidate submission is paired with the reference run's submission of the same
    task: the gold (sample 0), or for run-vs-run the same sample index when the reference
    run has it, else its lowest sample. ``occupations`` and ``task_ids`` accept globs.
    """
    runs = [r.strip() for r in runs if r.strip()]
    if not runs:
        raise UserError("give at least one candidate run (--runs)")
    if not 1 <= k <= 50:
        raise UserError(f"k must be between 1 and 50 reviewers per pair, got {k}")
    if against in runs:
        raise UserError(f"run {against!r} cannot be both a candidate and the reference")
    name = name or f"{', '.join(runs)} vs {against}"

    def write(con: duckdb.DuckDBPyConnection) -> BatchResult:
        known = _known_runs(con)
        missing = [r for r in [*runs, against] if r not in known]
        if missing:
            raise UserError(f"unknown run(s): {', '.join(missing)} (runs with deliverables: "
                            f"{', '.join(sorted(known)) or 'none'})")
        row = con.execute("SELECT batch_id FROM batches WHERE name = ?", [name]).fetchone()
        batch_id = row[0] if row else "bat_" + secrets.token_hex(6)
        if not row:
            config = {"runs": runs, "against": against, "tasks": task_ids or [],
                      "occupations": occupations or [], "closed": False}
            con.execute("""INSERT INTO batches (batch_id, name, k, config, created_by)
                           VALUES (?, ?, ?, ?, ?)""",
                        [batch_id, name, k, json.dumps(config), created_by])
        refs: dict[str, list[int]] = {}
        for _run, task, sample, _occ in _submissions(con, [against]):
            refs.setdefault(task, []).append(sample)
        comps: list[Comparison] = []
        skipped: list[str] = []
        for run, task, sample, occupation in _submissions(con, runs):
            if task_ids and not any(fnmatch.fnmatch(task, t) for t in task_ids):
                continue
            if not _matches(occupation, occupations):
                continue
            ref_sample = _pick_reference(refs, task, sample)
            if ref_sample is None:
                skipped.append(f"{run}/{task}/{sample}: {against} has no deliverable for "
                               f"task {task}")
                continue
            cand, ref = (run, sample), (against, ref_sample)
            comps.append(Comparison(comparison_id_for(task, cand, ref, batch_id), task,
                                    run, sample, against, ref_sample, batch_id))
        before = _pair_count(con, batch_id)
        ensure_comparisons_sql(con, comps)
        total = _pair_count(con, batch_id)
        if total == 0:  # raising rolls the new batch back
            raise UserError(f"batch {name!r} would have no pairs: no finished submission of "
                            f"{', '.join(runs)} matched the filters with a {against} "
                            "counterpart" + (f" ({skipped[0]})" if skipped else ""))
        return BatchResult(_get(con, batch_id), total - before, skipped)

    return store.write(write)


def add_attention_pairs(store: Store, batch_id: str, *, n: int) -> int:
    """Add up to ``n`` attention pairs: a task's gold against itself, known answer "as good
    as" (0.5). A reviewer who calls identical documents different is not reading."""
    def write(con: duckdb.DuckDBPyConnection) -> int:
        tasks = [r[0] for r in con.execute(
            """SELECT DISTINCT c.task_id FROM comparisons c
               WHERE c.batch_id = ? AND NOT c.attention AND EXISTS (
                   SELECT 1 FROM deliverables d WHERE d.run_id = ? AND d.task_id = c.task_id
                   AND d.sample = 0)
               ORDER BY hash(c.task_id)""", [batch_id, GOLD_RUN]).fetchall()]
        comps = [Comparison(comparison_id_for(t, (GOLD_RUN, 0), (GOLD_RUN, 0), batch_id), t,
                            GOLD_RUN, 0, GOLD_RUN, 0, batch_id, True, 0.5)
                 for t in tasks[:n]]
        before = _pair_count(con, batch_id)
        ensure_comparisons_sql(con, comps)
        return _pair_count(con, batch_id) - before

    return store.write(write)


def _pair_count(con: duckdb.DuckDBPyConnection, batch_id: str) -> int:
    return con.execute("SELECT count(*) FROM comparisons WHERE batch_id = ?",
                       [batch_id]).fetchone()[0]


_BATCH_SQL = """
    SELECT b.batch_id, b.name, b.k, b.config, b.created_by, b.created_at,
           count(c.comparison_id) FILTER (WHERE NOT c.attention) AS pairs,
           count(c.comparison_id) FILTER (WHERE c.attention) AS attention_pairs
    FROM batches b LEFT JOIN comparisons c ON c.batch_id = b.batch_id
    {where}
    GROUP BY ALL ORDER BY b.created_at, b.name"""


def _batch(row: tuple) -> Batch:
    bid, name, k, config, by, at, pairs, att = row
    return Batch(bid, name, k, json.loads(config) if config else {}, by, at, pairs, att)


def _get(con: duckdb.DuckDBPyConnection, batch_id: str) -> Batch:
    row = con.execute(_BATCH_SQL.format(where="WHERE b.batch_id = ?"), [batch_id]).fetchone()
    if row is None:
        raise UserError(f"no batch {batch_id!r}; see `occubench review batch list`")
    return _batch(row)


def list_batches(store: Store) -> list[Batch]:
    return [_batch(r) for r in store.read(
        lambda con: con.execute(_BATCH_SQL.format(where="")).fetchall())]


def find_batch(store: Store, name_or_id: str) -> Batch:
    """A batch by id or by name (a clear error when neither matches)."""
    def read(con: duckdb.DuckDBPyConnection) -> Batch:
        row = con.execute("SELECT batch_id FROM batches WHERE batch_id = ? OR name = ?",
                          [name_or_id, name_or_id]).fetchone()
        if row is None:
            raise UserError(f"no batch named {name_or_id!r}; see `occubench review batch list`")
        return _get(con, row[0])
    return store.read(read)


def set_closed(store: Store, batch_id: str, closed: bool) -> Batch:
    """A closed batch leaves every reviewer's queue; its judgments stay."""
    def write(con: duckdb.DuckDBPyConnection) -> Batch:
        batch = _get(con, batch_id)
        config = {**batch.config, "closed": closed}
        con.execute("UPDATE batches SET config = ? WHERE batch_id = ?",
                    [json.dumps(config), batch_id])
        return _get(con, batch_id)
    return store.write(write)


@dataclass(frozen=True)
class RunChoice:
    run_id: str
    model: str | None
    submissions: int


def runs_with_submissions(store: Store) -> list[RunChoice]:
    """Runs that have deliverables (the gold included), for choosing a batch's runs."""
    rows = store.read(lambda con: con.execute(
        """SELECT d.run_id, r.model, count(DISTINCT (d.task_id, d.sample))
           FROM deliverables d LEFT JOIN runs r ON r.run_id = d.run_id
           GROUP BY ALL ORDER BY d.run_id""").fetchall())
    return [RunChoice(*r) for r in rows]
