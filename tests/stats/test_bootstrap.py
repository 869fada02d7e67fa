"""The task bootstrap: hand-checkable cases, stratification, and agreement with the
analytic cluster-robust interval on random clustered data."""

from __future__ import annotations

import numpy as np
import pytest

from core.stats.bootstrap import cluster_bootstrap, cluster_normal, degenerate_fallback


def test_constant_groups_give_a_collapsed_interval_at_the_value():
    # group 0: every task has rate 0.5; group 1: every task 1.0
    group = np.array([0, 0, 0, 1, 1])
    nums = np.array([1, 2, 3, 4, 2], dtype=float)
    den = np.array([2, 4, 6, 4, 2], dtype=float)
    lo, hi = cluster_bootstrap(group, nums, den, 2, replicates=200,
                               rng=np.random.default_rng(0))
    np.testing.assert_allclose(lo[:, 0], [0.5, 1.0])
    np.testing.assert_allclose(hi[:, 0], [0.5, 1.0])


def test_groups_without_cells_are_nan():
    lo, hi = cluster_bootstrap(np.array([0, 0]), np.array([1.0, 0.0]), np.array([1.0, 1.0]), 3,
                               replicates=50, rng=np.random.default_rng(0))
    assert np.isfinite(lo[0, 0]) and np.isnan(lo[1:, 0]).all() and np.isnan(hi[2, 0])


def test_same_seed_same_interval_and_progress_reaches_total():
    rng_data = np.random.default_rng(3)
    group = np.repeat(np.arange(4), 30)
    den = rng_data.integers(1, 5, 120).astype(float)
    nums = rng_data.binomial(den.astype(int), 0.4).astype(float)
    seen = []
    a = cluster_bootstrap(group, nums, den, 4, replicates=250, rng=np.random.default_rng(9),
                          progress=lambda d, t: seen.append((d, t)))
    b = cluster_bootstrap(group, nums, den, 4, replicates=250, rng=np.random.default_rng(9))
    np.testing.assert_array_equal(a[0], b[0])
    assert seen[-1] == (250, 250) and len(seen) >= 2


def test_bootstrap_matches_cluster_robust_normal_on_random_clustered_data():
    """With many tasks the percentile bootstrap and the analytic cluster-robust interval
    for a ratio of sums agree closely (both target the same sampling variance)."""
    rng = np.random.default_rng(11)
    tasks = 400
    difficulty = rng.normal(0, 1.0, tasks)
    den = rng.integers(2, 9, tasks).astype(float)       # judgments per task
    p = 1 / (1 + np.exp(-(0.2 + difficulty)))
    nums = rng.binomial(den.astype(int), p).astype(float)
    group = np.zeros(tasks, dtype=np.int64)
    lo_b, hi_b = cluster_bootstrap(group, nums, den, 1, replicates=4000,
                                   rng=np.random.default_rng(5))
    lo_n, hi_n = cluster_normal(group, nums, den, 1)
    assert (hi_b - lo_b)[0, 0] == pytest.approx((hi_n - lo_n)[0, 0], rel=0.08)
    assert lo_b[0, 0] == pytest.approx(lo_n[0, 0], abs=0.01)


def test_clustered_interval_is_wider_than_treating_judgments_as_independent():
    rng = np.random.default_rng(2)
    tasks = 200
    den = np.full(tasks, 10.0)
    p = rng.choice([0.1, 0.9], tasks)                      # strong task effects
    nums = rng.binomial(10, p).astype(float)
    g = np.zeros(tasks, dtype=np.int64)
    lo_task, hi_task = cluster_bootstrap(g, nums, den, 1, replicates=1000,
                                         rng=np.random.default_rng(0))
    # expand to one cell per judgment: the naive bootstrap
    wins = np.concatenate([np.r_[np.ones(int(k)), np.zeros(10 - int(k))] for k in nums])
    g1 = np.zeros(len(wins), dtype=np.int64)
    lo_j, hi_j = cluster_bootstrap(g1, wins, np.ones(len(wins)), 1, replicates=1000,
                                   rng=np.random.default_rng(0))
    assert (hi_task - lo_task)[0, 0] > 2 * (hi_j - lo_j)[0, 0]


def test_stratified_draw_keeps_models_paired_within_a_category():
    """Two models judged on the same tasks: within a replicate both see the same tasks,
    so when one model's rate equals the other's on every task, their replicates match."""
    tasks = np.arange(20)
    rng = np.random.default_rng(4)
    den = rng.integers(1, 6, 20).astype(float)
    nums = rng.binomial(den.astype(int), 0.5).astype(float)
    group = np.r_[np.zeros(20), np.ones(20)].astype(np.int64)
    lo, hi = cluster_bootstrap(group, np.r_[nums, nums], np.r_[den, den], 2, replicates=300,
                               rng=np.random.default_rng(1), task=np.r_[tasks, tasks],
                               stratum=np.zeros(40, dtype=np.int64))
    np.testing.assert_allclose(lo[0], lo[1])
    np.testing.assert_allclose(hi[0], hi[1])


def test_cluster_normal_hand_computed():
    # tasks (num, den): (1, 2), (2, 2), (0, 2), (1, 2) x 3: r = 6/12 = 0.5
    # residuals num - r den: 0, 1, -1, 0, 0, 0 -> ss = 2; var = 6/5 * 2 / 12^2 = 1/60
    lo, hi = cluster_normal(np.zeros(6, dtype=np.int64), np.array([1.0, 2, 0, 1, 1, 1]),
                            np.full(6, 2.0), 1)
    se = np.sqrt(1 / 60)
    assert lo[0, 0] == pytest.approx(0.5 - 1.959964 * se, abs=1e-6)
    assert hi[0, 0] == pytest.approx(0.5 + 1.959964 * se, abs=1e-6)


def test_degenerate_rates_fall_back_to_wilson_on_tasks():
    lo, hi = degenerate_fallback(np.array([1.0, 0.0, 0.4]), np.array([5.0, 5.0, 5.0]),
                                 np.array([1.0, 0.0, 0.3]), np.array([1.0, 0.0, 0.5]))
    assert lo[0] == pytest.approx(5 / (5 + 1.959964 ** 2), abs=1e-6)
    assert hi[0] == pytest.approx(1.0)
    assert lo[1] == 0.0 and hi[1] == pytest.approx(1 - 5 / (5 + 1.959964 ** 2), abs=1e-6)
    assert (lo[2], hi[2]) == (0.3, 0.5)
