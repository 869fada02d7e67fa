"""The report's charts as self-contained SVG strings (embed them in HTML or Streamlit).

- :func:`interval_chart`: win rate with intervals, one row per label (model, occupation,
  ...), optionally several dodged series (models, judge kinds);
- :func:`forest_plot`: a single series by category with marker area by n and the pooled
  estimate as a diamond;
- :func:`heatmap`: model x category, for when there are too many models to dodge;
- :func:`rating_ladder`: Bradley-Terry ratings with intervals, expert highlighted;
- :func:`agreement_matrix`: judge x judge agreement E[1-|a-b|].

Low-n rows are drawn grey and labelled as such; every mark has a tooltip with n, number
of tasks and number of judges.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from app.report.svg import (
    FAINT,
    GREY,
    INK,
    PALETTE,
    Scale,
    el,
    esc,
    mix,
    nice_ticks,
    pct,
    shorten,
    svg,
    text,
    title,
    x_axis,
)
from core.stats.proportions import METRIC_LABELS

LEFT = 250
RIGHT = 120


def natural_key(s: str) -> list[object]:
    """Sort "rev-2" before "rev-10"."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", s)]


def _tip(r: pd.Series, metric: str, who: str) -> str:
    return (f"{who}: {METRIC_LABELS.get(metric, metric)} {pct(r[metric])} "
            f"[{pct(r[f'{metric}_lo'])}, {pct(r[f'{metric}_hi'])}] · n={int(r['n'])}, "
            f"tasks={int(r['n_tasks'])}, judges={int(r['n_judges'])}"
            + (" · below minimum n, not ranked" if bool(r.get("low_n")) else ""))


LEGEND_ROW = 18


def _legend_rows(series: list[str], x0: float, width: float) -> list[list[tuple[str, float]]]:
    """Legend entries laid out left to right, wrapping at ``width``."""
    rows: list[list[tuple[str, float]]] = [[]]
    x = x0
    for s in series:
        w = 18 + 7 * min(len(s), 30)
        if rows[-1] and x + w > width - 8:
            rows.append([])
            x = x0
        rows[-1].append((s, x))
        x += w
    return rows


def _legend(rows: list[list[tuple[str, float]]], colors: dict[str, str], y0: float) -> str:
    out = []
    for k, row in enumerate(rows):
        y = y0 + k * LEGEND_ROW
        for s, x in row:
            out.append(el("circle", cx=f"{x:.1f}", cy=f"{y - 4:.1f}", r="5", fill=colors[s]))
            out.append(text(x + 9, y, shorten(s, 30), fill=INK))
    return "".join(out)


def _caption(s: str, width: float, y: float) -> str:
    """A caption under the plot, starting at the left edge so long ones fit."""
    return text(8, y, shorten(s, int(width / 6.4)), fill="#555")


def interval_chart(rows: pd.DataFrame, *, label_col: str = "model", series_col: str | None = None,
                   metric: str = "wins_or_ties", heading: str = "", ref: float | None = 0.5,
                   width: int = 820) -> str:
    """Dot-and-whisker chart of ``metric`` with its interval, rows in the given order."""
    if rows.empty:
        return ""
    labels = list(dict.fromkeys(rows[label_col]))
    series = list(dict.fromkeys(rows[series_col])) if series_col else [None]
    colors = {s: PALETTE[k % len(PALETTE)] for k, s in enumerate(series)}
    band = max(22, 6 + 12 * len(series))
    legend = _legend_rows([str(x) for x in series], LEFT, width) if series_col else []
    top = 16 + LEGEND_ROW * len(legend) if series_col else 12
    plot_h = band * len(labels)
    height = top + plot_h + 34
    sc = Scale(0.0, 1.0, LEFT, width - RIGHT)
    body = [x_axis(sc, top, top + plot_h, [0, 0.25, 0.5, 0.75, 1.0], "{:.0%}")]
    if ref is not None:
        body.append(el("line", x1=f"{sc(ref):.1f}", x2=f"{sc(ref):.1f}", y1=str(top),
                       y2=f"{top + plot_h:.1f}", stroke="#888", stroke_dasharray="4 3"))
    if series_col:
        body.append(_legend(legend, {str(k): v for k, v in colors.items()}, 16))
    for li, lab in enumerate(labels):
        y0 = top + li * band
        if li % 2:
            body.append(el("rect", x="0", y=f"{y0:.1f}", width=str(width), height=str(band),
                           fill="#fafafa"))
        sub = rows[rows[label_col] == lab]
        grey_label = bool(sub["low_n"].all())
        body.append(text(LEFT - 8, y0 + band / 2 + 4, shorten(str(lab)), text_anchor="end",
                         fill=GREY if grey_label else INK,
                         font_style="italic" if grey_label else None)
                    .replace("</text>", f"{title(str(lab))}</text>"))
        for si, s in enumerate(series):
            pick = sub if s is None else sub[sub[series_col] == s]
            if pick.empty:
                continue
            r = pick.iloc[0]
            y = y0 + (band / 2 if s is None else 9 + si * 12)
            v, lo, hi = r[metric], r[f"{metric}_lo"], r[f"{metric}_hi"]
            color = GREY if bool(r["low_n"]) else colors[s]
            tip = title(_tip(r, metric, f"{r[label_col]}" + (f" · {s}" if s else "")))
            g = []
            if math.isfinite(lo) and math.isfinite(hi):
                g.append(el("line", x1=f"{sc(lo):.1f}", x2=f"{sc(hi):.1f}", y1=f"{y:.1f}",
                            y2=f"{y:.1f}", stroke=color, stroke_width="2"))
            if math.isfinite(v):
                g.append(el("circle", cx=f"{sc(v):.1f}", cy=f"{y:.1f}", r="4.5", fill=color))
            body.append(f"<g>{tip}{''.join(g)}</g>")
            if s is None:
                note = f"{pct(v)}  n={int(r['n'])}" + (" (low n)" if bool(r["low_n"]) else "")
                body.append(text(width - RIGHT + 8, y + 4, note, fill=GREY if r["low_n"] else INK))
    body.append(_caption(heading or METRIC_LABELS.get(metric, metric), width, height - 4))
    return svg(width, height, "".join(body), heading or f"{metric} by {label_col}")


def forest_plot(rows: pd.DataFrame, overall: pd.Series | None = None, *,
                label_col: str = "category", metric: str = "wins_or_ties", heading: str = "",
                ref: float | None = 0.5, width: int = 820) -> str:
    """Forest plot: one square per category (area by n), whiskers for the interval, and
    the pooled estimate as a diamond with a dashed line through it."""
    if rows.empty:
        return ""
    band = 24
    top = 12
    n_rows = len(rows) + (1 if overall is not None else 0)
    plot_h = band * n_rows
    height = top + plot_h + 34
    sc = Scale(0.0, 1.0, LEFT, width - RIGHT)
    body = [x_axis(sc, top, top + plot_h, [0, 0.25, 0.5, 0.75, 1.0], "{:.0%}")]
    if ref is not None:
        body.append(el("line", x1=f"{sc(ref):.1f}", x2=f"{sc(ref):.1f}", y1=str(top),
                       y2=f"{top + plot_h:.1f}", stroke="#888", stroke_dasharray="4 3"))
    if overall is not None and math.isfinite(overall[metric]):
        x = sc(overall[metric])
        body.append(el("line", x1=f"{x:.1f}", x2=f"{x:.1f}", y1=str(top),
                       y2=f"{top + plot_h:.1f}", stroke=PALETTE[3], stroke_dasharray="2 3"))
    n_max = max(float(rows["n"].max()), 1.0)
    for k, (_, r) in enumerate(rows.iterrows()):
        y = top + k * band + band / 2
        low = bool(r["low_n"])
        color = GREY if low else PALETTE[0]
        body.append(text(LEFT - 8, y + 4, shorten(str(r[label_col])), text_anchor="end",
                         fill=GREY if low else INK, font_style="italic" if low else None))
        v, lo, hi = r[metric], r[f"{metric}_lo"], r[f"{metric}_hi"]
        g = [title(_tip(r, metric, str(r[label_col])))]
        if math.isfinite(lo) and math.isfinite(hi):
            g.append(el("line", x1=f"{sc(lo):.1f}", x2=f"{sc(hi):.1f}", y1=f"{y:.1f}",
                        y2=f"{y:.1f}", stroke=color, stroke_width="1.5"))
        if math.isfinite(v):
            s = 4 + 8 * math.sqrt(float(r["n"]) / n_max)
            g.append(el("rect", x=f"{sc(v) - s / 2:.1f}", y=f"{y - s / 2:.1f}", width=f"{s:.1f}",
                        height=f"{s:.1f}", fill=color))
        body.append(f"<g>{''.join(g)}</g>")
        body.append(text(width - RIGHT + 8, y + 4, f"{pct(v)}  n={int(r['n'])}",
                         fill=GREY if low else INK))
    if overall is not None:
        y = top + len(rows) * band + band / 2
        v, lo, hi = overall[metric], overall[f"{metric}_lo"], overall[f"{metric}_hi"]
        body.append(text(LEFT - 8, y + 4, "pooled", text_anchor="end", fill=INK,
                         font_weight="bold"))
        if all(math.isfinite(t) for t in (v, lo, hi)):
            pts = f"{sc(lo):.1f},{y:.1f} {sc(v):.1f},{y - 7:.1f} {sc(hi):.1f},{y:.1f} " \
                  f"{sc(v):.1f},{y + 7:.1f}"
            body.append(f"<g>{title(_tip(overall, metric, 'pooled'))}"
                        f"{el('polygon', points=pts, fill=PALETTE[3])}</g>")
        body.append(text(width - RIGHT + 8, y + 4, f"{pct(v)}  n={int(overall['n'])}", fill=INK))
    body.append(_caption(heading or METRIC_LABELS.get(metric, metric), width, height - 4))
    return svg(width, height, "".join(body), heading or f"forest plot of {metric}")


def heatmap(rows: pd.DataFrame, *, row_col: str = "model", col_col: str = "category",
            metric: str = "wins_or_ties", heading: str = "", row_order: list[str] | None = None,
            cell: int = 16) -> str:
    """Model x category grid coloured by ``metric`` (blue above ½, orange below, grey when
    below the minimum n)."""
    if rows.empty:
        return ""
    rlabels = row_order or list(dict.fromkeys(rows[row_col]))
    clabels = sorted(dict.fromkeys(rows[col_col]))
    top = 130
    left = LEFT
    width = max(left + cell * len(clabels) + 80, 820)
    height = top + cell * len(rlabels) + 28
    body = []
    for ci, c in enumerate(clabels):
        x = left + ci * cell + cell / 2
        body.append(f'<text x="{x:.1f}" y="{top - 6}" transform="rotate(-60 {x:.1f} {top - 6})" '
                    f'fill="{INK}">{esc(shorten(str(c), 24))}{title(str(c))}</text>')
    index = {(r[row_col], r[col_col]): r for _, r in rows.iterrows()}
    for ri, rl in enumerate(rlabels):
        y = top + ri * cell
        body.append(text(left - 6, y + cell - 4, shorten(str(rl)), text_anchor="end", fill=INK))
        for ci, c in enumerate(clabels):
            r = index.get((rl, c))
            x = left + ci * cell
            if r is None or not math.isfinite(r[metric]):
                fill = "#ffffff"
                tip = f"{rl} · {c}: no judgments"
            else:
                v = float(r[metric])
                fill = GREY if r["low_n"] else (mix(PALETTE[0], (v - 0.5) * 2) if v >= 0.5
                                                else mix(PALETTE[1], (0.5 - v) * 2))
                tip = _tip(r, metric, f"{rl} · {c}")
            body.append(f"<g>{title(tip)}" + el("rect", x=str(x), y=str(y), width=str(cell - 1),
                                                height=str(cell - 1), fill=fill, stroke=FAINT)
                        + "</g>")
    body.append(_caption(heading or f"{METRIC_LABELS.get(metric, metric)}: orange below 50%, "
                         "blue above, grey below the minimum n", width, height - 6))
    return svg(width, height, "".join(body), heading or f"{metric} heat map")


def rating_ladder(ratings: pd.DataFrame, *, heading: str = "", width: int = 820) -> str:
    """Bradley-Terry ratings (Elo-like scale, expert = 1000) with intervals, best first."""
    if ratings.empty:
        return ""
    band = 22
    top = 12
    plot_h = band * len(ratings)
    height = top + plot_h + 34
    lows = ratings["rating_lo"].where(ratings["rating_lo"].notna(), ratings["rating"])
    highs = ratings["rating_hi"].where(ratings["rating_hi"].notna(), ratings["rating"])
    lo, hi = float(min(lows.min(), 1000)), float(max(highs.max(), 1000))
    pad = max(20.0, 0.05 * (hi - lo))
    sc = Scale(lo - pad, hi + pad, LEFT, width - RIGHT)
    body = [x_axis(sc, top, top + plot_h, nice_ticks(lo - pad, hi + pad, 6), "{:.0f}")]
    body.append(el("line", x1=f"{sc(1000):.1f}", x2=f"{sc(1000):.1f}", y1=str(top),
                   y2=f"{top + plot_h:.1f}", stroke=PALETTE[3], stroke_dasharray="4 3"))
    for k, (_, r) in enumerate(ratings.iterrows()):
        y = top + k * band + band / 2
        is_anchor = bool(r["anchor"])
        color = PALETTE[3] if is_anchor else PALETTE[0]
        name = f"#{r['rank']} {r['player']}" + (" (anchor)" if is_anchor else "")
        body.append(text(LEFT - 8, y + 4, shorten(name, 40), text_anchor="end", fill=INK,
                         font_weight="bold" if is_anchor else None))
        rng = ""
        if pd.notna(r["rating_lo"]) and pd.notna(r["rating_hi"]):
            rng = f" [{r['rating_lo']:.0f}, {r['rating_hi']:.0f}]"
        rank_rng = f", rank {r['rank_lo']}–{r['rank_hi']}" if pd.notna(r["rank_lo"]) else ""
        tip = (f"{r['player']}: {r['rating']:.0f}{rng}{rank_rng} · games={int(r['n'])} "
               f"(W {int(r['wins'])} / T {int(r['ties'])} / L {int(r['losses'])})"
               + (" · won or lost every game: the rating is a bound" if r["separated"] else ""))
        g = [title(tip)]
        if rng:
            g.append(el("line", x1=f"{sc(r['rating_lo']):.1f}", x2=f"{sc(r['rating_hi']):.1f}",
                        y1=f"{y:.1f}", y2=f"{y:.1f}", stroke=color, stroke_width="2"))
        g.append(el("circle", cx=f"{sc(r['rating']):.1f}", cy=f"{y:.1f}", r="4.5", fill=color))
        body.append(f"<g>{''.join(g)}</g>")
        body.append(text(width - RIGHT + 8, y + 4, f"{r['rating']:.0f}", fill=INK))
    body.append(_caption(heading or "Bradley-Terry rating (expert = 1000; +191 ≈ 3 wins in 4)",
                         width, height - 4))
    return svg(width, height, "".join(body), heading or "rating ladder")


def agreement_matrix(pairs: pd.DataFrame, *, max_judges: int = 30, min_n: int = 10,
                     heading: str = "") -> str:
    """Judge x judge E[1-|a-b|] on shared pairs (from ``Report.agreement_pairs``), for the
    ``max_judges`` judges with the most shared judgments; cells with fewer than ``min_n``
    shared pairs are grey."""
    if pairs.empty:
        return ""
    a = pairs.assign(ja=pairs["kind_a"] + ":" + pairs["judge_a"],
                     jb=pairs["kind_b"] + ":" + pairs["judge_b"])
    weight = pd.concat([a.groupby("ja")["n_pairs"].sum(), a.groupby("jb")["n_pairs"].sum()])
    judges = list(weight.groupby(level=0).sum().sort_values(ascending=False).index[:max_judges])
    judges.sort(key=lambda j: (not j.startswith("auto:"), natural_key(j)))
    cell = 26 if len(judges) <= 16 else 18
    left, top = 190, 150
    width = max(left + cell * len(judges) + 110, 700)
    height = top + cell * len(judges) + 30
    pos = {j: k for k, j in enumerate(judges)}
    body = []
    for j, k in pos.items():
        x = left + k * cell + cell / 2
        body.append(f'<text x="{x:.1f}" y="{top - 6}" transform="rotate(-60 {x:.1f} {top - 6})" '
                    f'fill="{INK}">{esc(shorten(j, 24))}</text>')
        body.append(text(left - 6, top + k * cell + cell / 2 + 4, shorten(j, 26),
                         text_anchor="end", fill=INK))
        body.append(el("rect", x=str(left + k * cell), y=str(top + k * cell),
                       width=str(cell - 1), height=str(cell - 1), fill="#f2f2f2"))
    for _, r in a.iterrows():
        if r["ja"] not in pos or r["jb"] not in pos:
            continue
        v = float(r["agreement"])
        for p, q in ((r["ja"], r["jb"]), (r["jb"], r["ja"])):
            x, y = left + pos[q] * cell, top + pos[p] * cell
            tip = (f"{r['ja']} vs {r['jb']}: agreement {pct(v)}, Cohen's kappa "
                   f"{r['kappa']:.2f}, pairs={int(r['n_pairs'])}")
            few = int(r["n_pairs"]) < min_n
            inner = el("rect", x=str(x), y=str(y), width=str(cell - 1), height=str(cell - 1),
                       fill=GREY if few else mix(PALETTE[2], max(0.0, (v - 0.3) / 0.7)))
            if few:
                tip += f" (fewer than {min_n}: not shown)"
            elif cell >= 26:
                inner += text(x + cell / 2, y + cell / 2 + 4, f"{100 * v:.0f}",
                              text_anchor="middle", font_size="10",
                              fill="#fff" if v > 0.75 else INK)
            body.append(f"<g>{title(tip)}{inner}</g>")
    body.append(_caption(heading or "agreement E[1-|a-b|] on shared pairs (darker = closer; "
                         f"grey: under {min_n} pairs); hover for kappa and n", width, height - 8))
    return svg(width, height, "".join(body), heading or "agreement matrix")
