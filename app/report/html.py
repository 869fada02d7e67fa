"""The report as one self-contained HTML file: inline CSS and SVG, no script, and a
Content-Security-Policy that forbids fetching anything, so it opens offline and cannot
leak a view to a third party."""

from __future__ import annotations

from html import escape

from app.report.build import Report
from app.report.figures import figure
from app.report.views import Section, TableView, header_lines, sections

#: Tables longer than this start folded.
FOLD_ROWS = 60

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#222;margin:0;
  background:#fff;line-height:1.4}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{margin:0 0 4px;font-size:26px}h2{margin-top:36px;border-bottom:1px solid #ddd;
  padding-bottom:4px;font-size:20px}
.sub{color:#666;margin:0 0 12px}
ul.facts{padding-left:18px;margin:8px 0}ul.facts li{margin:2px 0}
nav{margin:12px 0;font-size:14px}nav a{margin-right:12px;color:#0072B2}
table{border-collapse:collapse;font-size:13px;margin:10px 0 18px;width:100%}
th,td{padding:4px 8px;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}
th{background:#f5f5f5;position:sticky;top:0}
td.l,th.l{text-align:left}
tr.low-n td{color:#9a9a9a;font-style:italic}
caption{caption-side:top;text-align:left;color:#666;font-style:italic;padding:4px 0}
.chart{overflow-x:auto;margin:8px 0}
.intro{color:#444;max-width:900px}
details summary{cursor:pointer;color:#0072B2;margin:6px 0}
.wrap{overflow-x:auto}
"""

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")


def _numeric(cells: list[str]) -> bool:
    """A column of figures (right-aligned) rather than names (left-aligned)."""
    filled = [c for c in cells if c and c not in ("–", "unknown")]
    return bool(filled) and all(c[0] in "0123456789$-." for c in filled)


def _table(tv: TableView) -> str:
    left = [not _numeric([r[k] for r in tv.rows]) for k in range(len(tv.columns))]
    cls = [' class="l"' if x else "" for x in left]
    head = "".join(f"<th{c}>{escape(h)}</th>" for h, c in zip(tv.columns, cls, strict=True))
    rows = []
    for row, muted in zip(tv.rows, tv.muted, strict=True):
        tr = ' class="low-n" title="below the minimum n: not ranked"' if muted else ""
        rows.append(f"<tr{tr}>" + "".join(f"<td{c}>{escape(v)}</td>"
                                          for v, c in zip(row, cls, strict=True)) + "</tr>")
    cap = f"<caption>{escape(tv.caption)}</caption>" if tv.caption else ""
    html = (f'<div class="wrap"><table>{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')
    if len(tv.rows) > FOLD_ROWS:
        label = escape(tv.caption or "table")
        html = f"<details><summary>{label} ({len(tv.rows)} rows)</summary>{html}</details>"
    return html


def _section(report: Report, s: Section) -> str:
    parts = [f'<section id="{escape(s.key)}"><h2>{escape(s.title)}</h2>']
    if s.intro:
        parts.append(f'<p class="intro">{escape(s.intro)}</p>')
    for key in s.charts:
        parts += [f'<div class="chart" data-figure="{escape(key)}">{svg}</div>'
                  for svg in figure(report, key) if svg]
    parts += [_table(t) for t in s.tables]
    parts.append("</section>")
    return "".join(parts)


def render_html(report: Report) -> str:
    m = report.meta
    secs = sections(report)
    nav = "".join(f'<a href="#{escape(s.key)}">{escape(s.title)}</a>' for s in secs)
    facts = "".join(f"<li>{escape(line)}</li>" for line in header_lines(report))
    notes = "".join(f"<li>{escape(n)}</li>" for n in m["notes"])
    body = "".join(_section(report, s) for s in secs)
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(m['title'])}</title><style>{CSS}</style></head><body><main>"
        f"<h1>{escape(m['title'])}</h1>"
        f'<p class="sub">{escape(m["created_at"])} · database {escape(m["database"])}</p>'
        f'<ul class="facts">{facts}</ul><nav>{nav}</nav>{body}'
        f'<section id="notes"><h2>Notes</h2><ul>{notes}</ul></section>'
        "</main></body></html>\n"
    )
