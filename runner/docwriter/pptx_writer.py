"""Write a :class:`~runner.docspec.PptxSpec` as a 16:9 PowerPoint deck (python-pptx).

The default template's layouts are laid out for 4:3, so each placeholder is placed
explicitly on the wide slide; titles, bullets and tables share the house palette.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from runner.docspec import PptxSpec, SlideSpec, TableSpec, item_text_level
from runner.docwriter import style
from runner.docwriter.markup import cell_text, parse_runs

WIDTH = Inches(13.333)
HEIGHT = Inches(7.5)
MARGIN = Inches(0.6)
TITLE_TOP = Inches(0.35)
TITLE_H = Inches(1.0)
BODY_TOP = Inches(1.5)

_TITLE_LAYOUT, _CONTENT_LAYOUT, _TITLE_ONLY_LAYOUT = 0, 1, 5


def _colour(hex_colour: str) -> RGBColor:
    return RGBColor(*style.rgb(hex_colour))


def _runs(paragraph, text: str, size: float | None = None, colour: str | None = None,
          bold: bool | None = None) -> None:
    for run in parse_runs(text):
        r = paragraph.add_run()
        r.text = run.text
        r.font.name = style.FONT
        r.font.bold = True if (run.bold or bold) else None
        r.font.italic = run.italic or None
        if size:
            r.font.size = Pt(size)
        if colour:
            r.font.color.rgb = _colour(colour)


def _place(shape, left: int, top: int, width: int, height: int) -> None:
    shape.left, shape.top, shape.width, shape.height = Emu(left), Emu(top), Emu(width), Emu(height)


def _title(slide, text: str) -> None:
    title = slide.shapes.title
    _place(title, MARGIN, TITLE_TOP, WIDTH - 2 * MARGIN, TITLE_H)
    tf = title.text_frame
    tf.clear()
    p = tf.paragraphs[0]
    p.alignment = PP_ALIGN.LEFT
    _runs(p, text, size=30, colour=style.ACCENT, bold=True)


def _bullets(body, items, top: int, height: int) -> None:
    _place(body, MARGIN, top, WIDTH - 2 * MARGIN, height)
    tf = body.text_frame
    tf.clear()
    tf.word_wrap = True
    size = 20 if len(items) <= 6 else 16 if len(items) <= 10 else 13
    for i, item in enumerate(items):
        text, level = item_text_level(item)
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.level = min(level, 4)
        _runs(p, text, size=size - 2 * min(level, 2), colour=style.TEXT)


def _table(slide, spec: TableSpec, top: int) -> None:
    ncols = spec.width
    nrows = len(spec.rows) + (1 if spec.header else 0)
    avail_h = HEIGHT - top - Inches(0.4)
    row_h = max(min(int(avail_h / max(nrows, 1)), Inches(0.45)), Inches(0.25))
    shape = slide.shapes.add_table(nrows, ncols, MARGIN, top, WIDTH - 2 * MARGIN,
                                   row_h * nrows)
    table = shape.table
    size = 16 if nrows <= 6 else 13 if nrows <= 10 else 11 if nrows <= 14 else 9
    r0 = 0
    if spec.header:
        for j in range(ncols):
            cell = table.cell(0, j)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _colour(style.ACCENT)
            tf = cell.text_frame
            tf.clear()
            _runs(tf.paragraphs[0], spec.header[j] if j < len(spec.header) else "",
                  size=size, colour=style.WHITE, bold=True)
        r0 = 1
    for i, row in enumerate(spec.rows):
        for j in range(ncols):
            value = row[j] if j < len(row) else None
            cell = table.cell(r0 + i, j)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _colour(style.ACCENT_LIGHT if i % 2 else style.WHITE)
            tf = cell.text_frame
            tf.clear()
            p = tf.paragraphs[0]
            if isinstance(value, int | float) and not isinstance(value, bool):
                p.alignment = PP_ALIGN.RIGHT
            _runs(p, cell_text(value), size=size, colour=style.TEXT)


def _content_slide(prs, spec: SlideSpec) -> None:
    layout = _CONTENT_LAYOUT if spec.bullets else _TITLE_ONLY_LAYOUT
    slide = prs.slides.add_slide(prs.slide_layouts[layout])
    _title(slide, spec.title)
    body_h = HEIGHT - BODY_TOP - Inches(0.5)
    table_top = BODY_TOP
    if spec.bullets:
        body = slide.placeholders[1]
        if spec.table is not None:
            bullets_h = min(Inches(0.5) * len(spec.bullets) + Inches(0.2), int(body_h * 0.45))
            _bullets(body, spec.bullets, BODY_TOP, bullets_h)
            table_top = BODY_TOP + bullets_h + Inches(0.2)
        else:
            _bullets(body, spec.bullets, BODY_TOP, body_h)
    if spec.table is not None:
        _table(slide, spec.table, table_top)
    if spec.notes:
        slide.notes_slide.notes_text_frame.text = spec.notes


def _title_slide(prs, title: str, subtitle: str | None) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[_TITLE_LAYOUT])
    t = slide.shapes.title
    _place(t, MARGIN, Inches(2.4), WIDTH - 2 * MARGIN, Inches(1.5))
    t.text_frame.clear()
    _runs(t.text_frame.paragraphs[0], title, size=40, colour=style.ACCENT, bold=True)
    sub = slide.placeholders[1]
    if subtitle:
        _place(sub, MARGIN, Inches(4.0), WIDTH - 2 * MARGIN, Inches(1.0))
        sub.text_frame.clear()
        _runs(sub.text_frame.paragraphs[0], subtitle, size=20, colour=style.MUTED)
    else:
        sub._element.getparent().remove(sub._element)


def write_pptx(spec: PptxSpec, path: Path) -> None:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    if spec.title:
        _title_slide(prs, spec.title, spec.subtitle)
    for slide in spec.slides:
        _content_slide(prs, slide)
    cp = prs.core_properties
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    cp.author = ""
    cp.last_modified_by = ""
    cp.title = spec.title or ""
    cp.comments = ""
    cp.keywords = ""
    cp.subject = ""
    cp.revision = 1
    cp.created = now
    cp.modified = now
    prs.save(str(path))
