"""The report's aggregates as the straightforward SQL computed them before the read side
was rewritten for speed (a GROUP BY per breakdown over a temp table of the judgments,
string keys throughout): an independent oracle for ``app.report.inputs``.

Kept verbatim from the earlier ``core.store.judgment_queries``, ``agreement_queries`` and
``usage_queries``, plus ``reference_inputs`` to run them all in one connection.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from core.errors import UserError
from core.store import Store
from core.store.submissions import GOLD_MODEL, GOLD_RUN

POOLED = "(all models)"

#: Breakdown dimensions and the SQL giving each row's category. Task attributes are joined
#: in (a small table); file types come from a task -> type table (a task with two types
#: counts in both).
DIMENSIONS: dict[str, str] = {
    "model": "'all'",
    "judge_kind": "judge_kind",
    "sector": "coalesce(t.sector, '(unknown)')",
    "occupation": "coalesce(t.occupation, '(unknown)')",
    "filetype": "coalesce(tt.filetype, '(unknown)')",
}


def fetch_frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None
                ) -> pd.DataFrame:
    """A large result as a DataFrame with strings as categoricals, through Arrow: several
    times faster than ``.df()`` for hundreds of thousands of rows of repeated names."""
    return con.sql(sql, params=params or None).to_arrow_table().to_pandas(
        strings_to_categorical=True)


def load_task_types(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table ``report_task_types``: one row per (task, distinct deliverable type);
    '(none)' for a task that lists none."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE report_task_types AS
        SELECT task_id, unnest(CASE WHEN len(coalesce(deliverable_types, [])) > 0
                                    THEN list_distinct(deliverable_types)
                                    ELSE ['(none)'] END) AS filetype
        FROM tasks""")


def category_source(table: str, dimension: str, where: str) -> str:
    """A subquery over ``table`` rows passing ``where``, with a ``category`` column."""
    if dimension not in DIMENSIONS:
        raise UserError(f"unknown breakdown {dimension!r}; choose one of "
                        f"{', '.join(DIMENSIONS)}")
    join = {"filetype": " LEFT JOIN report_task_types tt ON tt.task_id = x.task_id",
            "sector": " LEFT JOIN tasks t ON t.task_id = x.task_id",
            "occupation": " LEFT JOIN tasks t ON t.task_id = x.task_id"}.get(dimension, "")
    return (f"(SELECT x.*, {DIMENSIONS[dimension]} AS category FROM {table} x{join} "
            f"WHERE {where})")


@dataclass(frozen=True)
class JudgmentCounts:
    """What went in, for the report's header."""

    effective: int
    graded: int
    ungraded: int
    superseded: int
    attention_excluded: int
    by_kind: dict[str, dict[str, int]]


def load_report_judgments(con: duckdb.DuckDBPyConnection, runs: list[str] | None
                          ) -> JudgmentCounts:
    """Create temp table ``report_judgments`` for candidate ``runs`` (None = all runs).

    A run-vs-run comparison is kept only when both runs are selected. Columns include
    ``task_id``, ``cand_model``/``ref_model`` (the reference of a gold comparison is the
    expert), ``vs_expert``, and ``item_key``/``item_score``: the pair of
    submissions whatever batch it sat in (a 64-bit hash), and the score oriented to that
    key, so human and autograder verdicts on the same pair meet even when their
    comparison rows differ. ``judge_key`` hashes (kind, id) for distinct counts.
    """
    bad = con.execute("""SELECT judgment_id, outcome FROM judgments
                         WHERE status = 'graded' AND outcome IS NOT NULL
                           AND outcome NOT IN (0, 0.5, 1) LIMIT 1""").fetchone()
    if bad:
        raise UserError(f"judgment {bad[0]} has outcome {bad[1]}; outcomes must be 0, 0.5 "
                        "or 1 (or NULL when ungraded)")
    load_task_types(con)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE report_judgments AS
        WITH superseded AS (
            SELECT DISTINCT supersedes AS judgment_id FROM judgments WHERE supersedes IS NOT NULL
        ), base AS (
            SELECT j.judge_kind, j.judge_id, hash(j.judge_kind, j.judge_id) AS judge_key,
                   CASE WHEN j.status = 'graded' THEN j.outcome END AS outcome,
                   j.candidate_side, j.position_consistent,
                   c.task_id, c.candidate_run_id, c.candidate_sample, c.reference_run_id,
                   c.reference_sample,
                   coalesce(rc.model, c.candidate_run_id) AS cand_model,
                   CASE WHEN c.reference_run_id = '{GOLD_RUN}' THEN '{GOLD_MODEL}'
                        ELSE coalesce(rr.model, c.reference_run_id) END AS ref_model,
                   c.reference_run_id = '{GOLD_RUN}' AS vs_expert,
                   c.reference_run_id <> '{GOLD_RUN}' AND (
                       c.candidate_run_id > c.reference_run_id OR (
                       c.candidate_run_id = c.reference_run_id
                       AND c.candidate_sample > c.reference_sample)) AS flip
            FROM judgments j
            ANTI JOIN superseded s ON s.judgment_id = j.judgment_id
            JOIN comparisons c ON c.comparison_id = j.comparison_id
            LEFT JOIN runs rc ON rc.run_id = c.candidate_run_id
            LEFT JOIN runs rr ON rr.run_id = c.reference_run_id
            WHERE NOT c.attention
              AND ($runs IS NULL OR list_contains($runs, c.candidate_run_id))
              AND (c.reference_run_id = '{GOLD_RUN}' OR $runs IS NULL
                   OR list_contains($runs, c.reference_run_id))
        )
        SELECT * EXCLUDE (flip, candidate_run_id, candidate_sample, reference_run_id,
                          reference_sample),
               CASE WHEN flip
                    THEN hash(task_id, reference_run_id, reference_sample, candidate_run_id,
                              candidate_sample)
                    ELSE hash(task_id, candidate_run_id, candidate_sample, reference_run_id,
                              reference_sample)
               END AS item_key,
               CASE WHEN flip THEN 1 - outcome ELSE outcome END AS item_score
        FROM base
    """, {"runs": runs})
    by_kind: dict[str, dict[str, int]] = {}
    for kind, graded, ungraded in con.execute(
            """SELECT judge_kind, count(outcome), count(*) - count(outcome)
               FROM report_judgments GROUP BY ALL ORDER BY 1""").fetchall():
        by_kind[kind] = {"graded": graded, "ungraded": ungraded}
    superseded, attention = con.execute("""
        SELECT (SELECT count(DISTINCT supersedes) FROM judgments WHERE supersedes IS NOT NULL),
               (SELECT count(*) FROM judgments j JOIN comparisons c USING (comparison_id)
                WHERE c.attention)""").fetchone()
    graded = sum(v["graded"] for v in by_kind.values())
    ungraded = sum(v["ungraded"] for v in by_kind.values())
    return JudgmentCounts(graded + ungraded, graded, ungraded, superseded, attention, by_kind)


def _kinds_clause(kinds: list[str] | None) -> tuple[str, dict]:
    if kinds is None:
        return "true", {}
    return "list_contains($kinds, judge_kind)", {"kinds": kinds}


def model_or_pooled(col: str) -> str:
    return f"CASE WHEN grouping({col}) = 1 THEN '{POOLED}' ELSE {col} END"


def load_win_cells(con: duckdb.DuckDBPyConnection, kinds: list[str] | None) -> None:
    """Temp table ``report_cells``: judgments vs the expert summed per (model, judge kind,
    task). Every breakdown is a function of these (sector, occupation and file type are
    properties of the task), so the breakdowns re-aggregate this small table instead of
    scanning every judgment again."""
    kc, params = _kinds_clause(kinds)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE report_cells AS
        SELECT cand_model, judge_kind, task_id,
               count(outcome) AS n,
               count(*) FILTER (WHERE outcome = 1) AS wins,
               count(*) FILTER (WHERE outcome = 0.5) AS ties,
               count(*) FILTER (WHERE outcome = 0) AS losses,
               count(*) FILTER (WHERE outcome IS NULL) AS n_ungraded
        FROM report_judgments WHERE vs_expert AND {kc}
        GROUP BY cand_model, judge_kind, task_id""", params)


def union_all(parts: list[str]) -> str:
    return "\nUNION ALL\n".join(f"({p})" for p in parts)


def win_rate_groups(con: duckdb.DuckDBPyConnection, dimensions: list[str],
                    kinds: list[str] | None) -> pd.DataFrame:
    """Per (dimension, category, model) and pooled per category: counts of judgments vs
    the expert, with the distinct tasks and judges behind the graded ones (needs
    ``report_cells``). One statement for all breakdowns.

    Judges are counted through a small DISTINCT set first: ``count(DISTINCT)`` straight
    over a million rows costs several times more."""
    kc, params = _kinds_clause(kinds)
    sets = "((category, cand_model), (category))"
    m = model_or_pooled("cand_model")
    parts = []
    for dim in dimensions:
        cells = category_source("report_cells", dim, "true")
        graded = category_source("report_judgments", dim,
                                 f"vs_expert AND outcome IS NOT NULL AND {kc}")
        parts.append(f"""
            WITH counts AS (
                SELECT category, {m} AS model, sum(n) AS n, sum(wins) AS wins,
                       sum(ties) AS ties, sum(losses) AS losses, sum(n_ungraded) AS n_ungraded,
                       count(DISTINCT task_id) FILTER (WHERE n > 0) AS n_tasks
                FROM {cells} GROUP BY GROUPING SETS {sets}
            ), judges AS (
                SELECT category, {m} AS model, count(DISTINCT judge_key) AS n_judges
                FROM (SELECT DISTINCT category, cand_model, judge_key FROM {graded})
                GROUP BY GROUPING SETS {sets}
            )
            SELECT '{dim}' AS dimension, c.category, c.model, c.n::BIGINT AS n,
                   c.wins::BIGINT AS wins, c.ties::BIGINT AS ties, c.losses::BIGINT AS losses,
                   c.n_ungraded::BIGINT AS n_ungraded, c.n_tasks::BIGINT AS n_tasks,
                   coalesce(j.n_judges, 0)::BIGINT AS n_judges
            FROM counts c LEFT JOIN judges j USING (category, model)""")
    return con.execute(union_all(parts) + " ORDER BY dimension, category, model", params).df()


def win_rate_cells(con: duckdb.DuckDBPyConnection, dimensions: list[str]) -> pd.DataFrame:
    """Per (dimension, category, model, task) graded counts vs the expert, and pooled per
    (category, task): the bootstrap's clusters (needs ``report_cells``)."""
    sets = "((category, cand_model, task_id), (category, task_id))"
    parts = [f"""
        SELECT '{dim}' AS dimension, category, {model_or_pooled("cand_model")} AS model,
               task_id, sum(n)::BIGINT AS n, sum(wins)::BIGINT AS wins,
               sum(ties)::BIGINT AS ties
        FROM {category_source("report_cells", dim, "n > 0")}
        GROUP BY GROUPING SETS {sets}""" for dim in dimensions]
    return fetch_frame(con, union_all(parts))


def pair_counts(con: duckdb.DuckDBPyConnection, kinds: list[str] | None) -> pd.DataFrame:
    """Per (task, player a, player b) with a < b: graded games for Bradley-Terry.

    Players are models, and the expert (``human/expert``) for gold comparisons; games
    between two runs of the same model are left out.
    """
    kc, params = _kinds_clause(kinds)
    return fetch_frame(con, f"""
        SELECT task_id, least(cand_model, ref_model) AS a, greatest(cand_model, ref_model) AS b,
               count(*) AS n,
               count(*) FILTER (WHERE (cand_model < ref_model AND outcome = 1)
                                   OR (cand_model > ref_model AND outcome = 0)) AS wins_a,
               count(*) FILTER (WHERE outcome = 0.5) AS ties
        FROM report_judgments
        WHERE outcome IS NOT NULL AND cand_model <> ref_model AND {kc}
        GROUP BY ALL""", params)


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


def _split(frame: pd.DataFrame, dims: list[str]) -> dict[str, pd.DataFrame]:
    parts = dict(tuple(frame.groupby("dimension", sort=False))) if len(frame) else {}
    empty = frame.drop(columns="dimension").iloc[0:0]
    return {d: parts[d].drop(columns="dimension").reset_index(drop=True) if d in parts
            else empty for d in dims}


def reference_inputs(store: Store, runs: list[str] | None, kinds: list[str] | None,
                     dims: list[str], rub_dims: list[str]) -> dict:
    """Every aggregate the statistics take, by the reference SQL."""
    def run(con: duckdb.DuckDBPyConnection) -> dict:
        counts = load_report_judgments(con, runs)
        load_win_cells(con, kinds)
        out = {"counts": counts,
               "wr_groups": _split(win_rate_groups(con, dims, kinds), dims),
               "wr_cells": _split(win_rate_cells(con, dims), dims),
               "games": pair_counts(con, kinds),
               "agree_pairs": agreement_pairs(con),
               "human_counts": human_item_counts(con),
               "sides": position_sides(con)}
        load_rubric(con, runs)
        out["rub_groups"] = _split(rubric_groups(con, rub_dims), rub_dims)
        out["rub_cells"] = _split(rubric_cells(con, rub_dims), rub_dims)
        return out
    return store.read(run)
