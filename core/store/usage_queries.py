"""Read-side SQL for rubric scores and for cost and speed per model.

Both exclude the gold run. ``runs`` restricts to candidate runs (None = all)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from core.store.report_codes import fetch_arrays
from core.store.submissions import GOLD_RUN


def read_rubric_grades(con: duckdb.DuckDBPyConnection, runs: list[str] | None
                       ) -> dict[str, np.ndarray]:
    """One row per rubric grade of candidate ``runs`` (None = all): arrays ``cand``,
    ``task`` (codes of ``core.store.report_codes``; needs ``load_report_codes``),
    ``judge`` (judge model, coded here) and ``score``: NaN when ungraded (status
    ``ungraded``, or no score); partial grades count with their score. Sorted, so that
    sums over them do not depend on how the scan was split between threads."""
    return fetch_arrays(con, f"""
        WITH g AS (
            SELECT run_id, task_id, judge_model,
                   CASE WHEN status IN ('graded', 'partial') THEN score END AS score
            FROM rubric_grades
            WHERE run_id <> '{GOLD_RUN}' AND ($runs IS NULL OR list_contains($runs, run_id))
        ), judges AS (
            SELECT judge_model, row_number() OVER (ORDER BY judge_model) - 1 AS judge
            FROM (SELECT DISTINCT judge_model FROM g)
        )
        SELECT r.player AS cand, t.task, j.judge, coalesce(g.score, 'NaN'::DOUBLE) AS score
        FROM g
        JOIN report_runs r ON r.run_id = g.run_id
        JOIN report_tasks t ON t.task_id = g.task_id
        JOIN judges j ON j.judge_model = g.judge_model
        ORDER BY ALL""", {"runs": runs})


def model_usage(con: duckdb.DuckDBPyConnection, runs: list[str] | None) -> pd.DataFrame:
    """Per model over finished samples (done or failed): tokens, known costs, latency,
    and the expert's hours and pay over the same tasks where the task gives them.

    ``model_minutes_expert_tasks`` / ``model_usd_expert_tasks`` average the model over
    only those tasks, so ratios against the expert compare like with like."""
    return con.execute(f"""
        WITH s AS (
            SELECT coalesce(r.model, s.run_id) AS model, s.run_id, s.task_id, s.status,
                   s.input_tokens, s.output_tokens, s.cost_usd, s.latency_s,
                   t.expert_hours, t.expert_hourly_wage_usd AS wage
            FROM samples s
            LEFT JOIN runs r ON r.run_id = s.run_id
            LEFT JOIN tasks t ON t.task_id = s.task_id
            WHERE s.run_id <> '{GOLD_RUN}' AND s.status IN ('done', 'failed')
              AND ($runs IS NULL OR list_contains($runs, s.run_id))
        ), e AS (
            SELECT model, avg(h) * 60 AS expert_minutes_per_task, count(h) AS n_expert_tasks,
                   avg(h * wage) AS expert_usd_per_task, count(h * wage) AS n_expert_paid_tasks
            FROM (SELECT model, task_id, any_value(expert_hours) AS h, any_value(wage) AS wage
                  FROM s GROUP BY ALL)
            GROUP BY model
        ), m AS (
            SELECT model, count(*) AS n_samples, count(DISTINCT task_id) AS n_tasks,
                   count(DISTINCT run_id) AS n_runs,
                   count(*) FILTER (WHERE status = 'done') AS n_done,
                   count(*) FILTER (WHERE status = 'failed') AS n_failed,
                   count(*) FILTER (WHERE input_tokens IS NOT NULL
                                      AND output_tokens IS NOT NULL) AS n_tokens_known,
                   coalesce(sum(input_tokens) FILTER (WHERE output_tokens IS NOT NULL), 0)
                       AS input_tokens,
                   coalesce(sum(output_tokens) FILTER (WHERE input_tokens IS NOT NULL), 0)
                       AS output_tokens,
                   count(cost_usd) AS n_cost_known,
                   count(*) - count(cost_usd) AS n_cost_unknown,
                   sum(cost_usd) AS cost_usd_known,
                   count(latency_s) AS n_latency_known,
                   sum(latency_s) AS latency_s_known,
                   avg(latency_s) FILTER (WHERE expert_hours IS NOT NULL) / 60
                       AS model_minutes_expert_tasks,
                   avg(cost_usd) FILTER (WHERE expert_hours IS NOT NULL AND wage IS NOT NULL)
                       AS model_usd_expert_tasks
            FROM s GROUP BY model
        )
        SELECT m.*, e.* EXCLUDE (model) FROM m LEFT JOIN e USING (model)
        ORDER BY m.model""", {"runs": runs}).df()
