"""Rubric means with task intervals, and cost/speed figures where unknown stays unknown."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.stats.costs import cost_speed
from core.stats.means import group_means
from core.stats.winrates import IntervalOptions


def test_group_mean_by_hand_and_interval_around_it():
    cells = pd.DataFrame({"category": "all", "model": "m", "task_id": ["t1", "t2", "t3", "t4"],
                          "n": [2, 1, 1, 2], "total": [0.6, 0.9, 0.1, 1.0]})
    groups = pd.DataFrame({"category": ["all"], "model": ["m"], "n": [6], "total": [2.6],
                           "n_tasks": [4], "n_ungraded": [1], "n_judges": [1]})
    r = group_means(groups, cells, IntervalOptions(bootstrap=500, min_n=10),
                    np.random.default_rng(0)).iloc[0]
    assert r["mean"] == pytest.approx(2.6 / 6)
    assert r["mean_lo"] < r["mean"] < r["mean_hi"]
    assert bool(r["low_n"]) and r["interval"] == "task-bootstrap"
    r0 = group_means(groups, cells, IntervalOptions(bootstrap=0), np.random.default_rng(0))
    assert r0.iloc[0]["interval"] == "task-normal"


def test_one_task_gives_a_mean_but_no_interval():
    cells = pd.DataFrame({"category": "all", "model": ["m", "m", "e"],
                          "task_id": ["t1", "t1", "t1"], "n": [2, 1, 1],
                          "total": [0.5, 0.2, 1.0]})
    groups = pd.DataFrame({"category": ["all", "all"], "model": ["m", "e"], "n": [3, 1],
                           "total": [0.7, 1.0], "n_tasks": [1, 1], "n_ungraded": [0, 0],
                           "n_judges": [1, 1]})
    for boot in (200, 0):
        r = group_means(groups, cells, IntervalOptions(bootstrap=boot, min_n=1),
                        np.random.default_rng(0)).set_index("model")
        assert r.loc["m", "mean"] == pytest.approx(0.7 / 3)
        assert np.isnan(r.loc["m", "mean_lo"]) and np.isnan(r.loc["m", "mean_hi"])
        # a mean of exactly 1 keeps the Wilson fallback on its one task
        assert r.loc["e", "mean_lo"] < 1.0 == r.loc["e", "mean_hi"]


def _usage(**over):
    row = {"model": "m", "n_samples": 4, "n_tasks": 2, "n_runs": 1, "n_done": 4, "n_failed": 0,
           "n_tokens_known": 4, "input_tokens": 4000, "output_tokens": 400,
           "n_cost_known": 3, "n_cost_unknown": 1, "cost_usd_known": 0.9,
           "n_latency_known": 4, "latency_s_known": 480.0,
           "model_minutes_expert_tasks": 2.0, "model_usd_expert_tasks": 0.3,
           "expert_minutes_per_task": 120.0, "n_expert_tasks": 2,
           "expert_usd_per_task": 90.0, "n_expert_paid_tasks": 2}
    row.update(over)
    return pd.DataFrame([row])


def test_unknown_cost_stays_unknown_and_per_win_divides_by_the_headline():
    c = cost_speed(_usage(), pd.DataFrame({"model": ["m"], "wins_or_ties": [0.5]})).iloc[0]
    assert np.isnan(c["cost_usd_total"])                    # one price unknown: no total
    assert c["usd_per_task"] == pytest.approx(0.3)           # the three known costs
    assert c["minutes_per_task"] == pytest.approx(2.0)
    assert c["tokens_per_task"] == pytest.approx(1100)
    assert c["minutes_per_win"] == pytest.approx(4.0)
    assert c["usd_per_win"] == pytest.approx(0.6)
    assert c["speed_ratio"] == pytest.approx(60.0) and c["cost_ratio"] == pytest.approx(300.0)


def test_all_costs_unknown_is_never_zero():
    c = cost_speed(_usage(n_cost_known=0, n_cost_unknown=4, cost_usd_known=None,
                          model_usd_expert_tasks=None),
                   pd.DataFrame({"model": ["m"], "wins_or_ties": [0.0]})).iloc[0]
    assert np.isnan(c["usd_per_task"]) and np.isnan(c["cost_usd_total"])
    assert np.isnan(c["usd_per_win"]) and np.isnan(c["minutes_per_win"])   # no wins
    assert np.isnan(c["cost_ratio"])


def test_known_costs_give_a_total():
    c = cost_speed(_usage(n_cost_known=4, n_cost_unknown=0, cost_usd_known=1.2),
                   pd.DataFrame({"model": ["m"], "wins_or_ties": [1.0]})).iloc[0]
    assert c["cost_usd_total"] == pytest.approx(1.2)
