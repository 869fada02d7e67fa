"""Intervals for ratios of sums when judgments cluster within tasks.

When a task carries several judgments (samples x reviewers), those judgments are not
independent: a hard task drags all of them down together. Treating them as independent
trials makes intervals too narrow, so we resample whole tasks. Every statistic here is a
ratio of sums over a group's tasks (wins / n, score sum / graded count), which lets one
vectorised routine serve every group of a breakdown at once.

Resampling is stratified by category: within each category (a sector, an occupation,
"all" for the per-model figures) a replicate draws as many of its tasks, with
replacement, as it has, and the same draw serves every model in that category, so
model-to-model differences stay paired. A replicate is then a vector of task
multiplicities, and every group's sums are one sparse product (cells x replicates):
no SQL is re-run and no Python loop runs per replicate.

If a group's outcomes do not vary at all (every judgment a win, say), resampling cannot
show any uncertainty; such a rate falls back to Wilson on the number of tasks.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix

from core.stats.proportions import wilson, z_for

Progress = Callable[[int, int], None]

#: Replicates per chunk (bounds memory; progress is reported per chunk).
CHUNK = 100


def _as_columns(nums: NDArray[np.float64], n_cells: int) -> NDArray[np.float64]:
    a = np.asarray(nums, dtype=np.float64)
    return a.reshape(n_cells, a.shape[1] if a.ndim == 2 else 1)


def cluster_bootstrap(group: NDArray[np.int64], nums: NDArray[np.float64],
                      den: NDArray[np.float64], n_groups: int, *, replicates: int,
                      rng: np.random.Generator, task: NDArray[np.int64] | None = None,
                      stratum: NDArray[np.int64] | None = None, level: float = 0.95,
                      progress: Progress | None = None
                      ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Percentile intervals of sum(nums)/sum(den) per group, resampling tasks.

    Each cell is one (group, task): ``group`` (C,) its group index, ``task`` (C,) its
    task code, ``stratum`` (C,) the stratum its task is drawn in (a group lies in one
    stratum); ``nums`` (C, M), ``den`` (C,) its sums. Without ``task`` every cell is its
    own task; without ``stratum``, each group is its own stratum. Returns (lo, hi), each
    (n_groups, M), NaN for groups without cells. ``progress(done, total)`` is called
    after each chunk of replicates.
    """
    group = np.asarray(group, dtype=np.int64)
    n_cells = len(group)
    nums = _as_columns(nums, n_cells)
    den = np.asarray(den, dtype=np.float64)
    n_metrics = nums.shape[1]
    lo = np.full((n_groups, n_metrics), np.nan)
    hi = np.full((n_groups, n_metrics), np.nan)
    if n_cells == 0 or replicates <= 0:
        if progress:
            progress(replicates, replicates)
        return lo, hi
    task = np.arange(n_cells) if task is None else np.asarray(task, dtype=np.int64)
    stratum = group if stratum is None else np.asarray(stratum, dtype=np.int64)
    # the units drawn: distinct (stratum, task) pairs, laid out stratum by stratum
    pair_key = stratum * (int(task.max()) + 1) + task
    keys, pair_of_cell = np.unique(pair_key, return_inverse=True)
    pair_stratum = keys // (int(task.max()) + 1)
    n_pairs = len(keys)
    strata, pair_stratum = np.unique(pair_stratum, return_inverse=True)
    sizes = np.bincount(pair_stratum).astype(np.int64)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    unit_start = starts[pair_stratum]            # pairs are sorted, so strata are contiguous
    unit_size = sizes[pair_stratum].astype(np.float64)
    # cells x (den, nums...) as a sparse (pairs) x (groups * (1 + M)) matrix
    cols = np.concatenate([den[:, None], nums], axis=1)
    width = 1 + n_metrics
    x = csr_matrix((cols.ravel(), (np.repeat(pair_of_cell, width),
                                   (group[:, None] * width + np.arange(width)).ravel())),
                   shape=(n_pairs, n_groups * width))
    xt = x.T.tocsr()
    present = np.bincount(group, minlength=n_groups) > 0
    reps = np.empty((replicates, int(present.sum()), n_metrics))
    done = 0
    while done < replicates:
        b = min(CHUNK, replicates - done)
        draws = unit_start + np.minimum((rng.random((b, n_pairs)) * unit_size).astype(np.int64),
                                        unit_size.astype(np.int64) - 1)
        counts = np.bincount((np.arange(b)[:, None] * n_pairs + draws).ravel(),
                             minlength=b * n_pairs).reshape(b, n_pairs).astype(np.float64)
        sums = (xt @ counts.T).T.reshape(b, n_groups, width)[:, present]
        with np.errstate(invalid="ignore", divide="ignore"):
            reps[done:done + b] = sums[:, :, 1:] / sums[:, :, :1]
        done += b
        if progress:
            progress(done, replicates)
    alpha = 1.0 - level
    quant = np.nanquantile if np.isnan(reps).any() else np.quantile
    q = quant(reps, [alpha / 2, 1 - alpha / 2], axis=0)
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
    nums = _as_columns(nums, len(group))
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
