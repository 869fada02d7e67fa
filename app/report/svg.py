"""A few SVG primitives for the report's charts, written by hand.

The HTML report must open offline as one file, so charts are inline SVG strings rather
than a JavaScript library fetched at view time. Tooltips are SVG ``<title>`` elements
(the browser shows them on hover; no script needed). Every piece of text is escaped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

#: Okabe-Ito, readable for colour-blind readers; first colour for the first series.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000")
GREY = "#b8b8b8"
INK = "#222222"
FAINT = "#e6e6e6"
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"


def esc(s: object) -> str:
    return escape(str(s), quote=True)


def attrs(**kw: object) -> str:
    return " ".join(f'{k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in kw.items()
                    if v is not None)


def el(tag: str, body: str = "", **kw: object) -> str:
    a = attrs(**kw)
    return f"<{tag} {a}>{body}</{tag}>" if body else f"<{tag} {a}/>"


def title(s: str) -> str:
    return f"<title>{esc(s)}</title>"


def text(x: float, y: float, s: object, **kw: object) -> str:
    return f"<text {attrs(x=f'{x:.1f}', y=f'{y:.1f}', **kw)}>{esc(s)}</text>"


def svg(width: float, height: float, body: str, label: str) -> str:
    """The outer element; ``label`` becomes the accessible name."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{esc(label)}" '
            f'style="{FONT};font-size:12px">{body}</svg>')


def shorten(s: str, n: int = 38) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


@dataclass(frozen=True)
class Scale:
    """A linear map from data (lo..hi) to pixels (a..b)."""

    lo: float
    hi: float
    a: float
    b: float

    def __call__(self, v: float) -> float:
        if self.hi == self.lo:
            return (self.a + self.b) / 2
        return self.a + (v - self.lo) / (self.hi - self.lo) * (self.b - self.a)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering lo..hi."""
    if not math.isfinite(lo) or not math.isfinite(hi) or hi <= lo:
        return [lo]
    raw = (hi - lo) / max(count, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.ceil(lo / step) * step
    ticks, v = [], start
    while v <= hi + 1e-9:
        ticks.append(round(v, 10))
        v += step
    return ticks


def x_axis(sc: Scale, y_top: float, y_bottom: float, ticks: list[float], fmt: str) -> str:
    """Vertical grid lines with labels under the plot."""
    out = []
    for t in ticks:
        x = sc(t)
        out.append(el("line", x1=f"{x:.1f}", x2=f"{x:.1f}", y1=f"{y_top:.1f}",
                      y2=f"{y_bottom:.1f}", stroke=FAINT))
        out.append(text(x, y_bottom + 14, fmt.format(t), text_anchor="middle", fill="#555"))
    return "".join(out)


def pct(v: float, digits: int = 1) -> str:
    return "–" if v is None or not math.isfinite(v) else f"{100 * v:.{digits}f}%"


def mix(color: str, weight: float) -> str:
    """``color`` blended towards white by 1 - weight (0 = white, 1 = the colour)."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    w = max(0.0, min(1.0, weight))
    return "#" + "".join(f"{round(255 - (255 - c) * w):02x}" for c in (r, g, b))
