"""Blind review: each reviewer's queue, pair reservations and drafts (votes are in
:mod:`core.store.votes`).

The rules, all enforced here rather than in the UI:

* A reviewer's queue holds the pairs of open batches in their occupations that they have
  not judged or skipped and that have fewer than ``k`` distinct human judges, counting
  other reviewers' live reservations as taken slots; least-judged first, in a shuffled
  order that differs per reviewer. Attention pairs are shown to everyone.
* Taking a pair reserves it for ``hold`` (default 30 minutes) and fixes, once per reviewer
  and pair, the side ("A" or "B") the candidate is shown on. Every claim and every vote
  first bumps the pair's ``comparisons.lock_seq``, so concurrent claims or votes on one
  pair are serialised by DuckDB's write-conflict check (the loser retries with a fresh
  snapshot and sees the winner): two reviewers cannot take the last slot, one reviewer
  cannot vote twice.
* A pair the reviewer holds comes back first (with its draft) after a reload, even past
  its expiry while its slot is still free; skipping a pair takes it out of their queue.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import duckdb

from core.errors import UserError
from core.store.db import Store
from core.store.reviewers import ANY_OCCUPATION

DEFAULT_HOLD = timedelta(minutes=30)


def utcnow() -> datetime:
    """Naive UTC, as stored in the TIMESTAMP columns."""
    return datetime.now(UTC).replace(tzinfo=None)


class ReviewError(UserError):
    """A vote or claim that the rules refuse (not assigned, already judged, bad choice)."""


@dataclass(frozen=True)
class QueueItem:
    comparison_id: str
    task_id: str
    judged: int       # distinct human judges so far
    held: int         # live reservations by other reviewers
    k: int
    attention: bool


@dataclass(frozen=True)
class Assignment:
    """A reviewer's hold on a pair. Server-side only: it names runs."""

    comparison_id: str
    reviewer_id: str
    task_id: str
    candidate_side: str
    reserved_at: datetime
    expires_at: datetime
    first_render_at: datetime | None
    status: str
    draft: dict = field(default_factory=dict)
    candidate: tuple[str, int] = ("", 0)
    reference: tuple[str, int] = ("", 0)
    attention: bool = False

    @property
    def reference_side(self) -> str:
        return "B" if self.candidate_side == "A" else "A"

    def submission_on(self, side: str) -> tuple[str, int]:
        """(run, sample) shown on side "A" or "B"."""
        return self.candidate if side == self.candidate_side else self.reference


@dataclass(frozen=True)
class Progress:
    done: int
    total: int


def _order_key(reviewer_id: str, comparison_id: str) -> str:
    return hashlib.sha256(f"{reviewer_id}\0{comparison_id}".encode()).hexdigest()


# -- queue ---------------------------------------------------------------------------

_QUEUE_SQL = """
WITH judged AS (
    SELECT comparison_id, count(DISTINCT judge_id) AS n FROM judgments
    WHERE judge_kind = 'human' GROUP BY comparison_id),
held AS (
    SELECT a.comparison_id, count(*) AS n FROM assignments a
    WHERE a.status = 'reserved' AND a.expires_at > $now AND a.reviewer_id <> $rid
      AND NOT EXISTS (SELECT 1 FROM judgments j WHERE j.comparison_id = a.comparison_id
                      AND j.judge_kind = 'human' AND j.judge_id = a.reviewer_id)
    GROUP BY a.comparison_id)
SELECT c.comparison_id, c.task_id, coalesce(j.n, 0), coalesce(h.n, 0), b.k, c.attention
FROM comparisons c
JOIN batches b ON b.batch_id = c.batch_id
JOIN tasks t ON t.task_id = c.task_id
LEFT JOIN judged j ON j.comparison_id = c.comparison_id
LEFT JOIN held h ON h.comparison_id = c.comparison_id
WHERE NOT coalesce(CAST(json_extract(b.config, '$.closed') AS BOOLEAN), false)
  AND ($all_occ OR list_contains($occs, lower(t.occupation)))
  AND NOT EXISTS (SELECT 1 FROM judgments j2 WHERE j2.comparison_id = c.comparison_id
                  AND j2.judge_kind = 'human' AND j2.judge_id = $rid)
  AND NOT EXISTS (SELECT 1 FROM assignments a2 WHERE a2.comparison_id = c.comparison_id
                  AND a2.reviewer_id = $rid AND a2.status IN ('released', 'done'))
  AND (c.attention OR coalesce(j.n, 0) + coalesce(h.n, 0) < b.k)
  {extra}
"""


def _reviewer_scope(con: duckdb.DuckDBPyConnection, reviewer_id: str) -> tuple[bool, list[str]]:
    row = con.execute("SELECT occupations, active FROM reviewers WHERE reviewer_id = ?",
                      [reviewer_id]).fetchone()
    if row is None or not row[1]:
        raise ReviewError("this reviewer account does not exist or is disabled")
    occs = [o.lower() for o in (row[0] or [])]
    return ANY_OCCUPATION in occs, occs


def _queue(con: duckdb.DuckDBPyConnection, reviewer_id: str, now: datetime,
           extra: str = "", extra_params: dict | None = None) -> list[QueueItem]:
    all_occ, occs = _reviewer_scope(con, reviewer_id)
    params = {"now": now, "rid": reviewer_id, "all_occ": all_occ, "occs": occs,
              **(extra_params or {})}
    rows = con.execute(_QUEUE_SQL.format(extra=extra), params).fetchall()
    items = [QueueItem(*r) for r in rows]
    items.sort(key=lambda q: (0 if q.attention else q.judged + q.held,
                              _order_key(reviewer_id, q.comparison_id)))
    return items


def queue(store: Store, reviewer_id: str, *, now: datetime | None = None) -> list[QueueItem]:
    """The pairs this reviewer may take now, best first."""
    return store.read(lambda con: _queue(con, reviewer_id, now or utcnow()))


def lock_pair_sql(con: duckdb.DuckDBPyConnection, comparison_id: str) -> None:
    """Bump the pair's ``lock_seq``: a concurrent transaction that bumped it too conflicts
    and is retried by ``Store.write`` with a fresh snapshot. (A no-op update such as
    ``SET x = x`` would not do: DuckDB skips it and reports no conflict.)"""
    con.execute("UPDATE comparisons SET lock_seq = lock_seq + 1 WHERE comparison_id = ?",
                [comparison_id])


# -- assignments -----------------------------------------------------------------------

_ASSIGNMENT_SQL = """
SELECT a.comparison_id, a.reviewer_id, c.task_id, a.candidate_side, a.reserved_at,
       a.expires_at, a.first_render_at, a.status, a.draft, c.candidate_run_id,
       c.candidate_sample, c.reference_run_id, c.reference_sample, c.attention
FROM assignments a JOIN comparisons c ON c.comparison_id = a.comparison_id
WHERE a.reviewer_id = ? {where}"""


def _assignment(row: tuple) -> Assignment:
    (cid, rid, task, side, reserved, expires, first, status, draft, crun, csample, rrun,
     rsample, attention) = row
    return Assignment(cid, rid, task, side, reserved, expires, first, status,
                      json.loads(draft) if draft else {}, (crun, csample), (rrun, rsample),
                      attention)


def assignment_sql(con: duckdb.DuckDBPyConnection, reviewer_id: str,
                    comparison_id: str) -> Assignment | None:
    row = con.execute(_ASSIGNMENT_SQL.format(where="AND a.comparison_id = ?"),
                      [reviewer_id, comparison_id]).fetchone()
    return _assignment(row) if row else None


def get_assignment(store: Store, reviewer_id: str, comparison_id: str) -> Assignment | None:
    return store.read(lambda con: assignment_sql(con, reviewer_id, comparison_id))


def _reserve(con: duckdb.DuckDBPyConnection, reviewer_id: str, comparison_id: str,
             now: datetime, hold: timedelta) -> Assignment:
    side = secrets.choice(("A", "B"))
    con.execute(
        """INSERT INTO assignments (comparison_id, reviewer_id, candidate_side, reserved_at,
               expires_at, status) VALUES (?, ?, ?, ?, ?, 'reserved')
           ON CONFLICT (comparison_id, reviewer_id) DO UPDATE SET
               reserved_at = excluded.reserved_at, expires_at = excluded.expires_at,
               status = 'reserved'""",
        [comparison_id, reviewer_id, side, now, now + hold])
    found = assignment_sql(con, reviewer_id, comparison_id)
    assert found is not None
    return found


def claim_next(store: Store, reviewer_id: str, *, now: datetime | None = None,
               hold: timedelta = DEFAULT_HOLD) -> Assignment | None:
    """The pair this reviewer should judge now, reserved for ``hold``; None when done.

    A pair the reviewer already holds (even past its expiry, if the slot is still free)
    comes back first, with its draft, so a reload or a coffee break loses nothing.
    """
    now = now or utcnow()

    def write(con: duckdb.DuckDBPyConnection) -> Assignment | None:
        items = _queue(con, reviewer_id, now)
        if not items:
            return None
        mine = {r[0] for r in con.execute(
            "SELECT comparison_id FROM assignments WHERE reviewer_id = ? AND status = "
            "'reserved' ORDER BY reserved_at DESC", [reviewer_id]).fetchall()}
        held = [q for q in items if q.comparison_id in mine]
        pick = held[0] if held else items[0]
        lock_pair_sql(con, pick.comparison_id)
        return _reserve(con, reviewer_id, pick.comparison_id, now, hold)

    return store.write(write)


def peek_next(store: Store, reviewer_id: str, *, skip: str | None = None,
              now: datetime | None = None) -> QueueItem | None:
    """The pair most likely to come after ``skip`` (for rendering ahead); reserves nothing."""
    items = [q for q in queue(store, reviewer_id, now=now) if q.comparison_id != skip]
    return items[0] if items else None


def mark_first_render(store: Store, reviewer_id: str, comparison_id: str,
                      now: datetime | None = None) -> None:
    """Start the clock for time on task (only the first render counts)."""
    now = now or utcnow()
    store.write(lambda con: con.execute(
        """UPDATE assignments SET first_render_at = ? WHERE comparison_id = ?
           AND reviewer_id = ? AND first_render_at IS NULL""",
        [now, comparison_id, reviewer_id]))


def save_draft(store: Store, reviewer_id: str, comparison_id: str, draft: dict, *,
               now: datetime | None = None, hold: timedelta = DEFAULT_HOLD) -> None:
    """Keep the half-made vote (survives a reload) and extend the reservation."""
    now = now or utcnow()
    store.write(lambda con: con.execute(
        """UPDATE assignments SET draft = ?, expires_at = greatest(expires_at, ?)
           WHERE comparison_id = ? AND reviewer_id = ? AND status = 'reserved'""",
        [json.dumps(draft), now + hold, comparison_id, reviewer_id]))


def release(store: Store, reviewer_id: str, comparison_id: str) -> None:
    """Skip a pair: it leaves this reviewer's queue and its slot is free for others."""
    store.write(lambda con: con.execute(
        """UPDATE assignments SET status = 'released', draft = NULL
           WHERE comparison_id = ? AND reviewer_id = ? AND status = 'reserved'""",
        [comparison_id, reviewer_id]))


def progress(store: Store, reviewer_id: str, *, now: datetime | None = None) -> Progress:
    """"7 of 20 done": pairs judged in open batches, out of judged plus still available."""
    now = now or utcnow()

    def read(con: duckdb.DuckDBPyConnection) -> Progress:
        done = con.execute(
            """SELECT count(DISTINCT j.comparison_id) FROM judgments j
               JOIN comparisons c ON c.comparison_id = j.comparison_id
               JOIN batches b ON b.batch_id = c.batch_id
               WHERE j.judge_kind = 'human' AND j.judge_id = ?
                 AND NOT coalesce(CAST(json_extract(b.config, '$.closed') AS BOOLEAN), false)
            """, [reviewer_id]).fetchone()[0]
        return Progress(done, done + len(_queue(con, reviewer_id, now)))

    return store.read(read)
