"""Write a :class:`~runner.docspec.TextDocumentSpec` as a Word document (python-docx)."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from runner.docspec import (
    Bullets,
    Heading,
    Numbered,
    PageBreak,
    Paragraph,
    TableSpec,
    TextDocumentSpec,
    item_text_level,
)
from runner.docwriter import style
from runner.docwriter.markup import cell_text, parse_runs


def _add_runs(paragraph, text: str) -> None:
    for run in parse_runs(text):
        r = paragraph.add_run(run.text)
        r.bold = run.bold or None
        r.italic = run.italic or None


def _shade(cell, hex_fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_fill)
    tc_pr.append(shd)


def _house_style(doc: DocxDocument) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = style.FONT
    normal.font.size = Pt(style.BODY_PT)
    normal.font.color.rgb = RGBColor(*style.rgb(style.TEXT))
    normal.paragraph_format.space_after = Pt(6)
    title = styles["Title"]
    title.font.name = style.HEADING_FONT
    title.font.size = Pt(style.TITLE_PT)
    title.font.color.rgb = RGBColor(*style.rgb(style.ACCENT))
    for level, size in style.HEADING_PT.items():
        h = styles[f"Heading {level}"]
        h.font.name = style.HEADING_FONT
        h.font.size = Pt(size)
        h.font.bold = True
        h.font.color.rgb = RGBColor(*style.rgb(style.ACCENT))
        h.paragraph_format.space_before = Pt(14 if level == 1 else 10)
        h.paragraph_format.space_after = Pt(4)


def _neutral_properties(doc: DocxDocument, title: str | None) -> None:
    """No authorship: nothing in the file should identify the model or the tool."""
    cp = doc.core_properties
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    cp.author = ""
    cp.last_modified_by = ""
    cp.comments = ""
    cp.keywords = ""
    cp.subject = ""
    cp.category = ""
    cp.title = title or ""
    cp.revision = 1
    cp.created = now
    cp.modified = now


class _Numbering:
    """Numbered lists that restart at 1: python-docx's "List Number" style otherwise
    continues one count through the whole document."""

    def __init__(self, doc: DocxDocument) -> None:
        self.doc = doc
        self.count = 0

    def new_num_id(self) -> int | None:
        self.count += 1
        style_el = self.doc.styles["List Number"].element
        num_pr = style_el.find(qn("w:pPr") + "/" + qn("w:numPr"))
        if num_pr is None:
            return None
        base_num_id = int(num_pr.find(qn("w:numId")).get(qn("w:val")))
        if self.count == 1:
            return base_num_id
        numbering = self.doc.part.numbering_part.element
        base = next(n for n in numbering.findall(qn("w:num"))
                    if int(n.get(qn("w:numId"))) == base_num_id)
        new = copy.deepcopy(base)
        new_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
        new.set(qn("w:numId"), str(new_id))
        for old in new.findall(qn("w:lvlOverride")):
            new.remove(old)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        new.append(override)
        numbering.append(new)
        return new_id


def _list(doc: DocxDocument, block: Bullets | Numbered, numbering: _Numbering) -> None:
    numbered = isinstance(block, Numbered)
    num_id = numbering.new_num_id() if numbered else None
    for item in block.items:
        text, level = item_text_level(item)
        level = min(level, 2)
        base = "List Number" if numbered else "List Bullet"
        name = base if level == 0 else f"{base} {level + 1}"
        p = doc.add_paragraph(style=name)
        if num_id is not None and level == 0:
            num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = 0
            num_pr.get_or_add_numId().val = num_id
        _add_runs(p, text)


def _table(doc: DocxDocument, spec: TableSpec) -> None:
    ncols = spec.width
    nrows = len(spec.rows) + (1 if spec.header else 0)
    table = doc.add_table(rows=nrows, cols=ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    r0 = 0
    if spec.header:
        for j in range(ncols):
            cell = table.rows[0].cells[j]
            run = cell.paragraphs[0].add_run(spec.header[j] if j < len(spec.header) else "")
            run.bold = True
            run.font.color.rgb = RGBColor(*style.rgb(style.WHITE))
            _shade(cell, style.ACCENT)
        _repeat_header(table.rows[0])
        r0 = 1
    for i, row in enumerate(spec.rows):
        for j in range(ncols):
            value = row[j] if j < len(row) else None
            cell = table.rows[r0 + i].cells[j]
            para = cell.paragraphs[0]
            _add_runs(para, cell_text(value))
            if isinstance(value, int | float) and not isinstance(value, bool):
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if i % 2 == 1:
                _shade(cell, style.ACCENT_LIGHT)
    if spec.caption:
        cap = doc.add_paragraph()
        run = cap.add_run(spec.caption)
        run.italic = True
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor(*style.rgb(style.MUTED))
    else:
        doc.add_paragraph()


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def write_docx(spec: TextDocumentSpec, path: Path) -> None:
    doc = Document()
    _house_style(doc)
    _neutral_properties(doc, spec.title)
    if spec.title:
        doc.add_paragraph(spec.title, style="Title")
    if spec.subtitle:
        p = doc.add_paragraph(style="Subtitle")
        p.add_run(spec.subtitle)
    numbering = _Numbering(doc)
    for block in spec.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            for chunk in block.text.split("\n\n"):
                p = doc.add_paragraph()
                _add_runs(p, chunk.strip("\n"))
        elif isinstance(block, Bullets | Numbered):
            _list(doc, block, numbering)
        elif isinstance(block, TableSpec):
            _table(doc, block)
        elif isinstance(block, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.save(str(path))
