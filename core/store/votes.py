"""Votes of human reviewers: append-only rows of ``judgments`` (``judge_kind='human'``).

A vote is never edited. The same ``idempotency_key`` lands once (a double click, a
resent message, a second tab submitting the same version); a changed vote is a new row
whose ``supersedes`` names the row it replaces, by the same reviewer. Every vote first
bumps the pair's ``lock_seq`` (see :mod:`core.store.reviews`), so two submits on one pair
are serialised: one reviewer cannot vote twice. ``time_on_task_s`` runs from the first
render of the pair to this reviewer, as recorded by the server.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime

import duckdb

from core.store.db import Store
from core.store.reviews import ReviewError, assignment_sql, lock_pair_sql, utcnow

CHOICES = ("A", "tie", "B")
MAX_RATIONALE_CHARS = 4000


@dataclass(frozen=True)
class VoteResult:
    judgment_id: str
    outcome: float
    duplicate: bool            # the idempotency key had already landed: nothing written
    supersedes: str | None



@dataclass(frozen=True)
class MyJudgment:
    """A reviewer's own current vote, as they saw it (sides, not runs)."""

    judgment_id: str
    comparison_id: str
    task_id: str
    choice: str
    both_unacceptable: bool
    rationale: str
    created_at: datetime
    revisions: int



def outcome_of(choice: str, candidate_side: str) -> float:
    """The candidate's score for a vote made on screen: 1 better, 0.5 as good as, 0 worse."""
    if choice not in CHOICES:
        raise ReviewError(f"vote must be one of {', '.join(CHOICES)}, got {choice!r}")
    if choice == "tie":
        return 0.5
    return 1.0 if choice == candidate_side else 0.0


def choice_of(outcome: float, candidate_side: str) -> str:
    if outcome == 0.5:
        return "tie"
    other = "B" if candidate_side == "A" else "A"
    return candidate_side if outcome == 1.0 else other



def _current_vote(con: duckdb.DuckDBPyConnection, reviewer_id: str,
                  comparison_id: str) -> tuple[str, datetime] | None:
    row = con.execute(
        """SELECT judgment_id, created_at FROM judgments j
           WHERE comparison_id = ? AND judge_kind = 'human' AND judge_id = ?
             AND NOT EXISTS (SELECT 1 FROM judgments s WHERE s.supersedes = j.judgment_id)
           ORDER BY created_at DESC LIMIT 1""", [comparison_id, reviewer_id]).fetchone()
    return (row[0], row[1]) if row else None


def record_vote(store: Store, reviewer_id: str, comparison_id: str, choice: str,
                rationale: str, *, idempotency_key: str, both_unacceptable: bool = False,
                revise: bool = False, now: datetime | None = None) -> VoteResult:
    """Commit one vote; returns only once it is in the database.

    ``choice`` is what the reviewer picked on screen ("A", "tie", "B"); the stored
    ``outcome`` is from the candidate's side. With ``revise=True`` the vote replaces the
    reviewer's current one (a new row that supersedes it); without, a second vote on the
    same pair is refused. Re-sending the same ``idempotency_key`` writes nothing.
    """
    rationale = (rationale or "").strip()
    if not rationale:
        raise ReviewError("a short rationale is required")
    if len(rationale) > MAX_RATIONALE_CHARS:
        raise ReviewError(f"the rationale is longer than {MAX_RATIONALE_CHARS} characters")
    if choice not in CHOICES:
        raise ReviewError(f"vote must be one of {', '.join(CHOICES)}, got {choice!r}")
    now = now or utcnow()

    def write(con: duckdb.DuckDBPyConnection) -> VoteResult:
        lock_pair_sql(con, comparison_id)
        dup = con.execute(
            """SELECT judgment_id, outcome, supersedes, judge_id, comparison_id FROM judgments
               WHERE idempotency_key = ?""", [idempotency_key]).fetchone()
        if dup:
            if (dup[3], dup[4]) != (reviewer_id, comparison_id):
                raise ReviewError("idempotency key already used for another vote")
            return VoteResult(dup[0], dup[1], True, dup[2])
        assignment = assignment_sql(con, reviewer_id, comparison_id)
        if assignment is None:
            raise ReviewError("this pair is not assigned to you")
        current = _current_vote(con, reviewer_id, comparison_id)
        if current and not revise:
            raise ReviewError("you have already judged this pair; change your vote from "
                              "'My reviews'")
        if revise and not current:
            raise ReviewError("there is no earlier vote on this pair to change")
        outcome = outcome_of(choice, assignment.candidate_side)
        started = assignment.first_render_at
        took = (now - started).total_seconds() if started and not revise else None
        judgment_id = "jdg_" + secrets.token_hex(10)
        con.execute(
            """INSERT INTO judgments (judgment_id, comparison_id, judge_kind, judge_id, outcome,
                   status, candidate_side, rationale, both_unacceptable, time_on_task_s, raw,
                   idempotency_key, supersedes, created_at)
               VALUES (?, ?, 'human', ?, ?, 'graded', ?, ?, ?, ?, ?, ?, ?, ?)""",
            [judgment_id, comparison_id, reviewer_id, outcome, assignment.candidate_side,
             rationale, both_unacceptable, took,
             json.dumps({"choice": choice, "changed_by": reviewer_id if revise else None}),
             idempotency_key, current[0] if current else None, now])
        con.execute("""UPDATE assignments SET status = 'done', draft = NULL
                       WHERE comparison_id = ? AND reviewer_id = ?""",
                    [comparison_id, reviewer_id])
        return VoteResult(judgment_id, outcome, False, current[0] if current else None)

    return store.write(write)


def vote_key(reviewer_id: str, comparison_id: str, version: int) -> str:
    """The idempotency key of a reviewer's ``version``-th vote on a pair: a double click,
    a resent websocket message or a second tab submitting the same version land once."""
    return f"human:{reviewer_id}:{comparison_id}:{version}"


def vote_count(store: Store, reviewer_id: str, comparison_id: str) -> int:
    """How many vote rows (original and changes) this reviewer has on this pair."""
    return store.read(lambda con: con.execute(
        """SELECT count(*) FROM judgments WHERE judge_kind = 'human' AND judge_id = ?
           AND comparison_id = ?""", [reviewer_id, comparison_id]).fetchone()[0])



def my_judgments(store: Store, reviewer_id: str) -> list[MyJudgment]:
    """This reviewer's current votes, newest first, expressed in on-screen sides."""
    rows = store.read(lambda con: con.execute(
        """SELECT j.judgment_id, j.comparison_id, c.task_id, j.outcome, j.candidate_side,
                  j.both_unacceptable, j.rationale, j.created_at,
                  (SELECT count(*) - 1 FROM judgments x WHERE x.comparison_id = j.comparison_id
                   AND x.judge_kind = 'human' AND x.judge_id = j.judge_id)
           FROM judgments j JOIN comparisons c ON c.comparison_id = j.comparison_id
           WHERE j.judge_kind = 'human' AND j.judge_id = ?
             AND NOT EXISTS (SELECT 1 FROM judgments s WHERE s.supersedes = j.judgment_id)
           ORDER BY j.created_at DESC""", [reviewer_id]).fetchall())
    return [MyJudgment(jid, cid, task, choice_of(out, side), bool(bu), rat or "", at, revs)
            for jid, cid, task, out, side, bu, rat, at, revs in rows]
