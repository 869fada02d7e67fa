"""The report's figures, by name, as SVG strings: what the HTML report embeds and what
the review app's leaderboard page can show (``st.html(svg)`` or
``st.markdown(svg, unsafe_allow_html=True)``).

``figure(report, key)`` returns a list of SVGs (empty when there is nothing to draw):
``wr_models``, ``by_judge_kind``, ``forest_sector``, ``by_sector``, ``by_occupation``,
``by_filetype``, ``ladder``, ``agreement``.
"""

from __future__ import annotations

import pandas as pd

from app.report.build import Report
from app.report.charts import agreement_matrix, forest_plot, heatmap, interval_chart, rating_ladder
from app.report.views import DIM_TITLES, MAX_DODGED_MODELS, model_order
from core.stats.winrates import POOLED

FIGURES = ("wr_models", "by_judge_kind", "forest_sector", "by_sector", "by_occupation",
           "by_filetype", "ladder", "agreement")


def _overall(report: Report) -> pd.Series | None:
    t = report.win_rates_for("model")
    t = t[t["model"] == POOLED]
    return t.iloc[0] if len(t) else None


def _per_model(report: Report, dim: str) -> list[str]:
    t = report.win_rates_for(dim, pooled=False)
    if t.empty:
        return []
    order = model_order(report)
    label = DIM_TITLES[dim]
    if len(order) <= MAX_DODGED_MODELS:
        rank = {m: k for k, m in enumerate(order)}
        t = t.assign(_o=t["model"].map(rank)).sort_values(["category", "_o"])
        return [interval_chart(t, label_col="category", series_col="model",
                               heading=f"wins or ties by {label} and model")]
    return [heatmap(t, row_order=order,
                    heading=f"wins or ties by model and {label}: orange below 50%, blue "
                            "above, grey below the minimum n")]


def _pooled_by(report: Report, dim: str) -> list[str]:
    t = report.win_rates_for(dim)
    t = t[t["model"] == POOLED].sort_values(["wins_or_ties", "category"], ascending=[False, True])
    if t.empty:
        return []
    return [interval_chart(t, label_col="category",
                           heading=f"wins or ties by {DIM_TITLES[dim]}, all selected models "
                                   "pooled")]


def figure(report: Report, key: str) -> list[str]:
    """The SVG(s) for one figure of ``report``."""
    if key == "wr_models":
        t = report.win_rates_for("model", pooled=False).set_index("model")
        order = [m for m in model_order(report) if m in t.index]
        if not order:
            return []
        return [interval_chart(t.loc[order].reset_index(), label_col="model",
                               heading="wins or ties against the expert, by model "
                                       "(dashed line: parity)")]
    if key == "by_judge_kind":
        t = report.win_rates_for("judge_kind", pooled=False)
        if t.empty:
            return []
        rank = {m: k for k, m in enumerate(model_order(report))}
        t = t.assign(_o=t["model"].map(rank)).sort_values(["_o", "category"])
        return [interval_chart(t, label_col="model", series_col="category",
                               heading="wins or ties by model and judge kind")]
    if key == "forest_sector":
        t = report.win_rates_for("sector")
        t = t[t["model"] == POOLED].sort_values("category")
        if t.empty:
            return []
        return [forest_plot(t, _overall(report),
                            heading="forest plot: wins or ties by sector, all selected models "
                                    "pooled (square area ∝ n; diamond = all sectors)")]
    if key == "by_sector":
        return _per_model(report, "sector")
    if key in ("by_occupation", "by_filetype"):
        dim = key.removeprefix("by_")
        return _pooled_by(report, dim) + _per_model(report, dim)
    if key == "ladder":
        return [rating_ladder(report.ratings)] if len(report.ratings) else []
    if key == "agreement":
        if report.agreement_pairs.empty:
            return []
        return [agreement_matrix(report.agreement_pairs, min_n=report.meta["min_n"])]
    raise KeyError(f"unknown figure {key!r}; figures: {', '.join(FIGURES)}")
