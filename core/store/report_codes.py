"""Integer codes for the report's read side: tasks, players (models) and judges.

A report aggregates a million judgments several ways. Carrying task ids, model names and
judge ids through every join and aggregate as strings costs several times more than
small integers, so ``load_report_codes`` gives each a dense code once per connection,
the report reads its rows as codes, and ``report_labels`` names the codes for the (small)
results.

Codes follow the names' sort order (DuckDB's binary collation): player ``a < b`` exactly
when model name ``a < b``, judge ``a < b`` exactly when (kind, id) ``a < b``, so orderings
such as "the lesser model of a pair" or "the autograder before the human" carry over.

Temp tables (per connection, like every ``report_*`` table):

- ``report_tasks`` (task, task_id, sector, occupation): every task named by ``tasks``,
  ``comparisons`` or ``rubric_grades``; a task missing from ``tasks`` is '(unknown)'.
- ``report_task_types`` (task, filetype): one row per distinct deliverable type; '(none)'
  for a task that lists none, '(unknown)' for a task missing from ``tasks``.
- ``report_runs`` (run_id, player): the model behind each run (the run id when the run
  is not in ``runs``); ``report_models`` (player, model) names the players, the expert
  (``human/expert``) always among them.
- ``report_judges`` (judge, kind, judge_kind, judge_id): ``kind`` codes the judge kind.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np

from core.store.submissions import GOLD_MODEL


def load_report_codes(con: duckdb.DuckDBPyConnection) -> None:
    """Create the code tables (see the module docstring); a few milliseconds."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE report_tasks AS
        SELECT (row_number() OVER (ORDER BY ids.task_id) - 1)::INTEGER AS task, ids.task_id,
               coalesce(t.sector, '(unknown)') AS sector,
               coalesce(t.occupation, '(unknown)') AS occupation,
               t.task_id IS NOT NULL AS known,
               CASE WHEN len(coalesce(t.deliverable_types, [])) > 0
                    THEN list_distinct(t.deliverable_types) END AS types
        FROM (SELECT task_id FROM tasks UNION SELECT task_id FROM comparisons
              UNION SELECT task_id FROM rubric_grades) ids
        LEFT JOIN tasks t ON t.task_id = ids.task_id""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE report_task_types AS
        SELECT task, unnest(coalesce(types, [CASE WHEN known THEN '(none)'
                                                  ELSE '(unknown)' END])) AS filetype
        FROM report_tasks""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE report_run_names AS
        SELECT ids.run_id, coalesce(r.model, ids.run_id) AS model
        FROM (SELECT run_id FROM runs UNION SELECT candidate_run_id FROM comparisons
              UNION SELECT reference_run_id FROM comparisons
              UNION SELECT run_id FROM rubric_grades) ids
        LEFT JOIN runs r ON r.run_id = ids.run_id""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE report_models AS
        SELECT (row_number() OVER (ORDER BY model) - 1)::INTEGER AS player, model
        FROM (SELECT model FROM report_run_names UNION SELECT $gold)""", {"gold": GOLD_MODEL})
    con.execute("""
        CREATE OR REPLACE TEMP TABLE report_runs AS
        SELECT n.run_id, m.player FROM report_run_names n JOIN report_models m USING (model)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE report_judges AS
        SELECT (row_number() OVER (ORDER BY judge_kind, judge_id) - 1)::INTEGER AS judge,
               (dense_rank() OVER (ORDER BY judge_kind) - 1)::INTEGER AS kind,
               judge_kind, judge_id
        FROM (SELECT DISTINCT judge_kind, judge_id FROM judgments)""")


def gold_player(con: duckdb.DuckDBPyConnection) -> int:
    """The expert's player code (needs ``report_models``)."""
    return con.execute("SELECT player FROM report_models WHERE model = $gold",
                       {"gold": GOLD_MODEL}).fetchone()[0]


@dataclass(frozen=True)
class ReportLabels:
    """The names behind the codes, indexed by code (needs the code tables)."""

    tasks: list[str]                 # task_id by task code
    sectors: list[str]               # by task code
    occupations: list[str]           # by task code
    type_task: np.ndarray            # (task code, file type) memberships
    type_label: list[str]
    models: list[str]                # by player code
    kinds: list[str]                 # judge kinds by kind code
    judge_kinds: list[str]           # by judge code
    judge_ids: list[str]             # by judge code


def report_labels(con: duckdb.DuckDBPyConnection) -> ReportLabels:
    tasks = con.execute("SELECT task_id, sector, occupation FROM report_tasks ORDER BY task"
                        ).fetchall()
    types = con.execute("SELECT task, filetype FROM report_task_types ORDER BY ALL").fetchall()
    models = [r[0] for r in con.execute("SELECT model FROM report_models ORDER BY player"
                                        ).fetchall()]
    judges = con.execute("SELECT judge_kind, judge_id FROM report_judges ORDER BY judge"
                         ).fetchall()
    return ReportLabels(
        tasks=[t[0] for t in tasks], sectors=[t[1] for t in tasks],
        occupations=[t[2] for t in tasks],
        type_task=np.array([t[0] for t in types], dtype=np.int64),
        type_label=[t[1] for t in types], models=models,
        kinds=sorted({j[0] for j in judges}), judge_kinds=[j[0] for j in judges],
        judge_ids=[j[1] for j in judges])


def fetch_arrays(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None
                 ) -> dict[str, np.ndarray]:
    """A result of code and count columns as numpy arrays, in the narrow types DuckDB
    gives (consumers widen what they select); no NULLs expected."""
    return {k: np.asarray(v) for k, v in con.execute(sql, params or None).fetchnumpy().items()}
