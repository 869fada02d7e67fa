"""Win-rate definitions and the Wilson interval: hand-computed values and statsmodels."""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from core.stats.proportions import METRICS, Counts, wilson, z_for


def test_wilson_matches_hand_computation():
    # p = 0.8, n = 10, z = 1.96: centre 0.716745, half-width 0.226577
    lo, hi = wilson(8, 10)
    assert lo == pytest.approx(0.490162, abs=1e-5)
    assert hi == pytest.approx(0.943318, abs=1e-5)


def test_wilson_all_wins_reaches_one_and_keeps_a_lower_bound():
    lo, hi = wilson(10, 10)
    z2 = z_for(0.95) ** 2
    assert hi == pytest.approx(1.0)
    assert lo == pytest.approx(10 / (10 + z2))        # n / (n + z^2) when p = 1


def test_wilson_single_judgment_is_wide():
    lo, hi = wilson(1, 1)
    assert hi == pytest.approx(1.0) and lo == pytest.approx(1 / (1 + z_for(0.95) ** 2))
    lo0, hi0 = wilson(0, 1)
    assert lo0 == pytest.approx(0.0) and hi0 == pytest.approx(1 - lo)


def test_wilson_empty_group_is_nan_not_zero():
    lo, hi = wilson(np.array([0, 3]), np.array([0, 5]))
    assert np.isnan(lo[0]) and np.isnan(hi[0])
    assert np.isfinite(lo[1])


@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_wilson_agrees_with_statsmodels_on_random_counts(level):
    rng = np.random.default_rng(1)
    n = rng.integers(1, 400, 300)
    k = rng.binomial(n, rng.random(300))
    lo, hi = wilson(k, n, level)
    ref_lo, ref_hi = proportion_confint(k, n, alpha=1 - level, method="wilson")
    np.testing.assert_allclose(lo, ref_lo, atol=1e-10)
    np.testing.assert_allclose(hi, ref_hi, atol=1e-10)


def test_rates_for_wins_ties_and_losses():
    # 2 wins, 1 tie, 1 loss
    r = Counts.of([2], [1], [4]).rates()
    assert list(r) == list(METRICS)
    assert r["wins_or_ties"][0] == pytest.approx(0.75)
    assert r["wins_only"][0] == pytest.approx(0.5)
    assert r["score"][0] == pytest.approx(0.625)
    assert r["tie_rate"][0] == pytest.approx(0.25)


def test_rates_all_ties():
    r = Counts.of([0], [5], [5]).rates()
    assert r["wins_or_ties"][0] == 1.0 and r["wins_only"][0] == 0.0
    assert r["score"][0] == 0.5 and r["tie_rate"][0] == 1.0


def test_rates_of_an_empty_group_are_nan():
    r = Counts.of([0], [0], [0]).rates()
    assert all(np.isnan(v[0]) for v in r.values())
