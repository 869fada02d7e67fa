"""Cost and speed per model, set against the expert's time and pay (GDPval's analysis).

Unknown stays unknown: a sample whose price is unknown has ``cost_usd`` NULL; totals are
only given when every sample's cost is known, and per-task figures average the known
ones (with the count of unknowns beside them). *Per win* divides a per-task figure by the
model's headline win rate against the expert: the expected spend to get one deliverable
that is as good as or better than the professional's, sampling until one is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def cost_speed(usage: pd.DataFrame, headline: pd.DataFrame) -> pd.DataFrame:
    """``usage``: one row per model from ``core.store.usage_queries.model_usage``;
    ``headline``: model and wins_or_ties (overall, vs the expert)."""
    out = usage.merge(headline[["model", "wins_or_ties"]], on="model", how="left")
    numeric = [c for c in out.columns if c != "model"]
    out[numeric] = out[numeric].apply(pd.to_numeric, errors="coerce").astype(float)
    known = out["n_cost_known"].to_numpy(float)
    unknown = out["n_cost_unknown"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["usd_per_task"] = np.where(known > 0, out["cost_usd_known"] / known, np.nan)
        out["cost_usd_total"] = np.where((unknown == 0) & (known > 0), out["cost_usd_known"],
                                         np.nan)
        lat = out["n_latency_known"].to_numpy(float)
        out["minutes_per_task"] = np.where(lat > 0, out["latency_s_known"] / lat / 60.0,
                                           np.nan)
        tok = out["n_tokens_known"].to_numpy(float)
        out["tokens_per_task"] = np.where(
            tok > 0, (out["input_tokens"] + out["output_tokens"]) / tok, np.nan)
        rate = out["wins_or_ties"].to_numpy(float)
        ok = rate > 0
        out["minutes_per_win"] = np.where(ok, out["minutes_per_task"] / rate, np.nan)
        out["usd_per_win"] = np.where(ok, out["usd_per_task"] / rate, np.nan)
        # like with like: the model's mean over the tasks that give the expert's estimate
        out["speed_ratio"] = out["expert_minutes_per_task"] / out["model_minutes_expert_tasks"]
        out["cost_ratio"] = out["expert_usd_per_task"] / out["model_usd_expert_tasks"]
    return out
