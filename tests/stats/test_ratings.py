"""Bradley-Terry: closed forms on two players, statsmodels' logistic fit on random
data, anchoring, separation, disconnection, Davidson ties and the bootstrap."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from core.stats.bt_fit import fit_davidson, fit_half_wins, half_win_nll
from core.stats.ratings import ELO_PER_LOGIT, RatingOptions, bradley_terry

EXPERT = "human/expert"


def _pairs(rows: list[tuple[str, str, str, int, int, int]]) -> pd.DataFrame:
    """rows: (task, a, b, n, wins_a, ties) with a < b."""
    return pd.DataFrame(rows, columns=["task_id", "a", "b", "n", "wins_a", "ties"])


def _bt(rows, **kw):
    opts = RatingOptions(**{"bootstrap": 0, "l2": 0.0, **kw})
    return bradley_terry(_pairs(rows), EXPERT, opts, np.random.default_rng(0))


def test_two_players_three_wins_in_four_is_log3_logits():
    # "human/expert" < "model": wins_a counts the expert's wins (1 of 4)
    r = _bt([("t1", EXPERT, "model", 4, 1, 0)]).table.set_index("player")
    assert r.loc[EXPERT, "rating"] == 1000.0
    assert r.loc["model", "rating"] == pytest.approx(1000 + 400 * math.log10(3), abs=1e-6)
    assert math.isclose(ELO_PER_LOGIT, 400 / math.log(10))
    assert (r.loc["model", "wins"], r.loc["model", "losses"]) == (3, 1)


def test_ties_count_as_half_wins():
    # model: 1 win, 2 ties, 1 loss against the expert -> score 2 of 4 -> equal to expert
    r = _bt([("t1", EXPERT, "model", 4, 1, 2)]).table.set_index("player")
    assert r.loc["model", "rating"] == pytest.approx(1000.0, abs=1e-6)


def test_all_ties_rate_equal_and_are_not_separated():
    r = _bt([("t1", EXPERT, "model", 5, 0, 5)]).table.set_index("player")
    assert r.loc["model", "rating"] == pytest.approx(1000.0, abs=1e-6)
    assert not r["separated"].any()


def test_all_wins_is_finite_with_the_ridge_and_flagged():
    res = bradley_terry(_pairs([("t1", EXPERT, "model", 6, 0, 0)]), EXPERT,
                        RatingOptions(bootstrap=0), np.random.default_rng(0))
    r = res.table.set_index("player")
    assert math.isfinite(r.loc["model", "rating"]) and r.loc["model", "rating"] > 1500
    assert bool(r.loc["model", "separated"]) and bool(r.loc[EXPERT, "separated"])


def test_matches_statsmodels_logistic_regression_on_random_games():
    rng = np.random.default_rng(21)
    players = [EXPERT, "a/m1", "b/m2", "c/m3", "d/m4"]
    strength = dict(zip(players, [0.0, 0.8, -0.4, 0.3, -1.0], strict=True))
    rows = []
    for t in range(60):
        for i in range(len(players)):
            for j in range(i + 1, len(players)):
                a, b = sorted((players[i], players[j]))
                n = int(rng.integers(1, 4))
                p = 1 / (1 + math.exp(-(strength[a] - strength[b])))
                u = rng.random(n)
                ties = int(((u >= 0.85 * p) & (u < 0.85 * p + 0.15)).sum())
                rows.append((f"t{t}", a, b, n, int((u < 0.85 * p).sum()), ties))
    res = _bt(rows).table.set_index("player")
    # independent fit: logistic regression on (a, b) aggregates, score = wins + ties / 2
    df = _pairs(rows).groupby(["a", "b"], as_index=False)[["n", "wins_a", "ties"]].sum()
    free = [p for p in players if p != EXPERT]
    x = np.zeros((len(df), len(free)))
    for k, (a, b) in enumerate(zip(df["a"], df["b"], strict=True)):
        if a != EXPERT:
            x[k, free.index(a)] += 1
        if b != EXPERT:
            x[k, free.index(b)] -= 1
    y = (df["wins_a"] + 0.5 * df["ties"]) / df["n"]
    fit = sm.GLM(y.to_numpy(), x, family=sm.families.Binomial(),
                 var_weights=df["n"].to_numpy()).fit()
    for k, p in enumerate(free):
        assert res.loc[p, "rating"] == pytest.approx(1000 + ELO_PER_LOGIT * fit.params[k],
                                                     abs=1e-4)


def test_fit_is_the_minimum_and_batches_equal_single_fits():
    rng = np.random.default_rng(3)
    i, j = np.array([0, 0, 1, 2]), np.array([1, 2, 2, 3])
    n = rng.integers(5, 30, (3, 4)).astype(float)
    s = np.round(n * rng.uniform(0.2, 0.8, (3, 4)))
    batch = fit_half_wins(i, j, s, n, 4, anchor=0, l2=0.0)
    for b in range(3):
        single = fit_half_wins(i, j, s[b], n[b], 4, anchor=0, l2=0.0)
        np.testing.assert_allclose(batch[b], single, atol=1e-8)
        base = half_win_nll(single, i, j, s[b], n[b])[0]
        for k in (1, 2, 3):
            bumped = single.copy()
            bumped[k] += 1e-3
            assert half_win_nll(bumped, i, j, s[b], n[b])[0] > base


def test_players_not_connected_to_the_expert_are_left_out():
    res = _bt([("t1", EXPERT, "m1", 4, 2, 0), ("t2", "m2", "m3", 4, 3, 0)])
    assert set(res.table["player"]) == {EXPERT, "m1"}
    assert res.disconnected == ["m2", "m3"]


def test_without_the_expert_the_mean_is_1000():
    res = _bt([("t1", "m1", "m2", 4, 3, 0)])
    assert res.anchor is None
    assert res.table["rating"].mean() == pytest.approx(1000.0)
    diff = res.table.set_index("player")["rating"]
    assert diff["m1"] - diff["m2"] == pytest.approx(400 * math.log10(3), abs=1e-6)


def test_davidson_two_players_closed_form():
    # w wins, l losses, t ties for player 1: theta = ln(w / l), nu = t / sqrt(w l)
    theta, nu = fit_davidson(np.array([0]), np.array([1]), np.array([2.0]), np.array([6.0]),
                             np.array([4.0]), 2, anchor=0, l2=0.0)
    assert theta[1] == pytest.approx(math.log(3), abs=1e-5)
    assert nu == pytest.approx(4 / math.sqrt(12), abs=1e-5)
    res = _bt([("t1", EXPERT, "model", 12, 2, 4)], ties="davidson")
    assert res.tie_parameter == pytest.approx(4 / math.sqrt(12), abs=1e-4)
    r = res.table.set_index("player")
    assert r.loc["model", "rating"] == pytest.approx(1000 + 400 * math.log10(3), abs=1e-3)


def test_bootstrap_intervals_and_rank_ranges_bracket_the_estimate_and_repeat():
    rng = np.random.default_rng(5)
    rows = []
    for t in range(40):
        for m, p in (("m1", 0.7), ("m2", 0.5), ("m3", 0.3)):
            w = int(rng.binomial(3, p))
            rows.append((f"t{t}", EXPERT, m, 3, 3 - w, 0))
    opts = RatingOptions(bootstrap=300)
    a = bradley_terry(_pairs(rows), EXPERT, opts, np.random.default_rng(1)).table
    b = bradley_terry(_pairs(rows), EXPERT, opts, np.random.default_rng(1)).table
    pd.testing.assert_frame_equal(a, b)
    assert (a["rating_lo"] <= a["rating"] + 1e-9).all()
    assert (a["rating"] <= a["rating_hi"] + 1e-9).all()
    assert ((a["rank_lo"] <= a["rank"]) & (a["rank"] <= a["rank_hi"])).all()
    e = a.set_index("player").loc[EXPERT]
    assert e["rating_lo"] == e["rating_hi"] == 1000.0
    assert list(a["player"][:1]) == ["m1"]


def test_one_task_gives_ratings_but_no_intervals():
    # resampling a single task always redraws it: a zero-width interval would be a lie
    r = _bt([("t1", EXPERT, "model", 4, 1, 0)], bootstrap=200).table.set_index("player")
    assert r.loc["model", "rating"] > 1000
    assert r[["rating_lo", "rating_hi"]].isna().all().all()
    assert r["rank_lo"].isna().all()
    two = _bt([("t1", EXPERT, "model", 4, 1, 0), ("t2", EXPERT, "model", 4, 3, 0)],
              bootstrap=200).table.set_index("player")
    assert two.loc["model", "rating_lo"] < two.loc["model", "rating_hi"]
