"""Agreement: GDPval's E[1-|a-b|], Cohen's and Fleiss' kappa (hand values and
statsmodels), the summary rows and position bias."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.inter_rater import cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from core.stats.agreement import (
    agreement_score,
    cohen_kappa,
    contingency,
    fleiss_kappa,
    pair_table,
    position_bias,
    summary_table,
)


def test_agreement_score_by_hand():
    # 1 - |a - b| = 1, 0.5, 1, 0 -> 0.625
    assert agreement_score([1, 0.5, 0, 1], [1, 0, 0, 0]) == pytest.approx(0.625)
    assert np.isnan(agreement_score([], []))


def test_cohen_kappa_by_hand():
    t = np.array([[5, 1, 0], [1, 3, 1], [0, 1, 4]])
    # po = 12/16, pe = (36 + 25 + 25) / 256
    assert cohen_kappa(t) == pytest.approx((0.75 - 86 / 256) / (1 - 86 / 256))
    assert np.isnan(cohen_kappa(np.zeros((3, 3))))
    assert np.isnan(cohen_kappa(np.diag([4, 0, 0])))      # one category only: undefined


def test_contingency_counts_scores():
    t = contingency([0, 0.5, 1, 1], [0, 1, 1, 1], weights=[1, 1, 2, 1])
    assert t[0, 0] == 1 and t[1, 2] == 1 and t[2, 2] == 3 and t.sum() == 5


def test_cohen_kappa_matches_statsmodels_on_random_ratings():
    rng = np.random.default_rng(8)
    for _ in range(20):
        a = rng.choice([0, 0.5, 1], 80)
        b = np.where(rng.random(80) < 0.6, a, rng.choice([0, 0.5, 1], 80))
        t = contingency(a, b)
        assert cohen_kappa(t) == pytest.approx(cohens_kappa(t).kappa, abs=1e-12)


def test_fleiss_kappa_with_varying_raters_by_hand():
    counts = np.array([[2, 0, 0], [1, 1, 0], [0, 1, 2]])
    # P_i = 1, 0, 1/3; p_j = 3/7, 2/7, 2/7 -> (4/9 - 17/49) / (32/49) = 43/288
    assert fleiss_kappa(counts) == pytest.approx(43 / 288)


def test_fleiss_kappa_matches_statsmodels_with_constant_raters():
    rng = np.random.default_rng(12)
    for k in (2, 3, 5):
        truth = rng.integers(0, 3, 120)
        counts = np.zeros((120, 3))
        for _ in range(k):
            r = np.where(rng.random(120) < 0.55, truth, rng.integers(0, 3, 120))
            counts[np.arange(120), r] += 1
        assert fleiss_kappa(counts) == pytest.approx(sm_fleiss(counts, method="fleiss"))


def test_fleiss_ignores_items_with_one_rating():
    assert fleiss_kappa(np.array([[1, 0, 0], [2, 0, 0], [0, 2, 0]])) == pytest.approx(
        fleiss_kappa(np.array([[2, 0, 0], [0, 2, 0]])))


def _pairs(rows):
    return pd.DataFrame(rows, columns=["kind_a", "judge_a", "kind_b", "judge_b", "score_a",
                                       "score_b", "n"])


def test_summary_rows_human_human_and_autograder_human():
    pairs = _pairs([
        ("human", "r1", "human", "r2", 1.0, 1.0, 3),    # agree x3
        ("human", "r1", "human", "r2", 1.0, 0.0, 1),    # disagree x1
        ("auto", "judge/x", "human", "r1", 0.5, 1.0, 2),
        ("auto", "judge/x", "human", "r2", 0.0, 0.0, 2),
    ])
    counts = np.array([[0, 0, 2], [1, 0, 1]])           # two items rated by two humans
    s = summary_table(pairs, counts).set_index(["comparison", "judge"])
    hh = s.loc[("human-human", "all")]
    assert hh["n_pairs"] == 4 and hh["agreement"] == pytest.approx(0.75)
    assert hh["n_items"] == 2
    assert hh["fleiss_kappa"] == pytest.approx(fleiss_kappa(counts))
    ah = s.loc[("autograder-human", "all")]
    assert ah["n_pairs"] == 4 and ah["agreement"] == pytest.approx((0.5 * 2 + 1 * 2) / 4)
    assert s.loc[("autograder-human", "judge/x"), "n_pairs"] == 4


def test_pair_table_per_judge_pair():
    t = pair_table(_pairs([("human", "r1", "human", "r2", 1.0, 0.5, 2),
                           ("human", "r1", "human", "r3", 0.0, 0.0, 1)]))
    assert list(t["judge_b"]) == ["r2", "r3"]
    assert list(t["agreement"]) == [pytest.approx(0.5), pytest.approx(1.0)]
    assert list(t["n_pairs"]) == [2, 1]


def test_position_bias_rates():
    sides = pd.DataFrame([{"judge_kind": "auto", "judge_id": "j", "n": 10,
                           "n_consistency_known": 10, "n_inconsistent": 3,
                           "n_decisive_sided": 8, "n_prefer_a": 6}])
    r = position_bias(sides).iloc[0]
    assert r["inconsistent_rate"] == pytest.approx(0.3)
    assert r["prefer_a_rate"] == pytest.approx(0.75)
    assert r["prefer_a_lo"] < 0.75 < r["prefer_a_hi"]
