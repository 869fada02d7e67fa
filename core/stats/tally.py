"""Tallies of the effective judgments: the inputs of every report statistic.

The store reads each effective judgment once, as integer codes (see
``core.store.judgment_queries.JUDGMENT_COLUMNS``: judge, kind, score2, side, consistent,
task, cand, ref, vs_expert, item, flip). Everything the statistics need is a count
over those arrays, done here with ``bincount`` and hashing on integer keys:

- win-rate fine cells per (model, judge kind, task) against the expert, and the judges
  behind them (``win_rows``; ``core.stats.breakdowns`` turns them into breakdowns);
- Bradley-Terry games per (task, player a, player b) (``games``);
- agreement contingency counts over every two graded judgments of the same pair of
  submissions by different judges, and human ratings per pair (``agreement_counts``,
  ``human_item_counts``);
- per-judge position tallies (``position_counts``).

Scores are kept doubled (0, 1, 2 for worse, as good, better) so they stay integers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from core.stats.counting import count_by, count_by_class

Judgments = Mapping[str, NDArray]
Arrays = dict[str, NDArray]
IntArray = NDArray[np.int64]


def _col(j: Judgments, name: str, use: NDArray[np.bool_] | None = None) -> IntArray:
    """Column ``name`` (rows ``use``) as int64, selecting before widening: the store
    hands over narrow integer types."""
    a = np.asarray(j[name])
    return (a if use is None else a[use]).astype(np.int64, copy=False)


def _allowed(j: Judgments, kinds: Sequence[int] | None) -> NDArray[np.bool_]:
    if kinds is None:
        return np.ones(len(j["kind"]), dtype=bool)
    return np.isin(j["kind"], np.asarray(list(kinds), dtype=np.int64))


def win_rows(j: Judgments, kinds: Sequence[int] | None, n_kinds: int, n_tasks: int,
             n_models: int) -> tuple[Arrays, Arrays]:
    """Judgments vs the expert (of judge kinds ``kinds``; None = all) as fine cells per
    (model, judge kind, task): ``cand``, ``kind``, ``task``, ``n`` (graded), ``wins``,
    ``ties``, ``losses``, ``n_ungraded``; and the (``cand``, ``kind``, ``judge``,
    ``task``) of each graded one (repeats allowed), for counting judges."""
    use = np.asarray(j["vs_expert"], dtype=bool) & _allowed(j, kinds)
    s = np.asarray(j["score2"])[use]
    cand, kind, task = (_col(j, c, use) for c in ("cand", "kind", "task"))
    nk, nt = max(n_kinds, 1), max(n_tasks, 1)
    # classes: 0 ungraded, 1 loss, 2 tie, 3 win
    keys, table = count_by_class((cand * nk + kind) * nt + task, max(n_models, 1) * nk * nt,
                                 s + 1, 4)
    cells = {"cand": keys // (nk * nt), "kind": keys // nt % nk, "task": keys % nt,
             "n": table[:, 1:].sum(axis=1), "wins": table[:, 3], "ties": table[:, 2],
             "losses": table[:, 1], "n_ungraded": table[:, 0]}
    graded = s >= 0
    judges = {"cand": cand[graded], "kind": kind[graded],
              "judge": _col(j, "judge", use)[graded], "task": task[graded]}
    return cells, judges


def games(j: Judgments, kinds: Sequence[int] | None, models: list[str], tasks: list[str]
          ) -> pd.DataFrame:
    """Graded games between different players per (task, a, b) with a < b (codes sort
    like names): ``task_id``, ``a``, ``b`` (categoricals), ``n``, ``wins_a`` (a strictly
    better), ``ties``; sorted by task and players. The expert is the reference of a gold
    comparison; games between two runs of the same model are left out."""
    s = np.asarray(j["score2"])
    use = (s >= 0) & (np.asarray(j["cand"]) != np.asarray(j["ref"])) & _allowed(j, kinds)
    cand, ref, task, s = _col(j, "cand", use), _col(j, "ref", use), _col(j, "task", use), s[use]
    npl, nt = max(len(models), 1), max(len(tasks), 1)
    a, b = np.minimum(cand, ref), np.maximum(cand, ref)
    win_a = ((cand < ref) & (s == 2)) | ((cand > ref) & (s == 0))
    # classes: 0 a lost, 1 tie, 2 a won
    keys, table = count_by_class((task * npl + a) * npl + b, nt * npl * npl,
                                 np.where(s == 1, 1, np.where(win_a, 2, 0)), 3)
    return pd.DataFrame({
        "task_id": pd.Categorical.from_codes(keys // (npl * npl), categories=tasks),
        "a": pd.Categorical.from_codes(keys // npl % npl, categories=models),
        "b": pd.Categorical.from_codes(keys % npl, categories=models),
        "n": table.sum(axis=1), "wins_a": table[:, 2], "ties": table[:, 1]})


def _item_scores(j: Judgments, use: NDArray[np.bool_]) -> tuple[IntArray, IntArray, IntArray]:
    """(item code, judge, doubled score oriented to the item) of the rows ``use``."""
    s = _col(j, "score2", use)
    s = np.where(np.asarray(j["flip"], dtype=bool)[use], 2 - s, s)
    return _col(j, "item", use), _col(j, "judge", use), s


def agreement_counts(j: Judgments, judge_kinds: list[str], judge_ids: list[str]
                     ) -> pd.DataFrame:
    """Contingency counts over every two graded judgments of the same pair of submissions
    by different judges: kind_a, judge_a, kind_b, judge_b, score_a, score_b, n, sorted.

    Each two rows of an item count once, ordered so judge a < judge b in (kind, id)
    order (judge codes sort that way: an autograder before a human). Scores are 0, 0.5,
    1 oriented to the pair of submissions."""
    cols = ["kind_a", "judge_a", "kind_b", "judge_b", "score_a", "score_b", "n"]
    item, judge, s = _item_scores(j, np.asarray(j["score2"]) >= 0)
    nj = max(len(judge_ids), 1)
    # rows sorted by item, then judge: a row pairs with the rows after it in its item,
    # and the earlier row has the lesser (or the same) judge
    order = np.argsort(item * nj + judge)
    judge, s = judge[order], s[order]
    room = np.cumsum(np.bincount(item))[item[order]] - np.arange(len(item)) - 1
    parts = []
    left, gap = np.flatnonzero(room > 0), 1
    while len(left):                     # pass ``gap`` pairs each row with the row gap on
        right = left + gap
        other = judge[left] != judge[right]
        lo, hi = left[other], right[other]
        parts.append(((judge[lo] * nj + judge[hi]) * 3 + s[lo]) * 3 + s[hi])
        gap += 1
        left = left[room[left] >= gap]
    keys, sums = count_by(np.concatenate(parts) if parts else np.zeros(0, np.int64),
                          nj * nj * 9)
    pair, score_a, score_b = keys // 9, keys // 3 % 3, keys % 3
    a, b = pair // nj, pair % nj
    kinds, ids = np.asarray(judge_kinds, dtype=object), np.asarray(judge_ids, dtype=object)
    out = pd.DataFrame({"kind_a": kinds[a], "judge_a": ids[a], "kind_b": kinds[b],
                        "judge_b": ids[b], "score_a": score_a / 2.0, "score_b": score_b / 2.0,
                        "n": sums["count"].astype(np.int64)}, columns=cols)
    return out.astype({c: "str" for c in ("kind_a", "judge_a", "kind_b", "judge_b")})


def human_item_counts(j: Judgments, human: int | None) -> NDArray[np.float64]:
    """Pairs of submissions with >= 2 graded ratings by judges of kind code ``human``:
    their counts of 0, ½ and 1 (items x 3), for Fleiss' kappa."""
    if human is None:
        return np.zeros((0, 3))
    use = (np.asarray(j["score2"]) >= 0) & (np.asarray(j["kind"]) == human)
    item, _, s = _item_scores(j, use)
    n_items = int(item.max()) + 1 if len(item) else 0
    counts = np.bincount(item * 3 + s, minlength=n_items * 3).reshape(n_items, 3)
    return counts[counts.sum(axis=1) >= 2].astype(np.float64)


def position_counts(j: Judgments, judge_kinds: list[str], judge_ids: list[str]
                    ) -> pd.DataFrame:
    """Per judge (every effective judgment): graded verdicts ``n``, position consistency
    known / inconsistent, decisive verdicts with a known side, and those preferring side
    A (the candidate shown as A won, or shown as B lost); sorted by kind and id."""
    s, side, cons = (np.asarray(j[c]).astype(np.int64) for c in ("score2", "side", "consistent"))
    # one class per (score2 + 1, side, consistent + 1): 4 x 3 x 3
    keys, table = count_by_class(j["judge"], max(len(judge_ids), 1),
                                 ((s + 1) * 3 + side) * 3 + (cons + 1), 36)
    t = table.reshape(-1, 4, 3, 3)                   # judge, score2 + 1, side, consistent + 1
    out = pd.DataFrame({"judge_kind": np.asarray(judge_kinds, dtype=object)[keys],
                        "judge_id": np.asarray(judge_ids, dtype=object)[keys]}
                       ).astype({"judge_kind": "str", "judge_id": "str"})
    out["n"] = t[:, 1:].sum(axis=(1, 2, 3))
    out["n_consistency_known"] = t[:, :, :, 1:].sum(axis=(1, 2, 3))
    out["n_inconsistent"] = t[:, :, :, 1].sum(axis=(1, 2))
    out["n_decisive_sided"] = t[:, [1, 3]][:, :, 1:].sum(axis=(1, 2, 3))
    out["n_prefer_a"] = t[:, 3, 1].sum(axis=1) + t[:, 1, 2].sum(axis=1)
    return out


def rubric_rows(rows: Judgments, n_tasks: int, n_models: int) -> tuple[Arrays, Arrays]:
    """Rubric grades (arrays ``cand``, ``task``, ``judge``, ``score``; NaN = ungraded) as
    fine cells per (model, task): ``n`` (graded), ``total`` (sum of their scores),
    ``n_ungraded``; and the (``cand``, ``judge``, ``task``) of each graded one."""
    score = np.asarray(rows["score"], dtype=np.float64)
    graded = ~np.isnan(score)
    cand, task = np.asarray(rows["cand"], dtype=np.int64), np.asarray(rows["task"], np.int64)
    nt = max(n_tasks, 1)
    keys, sums = count_by(cand * nt + task, max(n_models, 1) * nt,
                           {"n": graded, "total": np.where(graded, score, 0.0)})
    cells = {"cand": keys // nt, "task": keys % nt, "n": sums["n"].astype(np.int64),
             "total": sums["total"],
             "n_ungraded": (sums["count"] - sums["n"]).astype(np.int64)}
    judges = {"cand": cand[graded], "judge": np.asarray(rows["judge"], np.int64)[graded],
              "task": task[graded]}
    return cells, judges
