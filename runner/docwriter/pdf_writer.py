"""Write a :class:`~runner.docspec.TextDocumentSpec` as a PDF (reportlab platypus)."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import (
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from runner import docspec
from runner.docwriter import style
from runner.docwriter.markup import cell_text, parse_runs


def _markup(text: str) -> str:
    """reportlab's mini-HTML: escape everything, then bold/italic runs and line breaks."""
    out = []
    for run in parse_runs(text):
        t = escape(run.text).replace("\n", "<br/>")
        if run.bold:
            t = f"<b>{t}</b>"
        if run.italic:
            t = f"<i>{t}</i>"
        out.append(t)
    return "".join(out)


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    accent = colors.HexColor("#" + style.ACCENT)
    text = colors.HexColor("#" + style.TEXT)
    body = ParagraphStyle("Body", parent=base["BodyText"], fontName=style.PDF_FONT,
                          fontSize=style.BODY_PT - 0.5, leading=14.5, textColor=text,
                          spaceAfter=6)
    return {
        "title": ParagraphStyle("T", parent=base["Title"], fontName=style.PDF_BOLD,
                                fontSize=style.TITLE_PT - 4, leading=28, textColor=accent,
                                alignment=0, spaceAfter=6),
        "subtitle": ParagraphStyle("ST", parent=body, fontSize=13, leading=17,
                                   textColor=colors.HexColor("#" + style.MUTED),
                                   spaceAfter=14),
        1: ParagraphStyle("H1", parent=body, fontName=style.PDF_BOLD,
                          fontSize=style.HEADING_PT[1], leading=20, textColor=accent,
                          spaceBefore=12, spaceAfter=6),
        2: ParagraphStyle("H2", parent=body, fontName=style.PDF_BOLD,
                          fontSize=style.HEADING_PT[2], leading=17, textColor=accent,
                          spaceBefore=10, spaceAfter=4),
        3: ParagraphStyle("H3", parent=body, fontName=style.PDF_BOLD,
                          fontSize=style.HEADING_PT[3], leading=15, textColor=accent,
                          spaceBefore=8, spaceAfter=3),
        "body": body,
        "cell": ParagraphStyle("Cell", parent=body, fontSize=9, leading=11.5, spaceAfter=0),
        "cell_num": ParagraphStyle("CellN", parent=body, fontSize=9, leading=11.5,
                                   spaceAfter=0, alignment=TA_RIGHT),
        "cell_head": ParagraphStyle("CellH", parent=body, fontName=style.PDF_BOLD, fontSize=9,
                                    leading=11.5, spaceAfter=0, textColor=colors.white),
        "caption": ParagraphStyle("Cap", parent=body, fontName=style.PDF_ITALIC, fontSize=8.5,
                                  textColor=colors.HexColor("#" + style.MUTED)),
    }


def _list(block, st) -> ListFlowable:
    numbered = isinstance(block, docspec.Numbered)
    items = []
    for item in block.items:
        text, level = docspec.item_text_level(item)
        items.append(ListItem(Paragraph(_markup(text), st["body"]),
                              leftIndent=18 + 14 * min(level, 3)))
    kw = ({"bulletType": "1", "bulletFormat": "%s."} if numbered
          else {"bulletType": "bullet", "start": "\u2022"})
    return ListFlowable(items, leftIndent=18, bulletFontName=style.PDF_FONT, bulletFontSize=10,
                        **kw)


def _table(spec: docspec.TableSpec, st, width: float) -> list:
    ncols = spec.width
    data = []
    if spec.header:
        data.append([Paragraph(_markup(spec.header[j] if j < len(spec.header) else ""),
                               st["cell_head"]) for j in range(ncols)])
    for row in spec.rows:
        cells = []
        for j in range(ncols):
            v = row[j] if j < len(row) else None
            numeric = isinstance(v, int | float) and not isinstance(v, bool)
            cells.append(Paragraph(_markup(cell_text(v)), st["cell_num" if numeric else "cell"]))
        data.append(cells)
    table = Table(data, colWidths=[width / ncols] * ncols, repeatRows=1 if spec.header else 0)
    cmds = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#" + style.GRID)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if spec.header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#" + style.ACCENT)))
    first = 1 if spec.header else 0
    for i in range(len(spec.rows)):
        if i % 2 == 1:
            cmds.append(("BACKGROUND", (0, first + i), (-1, first + i),
                         colors.HexColor("#" + style.ACCENT_LIGHT)))
    table.setStyle(TableStyle(cmds))
    out: list = [table]
    out.append(Paragraph(_markup(spec.caption), st["caption"]) if spec.caption
               else Spacer(1, 8))
    return out


def write_pdf(spec: docspec.TextDocumentSpec, path: Path) -> None:
    st = _styles()
    doc = SimpleDocTemplate(str(path), pagesize=LETTER, leftMargin=inch, rightMargin=inch,
                            topMargin=inch, bottomMargin=inch, title=spec.title or "",
                            author="", subject="", creator="", producer="", keywords="")
    story: list = []
    if spec.title:
        story.append(Paragraph(_markup(spec.title), st["title"]))
    if spec.subtitle:
        story.append(Paragraph(_markup(spec.subtitle), st["subtitle"]))
    for block in spec.blocks:
        if isinstance(block, docspec.Heading):
            story.append(Paragraph(_markup(block.text), st[block.level]))
        elif isinstance(block, docspec.Paragraph):
            for chunk in block.text.split("\n\n"):
                story.append(Paragraph(_markup(chunk.strip("\n")), st["body"]))
        elif isinstance(block, docspec.Bullets | docspec.Numbered):
            story.append(_list(block, st))
        elif isinstance(block, docspec.TableSpec):
            story.extend(_table(block, st, doc.width))
        elif isinstance(block, docspec.PageBreak):
            story.append(PageBreak())
    if not story:
        story.append(Spacer(1, 1))
    doc.build(story)
