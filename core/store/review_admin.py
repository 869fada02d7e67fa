"""What the review admin pages read: coverage, reviewer activity, the judgment export and
the deliverables under review. These queries name runs and models, so only admin pages
(and reports) may call them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from core.store.db import Store

_CURRENT = "NOT EXISTS (SELECT 1 FROM judgments s WHERE s.supersedes = j.judgment_id)"


@dataclass
class Coverage:
    batch_id: str
    name: str
    k: int
    closed: bool
    pairs: int = 0
    attention_pairs: int = 0
    by_judges: dict[int, int] = field(default_factory=dict)  # judges -> pairs

    @property
    def complete(self) -> int:
        return sum(n for judges, n in self.by_judges.items() if judges >= self.k)


def coverage(store: Store) -> list[Coverage]:
    """Per batch: how many (non-attention) pairs have 0, 1, ..., k or more human judges."""
    def read(con: duckdb.DuckDBPyConnection) -> list[Coverage]:
        rows = con.execute(
            """WITH per_pair AS (
                   SELECT c.batch_id, c.comparison_id, c.attention,
                          count(DISTINCT j.judge_id) AS judges
                   FROM comparisons c LEFT JOIN judgments j
                        ON j.comparison_id = c.comparison_id AND j.judge_kind = 'human'
                   WHERE c.batch_id IS NOT NULL GROUP BY ALL)
               SELECT b.batch_id, b.name, b.k,
                      coalesce(CAST(json_extract(b.config, '$.closed') AS BOOLEAN), false),
                      p.judges, count(*) FILTER (WHERE NOT p.attention),
                      count(*) FILTER (WHERE p.attention)
               FROM batches b JOIN per_pair p ON p.batch_id = b.batch_id
               GROUP BY ALL ORDER BY b.name, p.judges""").fetchall()
        out: dict[str, Coverage] = {}
        for bid, name, k, closed, judges, n, att in rows:
            cov = out.setdefault(bid, Coverage(bid, name, k, bool(closed)))
            cov.pairs += n
            cov.attention_pairs += att
            if n:
                cov.by_judges[judges] = n
        return list(out.values())
    return store.read(read)


@dataclass(frozen=True)
class ReviewerActivity:
    reviewer_id: str
    username: str
    role: str
    active: bool
    occupations: tuple[str, ...]
    votes: int                    # pairs judged (current votes)
    changes: int                  # votes that replaced an earlier one
    total_minutes: float
    median_minutes: float | None
    attention_seen: int
    attention_passed: int
    reserved_now: int
    last_vote: datetime | None


def reviewer_activity(store: Store, now: datetime) -> list[ReviewerActivity]:
    def read(con: duckdb.DuckDBPyConnection) -> list[ReviewerActivity]:
        rows = con.execute(
            f"""SELECT r.reviewer_id, r.username, r.role, r.active, r.occupations,
                   count(j.judgment_id) FILTER (WHERE {_CURRENT}),
                   count(j.judgment_id) FILTER (WHERE j.supersedes IS NOT NULL),
                   coalesce(sum(j.time_on_task_s), 0) / 60.0,
                   median(j.time_on_task_s) / 60.0,
                   count(j.judgment_id) FILTER (WHERE {_CURRENT} AND c.attention),
                   count(j.judgment_id) FILTER (WHERE {_CURRENT} AND c.attention
                                                AND j.outcome = c.expected_outcome),
                   (SELECT count(*) FROM assignments a WHERE a.reviewer_id = r.reviewer_id
                    AND a.status = 'reserved' AND a.expires_at > ?),
                   max(j.created_at)
               FROM reviewers r
               LEFT JOIN judgments j ON j.judge_id = r.reviewer_id AND j.judge_kind = 'human'
               LEFT JOIN comparisons c ON c.comparison_id = j.comparison_id
               GROUP BY ALL ORDER BY r.username""", [now]).fetchall()
        return [ReviewerActivity(rid, u, role, bool(act), tuple(occ or ()), votes, changes,
                                 float(total or 0), med, att, passed, held, last)
                for rid, u, role, act, occ, votes, changes, total, med, att, passed, held, last
                in rows]
    return store.read(read)


def judgments_export(store: Store, *, current_only: bool = False) -> list[dict]:
    """Every human vote with its pair unblinded: batch, task, occupation, candidate and
    reference run/model/sample, reviewer, on-screen side and choice, outcome, rationale,
    time, and the supersede chain. One dict per row, ready for CSV."""
    where = f"AND {_CURRENT}" if current_only else ""
    return store.query(
        f"""SELECT j.judgment_id, j.created_at, b.name AS batch, c.comparison_id, c.task_id,
                   t.occupation, t.sector, c.candidate_run_id, cr.model AS candidate_model,
                   c.candidate_sample, c.reference_run_id, rr.model AS reference_model,
                   c.reference_sample, r.username AS reviewer, j.candidate_side,
                   json_extract_string(j.raw, '$.choice') AS choice, j.outcome,
                   j.both_unacceptable, j.rationale, j.time_on_task_s, c.attention,
                   c.expected_outcome, j.supersedes,
                   (SELECT min(s.judgment_id) FROM judgments s
                    WHERE s.supersedes = j.judgment_id) AS superseded_by,
                   {_CURRENT} AS is_current, j.idempotency_key
            FROM judgments j
            JOIN comparisons c ON c.comparison_id = j.comparison_id
            LEFT JOIN batches b ON b.batch_id = c.batch_id
            LEFT JOIN tasks t ON t.task_id = c.task_id
            LEFT JOIN runs cr ON cr.run_id = c.candidate_run_id
            LEFT JOIN runs rr ON rr.run_id = c.reference_run_id
            LEFT JOIN reviewers r ON r.reviewer_id = j.judge_id
            WHERE j.judge_kind = 'human' {where}
            ORDER BY j.created_at, j.judgment_id""")


@dataclass(frozen=True)
class UnderReview:
    """A deliverable file that appears in some review batch, with who made it."""

    run_id: str
    model: str | None
    task_id: str
    sample: int
    name: str
    path: Path
    file_type: str
    sha256: str
    pairs: int


def deliverables_under_review(store: Store) -> list[UnderReview]:
    rows = store.query(
        """WITH subs AS (
               SELECT candidate_run_id AS run_id, task_id, candidate_sample AS sample,
                      comparison_id FROM comparisons WHERE batch_id IS NOT NULL
               UNION ALL
               SELECT reference_run_id, task_id, reference_sample, comparison_id
               FROM comparisons WHERE batch_id IS NOT NULL)
           SELECT d.run_id, r.model, d.task_id, d.sample, d.name, d.path, d.file_type,
                  d.sha256, count(DISTINCT s.comparison_id) AS pairs
           FROM subs s JOIN deliverables d ON d.run_id = s.run_id AND d.task_id = s.task_id
                AND d.sample = s.sample
           LEFT JOIN runs r ON r.run_id = d.run_id
           GROUP BY ALL ORDER BY d.run_id, d.task_id, d.sample, d.name""")
    return [UnderReview(**{**r, "path": Path(r["path"])}) for r in rows]


def task_occupations(store: Store) -> list[str]:
    """Occupations of the tasks in the store (a reviewer's occupations should be among
    them, or their queue stays empty)."""
    return [r["occupation"] for r in store.query(
        "SELECT DISTINCT occupation FROM tasks ORDER BY occupation")]
