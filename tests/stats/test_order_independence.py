"""Bootstrap intervals depend on the seed and on which cells there are, not on the order
the rows arrive in (a database returns aggregates in whatever order its threads finish)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.stats.means import group_means
from core.stats.ratings import RatingOptions, bradley_terry
from core.stats.winrates import IntervalOptions, win_rates


def _cells(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    for cat in ("Sector A", "Sector B"):
        for model in ("m/1", "m/2", "(all models)"):
            for t in range(12):
                n = int(rng.integers(1, 5))
                wins = int(rng.integers(0, n + 1))
                rows.append({"category": cat, "model": model, "task_id": f"t{t:02d}", "n": n,
                             "wins": wins, "ties": int(rng.integers(0, n - wins + 1)),
                             "total": float(rng.random() * n)})
    cells = pd.DataFrame(rows)
    groups = cells.groupby(["category", "model"], as_index=False).agg(
        n=("n", "sum"), wins=("wins", "sum"), ties=("ties", "sum"), total=("total", "sum"),
        n_tasks=("task_id", "nunique"))
    return groups, cells


def test_win_rate_and_mean_intervals_ignore_the_order_of_cells():
    groups, cells = _cells(np.random.default_rng(5))
    shuffled = cells.sample(frac=1.0, random_state=1).reset_index(drop=True)
    opts = IntervalOptions(bootstrap=200)
    a = win_rates(groups, cells, opts, np.random.default_rng(9))
    b = win_rates(groups, shuffled, opts, np.random.default_rng(9))
    assert (a["interval"] == "task-bootstrap").all()
    pd.testing.assert_frame_equal(a, b)
    c = group_means(groups, cells, opts, np.random.default_rng(9))
    d = group_means(groups, shuffled, opts, np.random.default_rng(9))
    pd.testing.assert_frame_equal(c, d, check_exact=False, rtol=1e-12)
    # and the seed still matters
    e = win_rates(groups, cells, opts, np.random.default_rng(10))
    assert not np.allclose(a["wins_or_ties_lo"], e["wins_or_ties_lo"])


def test_rating_intervals_ignore_the_order_of_games():
    rng = np.random.default_rng(3)
    players = ["human/expert", "m/1", "m/2", "m/3"]
    rows = []
    for t in range(20):
        for i in range(len(players)):
            for j in range(i + 1, len(players)):
                n = int(rng.integers(1, 4))
                w = int(rng.integers(0, n + 1))
                rows.append({"task_id": f"t{t:02d}", "a": players[i], "b": players[j],
                             "n": n, "wins_a": w, "ties": int(rng.integers(0, n - w + 1))})
    games = pd.DataFrame(rows)
    shuffled = games.sample(frac=1.0, random_state=2).reset_index(drop=True)
    opts = RatingOptions(bootstrap=100)
    a = bradley_terry(games, "human/expert", opts, np.random.default_rng(4)).table
    b = bradley_terry(shuffled, "human/expert", opts, np.random.default_rng(4)).table
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9)
