"""Read-side SQL for judge agreement and position bias, from ``report_judgments``
(see ``core.store.judgment_queries.load_report_judgments``; same connection)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd


def agreement_pairs(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Contingency counts over every two graded judgments of the same pair of submissions
    by different judges: kind_a, judge_a, kind_b, judge_b, score_a, score_b, n.

    Judges are ordered (kind, id), so an autograder comes before a human ('auto' <
    'human'). Scores are oriented to the pair (``item_score``)."""
    return con.execute("""
        WITH g AS (
            SELECT item_key, judge_kind, judge_id, item_score
            FROM report_judgments WHERE item_score IS NOT NULL
        )
        SELECT a.judge_kind AS kind_a, a.judge_id AS judge_a,
               b.judge_kind AS kind_b, b.judge_id AS judge_b,
               a.item_score AS score_a, b.item_score AS score_b, count(*) AS n
        FROM g a JOIN g b ON a.item_key = b.item_key
             AND (a.judge_kind < b.judge_kind
                  OR (a.judge_kind = b.judge_kind AND a.judge_id < b.judge_id))
        GROUP BY ALL ORDER BY ALL""").df()


def human_item_counts(con: duckdb.DuckDBPyConnection) -> np.ndarray:
    """Items (pairs of submissions) with >= 2 graded human ratings: counts of 0, ½, 1."""
    rows = con.execute("""
        SELECT count(*) FILTER (WHERE item_score = 0),
               count(*) FILTER (WHERE item_score = 0.5),
               count(*) FILTER (WHERE item_score = 1)
        FROM report_judgments
        WHERE item_score IS NOT NULL AND judge_kind = 'human'
        GROUP BY item_key HAVING count(*) >= 2""").fetchnumpy()
    return np.column_stack(list(rows.values())) if rows and len(next(iter(rows.values()))) \
        else np.zeros((0, 3))


def position_sides(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per judge: graded verdicts, position consistency, and side A preferences.

    Side A wins when the candidate was shown as A and won, or shown as B and lost."""
    return con.execute("""
        SELECT judge_kind, judge_id, count(outcome) AS n,
               count(position_consistent) AS n_consistency_known,
               count(*) FILTER (WHERE position_consistent = false) AS n_inconsistent,
               count(*) FILTER (WHERE candidate_side IN ('A', 'B') AND outcome IN (0, 1))
                   AS n_decisive_sided,
               count(*) FILTER (WHERE (candidate_side = 'A' AND outcome = 1)
                                   OR (candidate_side = 'B' AND outcome = 0)) AS n_prefer_a
        FROM report_judgments GROUP BY ALL ORDER BY judge_kind, judge_id""").df()
