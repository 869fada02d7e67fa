"""PDFs in the house style with reportlab: a letterhead band, paragraph styles, shaded
tables, page footers and invariant output (fixed dates and document id)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from . import style as S


def col(hex6: str) -> colors.Color:
    return colors.HexColor("#" + hex6)


_BASE = dict(fontName=S.PDF_FONT, fontSize=10, leading=13.5, textColor=col("262626"))
STYLES = {
    "title": ParagraphStyle("title", **{**_BASE, "fontName": S.PDF_FONT_BOLD, "fontSize": 20,
                                         "leading": 24, "textColor": col(S.PRIMARY),
                                         "spaceAfter": 4}),
    "subtitle": ParagraphStyle("subtitle", **{**_BASE, "fontSize": 11, "leading": 14,
                                               "textColor": col(S.GREY), "spaceAfter": 10}),
    "h1": ParagraphStyle("h1", **{**_BASE, "fontName": S.PDF_FONT_BOLD, "fontSize": 13,
                                   "leading": 16, "textColor": col(S.PRIMARY), "spaceBefore": 10,
                                   "spaceAfter": 4, "keepWithNext": 1}),
    "h2": ParagraphStyle("h2", **{**_BASE, "fontName": S.PDF_FONT_BOLD, "fontSize": 11,
                                   "leading": 14, "textColor": col(S.ACCENT), "spaceBefore": 6,
                                   "spaceAfter": 3, "keepWithNext": 1}),
    "body": ParagraphStyle("body", **{**_BASE, "spaceAfter": 6}),
    "li": ParagraphStyle("li", **{**_BASE, "spaceAfter": 1.5}),
    "small": ParagraphStyle("small", **{**_BASE, "fontSize": 8.5, "leading": 11,
                                         "textColor": col(S.GREY)}),
    "cell": ParagraphStyle("cell", **{**_BASE, "fontSize": 9, "leading": 11.5}),
    "cell_r": ParagraphStyle("cell_r", **{**_BASE, "fontSize": 9, "leading": 11.5,
                                           "alignment": TA_RIGHT}),
    "cell_c": ParagraphStyle("cell_c", **{**_BASE, "fontSize": 9, "leading": 11.5,
                                           "alignment": TA_CENTER}),
    "head": ParagraphStyle("head", **{**_BASE, "fontName": S.PDF_FONT_BOLD, "fontSize": 9,
                                       "leading": 11.5, "textColor": colors.white}),
    "callout": ParagraphStyle("callout", **{**_BASE, "fontSize": 10.5, "leading": 14,
                                             "textColor": col(S.PRIMARY), "alignment": TA_LEFT}),
}


_SIZED: dict[tuple[str, float], ParagraphStyle] = {}


def style(name: str, size: float | None = None) -> ParagraphStyle:
    """A house style, optionally at another font size (large-print handouts)."""
    if size is None:
        return STYLES[name]
    key = (name, size)
    if key not in _SIZED:
        base = STYLES[name]
        _SIZED[key] = ParagraphStyle(f"{name}@{size}", parent=base, fontSize=size,
                                     leading=round(size * 1.3, 1))
    return _SIZED[key]


def P(text: str, name: str = "body", size: float | None = None) -> Paragraph:
    return Paragraph(text, style(name, size))


def bullets(items: Sequence[str], name: str = "li", size: float | None = None) -> ListFlowable:
    return ListFlowable([ListItem(P(t, name, size), leftIndent=12) for t in items],
                        bulletType="bullet", start="\u2022", leftIndent=12, bulletFontSize=8,
                        spaceAfter=6)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float], *,
          align: str | None = None, total: bool = False, zebra: bool = True,
          head_fill: str = S.PRIMARY, size: float | None = None) -> Table:
    """A table with wrapped cells; ``widths`` in inches, ``align`` one letter per column."""
    align = align or "l" * len(headers)
    cell_style = {"l": "cell", "r": "cell_r", "c": "cell_c"}
    data = [[P(str(h), "head", size) for h in headers]]
    for i, row in enumerate(rows):
        bold = total and i == len(rows) - 1
        data.append([P(f"<b>{v}</b>" if bold else str(v), cell_style[align[j]], size)
                     for j, v in enumerate(row)])
    t = Table(data, colWidths=[w * inch for w in widths], repeatRows=1, hAlign="LEFT")
    cmds = [
        ("BACKGROUND", (0, 0), (-1, 0), col(head_fill)),
        ("GRID", (0, 0), (-1, -1), 0.5, col(S.RULE)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if zebra:
        for r in range(2, len(data), 2):
            cmds.append(("BACKGROUND", (0, r), (-1, r), col(S.ZEBRA)))
    if total:
        cmds.append(("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), col(S.LIGHT)))
    t.setStyle(TableStyle(cmds))
    t.spaceAfter = 6
    return t


def callout(text: str, width: float = 6.5, size: float | None = None) -> Table:
    """A shaded box for the one thing the reader must not miss."""
    t = Table([[P(text, "callout", size)]], colWidths=[width * inch], hAlign="LEFT")
    t.spaceAfter = 6
    t.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), col(S.LIGHT)),
        ("LINEBEFORE", (0, 0), (0, -1), 3, col(S.ACCENT)),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
    ]))
    return t


def keep(*flowables) -> KeepTogether:
    return KeepTogether(list(flowables))


def gap(h: float = 0.12) -> Spacer:
    return Spacer(1, h * inch)


def build(path: Path, story: list, *, title: str, subject: str = "", org: str = "",
          org_lines: Sequence[str] = (), footer: str = "", page_numbers: bool = True,
          margins: float = 0.75, pagesize=letter,
          extra: Callable | None = None) -> Path:
    """Write ``story`` to ``path`` with a letterhead band on page 1 and a footer on every page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    top = margins + (0.75 if org else 0)

    def first(canvas, doc):
        _band(canvas, doc, org, org_lines)
        _foot(canvas, doc, footer, page_numbers)
        if extra:
            extra(canvas, doc)

    def later(canvas, doc):
        _foot(canvas, doc, footer, page_numbers)

    doc = SimpleDocTemplate(str(path), pagesize=pagesize, leftMargin=margins * inch,
                            rightMargin=margins * inch, topMargin=top * inch,
                            bottomMargin=(margins + 0.2) * inch, title=title, author=S.AUTHOR,
                            subject=subject, creator=S.AUTHOR, producer=S.AUTHOR,
                            invariant=1)
    doc.build(story, onFirstPage=first, onLaterPages=later)
    return path


def _band(canvas, doc, org: str, lines: Sequence[str]) -> None:
    if not org:
        return
    w, h = doc.pagesize
    canvas.saveState()
    canvas.setFillColor(col(S.PRIMARY))
    canvas.rect(0, h - 0.95 * inch, w, 0.95 * inch, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(S.PDF_FONT_BOLD, 16)
    canvas.drawString(doc.leftMargin, h - 0.5 * inch, org)
    canvas.setFont(S.PDF_FONT, 8.5)
    canvas.drawString(doc.leftMargin, h - 0.72 * inch, "  |  ".join(lines))
    canvas.restoreState()


def _foot(canvas, doc, footer: str, numbers: bool) -> None:
    w, _ = doc.pagesize
    canvas.saveState()
    canvas.setStrokeColor(col(S.RULE))
    canvas.setLineWidth(0.5)
    y = 0.6 * inch
    canvas.line(doc.leftMargin, y + 10, w - doc.rightMargin, y + 10)
    canvas.setFont(S.PDF_FONT, 8)
    canvas.setFillColor(col(S.GREY))
    if footer:
        canvas.drawString(doc.leftMargin, y, footer)
    if numbers:
        canvas.drawRightString(w - doc.rightMargin, y, f"Page {doc.page}")
    canvas.restoreState()
