"""The tallies the report is built from (``app.report.inputs``: judgments read once as
integer codes, counted in numpy) equal the earlier SQL aggregates
(``tests.report.reference_queries``) on random databases with every awkward case: chains
of changed votes, ungraded verdicts, attention checks, model-vs-model pairs shown both
ways round, a task missing from the tasks table, a task listing no deliverable type, a
run missing from the runs table, partial and ungraded rubric grades."""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd
import pytest

from app.report.build import JUDGES, ReportOptions, _dimensions
from app.report.inputs import read_inputs
from core.stats.breakdowns import POOLED
from tests.report.conftest import Db, random_db
from tests.report.reference_queries import reference_inputs


def _awkward(d: Db) -> Db:
    d.task("task-notypes", sector="Retail Trade", occupation="Occupation 9", types=())
    d.run("run-x", "vendor/model-x")
    # a comparison on a task the tasks table does not know, by a run with no runs row
    for cand, outcome in ((("run-x", 0), 1.0), (("run-ghost", 0), 0.5)):
        cid = d.comparison("task-unknown", cand, batch="b1")
        d.judge(cid, outcome, judge="rev-1", side="B")
        d.judge(cid, 0.0, kind="auto", judge="judge/auto-2", consistent=False)
    cid = d.comparison("task-notypes", ("run-x", 1), batch="b1")
    first = d.judge(cid, 1.0, judge="rev-2", side="A")
    second = d.judge(cid, 0.0, judge="rev-2", side="A", supersedes=first)
    d.judge(cid, 0.5, judge="rev-2", side="B", supersedes=second)
    d.judge(cid, 0.7, judge="rev-3", status="ungraded")       # ungraded: outcome ignored
    d.judge(cid, None, kind="auto", judge="judge/auto-1")
    # the same two submissions compared both ways round, in two batches
    for batch, cand, ref, outcome in (("rr1", ("run-0", 0), ("run-x", 1), 1.0),
                                      ("rr2", ("run-x", 1), ("run-0", 0), 0.0),
                                      ("rr2", ("run-0", 1), ("run-0", 0), 0.5)):
        cid = d.comparison("task-001", cand, ref, batch=batch)
        d.judge(cid, outcome, judge="rev-4")
        d.judge(cid, outcome, kind="auto", judge="judge/auto-1", consistent=True)
    d.rubric("run-x", "task-unknown", 0.4, judge_model="judge/r2")
    d.rubric("run-x", "task-notypes", 0.9, status="partial")
    d.rubric("run-x", "task-notypes", None, status="ungraded", judge_model="judge/r3")
    d.sample("run-x", "task-notypes", cost=0.3, latency=50.0)
    return d.commit()


def _cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as a set: names as strings, sorted."""
    out = frame.astype({c: str for c in ("category", "model", "task_id")})
    return out.sort_values(["category", "model", "task_id"]).reset_index(drop=True)


def _equal(new: pd.DataFrame, ref: pd.DataFrame, **kw) -> None:
    """Equal frames; an empty reference frame's column types are DuckDB's guesses
    (object), so they are not compared."""
    pd.testing.assert_frame_equal(new, ref, check_dtype=not ref.empty,
                                  check_index_type=not ref.empty, **kw)


def _assert_same(opts: ReportOptions, store) -> None:
    runs = list(opts.runs) if opts.runs else None
    kinds, dims, rub_dims = JUDGES[opts.judges], _dimensions(opts), ["model", *opts.by]
    new = read_inputs(store, runs, kinds, dims, rub_dims)
    ref = reference_inputs(store, runs, kinds, dims, rub_dims)
    assert asdict(new.counts) == asdict(ref["counts"])
    for dim in dims:
        _equal(new.wr_groups[dim], ref["wr_groups"][dim])
        pd.testing.assert_frame_equal(_cells(new.wr_cells[dim]), _cells(ref["wr_cells"][dim]),
                                      check_dtype=False)
    for dim in rub_dims:
        _equal(new.rub_groups[dim], ref["rub_groups"][dim], check_exact=False, rtol=1e-12)
        pd.testing.assert_frame_equal(_cells(new.rub_cells[dim]),
                                      _cells(ref["rub_cells"][dim]), check_dtype=False,
                                      check_exact=False, rtol=1e-12)
    key = ["task_id", "a", "b"]
    pd.testing.assert_frame_equal(
        new.games.astype({k: str for k in key}).sort_values(key).reset_index(drop=True),
        ref["games"].astype({k: str for k in key}).sort_values(key).reset_index(drop=True),
        check_dtype=False)
    _equal(new.agree_pairs, ref["agree_pairs"])
    _equal(new.sides, ref["sides"])
    np.testing.assert_array_equal(np.unique(new.human_counts, axis=0),
                                  np.unique(np.asarray(ref["human_counts"], float), axis=0))


@pytest.mark.parametrize("seed", [1, 2])
def test_tallies_equal_the_reference_sql_on_random_databases(tmp_path, seed):
    d = _awkward(random_db(tmp_path / "r.duckdb", seed=seed, models=4, tasks=12))
    _assert_same(ReportOptions(), d.store)
    assert POOLED in set(read_inputs(d.store, None, None, ["model"], ["model"])
                         .wr_groups["model"]["model"])


def test_tallies_equal_the_reference_sql_with_judge_and_run_filters(tmp_path):
    d = _awkward(random_db(tmp_path / "r.duckdb", seed=3, models=4, tasks=12))
    _assert_same(ReportOptions(judges="human", by=("occupation", "filetype")), d.store)
    _assert_same(ReportOptions(judges="auto", runs=("run-0", "run-x")), d.store)
    _assert_same(ReportOptions(runs=("run-1",), by=()), d.store)


def test_tallies_of_an_empty_database_equal_the_reference_sql(db):
    _assert_same(ReportOptions(), db.commit().store)


def test_hashing_paths_for_large_key_spaces_agree_too(tmp_path, monkeypatch):
    """Past a size, counts hash the keys that occur instead of a dense table: force that
    path everywhere and compare again."""
    import core.stats.breakdowns as breakdowns
    import core.stats.counting as counting
    monkeypatch.setattr(counting, "DENSE_KEYS", 0)
    monkeypatch.setattr(breakdowns, "DENSE_LIMIT", 0)
    d = _awkward(random_db(tmp_path / "r.duckdb", seed=4, models=3, tasks=10))
    _assert_same(ReportOptions(), d.store)
