"""What a report's statistics take, read from the store in one short connection.

The connection reads the effective judgments once, as integer codes, plus the rubric
grades, model usage and the names behind the codes (a second or so for a million
judgments); everything else is counted from those arrays after the file is released:
win-rate cells and every breakdown, Bradley-Terry games, agreement and position tallies
(``core.stats.tally``, ``core.stats.breakdowns``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from core.errors import UserError
from core.stats import tally
from core.stats.breakdowns import POOLED, RUBRIC, WINS, Breakdowns, Dimension
from core.store import Store
from core.store.judgment_queries import JudgmentCounts, read_judgments, unknown_runs
from core.store.report_codes import ReportLabels, load_report_codes, report_labels
from core.store.usage_queries import model_usage, read_rubric_grades


@dataclass
class ReportInputs:
    """Tallies for the statistics: win-rate and rubric groups and cells per breakdown,
    Bradley-Terry games, agreement counts, human ratings per item, position tallies,
    usage per model, and the header counts."""

    counts: JudgmentCounts
    wr_groups: dict[str, pd.DataFrame]
    wr_cells: dict[str, pd.DataFrame]
    rub_groups: dict[str, pd.DataFrame]
    rub_cells: dict[str, pd.DataFrame]
    games: pd.DataFrame
    agree_pairs: pd.DataFrame
    human_counts: np.ndarray
    sides: pd.DataFrame
    usage: pd.DataFrame
    models: list[str]


@dataclass
class _Read:
    counts: JudgmentCounts
    labels: ReportLabels
    judgments: dict[str, np.ndarray]
    rubric: dict[str, np.ndarray]
    usage: pd.DataFrame


def _read(store: Store, runs: list[str] | None) -> _Read:
    def run(con: duckdb.DuckDBPyConnection) -> _Read:
        if runs:
            missing = unknown_runs(con, runs)
            if missing:
                raise UserError(f"--runs: no run {missing[0]!r} in {store.path}")
        load_report_codes(con)
        labels = report_labels(con)
        counts, judgments = read_judgments(con, runs, labels)
        rubric = read_rubric_grades(con, runs)
        return _Read(counts, labels, judgments, rubric, model_usage(con, runs))

    return store.read(run)


def _dimension(name: str, labels: ReportLabels) -> Dimension:
    n_tasks = len(labels.tasks)
    if name == "model":
        return Dimension.single(name, "all")
    if name == "judge_kind":
        return Dimension.of_kinds(name, labels.kinds)
    if name == "filetype":
        return Dimension.of_tasks(name, n_tasks, labels.type_task, labels.type_label)
    per_task = {"sector": labels.sectors, "occupation": labels.occupations}[name]
    return Dimension.of_tasks(name, n_tasks, np.arange(n_tasks), per_task)


def read_inputs(store: Store, runs: list[str] | None, kinds: list[str] | None,
                dimensions: list[str], rubric_dimensions: list[str],
                timings: dict[str, float] | None = None) -> ReportInputs:
    """Read ``store`` and tally: candidate ``runs`` (None = all), judge ``kinds`` for win
    rates and ratings (None = all; agreement and position bias always use every kind),
    win-rate and rubric breakdowns by ``dimensions`` / ``rubric_dimensions``. Seconds
    spent go to ``timings["sql"]`` and ``timings["tallies"]``."""
    timings = {} if timings is None else timings
    t0 = time.perf_counter()
    r = _read(store, runs)
    t1 = time.perf_counter()
    timings["sql"] = t1 - t0
    lab, j = r.labels, r.judgments
    n_tasks, n_models = len(lab.tasks), len(lab.models)
    kind_codes = None if kinds is None else [lab.kinds.index(k) for k in kinds
                                             if k in lab.kinds]
    cells, judges = tally.win_rows(j, kind_codes, len(lab.kinds), n_tasks, n_models)
    rub_cells, rub_judges = tally.rubric_rows(r.rubric, n_tasks, n_models)
    wins = Breakdowns(cells, judges, lab.models, lab.tasks, WINS)
    rubric = Breakdowns(rub_cells, rub_judges, lab.models, lab.tasks, RUBRIC)
    wr_groups, wr_cells, rub_groups, rub_cells_by = {}, {}, {}, {}
    for name in dimensions:
        wr_groups[name], wr_cells[name] = wins.of(_dimension(name, lab))
    for name in rubric_dimensions:
        rub_groups[name], rub_cells_by[name] = rubric.of(_dimension(name, lab))
    human = lab.kinds.index("human") if "human" in lab.kinds else None
    models = sorted((set(wr_groups["model"]["model"]) | set(r.usage["model"])) - {POOLED})
    out = ReportInputs(
        counts=r.counts, wr_groups=wr_groups, wr_cells=wr_cells, rub_groups=rub_groups,
        rub_cells=rub_cells_by, games=tally.games(j, kind_codes, lab.models, lab.tasks),
        agree_pairs=tally.agreement_counts(j, lab.judge_kinds, lab.judge_ids),
        human_counts=tally.human_item_counts(j, human),
        sides=tally.position_counts(j, lab.judge_kinds, lab.judge_ids),
        usage=r.usage, models=models)
    timings["tallies"] = time.perf_counter() - t1
    return out
