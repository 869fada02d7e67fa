"""Read-side SQL for reports: the judgments that count, read once, as integer codes.

Which judgments count:

- the *effective* ones: a judgment named in another judgment's ``supersedes`` was
  replaced by it (chains resolve to their last link);
- not on attention-check pairs (those test the reviewer, not the model);
- a judgment whose outcome is NULL, or whose status is not ``graded``, is *ungraded*: kept
  so it can be counted, excluded from every rate.

``read_judgments`` applies these rules in one statement and returns one narrow row per
effective judgment as numpy arrays (tasks, models and judges as the codes of
``core.store.report_codes``, categories as small integers). Every aggregate of the report
(win-rate cells, Bradley-Terry games, agreement, position bias) is a tally of these
arrays (``core.stats.tally``): the million judgments are read once, not once per
breakdown, and no string is hashed or compared after this read.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np

from core.errors import UserError
from core.store.report_codes import ReportLabels, fetch_arrays, gold_player
from core.store.submissions import GOLD_RUN

#: The arrays ``read_judgments`` returns, one element per effective judgment.
JUDGMENT_COLUMNS = {
    "judge": "judge code (``report_judges``)",
    "kind": "judge-kind code (index into ``ReportLabels.kinds``)",
    "score2": "twice the candidate's score: 0 worse, 1 as good, 2 better; -1 ungraded",
    "side": "side the candidate was shown on: 1 A, 2 B, 0 unknown",
    "consistent": "autograder position consistency: 1 yes, 0 no, -1 unknown",
    "task": "task code",
    "cand": "candidate's player code",
    "ref": "reference's player code (the expert for a gold comparison)",
    "vs_expert": "True for a comparison against the expert's deliverable",
    "item": "the pair of submissions, whatever batch or order it was shown in (dense code)",
    "flip": "True when the candidate is the second submission of ``item``",
}


@dataclass(frozen=True)
class JudgmentCounts:
    """What went in, for the report's header."""

    effective: int
    graded: int
    ungraded: int
    superseded: int
    attention_excluded: int
    by_kind: dict[str, dict[str, int]]


def read_judgments(con: duckdb.DuckDBPyConnection, runs: list[str] | None,
                   labels: ReportLabels) -> tuple[JudgmentCounts, dict[str, np.ndarray]]:
    """The effective judgments for candidate ``runs`` (None = all runs), as arrays (see
    ``JUDGMENT_COLUMNS``), and the header counts; needs the code tables
    (``load_report_codes``).

    A run-vs-run comparison is kept only when both runs are selected. ``item`` lets human
    and autograder verdicts on the same two submissions meet even when their comparison
    rows differ (it numbers the distinct 64-bit hashes of the two submissions, taken in
    a fixed order); ``flip`` orients a score to it. The comparison-side work
    (codes, hashes, run filter) is done on the comparisons before they meet the
    judgments, and the judgments table is read once, for the columns used.
    """
    bad = con.execute("""SELECT judgment_id, outcome FROM judgments
                         WHERE status = 'graded' AND outcome IS NOT NULL
                           AND outcome NOT IN (0, 0.5, 1) LIMIT 1""").fetchone()
    if bad:
        raise UserError(f"judgment {bad[0]} has outcome {bad[1]}; outcomes must be 0, 0.5 "
                        "or 1 (or NULL when ungraded)")
    rows = fetch_arrays(con, f"""
        WITH superseded AS (
            SELECT DISTINCT supersedes AS judgment_id FROM judgments WHERE supersedes IS NOT NULL
        ), c AS (
            SELECT c.comparison_id, t.task, rc.player AS cand,
                   CASE WHEN c.reference_run_id = '{GOLD_RUN}' THEN $gold
                        ELSE rr.player END AS ref,
                   c.reference_run_id = '{GOLD_RUN}' AS vs_expert,
                   c.reference_run_id <> '{GOLD_RUN}' AND (
                       c.candidate_run_id > c.reference_run_id OR (
                       c.candidate_run_id = c.reference_run_id
                       AND c.candidate_sample > c.reference_sample)) AS flip,
                   CASE WHEN flip
                        THEN hash(c.task_id, c.reference_run_id, c.reference_sample,
                                  c.candidate_run_id, c.candidate_sample)
                        ELSE hash(c.task_id, c.candidate_run_id, c.candidate_sample,
                                  c.reference_run_id, c.reference_sample)
                   END AS item_key
            FROM comparisons c
            JOIN report_tasks t ON t.task_id = c.task_id
            JOIN report_runs rc ON rc.run_id = c.candidate_run_id
            JOIN report_runs rr ON rr.run_id = c.reference_run_id
            WHERE NOT c.attention
              AND ($runs IS NULL OR list_contains($runs, c.candidate_run_id))
              AND (c.reference_run_id = '{GOLD_RUN}' OR $runs IS NULL
                   OR list_contains($runs, c.reference_run_id))
        ), ci AS (
            SELECT * EXCLUDE (item_key),
                   (dense_rank() OVER (ORDER BY item_key) - 1)::INTEGER AS item
            FROM c
        )
        SELECT jd.judge, jd.kind,
               CASE WHEN j.status = 'graded' AND j.outcome IS NOT NULL
                    THEN (2 * j.outcome)::TINYINT ELSE -1 END AS score2,
               CASE j.candidate_side WHEN 'A' THEN 1 WHEN 'B' THEN 2 ELSE 0 END::TINYINT
                   AS side,
               CASE WHEN j.position_consistent THEN 1 WHEN NOT j.position_consistent THEN 0
                    ELSE -1 END::TINYINT AS consistent,
               c.task, c.cand, c.ref, c.vs_expert, c.item, c.flip
        FROM judgments j
        ANTI JOIN superseded s ON s.judgment_id = j.judgment_id
        JOIN ci c ON c.comparison_id = j.comparison_id
        JOIN report_judges jd ON jd.judge_kind = j.judge_kind AND jd.judge_id = j.judge_id
    """, {"runs": runs, "gold": gold_player(con)})
    kind, graded_row = rows["kind"], rows["score2"] >= 0
    n_kinds = len(labels.kinds)
    total = np.bincount(kind, minlength=n_kinds)
    graded = np.bincount(kind[graded_row], minlength=n_kinds)
    by_kind = {labels.kinds[k]: {"graded": int(graded[k]), "ungraded": int(total[k] - graded[k])}
               for k in range(n_kinds) if total[k] > 0}
    superseded, attention = con.execute("""
        SELECT (SELECT count(DISTINCT supersedes) FROM judgments WHERE supersedes IS NOT NULL),
               (SELECT count(*) FROM judgments j JOIN comparisons c USING (comparison_id)
                WHERE c.attention)""").fetchone()
    n_graded = int(graded.sum())
    n_ungraded = int(total.sum()) - n_graded
    counts = JudgmentCounts(n_graded + n_ungraded, n_graded, n_ungraded, superseded,
                            attention, by_kind)
    return counts, rows


def unknown_runs(con: duckdb.DuckDBPyConnection, runs: list[str]) -> list[str]:
    """The run ids in ``runs`` that the database does not know."""
    known = {r[0] for r in con.execute(
        "SELECT run_id FROM runs WHERE list_contains($runs, run_id)", {"runs": runs}).fetchall()}
    return [r for r in runs if r not in known]
