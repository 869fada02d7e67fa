"""Bradley-Terry ratings across models and the expert, with task-bootstrap intervals.

Every graded pairwise judgment is a game: candidate vs the expert (gold) or vs another
model's submission. Strengths are fitted on natural logits and shown on an Elo-like scale,
``rating = 1000 + theta * 400 / ln 10``, anchored so the expert is exactly 1000 (so a
model at 1000 would tie the professional on average; +191 means about 3 wins in 4).
Intervals and rank intervals come from resampling whole tasks (all the judgments of a
task move together), vectorised over replicates.

Players not connected to the anchor by any chain of games cannot be placed on its scale
and are left out (listed in ``RatingsResult.disconnected``). A player that won, or lost,
every game it played has no finite maximum-likelihood rating; the small ridge keeps it
finite and the row is flagged ``separated``: read its rating as a bound.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from core.stats.bt_fit import fit_davidson, fit_half_wins

ELO_PER_LOGIT = 400.0 / math.log(10.0)
BASE_RATING = 1000.0

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RatingOptions:
    ties: str = "half"          # "half" (ties as half wins) or "davidson"
    bootstrap: int = 1000
    level: float = 0.95
    l2: float = 1e-3


@dataclass
class RatingsResult:
    table: pd.DataFrame          # player, rating, rating_lo, rating_hi, rank, rank_lo, ...
    anchor: str | None
    ties: str
    tie_parameter: float | None = None     # Davidson's nu
    disconnected: list[str] = field(default_factory=list)


def to_elo(theta: np.ndarray) -> np.ndarray:
    return BASE_RATING + ELO_PER_LOGIT * np.asarray(theta)


def _rank(values: np.ndarray) -> np.ndarray:
    """Competition ranks (1 = highest; equal values share the better rank) along the last
    axis: one plus the number of strictly higher values."""
    v = np.asarray(values, dtype=np.float64)
    srt = np.sort(v, axis=-1)
    n = v.shape[-1]
    if v.ndim == 1:
        return (n - np.searchsorted(srt, v, side="right") + 1).astype(np.int64)
    higher = np.stack([n - np.searchsorted(row_s, row, side="right")
                       for row_s, row in zip(srt, v, strict=True)])
    return (higher + 1).astype(np.int64)


def bradley_terry(pairs: pd.DataFrame, anchor: str | None, opts: RatingOptions,
                  rng: np.random.Generator, progress: Progress | None = None
                  ) -> RatingsResult:
    """Ratings from per-task pair counts.

    ``pairs`` has one row per (task_id, a, b) with a != b: ``n`` graded judgments,
    ``wins_a`` (a strictly better), ``ties``. ``anchor`` is the player fixed at 1000 (the
    expert); when absent from the data the players' mean is 1000 instead.
    """
    cols = ["player", "rating", "rating_lo", "rating_hi", "rank", "rank_lo", "rank_hi",
            "n", "wins", "ties", "losses", "separated", "anchor"]
    pairs = pairs[pairs["n"] > 0]
    if pairs.empty:
        return RatingsResult(pd.DataFrame(columns=cols), anchor, opts.ties)
    a_code, a_seen = pd.factorize(pairs["a"])      # through codes: fast on categoricals
    b_code, b_seen = pd.factorize(pairs["b"])
    a_seen, b_seen = [str(v) for v in a_seen], [str(v) for v in b_seen]
    players = sorted(set(a_seen) | set(b_seen))
    pos = {p: k for k, p in enumerate(players)}
    ai = np.array([pos[v] for v in a_seen], dtype=np.int64)[a_code]
    bi = np.array([pos[v] for v in b_seen], dtype=np.int64)[b_code]
    n_comp, label = connected_components(
        csr_matrix((np.ones(len(ai)), (ai, bi)), shape=(len(players),) * 2), directed=False)
    has_anchor = anchor in pos
    ref = pos[anchor] if has_anchor else int(np.bincount(label).argmax())
    ref_label = label[ref]
    keep_players = [p for p in players if label[pos[p]] == ref_label]
    disconnected = [p for p in players if label[pos[p]] != ref_label]
    if disconnected:
        keep = np.isin(ai, [pos[p] for p in keep_players]) & \
            np.isin(bi, [pos[p] for p in keep_players])
        pairs = pairs[keep]
        remap = np.full(len(players), -1, dtype=np.int64)
        remap[[pos[p] for p in keep_players]] = np.arange(len(keep_players))
        ai, bi = remap[ai[keep]], remap[bi[keep]]
        players = keep_players
        pos = {p: k for k, p in enumerate(players)}
    anchor_idx = pos[anchor] if has_anchor else 0

    # aggregate per (a, b) pair over tasks, and a sparse task x pair design for the bootstrap
    pair_key = ai * len(players) + bi
    uniq, pair_of_row = np.unique(pair_key, return_inverse=True)
    pi, pj = uniq // len(players), uniq % len(players)
    # tasks in sorted order: the bootstrap's draws do not depend on the rows' order
    task_of_row, tasks = pd.factorize(pairs["task_id"], sort=True)
    n_row = pairs["n"].to_numpy(np.float64)
    w_row = pairs["wins_a"].to_numpy(np.float64)
    t_row = pairs["ties"].to_numpy(np.float64)
    shape = (len(tasks), len(uniq))
    mats = {name: csr_matrix((v, (task_of_row, pair_of_row)), shape=shape)
            for name, v in (("n", n_row), ("w", w_row), ("t", t_row))}
    tot = {name: np.asarray(m.sum(axis=0)).ravel() for name, m in mats.items()}

    def fit(n: np.ndarray, w: np.ndarray, t: np.ndarray, init: np.ndarray | None = None
            ) -> tuple[np.ndarray, float | None]:
        if opts.ties == "davidson":
            th, nu = fit_davidson(pi, pj, w, n - w - t, t, len(players), anchor_idx,
                                  l2=opts.l2, init=init)
            return th, nu
        return fit_half_wins(pi, pj, w + 0.5 * t, n, len(players), anchor_idx, l2=opts.l2,
                             init=init), None

    theta, nu = fit(tot["n"], tot["w"], tot["t"])
    if not has_anchor:
        theta = theta - theta.mean()
    rating = to_elo(theta)

    lo = hi = np.full(len(players), np.nan)
    rank_lo = rank_hi = np.full(len(players), np.nan)
    if opts.bootstrap > 0 and len(tasks) >= 2:  # resampling one task shows no spread
        reps = _bootstrap(mats, len(tasks), opts, rng, theta, fit, progress)
        if not has_anchor:
            reps = reps - reps.mean(axis=1, keepdims=True)
        boot = to_elo(reps)
        a = 1.0 - opts.level
        lo, hi = np.quantile(boot, [a / 2, 1 - a / 2], axis=0)
        ranks = _rank(boot)
        rank_lo, rank_hi = np.quantile(ranks, [a / 2, 1 - a / 2], axis=0, method="nearest")

    stats = _player_counts(pi, pj, tot, len(players))
    table = pd.DataFrame({
        "player": players, "rating": rating, "rating_lo": lo, "rating_hi": hi,
        "rank": _rank(rating), "rank_lo": rank_lo, "rank_hi": rank_hi, **stats,
    })
    table["separated"] = (table["n"] > 0) & ((table["wins"] == table["n"])
                                             | (table["losses"] == table["n"]))
    table["anchor"] = table["player"] == anchor
    table = table.sort_values(["rank", "player"]).reset_index(drop=True)
    for c in ("rank_lo", "rank_hi"):
        table[c] = pd.array(np.where(np.isnan(table[c]), pd.NA, table[c]), dtype="Int64")
    return RatingsResult(table[cols], anchor if has_anchor else None, opts.ties, nu,
                         disconnected)


def _player_counts(pi: np.ndarray, pj: np.ndarray, tot: dict[str, np.ndarray],
                   n_players: int) -> dict[str, np.ndarray]:
    n, w, t = tot["n"], tot["w"], tot["t"]
    lose = n - w - t

    def per(vals_i: np.ndarray, vals_j: np.ndarray) -> np.ndarray:
        return (np.bincount(pi, vals_i, n_players) + np.bincount(pj, vals_j, n_players))

    return {"n": per(n, n).astype(np.int64), "wins": per(w, lose).astype(np.int64),
            "ties": per(t, t).astype(np.int64), "losses": per(lose, w).astype(np.int64)}


def _bootstrap(mats: dict[str, csr_matrix], n_tasks: int, opts: RatingOptions,
               rng: np.random.Generator, theta: np.ndarray,
               fit: Callable[..., tuple[np.ndarray, float | None]],
               progress: Progress | None) -> np.ndarray:
    """Strength replicates (B, N): resample tasks with replacement, refit."""
    draws = rng.integers(0, n_tasks, size=(opts.bootstrap, n_tasks))
    counts = np.bincount((np.arange(opts.bootstrap)[:, None] * n_tasks + draws).ravel(),
                         minlength=opts.bootstrap * n_tasks).reshape(opts.bootstrap, n_tasks)
    counts_t = np.ascontiguousarray(counts.T, dtype=np.float64)
    res = {name: np.ascontiguousarray((m.T.tocsr() @ counts_t).T) for name, m in mats.items()}
    if opts.ties == "davidson":
        out = np.empty((opts.bootstrap, len(theta)))
        for b in range(opts.bootstrap):
            out[b] = fit(res["n"][b], res["w"][b], res["t"][b], init=theta)[0]
            if progress and (b % 20 == 19 or b == opts.bootstrap - 1):
                progress(b + 1, opts.bootstrap)
        return out
    out = np.empty((opts.bootstrap, len(theta)))
    step = 250
    for start in range(0, opts.bootstrap, step):
        sl = slice(start, min(start + step, opts.bootstrap))
        out[sl] = fit(res["n"][sl], res["w"][sl], res["t"][sl], init=theta)[0]
        if progress:
            progress(sl.stop, opts.bootstrap)
    return out
