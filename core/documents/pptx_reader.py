"""PowerPoint decks slide by slide: title, body text, tables, charts, speaker notes.

Shapes are read top-to-bottom, left-to-right (their position, not their z-order, is what
a reader follows); groups are read through; pictures and charts leave a mark so a judge
knows a visual is there.
"""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from core.documents.reader_base import Chunks, Stats, fmt_value, one_line, table_rows
from core.documents.safety import Deadline


def read_pptx(path: Path, stats: Stats, deadline: Deadline) -> Chunks:
    prs = Presentation(str(path))
    slides = list(prs.slides)
    stats.slide_count = len(slides)
    for n, slide in enumerate(slides, start=1):
        deadline.check()
        where = f"slide {n} of {len(slides)}"
        title_shape = slide.shapes.title
        title = one_line(title_shape.text_frame.text) if title_shape is not None else ""
        stats.slide_titles.append(title)
        stats.words(title)
        lines = [f"## Slide {n}" + (f": {title}" if title else "")]
        title_id = title_shape.shape_id if title_shape is not None else None
        for shape in _ordered(slide.shapes):
            if shape.shape_id == title_id:
                continue
            lines.extend(_shape_lines(shape, stats))
        notes = _notes(slide)
        if notes:
            stats.words(notes)
            lines.append("Notes: " + notes)
        yield "\n".join(lines) + "\n\n", where


def _ordered(shapes):
    return sorted(shapes, key=lambda s: (s.top or 0, s.left or 0))


def _shape_lines(shape, stats: Stats) -> list[str]:
    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        out = []
        for inner in _ordered(shape.shapes):
            out.extend(_shape_lines(inner, stats))
        return out
    if getattr(shape, "has_table", False) and shape.has_table:
        rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
        stats.table_count += 1
        stats.words(" ".join(" ".join(r) for r in rows))
        return [table_rows(rows).rstrip("\n")]
    if getattr(shape, "has_chart", False) and shape.has_chart:
        return [_chart_line(shape.chart, stats)]
    if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
        return ["[image]"]
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        out = []
        for para in shape.text_frame.paragraphs:
            text = one_line(_para_text(para))
            if text:
                stats.words(text)
                out.append("  " * (para.level or 0) + text)
        return out
    return []


def _chart_line(chart, stats: Stats, max_points: int = 50) -> str:
    """``[chart: Title | Sales: Q1=1, Q2=2]``: the title and the plotted numbers, which a
    judge cannot see in a chart image's absence."""
    title = ""
    try:
        if chart.has_title and chart.chart_title.has_text_frame:
            title = one_line(chart.chart_title.text_frame.text)
    except (AttributeError, KeyError, ValueError):
        pass
    stats.words(title)
    parts = [title] if title else []
    try:
        for plot in chart.plots:
            categories = [str(c) for c in plot.categories]
            for series in plot.series:
                values = list(series.values)[:max_points]
                points = ", ".join(
                    f"{categories[i] if i < len(categories) else i + 1}={fmt_value(v)}"
                    for i, v in enumerate(values))
                parts.append(f"{series.name}: {points}" if series.name else points)
    except (AttributeError, KeyError, ValueError, IndexError, TypeError):
        pass
    return "[chart" + (": " + " | ".join(parts) if parts else "") + "]"


def _para_text(para) -> str:
    try:
        return para.text
    except (AttributeError, ValueError):
        return "".join(run.text for run in para.runs)


def _notes(slide) -> str:
    if not slide.has_notes_slide:
        return ""
    frame = slide.notes_slide.notes_text_frame
    return one_line(frame.text) if frame is not None else ""
