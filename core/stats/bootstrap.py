"""Intervals for ratios of sums when judgments cluster within tasks.

When a task carries several judgments (samples x reviewers), those judgments are not
independent: a hard task drags all of them down together. Treating them as independent
trials makes intervals too narrow, so we resample whole tasks. Every statistic here is a
ratio of sums over a group's tasks (wins / n, score sum / graded count), which lets one
vectorised routine serve every group of every breakdown at once: cells are
(group, task) sums, and a replicate draws, for each group, as many of its tasks with
replacement as it has, and re-sums. No SQL is re-run per replicate.

If a group's outcomes do not vary at all (every judgment a win, say), resampling cannot
show any uncertainty; such a rate falls back to Wilson on the number of tasks.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from core.stats.proportions import wilson, z_for

Progress = Callable[[int, int], None]

#: Cells x replicates gathered per chunk: bounds memory at about 8 bytes x this per array.
CHUNK_BUDGET = 4_000_000


def _group_layout(group: NDArray[np.int64], n_groups: int
                  ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    order = np.argsort(group, kind="stable")
    sizes = np.bincount(group, minlength=n_groups).astype(np.int64)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    return order, sizes, starts


def cluster_bootstrap(group: NDArray[np.int64], nums: NDArray[np.float64],
                      den: NDArray[np.float64], n_groups: int, *, replicates: int,
                      rng: np.random.Generator, level: float = 0.95,
                      progress: Progress | None = None
                      ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Percentile intervals of sum(nums)/sum(den) per group, resampling cells (tasks).

    ``group`` (C,) is each cell's group index, ``nums`` (C, M) its numerators, ``den``
    (C,) its denominator (> 0). Returns (lo, hi), each (n_groups, M); NaN for groups
    without cells. ``progress(done, total)`` is called after each chunk of replicates.
    """
    nums = np.asarray(nums, dtype=np.float64).reshape(len(group), -1)
    den = np.asarray(den, dtype=np.float64)
    n_cells, n_metrics = nums.shape
    lo = np.full((n_groups, n_metrics), np.nan)
    hi = np.full((n_groups, n_metrics), np.nan)
    if n_cells == 0 or replicates <= 0:
        if progress:
            progress(replicates, replicates)
        return lo, hi
    order, sizes, starts = _group_layout(np.asarray(group, dtype=np.int64), n_groups)
    nums, den = nums[order], den[order]
    cell_group = np.asarray(group, dtype=np.int64)[order]
    cell_start = starts[cell_group]
    cell_size = sizes[cell_group].astype(np.float64)
    present = np.flatnonzero(sizes > 0)
    seg = starts[present]
    reps = np.empty((replicates, len(present), n_metrics))
    chunk = max(1, min(replicates, CHUNK_BUDGET // max(n_cells, 1)))
    done = 0
    while done < replicates:
        b = min(chunk, replicates - done)
        idx = cell_start + (rng.random((b, n_cells)) * cell_size).astype(np.int64)
        den_sum = np.add.reduceat(den[idx], seg, axis=1)
        for m in range(n_metrics):
            reps[done:done + b, :, m] = np.add.reduceat(nums[idx, m], seg, axis=1) / den_sum
        done += b
        if progress:
            progress(done, replicates)
    alpha = 1.0 - level
    q = np.quantile(reps, [alpha / 2, 1 - alpha / 2], axis=0)
    lo[present], hi[present] = q[0], q[1]
    return lo, hi


def cluster_normal(group: NDArray[np.int64], nums: NDArray[np.float64],
                   den: NDArray[np.float64], n_groups: int, level: float = 0.95
                   ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Normal intervals for a ratio of sums with a cluster-robust (by task) variance.

    The analytic stand-in when bootstrapping is switched off: var(r) =
    K/(K-1) * sum_t (num_t - r den_t)^2 / (sum den)^2 over the group's K tasks.
    """
    group = np.asarray(group, dtype=np.int64)
    nums = np.asarray(nums, dtype=np.float64).reshape(len(group), -1)
    den = np.asarray(den, dtype=np.float64)
    n_metrics = nums.shape[1]
    k = np.bincount(group, minlength=n_groups).astype(np.float64)
    d = np.bincount(group, weights=den, minlength=n_groups)
    lo = np.full((n_groups, n_metrics), np.nan)
    hi = np.full((n_groups, n_metrics), np.nan)
    z = z_for(level)
    for m in range(n_metrics):
        s = np.bincount(group, weights=nums[:, m], minlength=n_groups)
        with np.errstate(invalid="ignore", divide="ignore"):
            r = s / d
            resid = nums[:, m] - r[group] * den
            ss = np.bincount(group, weights=resid * resid, minlength=n_groups)
            se = np.sqrt(np.where(k > 1, k / (k - 1), np.nan) * ss) / d
        lo[:, m] = np.clip(r - z * se, 0.0, 1.0)
        hi[:, m] = np.clip(r + z * se, 0.0, 1.0)
    return lo, hi


def degenerate_fallback(rate: NDArray[np.float64], n_tasks: NDArray[np.float64],
                        lo: NDArray[np.float64], hi: NDArray[np.float64], level: float = 0.95
                        ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Where a rate is exactly 0 or 1, replace the (collapsed) interval by Wilson on the
    number of tasks: no variation to resample is not the same as no uncertainty."""
    edge = np.isfinite(rate) & ((rate <= 0.0) | (rate >= 1.0)) & (n_tasks > 0)
    wlo, whi = wilson(rate * n_tasks, n_tasks, level)
    return np.where(edge, wlo, lo), np.where(edge, whi, hi)
