"""Read-side SQL for rubric scores and for cost and speed per model.

Both exclude the gold run. ``runs`` restricts to candidate runs (None = all)."""

from __future__ import annotations

import duckdb
import pandas as pd

from core.store.judgment_queries import (
    category_source,
    fetch_frame,
    load_task_types,
    model_or_pooled,
    union_all,
)
from core.store.submissions import GOLD_RUN

_RUBRIC = f"""
    CREATE OR REPLACE TEMP TABLE report_rubric AS
    SELECT coalesce(r.model, g.run_id) AS model, g.run_id, g.task_id, g.judge_model,
           CASE WHEN g.status IN ('graded', 'partial') THEN g.score END AS score
    FROM rubric_grades g
    LEFT JOIN runs r ON r.run_id = g.run_id
    WHERE g.run_id <> '{GOLD_RUN}' AND ($runs IS NULL OR list_contains($runs, g.run_id))
"""


def load_rubric(con: duckdb.DuckDBPyConnection, runs: list[str] | None) -> None:
    """Temp table ``report_rubric``: one row per rubric grade; ``score`` NULL = ungraded
    (status ``ungraded``, or no score). Partial grades count with their score."""
    load_task_types(con)
    con.execute(_RUBRIC, {"runs": runs})


def rubric_groups(con: duckdb.DuckDBPyConnection, dimensions: list[str]) -> pd.DataFrame:
    """Per (dimension, category, model) and pooled: graded and ungraded rubric grades."""
    sets = "((category, model), (category))"
    parts = [f"""
        SELECT '{dim}' AS dimension, category, {model_or_pooled("model")} AS model,
               count(score) AS n, coalesce(sum(score), 0) AS total,
               count(*) - count(score) AS n_ungraded,
               count(DISTINCT task_id) FILTER (WHERE score IS NOT NULL) AS n_tasks,
               count(DISTINCT judge_model) FILTER (WHERE score IS NOT NULL) AS n_judges
        FROM {category_source("report_rubric", dim, "true")}
        GROUP BY GROUPING SETS {sets}""" for dim in dimensions]
    return con.execute(union_all(parts) + " ORDER BY dimension, category, model").df()


def rubric_cells(con: duckdb.DuckDBPyConnection, dimensions: list[str]) -> pd.DataFrame:
    """Per (dimension, category, model, task) and pooled: graded rubric score sums."""
    sets = "((category, model, task_id), (category, task_id))"
    parts = [f"""
        SELECT '{dim}' AS dimension, category, {model_or_pooled("model")} AS model,
               task_id, count(*) AS n, sum(score) AS total
        FROM {category_source("report_rubric", dim, "score IS NOT NULL")}
        GROUP BY GROUPING SETS {sets}""" for dim in dimensions]
    return fetch_frame(con, union_all(parts))


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
