"""Win-rate tables: interval method by data shape, low-n flags and ranks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from core.stats.winrates import POOLED, IntervalOptions, win_rates


def _table(cells: list[tuple[str, str, str, int, int, int]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """cells: (category, model, task, n, wins, ties) -> (groups, cells) like the SQL gives."""
    c = pd.DataFrame(cells, columns=["category", "model", "task_id", "n", "wins", "ties"])
    g = c.groupby(["category", "model"], as_index=False).agg(
        n=("n", "sum"), wins=("wins", "sum"), ties=("ties", "sum"), n_tasks=("task_id", "nunique"))
    g["losses"] = g["n"] - g["wins"] - g["ties"]
    g["n_judges"] = 1
    g["n_ungraded"] = 0
    return g, c


def _run(cells, **kw):
    g, c = _table(cells)
    opts = IntervalOptions(**{"bootstrap": 300, "min_n": 1, **kw})
    return win_rates(g, c, opts, np.random.default_rng(0)).set_index(["category", "model"])


def test_one_judgment_per_task_uses_wilson_for_every_definition():
    # a win, a tie and a loss, one judgment each
    t = _run([("all", "m", "t1", 1, 1, 0), ("all", "m", "t2", 1, 0, 1),
              ("all", "m", "t3", 1, 0, 0)])
    r = t.loc[("all", "m")]
    assert r["interval"] == "wilson"
    assert (r["wins_or_ties"], r["wins_only"], r["score"], r["tie_rate"]) == pytest.approx(
        (2 / 3, 1 / 3, 0.5, 1 / 3))
    for metric, k in (("wins_or_ties", 2), ("wins_only", 1), ("score", 1.5), ("tie_rate", 1)):
        lo, hi = proportion_confint(k, 3, method="wilson")
        assert (r[f"{metric}_lo"], r[f"{metric}_hi"]) == pytest.approx((lo, hi)), metric


def test_single_judgment():
    r = _run([("all", "m", "t1", 1, 1, 0)]).loc[("all", "m")]
    assert r["wins_or_ties"] == 1.0 and r["interval"] == "wilson"
    lo, hi = proportion_confint(1, 1, method="wilson")
    assert (r["wins_or_ties_lo"], r["wins_or_ties_hi"]) == pytest.approx((lo, hi))


def test_all_wins_with_several_judgments_per_task_still_has_an_interval():
    t = _run([("all", "m", f"t{k}", 3, 3, 0) for k in range(5)])
    r = t.loc[("all", "m")]
    assert r["interval"] == "task-bootstrap"
    assert r["wins_or_ties"] == 1.0 and r["wins_or_ties_hi"] == pytest.approx(1.0)
    # resampling cannot vary; Wilson on the 5 tasks stands in (wider than on 15 judgments)
    assert r["wins_or_ties_lo"] == pytest.approx(proportion_confint(5, 5, method="wilson")[0])
    assert r["tie_rate"] == 0.0 and r["tie_rate_lo"] == pytest.approx(0.0)


def test_all_ties():
    r = _run([("all", "m", f"t{k}", 2, 0, 2) for k in range(4)]).loc[("all", "m")]
    assert (r["wins_or_ties"], r["wins_only"], r["score"], r["tie_rate"]) == (1.0, 0.0, 0.5, 1.0)
    assert r["score_lo"] < 0.5 < r["score_hi"]     # 0.5 exactly: no collapse to a point
    assert r["wins_only_hi"] > 0.0


def test_clustered_interval_is_never_narrower_than_wilson_on_the_judgments():
    rng = np.random.default_rng(7)
    cells = [("all", "m", f"t{k}", 4, int(w), 0) for k, w in enumerate(rng.binomial(4, 0.5, 3))]
    r = _run(cells).loc[("all", "m")]
    n, k = sum(c[3] for c in cells), sum(c[4] for c in cells)
    lo, hi = proportion_confint(k, n, method="wilson")
    assert r["wins_or_ties_lo"] <= lo + 1e-12 and r["wins_or_ties_hi"] >= hi - 1e-12


def test_bootstrap_off_gives_task_normal_intervals():
    cells = [("all", "m", f"t{k}", 2, k % 3, 0) for k in range(12)]
    r = _run(cells, bootstrap=0).loc[("all", "m")]
    assert r["interval"] == "task-normal"
    assert r["wins_or_ties_lo"] < r["wins_or_ties"] < r["wins_or_ties_hi"]


def test_low_n_categories_are_flagged_and_never_ranked():
    cells = ([("sec A", "m1", f"t{k}", 1, 1, 0) for k in range(10)]
             + [("sec A", "m2", f"t{k}", 1, k % 2, 0) for k in range(10)]
             + [("sec A", "m3", "t0", 1, 1, 0)]                   # n = 1: a perfect 100%
             + [("sec A", POOLED, f"t{k}", 3, 1, 0) for k in range(10)])
    t = _run(cells, min_n=5)
    assert bool(t.loc[("sec A", "m3"), "low_n"]) and pd.isna(t.loc[("sec A", "m3"), "rank"])
    assert t.loc[("sec A", "m1"), "rank"] == 1 and t.loc[("sec A", "m2"), "rank"] == 2
    assert pd.isna(t.loc[("sec A", POOLED), "rank"])


def test_ranks_are_per_category():
    cells = [("x", "m1", "t1", 1, 1, 0), ("x", "m2", "t1", 1, 0, 0),
             ("y", "m1", "t2", 1, 0, 0), ("y", "m2", "t2", 1, 1, 0)]
    t = _run(cells)
    assert (t.loc[("x", "m1"), "rank"], t.loc[("y", "m2"), "rank"]) == (1, 1)
    assert (t.loc[("x", "m2"), "rank"], t.loc[("y", "m1"), "rank"]) == (2, 2)
