"""Means with task-clustered intervals (rubric scores beside win rates).

A rubric score is a number in [0, 1] per graded submission; a task can carry several
(samples, judge models). The interval resamples whole tasks (or, with bootstrapping off,
uses a cluster-robust normal interval), like the win rates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.stats.bootstrap import Progress, cluster_bootstrap, cluster_normal, degenerate_fallback
from core.stats.winrates import KEY, IntervalOptions, group_index, strata_codes


def group_means(groups: pd.DataFrame, cells: pd.DataFrame, opts: IntervalOptions,
                rng: np.random.Generator, progress: Progress | None = None) -> pd.DataFrame:
    """Add mean, mean_lo, mean_hi, interval and low_n to ``groups``.

    ``groups`` columns: category, model, n, total, n_tasks; ``cells``: category, model,
    n, total (one row per task of a group).
    """
    out = groups.reset_index(drop=True).copy()
    n = out["n"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, out["total"].to_numpy(float) / n, np.nan)
    gi = group_index(out, cells, KEY)
    keep = gi >= 0
    gi, cells = gi[keep], cells.loc[keep]
    nums = cells["total"].to_numpy(float)[:, None]
    den = cells["n"].to_numpy(float)
    if opts.bootstrap > 0:
        task, stratum = strata_codes(cells)
        lo, hi = cluster_bootstrap(gi, nums, den, len(out), replicates=opts.bootstrap, rng=rng,
                                   task=task, stratum=stratum, level=opts.level,
                                   progress=progress)
        method = "task-bootstrap"
    else:
        lo, hi = cluster_normal(gi, nums, den, len(out), level=opts.level)
        method = "task-normal"
    n_tasks = out["n_tasks"].to_numpy(float)
    # one task gives nothing to resample: no interval rather than a zero-width one
    lo, hi = np.where(n_tasks < 2, np.nan, lo[:, 0]), np.where(n_tasks < 2, np.nan, hi[:, 0])
    lo, hi = degenerate_fallback(mean, n_tasks, lo, hi, opts.level)
    out["mean"], out["mean_lo"], out["mean_hi"] = mean, lo, hi
    out["interval"] = method
    out["low_n"] = n < opts.min_n
    return out
