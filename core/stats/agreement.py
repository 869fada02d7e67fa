"""Agreement between judges on the same pairs, and the autograder's position bias.

Scores are on GDPval's 0 / ½ / 1 scale (candidate worse / as good / better). For two
ratings a and b of the same pair, GDPval's agreement is E[1 - |a - b|]: 1 when they
agree, ½ when one says tie, 0 when they disagree outright (GDPval: human-human 70.8%,
autograder-human 65.7%). Kappas correct for chance on the three categories: Cohen's for
a pair of raters, Fleiss' for many raters per item (the generalisation that allows the
number of raters to vary by item).

Input is pair contingency counts (``core.stats.tally``): for every two judgments of the same
pair of submissions by different judges, (judge a, judge b, score a, score b, count).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.stats.proportions import wilson

CATEGORIES = (0.0, 0.5, 1.0)


def agreement_score(a: np.ndarray, b: np.ndarray) -> float:
    """E[1 - |a - b|] over paired ratings."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.mean(1.0 - np.abs(a - b))) if len(a) else float("nan")


def contingency(a: np.ndarray, b: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """3 x 3 table of (rater 1 category, rater 2 category) counts."""
    ia = np.rint(np.asarray(a, dtype=float) * 2).astype(int)
    ib = np.rint(np.asarray(b, dtype=float) * 2).astype(int)
    w = np.ones(len(ia)) if weights is None else np.asarray(weights, dtype=float)
    return np.bincount(ia * 3 + ib, weights=w, minlength=9).reshape(3, 3)


def cohen_kappa(table: np.ndarray) -> float:
    """Cohen's kappa from a square contingency table; NaN when undefined (p_e == 1)."""
    return float(cohen_kappas(np.asarray(table, dtype=float)[None])[0])


def cohen_kappas(tables: np.ndarray) -> np.ndarray:
    """Cohen's kappa for a stack of square contingency tables (T, k, k)."""
    t = np.asarray(tables, dtype=float)
    total = t.sum(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        po = np.trace(t, axis1=1, axis2=2) / total
        pe = np.einsum("ti,ti->t", t.sum(axis=2), t.sum(axis=1)) / (total * total)
        kappa = (po - pe) / (1.0 - pe)
    return np.where((total > 0) & ~np.isclose(pe, 1.0), kappa, np.nan)


def fleiss_kappa(counts: np.ndarray) -> float:
    """Fleiss' kappa from an items x categories count matrix (items with >= 2 ratings).

    With a varying number of raters n_i, P_i = (sum_j n_ij^2 - n_i) / (n_i (n_i - 1)) and
    p_j = sum_i n_ij / sum_i n_i; this equals Fleiss' formula when n_i is constant.
    """
    c = np.asarray(counts, dtype=float)
    ni = c.sum(axis=1)
    c, ni = c[ni >= 2], ni[ni >= 2]
    if len(c) == 0:
        return float("nan")
    p_i = ((c * c).sum(axis=1) - ni) / (ni * (ni - 1))
    p_j = c.sum(axis=0) / ni.sum()
    pe = float(p_j @ p_j)
    return float("nan") if np.isclose(pe, 1.0) else float((p_i.mean() - pe) / (1.0 - pe))


def _summ(sub: pd.DataFrame) -> dict[str, float]:
    n = float(sub["n"].sum())
    agree = float((sub["n"] * (1 - (sub["score_a"] - sub["score_b"]).abs())).sum() / n) \
        if n else float("nan")
    return {"n_pairs": int(n), "agreement": agree,
            "kappa": cohen_kappa(contingency(sub["score_a"], sub["score_b"], sub["n"]))}


def pair_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per judge pair: judgments compared, E[1-|a-b|] and Cohen's kappa.

    ``pairs`` columns: kind_a, judge_a, kind_b, judge_b, score_a, score_b, n.
    """
    key = ["kind_a", "judge_a", "kind_b", "judge_b"]
    cols = [*key, "n_pairs", "agreement", "kappa"]
    if pairs.empty:
        return pd.DataFrame(columns=cols)
    codes, uniq = pd.MultiIndex.from_frame(pairs[key].astype(str)).factorize()
    n = pairs["n"].to_numpy(float)
    a, b = pairs["score_a"].to_numpy(float), pairs["score_b"].to_numpy(float)
    k = len(uniq)
    n_pairs = np.bincount(codes, n, k)
    close = np.bincount(codes, n * (1 - np.abs(a - b)), k)
    cell = codes * 9 + np.rint(a * 2).astype(int) * 3 + np.rint(b * 2).astype(int)
    tables = np.bincount(cell, n, k * 9).reshape(k, 3, 3)
    out = uniq.to_frame(index=False)
    out.columns = key
    out["n_pairs"] = n_pairs.astype(np.int64)
    out["agreement"] = close / n_pairs
    out["kappa"] = cohen_kappas(tables)
    return out.sort_values(key).reset_index(drop=True)[cols]


def _orient_auto_first(pairs: pd.DataFrame) -> pd.DataFrame:
    """Human-auto pairs with the autograder as rater a."""
    flip = (pairs["kind_a"] == "human") & (pairs["kind_b"] == "auto")
    out = pairs.copy()
    for x, y in (("kind_a", "kind_b"), ("judge_a", "judge_b"), ("score_a", "score_b")):
        out.loc[flip, [x, y]] = pairs.loc[flip, [y, x]].to_numpy()
    return out


def summary_table(pairs: pd.DataFrame, human_counts: np.ndarray) -> pd.DataFrame:
    """Headline agreement rows: human-human (with Fleiss' kappa), autograder-human
    overall and per autograder model, autograder-autograder.

    ``human_counts`` is the items x (0, ½, 1) matrix of human ratings per pair of
    submissions, for Fleiss' kappa.
    """
    cols = ["comparison", "judge", "n_pairs", "agreement", "kappa", "kappa_kind",
            "fleiss_kappa", "n_items"]
    rows: list[dict] = []
    hh = pairs[(pairs["kind_a"] == "human") & (pairs["kind_b"] == "human")]
    hc = np.asarray(human_counts, dtype=float).reshape(-1, 3)
    n_items = int((hc.sum(axis=1) >= 2).sum())
    if len(hh) or n_items:
        sym = hh.rename(columns={"score_a": "score_b", "score_b": "score_a"})
        s = _summ(pd.concat([hh, sym])) if len(hh) else {"agreement": np.nan, "kappa": np.nan}
        rows.append({"comparison": "human-human", "judge": "all", "n_pairs": int(hh["n"].sum()),
                     "agreement": s["agreement"], "kappa": s["kappa"],
                     "kappa_kind": "Cohen, pooled pairs (symmetrised)",
                     "fleiss_kappa": fleiss_kappa(hc), "n_items": n_items})
    ah = _orient_auto_first(pairs[pairs["kind_a"] != pairs["kind_b"]])
    if len(ah):
        groups = [("all", ah)] + list(ah.groupby("judge_a", sort=True))
        for judge, g in groups:
            rows.append({"comparison": "autograder-human", "judge": judge, **_summ(g),
                         "kappa_kind": "Cohen (autograder vs human)", "fleiss_kappa": np.nan,
                         "n_items": np.nan})
    aa = pairs[(pairs["kind_a"] == "auto") & (pairs["kind_b"] == "auto")]
    if len(aa):
        rows.append({"comparison": "autograder-autograder", "judge": "all", **_summ(aa),
                     "kappa_kind": "Cohen, pooled pairs", "fleiss_kappa": np.nan,
                     "n_items": np.nan})
    return pd.DataFrame(rows, columns=cols)


def position_bias(sides: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Per judge: share of position-inconsistent verdicts and the A-preference rate.

    ``sides`` columns: judge_kind, judge_id, n, n_consistency_known, n_inconsistent,
    n_decisive_sided (a strict preference with a known side), n_prefer_a. A judge with
    no position bias prefers A in half of its decisive verdicts.
    """
    out = sides.copy()
    known = out["n_consistency_known"].to_numpy(float)
    dec = out["n_decisive_sided"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["inconsistent_rate"] = np.where(known > 0, out["n_inconsistent"] / known, np.nan)
        out["prefer_a_rate"] = np.where(dec > 0, out["n_prefer_a"] / dec, np.nan)
    out["inconsistent_lo"], out["inconsistent_hi"] = wilson(out["n_inconsistent"], known, level)
    out["prefer_a_lo"], out["prefer_a_hi"] = wilson(out["n_prefer_a"], dec, level)
    return out
