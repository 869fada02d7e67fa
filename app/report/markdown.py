"""The report as Markdown, for pasting into a pull request or an issue."""

from __future__ import annotations

from app.report.build import Report
from app.report.views import Section, TableView, header_lines, sections


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def table_md(tv: TableView) -> str:
    lines = []
    if tv.caption:
        lines.append(f"*{tv.caption}*\n")
    lines.append("| " + " | ".join(_cell(c) for c in tv.columns) + " |")
    lines.append("|" + "|".join("---" for _ in tv.columns) + "|")
    for row, muted in zip(tv.rows, tv.muted, strict=True):
        cells = [_cell(c) for c in row]
        if muted:
            cells = [f"_{c}_" if c and c != "–" else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def section_md(s: Section) -> str:
    parts = [f"## {s.title}"]
    if s.intro:
        parts.append(s.intro)
    parts += [table_md(t) for t in s.tables]
    return "\n\n".join(parts)


def render_markdown(report: Report) -> str:
    m = report.meta
    head = [f"# {m['title']}", f"_{m['created_at']} · database {m['database']}_",
            "\n".join(f"- {line}" for line in header_lines(report))]
    body = [section_md(s) for s in sections(report)]
    notes = "## Notes\n\n" + "\n".join(f"- {n}" for n in m["notes"])
    return "\n\n".join(head + body + [notes]) + "\n"
