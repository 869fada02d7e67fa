"""Win rates against the expert, per group, with the right interval for the data.

Input is two frames (``core.stats.breakdowns``): *groups* (one row per (category, model) with the
counts and the number of distinct tasks and judges) and *cells* (one row per
(category, model, task) with that task's counts). The interval method follows the data:

- ``wilson``: every task in the group carries one judgment (independent trials);
- ``task-bootstrap``: some task carries several judgments; whole tasks are resampled;
- ``task-normal``: the same situation with bootstrapping switched off (cluster-robust SE).

A clustered interval is widened, where needed, to contain the Wilson interval on the same
judgments, so that a category with few tasks never looks more certain than independent
judgments would make it.

Groups with fewer than ``min_n`` graded judgments are flagged ``low_n``: reports grey
them out and they get no rank.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.stats.bootstrap import (
    Progress,
    cluster_bootstrap,
    cluster_normal,
    degenerate_fallback,
)
from core.stats.proportions import METRICS, Counts, wilson

POOLED = "(all models)"

KEY = ["category", "model"]


@dataclass(frozen=True)
class IntervalOptions:
    """How intervals are computed: replicates (0 = no bootstrap), level, seed stream."""

    bootstrap: int = 1000
    level: float = 0.95
    min_n: int = 10


def interval_method(max_per_task: np.ndarray, bootstrap: int) -> np.ndarray:
    clustered = max_per_task > 1
    return np.where(clustered, "task-bootstrap" if bootstrap > 0 else "task-normal", "wilson")


def _key_codes(values: pd.Series, vocab: dict[str, int]) -> np.ndarray:
    """Each value's index in ``vocab`` (-1 when absent), compared as strings. A
    categorical is looked up through its categories, not row by row."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        per_category = np.array([vocab.get(str(c), -1) for c in values.cat.categories] + [-1],
                                dtype=np.int64)
        return per_category[values.cat.codes.to_numpy()]     # NaN's code -1 -> the last
    return np.fromiter((vocab.get(str(v), -1) for v in values), dtype=np.int64,
                       count=len(values))


def group_index(groups: pd.DataFrame, cells: pd.DataFrame, key: list[str]) -> np.ndarray:
    """For each cell, the row number of its group in ``groups`` (-1 when absent)."""
    if cells.empty or groups.empty:
        return np.full(len(cells), -1, dtype=np.int64)
    gcode = np.zeros(len(groups), dtype=np.int64)
    ccode = np.zeros(len(cells), dtype=np.int64)
    missing = np.zeros(len(cells), dtype=bool)
    for k in key:
        names = groups[k].astype(str)
        vocab = {v: i for i, v in enumerate(pd.unique(names))}
        c = _key_codes(cells[k], vocab)
        missing |= c < 0
        gcode = gcode * len(vocab) + names.map(vocab).to_numpy(np.int64)
        ccode = ccode * len(vocab) + np.maximum(c, 0)
    if len(np.unique(gcode)) != len(gcode):
        raise ValueError(f"groups are not unique on {key}")
    order = np.argsort(gcode)
    pos = np.minimum(np.searchsorted(gcode[order], ccode), len(gcode) - 1)
    found = (gcode[order][pos] == ccode) & ~missing
    return np.where(found, order[pos], -1).astype(np.int64)


def strata_codes(cells: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes for each cell's task and for its stratum (the category), in sorted
    order of the names: the bootstrap's draws then depend on which cells there are, not
    on the order the rows came in."""
    return (pd.factorize(cells["task_id"], sort=True)[0].astype(np.int64),
            pd.factorize(cells["category"], sort=True)[0].astype(np.int64))


def win_rates(groups: pd.DataFrame, cells: pd.DataFrame, opts: IntervalOptions,
              rng: np.random.Generator, progress: Progress | None = None) -> pd.DataFrame:
    """Add rates, intervals, method, low-n flag and rank to ``groups``.

    ``groups`` needs columns category, model, n, wins, ties, n_tasks; ``cells`` needs
    category, model, n, wins, ties (one row per task of a group, n > 0).
    """
    out = groups.reset_index(drop=True).copy()
    counts = Counts.of(out["wins"], out["ties"], out["n"])
    rates = counts.rates()
    gi = group_index(out, cells, KEY)
    keep = gi >= 0
    gi, cells = gi[keep], cells.loc[keep]
    max_per_task = np.zeros(len(out))
    np.maximum.at(max_per_task, gi, cells["n"].to_numpy(dtype=np.float64))
    method = interval_method(max_per_task, opts.bootstrap)
    out["interval"] = method

    cell_counts = Counts.of(cells["wins"], cells["ties"], cells["n"])
    cell_nums = np.column_stack([cell_counts.numerators()[m] for m in METRICS])
    clustered = method != "wilson"
    in_boot = clustered[gi]
    if opts.bootstrap > 0:
        task, stratum = strata_codes(cells)
        blo, bhi = cluster_bootstrap(gi[in_boot], cell_nums[in_boot], cell_counts.n[in_boot],
                                     len(out), replicates=opts.bootstrap, rng=rng,
                                     task=task[in_boot], stratum=stratum[in_boot],
                                     level=opts.level, progress=progress)
    else:
        blo, bhi = cluster_normal(gi[in_boot], cell_nums[in_boot], cell_counts.n[in_boot],
                                  len(out), level=opts.level)
    n_tasks = out["n_tasks"].to_numpy(dtype=np.float64)
    for j, m in enumerate(METRICS):
        wlo, whi = wilson(counts.numerators()[m], counts.n, opts.level)
        clo, chi = degenerate_fallback(rates[m], n_tasks, blo[:, j], bhi[:, j], opts.level)
        # never narrower than Wilson on the same judgments: with few tasks the percentile
        # bootstrap under-covers, and judgments of one task are rarely less alike than
        # independent ones
        clo, chi = np.fmin(clo, wlo), np.fmax(chi, whi)
        out[m] = rates[m]
        out[f"{m}_lo"] = np.where(clustered, clo, wlo)
        out[f"{m}_hi"] = np.where(clustered, chi, whi)
    out["low_n"] = out["n"].to_numpy() < opts.min_n
    out["rank"] = rank_within(out, "wins_or_ties")
    return out


def rank_within(table: pd.DataFrame, metric: str, by: str = "category") -> pd.Series:
    """Dense-free competition rank (1 = best) within each category; low-n and pooled rows
    get no rank."""
    eligible = ~table["low_n"] & (table["model"] != POOLED) & table[metric].notna()
    ranks = (table[metric].where(eligible)
             .groupby(table[by]).rank(ascending=False, method="min"))
    return ranks.astype("Int64")
