"""The report as sections of formatted tables, shared by the Markdown and HTML faces.

Formatting decisions live here once: percentages with one decimal and the interval in
brackets, n / tasks / judges beside every rate, low-n rows muted (greyed in HTML, marked
with † in Markdown) and without a rank, unknown costs shown as "unknown", never 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from app.report.build import Report
from core.stats.proportions import METRIC_LABELS
from core.stats.winrates import POOLED

MAX_DODGED_MODELS = 6
DIM_TITLES = {"sector": "sector", "occupation": "occupation",
              "filetype": "deliverable file type", "judge_kind": "judge kind"}


@dataclass
class TableView:
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    muted: list[bool] = field(default_factory=list)
    caption: str = ""

    def add(self, cells: list[str], muted: bool = False) -> None:
        self.rows.append(cells)
        self.muted.append(muted)


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    tables: list[TableView] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)    # chart keys, drawn by the HTML face


def _ok(v: object) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v)) and v is not pd.NA


def _range(lo: object, hi: object) -> str:
    """The interval as ' [lo, hi]' to two places, or nothing when there is none."""
    return f" [{lo:.2f}, {hi:.2f}]" if _ok(lo) and _ok(hi) else ""


def pct(v: object, digits: int = 1) -> str:
    return f"{100 * float(v):.{digits}f}%" if _ok(v) else "–"


def rate_ci(r: pd.Series, m: str) -> str:
    if not _ok(r[m]):
        return "–"
    lo, hi = r[f"{m}_lo"], r[f"{m}_hi"]
    ci = f" [{100 * lo:.1f}, {100 * hi:.1f}]" if _ok(lo) and _ok(hi) else ""
    return f"{pct(r[m])}{ci}"


def num(v: object, digits: int = 0) -> str:
    if not _ok(v):
        return "–"
    return f"{float(v):,.{digits}f}"


def usd(v: object, unknown: int = 0) -> str:
    if not _ok(v):
        return "unknown"
    s = f"${float(v):,.2f}" if float(v) >= 0.1 else f"${float(v):,.4f}"
    return s + (f" ({unknown} unknown)" if unknown else "")


def rank(v: object) -> str:
    return str(int(v)) if _ok(v) else "–"


def model_order(report: Report) -> list[str]:
    t = report.win_rates_for("model", pooled=False)
    t = t.sort_values(["rank", "wins_or_ties", "model"], ascending=[True, False, True],
                      na_position="last")
    return list(t["model"])


def header_lines(report: Report) -> list[str]:
    m = report.meta
    lines = [
        f"Judges: {m['judges_text']} (--judges {m['judges']}).",
        f"Judgments: {m['judgments_graded']:,} graded; {m['judgments_ungraded']:,} ungraded "
        "(judge failures: excluded from every rate, counted here); "
        f"{m['superseded']:,} votes superseded by a later vote; "
        f"{m['attention_excluded']:,} attention-check judgments excluded.",
        f"Headline: {METRIC_LABELS['wins_or_ties']}: the {m['headline_definition']}. Also "
        "shown: wins only, (wins + ½ ties) / n, and the tie rate.",
        f"Intervals: {int(m['level'] * 100)}%; Wilson where each task has one judgment, "
        f"otherwise resampling whole tasks ({m['bootstrap']:,} replicates, seed {m['seed']})"
        if m["bootstrap"] else
        f"Intervals: {int(m['level'] * 100)}%; Wilson where each task has one judgment, "
        "otherwise normal with a task-clustered variance (bootstrap off)",
        f"Runs: {'all' if m['runs'] == 'all' else ', '.join(m['runs'])}; "
        f"{len(m['models'])} models. Minimum n for a ranked category: {m['min_n']}.",
    ]
    return lines + position_bias_cautions(report)


def position_bias_cautions(report: Report) -> list[str]:
    """A warning for each autograder that contradicts itself across orders on most pairs.

    GDPval's rule turns such a contradiction into a tie, so a judge that always picks the
    first deliverable makes every model "win or tie" every time: the headline would then
    measure the judge, not the deliverables, and the reader must be told.
    """
    out = []
    pb = report.position_bias
    for _, x in pb[pb["judge_kind"] == "auto"].iterrows():
        known, bad = int(x["n_consistency_known"]), int(x["n_inconsistent"])
        if known and bad / known > 0.5:
            out.append(f"Caution: the autograder {x['judge_id']} gave opposite verdicts in "
                       f"the two orders on {bad} of {known} pairs ({pct(bad / known)}). Each "
                       "counts as a tie (GDPval's rule), so its win rates reflect position "
                       "bias more than the deliverables.")
    return out


WR_COLS = ["wins or ties [95% CI]", "wins only", "(wins + ½ ties) / n", "tie rate", "n",
           "tasks", "judges", "ungraded", "interval"]


def _wr_cells(r: pd.Series) -> list[str]:
    return [rate_ci(r, "wins_or_ties"), rate_ci(r, "wins_only"), rate_ci(r, "score"),
            pct(r["tie_rate"]), num(r["n"]), num(r["n_tasks"]), num(r["n_judges"]),
            num(r["n_ungraded"]), str(r["interval"])]


def _name(s: str, muted: bool) -> str:
    return f"{s} †" if muted else s


def model_section(report: Report) -> Section:
    t = report.win_rates_for("model", pooled=False).set_index("model")
    rub = report.rubric[(report.rubric["dimension"] == "model")].set_index("model")
    tv = TableView(["rank", "model", *WR_COLS, "rubric score [95% CI]"])
    for model in model_order(report):
        r = t.loc[model]
        rr = rub.loc[model] if model in rub.index else None
        rubric = "–" if rr is None or not _ok(rr["mean"]) else \
            f"{rr['mean']:.2f}{_range(rr['mean_lo'], rr['mean_hi'])} (n={int(rr['n'])})"
        tv.add([rank(r["rank"]), _name(model, bool(r["low_n"])), *_wr_cells(r), rubric],
               bool(r["low_n"]))
    return Section("models", "Win rate against the expert, by model",
                   "Each model's deliverables judged against the professional's. † = fewer "
                   f"than {report.meta['min_n']} graded judgments: not ranked.", [tv],
                   ["wr_models"])


def breakdown_section(report: Report, dim: str) -> Section:
    t = report.win_rates_for(dim)
    n_models = len(report.win_rates_for("model", pooled=False))
    pooled = t[t["model"] == POOLED].sort_values("category")
    title = f"By {DIM_TITLES[dim]}"
    tables = []
    if dim != "judge_kind":
        tv = TableView([DIM_TITLES[dim], *WR_COLS], caption="all selected models pooled")
        for _, r in pooled.iterrows():
            tv.add([_name(str(r["category"]), bool(r["low_n"])), *_wr_cells(r)], bool(r["low_n"]))
        tables.append(tv)
    per_model = t[t["model"] != POOLED]
    if dim == "judge_kind" or n_models <= MAX_DODGED_MODELS:
        order = {m: k for k, m in enumerate(model_order(report))}
        per_model = per_model.assign(_o=per_model["model"].map(order)).sort_values(
            ["category", "_o"])
        tv = TableView([DIM_TITLES[dim], "rank", "model", *WR_COLS], caption="per model")
        for _, r in per_model.iterrows():
            tv.add([str(r["category"]), rank(r["rank"]), _name(r["model"], bool(r["low_n"])),
                    *_wr_cells(r)], bool(r["low_n"]))
        tables.append(tv)
        intro = ""
    else:
        intro = (f"{n_models} models: the per-model figures by {DIM_TITLES[dim]} are in the "
                 "heat map (HTML) and in the CSV / Parquet / JSON exports.")
    charts = {"sector": ["forest_sector", "by_sector"], "occupation": ["by_occupation"],
              "filetype": ["by_filetype"], "judge_kind": ["by_judge_kind"]}[dim]
    return Section(f"by_{dim}", title, intro, tables, charts)


def ratings_section(report: Report) -> Section:
    r = report.ratings
    m = report.meta
    tv = TableView(["rank", "player", "rating [95% CI]", "rank range", "games", "W / T / L",
                    "note"])
    for _, x in r.iterrows():
        ci = f" [{x['rating_lo']:.0f}, {x['rating_hi']:.0f}]" if _ok(x["rating_lo"]) else ""
        note = "anchor (= 1000)" if x["anchor"] else (
            "won or lost every game: a bound" if x["separated"] else "")
        rr = f"{x['rank_lo']}–{x['rank_hi']}" if _ok(x["rank_lo"]) else "–"
        tv.add([str(x["rank"]), str(x["player"]), f"{x['rating']:.0f}{ci}", rr, num(x["n"]),
                f"{int(x['wins'])} / {int(x['ties'])} / {int(x['losses'])}", note])
    ties = "ties as half wins" if m["ties"] == "half" else \
        f"Davidson ties (nu = {m['ratings_tie_parameter']:.2f})"
    intro = ("Bradley-Terry over every pairwise judgment (model vs expert and model vs model), "
             f"{ties}; Elo-like scale, 400/ln 10 points per logit, expert = 1000; intervals "
             "and rank ranges resample whole tasks (none from a single task).")
    if m["ratings_disconnected"]:
        intro += " Not connected to the expert, so not rated: " + \
            ", ".join(m["ratings_disconnected"]) + "."
    return Section("ratings", "Ratings (Bradley-Terry)", intro, [tv], ["ladder"])


def agreement_section(report: Report) -> Section:
    a = report.agreement
    tv = TableView(["comparison", "judge", "pairs", "agreement E[1-|a-b|]", "kappa",
                    "kappa kind", "Fleiss' kappa", "items"])
    for _, x in a.iterrows():
        tv.add([str(x["comparison"]), str(x["judge"]), num(x["n_pairs"]), pct(x["agreement"]),
                num(x["kappa"], 2), str(x["kappa_kind"]), num(x["fleiss_kappa"], 2),
                num(x["n_items"])])
    pb = report.position_bias.sort_values(["judge_kind", "judge_id"])
    tb = TableView(["kind", "judge", "graded", "position-inconsistent [95% CI]",
                    "prefers side A [95% CI]"],
                   caption="position bias: 50% A-preference means none")
    for _, x in pb.iterrows():
        inc = "–" if not _ok(x["inconsistent_rate"]) else (
            f"{pct(x['inconsistent_rate'])} [{pct(x['inconsistent_lo'])}, "
            f"{pct(x['inconsistent_hi'])}] of {int(x['n_consistency_known'])}")
        pa = "–" if not _ok(x["prefer_a_rate"]) else (
            f"{pct(x['prefer_a_rate'])} [{pct(x['prefer_a_lo'])}, {pct(x['prefer_a_hi'])}] "
            f"of {int(x['n_decisive_sided'])}")
        tb.add([str(x["judge_kind"]), str(x["judge_id"]), num(x["n"]), inc, pa])
    intro = ("Pairs of judgments of the same two submissions by different judges (GDPval: "
             "human-human 70.8%, autograder-human 65.7%). Uses every judge kind on the "
             "selected runs.")
    if not tv.rows:
        intro += " No pair has been judged by two different judges yet."
    return Section("agreement", "Agreement between judges", intro,
                   [tv, tb] if tv.rows else [tb], ["agreement"])


def cost_section(report: Report) -> Section:
    c = report.cost_speed
    order = {m: k for k, m in enumerate(model_order(report))}
    c = c.assign(_o=c["model"].map(order).fillna(len(order))).sort_values(["_o", "model"])
    tv = TableView(["model", "samples", "tokens / task", "USD / task", "min / task", "min / win",
                    "USD / win", "expert min / task", "expert USD / task", "faster ×",
                    "cheaper ×"])
    for _, x in c.iterrows():
        unk = int(x["n_cost_unknown"])
        tv.add([str(x["model"]), num(x["n_samples"]), num(x["tokens_per_task"]),
                usd(x["usd_per_task"], unk), num(x["minutes_per_task"], 1),
                num(x["minutes_per_win"], 1), usd(x["usd_per_win"]),
                num(x["expert_minutes_per_task"], 0), usd(x["expert_usd_per_task"]),
                num(x["speed_ratio"], 1), num(x["cost_ratio"], 1)])
    intro = ("Finished samples (done or failed). Unknown prices stay unknown: USD figures "
             "average the samples with a known cost. Per win = per task / the wins-or-ties "
             "rate. Expert = the task's estimated hours (× hourly wage), over the same "
             "tasks; × = expert / model on those tasks.")
    return Section("cost", "Cost and speed", intro, [tv], [])


def rubric_section(report: Report) -> Section | None:
    r = report.rubric[report.rubric["dimension"] == "model"]
    if r.empty:
        return None
    order = {m: k for k, m in enumerate(model_order(report))}
    r = r.assign(_o=r["model"].map(order).fillna(len(order))).sort_values(["_o", "model"])
    tv = TableView(["model", "mean score [95% CI]", "n", "tasks", "judges", "ungraded"])
    for _, x in r.iterrows():
        ci = f" [{x['mean_lo']:.3f}, {x['mean_hi']:.3f}]" if _ok(x["mean_lo"]) else ""
        tv.add([_name(str(x["model"]), bool(x["low_n"])),
                (f"{x['mean']:.3f}{ci}" if _ok(x["mean"]) else "–"), num(x["n"]),
                num(x["n_tasks"]), num(x["n_judges"]), num(x["n_ungraded"])], bool(x["low_n"]))
    return Section("rubric", "Rubric scores", "Mean rubric score (0-1) per graded submission; "
                   "intervals resample tasks (none with a single task).", [tv], [])


def sections(report: Report) -> list[Section]:
    out = [model_section(report)]
    dims = [d for d in ("judge_kind", *report.meta["breakdowns"])
            if len(report.win_rates_for(d))]
    out += [breakdown_section(report, d) for d in dims]
    out.append(ratings_section(report))
    out.append(agreement_section(report))
    rub = rubric_section(report)
    if rub:
        out.append(rub)
    out.append(cost_section(report))
    return out
