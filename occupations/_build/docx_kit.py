"""Word documents in the house style: memos, letters and reports with real headings,
shaded header rows, page numbers and fixed metadata."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from . import style as S

Runs = str | Sequence[tuple[str, str]]
"""Paragraph content: plain text, or ``[(text, flags), ...]`` with flags from 'b', 'i'."""

_ALIGN = {"l": WD_ALIGN_PARAGRAPH.LEFT, "r": WD_ALIGN_PARAGRAPH.RIGHT,
          "c": WD_ALIGN_PARAGRAPH.CENTER}


def new_doc(title: str, subject: str = "", *, landscape: bool = False,
            base_size: float = 11) -> Document:
    """A blank document with house fonts, heading styles, 1-inch margins and page numbers."""
    doc = Document()
    cp = doc.core_properties
    cp.author = cp.last_modified_by = S.AUTHOR
    cp.title, cp.subject = title, subject
    cp.created = cp.modified = S.BUILD_TIME
    cp.revision = 1
    cp.comments = cp.keywords = cp.category = ""
    sec = doc.sections[0]
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Inches(1))
    normal = doc.styles["Normal"]
    normal.font.name = S.FONT
    normal.font.size = Pt(base_size)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), S.FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    for name, size, color, before in (("Title", 22, S.PRIMARY, 0), ("Heading 1", 14, S.PRIMARY, 14),
                                      ("Heading 2", 12, S.ACCENT, 10),
                                      ("Heading 3", 11, S.PRIMARY, 8)):
        st = doc.styles[name]
        st.font.name, st.font.size, st.font.bold = S.FONT, Pt(size), True
        st.font.color.rgb = RGBColor(*S.rgb(color))
        _force_font(st.element, S.FONT)
        st.paragraph_format.space_before = Pt(before)
        st.paragraph_format.space_after = Pt(4)
        st.paragraph_format.keep_with_next = True
    _title_no_border(doc)
    for name in ("List Bullet", "List Number"):
        doc.styles[name].paragraph_format.space_after = Pt(3)
    _page_number_footer(sec)
    return doc


def _force_font(style_el, font: str) -> None:
    rpr = style_el.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def _title_no_border(doc: Document) -> None:
    ppr = doc.styles["Title"].element.get_or_add_pPr()
    for el in ppr.findall(qn("w:pBdr")):
        ppr.remove(el)


def _page_number_footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = p.add_run("Page ")
    _small_grey(run)
    run = p.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    _small_grey(run)


def _small_grey(run) -> None:
    run.font.size = Pt(8.5)
    run.font.color.rgb = RGBColor(*S.rgb(S.GREY))


def _add_runs(p, content: Runs, size: float | None = None, color: str | None = None) -> None:
    parts = [(content, "")] if isinstance(content, str) else content
    for text, flags in parts:
        run = p.add_run(text)
        run.bold = "b" in flags or None
        run.italic = "i" in flags or None
        if size:
            run.font.size = Pt(size)
        if color:
            run.font.color.rgb = RGBColor(*S.rgb(color))


def para(doc, content: Runs, *, align: str = "l", size: float | None = None,
         color: str | None = None, space_after: float | None = None, style: str | None = None):
    p = doc.add_paragraph(style=style)
    _add_runs(p, content, size, color)
    p.alignment = _ALIGN[align]
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    return p


def heading(doc, text: str, level: int = 1):
    return doc.add_heading(text, level=level)


def bullets(doc, items: Sequence[Runs], numbered: bool = False) -> None:
    for it in items:
        p = doc.add_paragraph(style="List Number" if numbered else "List Bullet")
        _add_runs(p, it)


def rule(doc, color: str = S.PRIMARY, size: int = 12) -> None:
    """A full-width horizontal line under an empty paragraph (letterheads, memo blocks)."""
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(6)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"), ("w:color", color)):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)


def letterhead(doc, org: str, lines: Sequence[str]) -> None:
    para(doc, [(org, "b")], size=16, color=S.PRIMARY, space_after=0)
    para(doc, "  |  ".join(lines), size=9, color=S.GREY, space_after=0)
    rule(doc)


def memo_block(doc, fields: Sequence[tuple[str, str]], title: str = "MEMORANDUM") -> None:
    """The TO / FROM / DATE / RE block of an internal memo."""
    para(doc, [(title, "b")], size=18, color=S.PRIMARY, space_after=6)
    t = doc.add_table(rows=0, cols=2)
    for label, value in fields:
        cells = t.add_row().cells
        _add_runs(cells[0].paragraphs[0], [(label, "b")])
        _add_runs(cells[1].paragraphs[0], value)
        for c in cells:
            c.paragraphs[0].paragraph_format.space_after = Pt(2)
    set_widths(t, [0.9, 5.6])
    rule(doc)


def set_widths(t, widths: Sequence[float]) -> None:
    """Fixed column widths that Word and LibreOffice both honour (grid and every cell)."""
    t.autofit = False
    for i, w in enumerate(widths):
        t.columns[i].width = Inches(w)
        for c in t.columns[i].cells:
            c.width = Inches(w)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _borders(table, color: str = S.RULE) -> None:
    tblpr = table._tbl.tblPr
    bdr = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", color)):
            el.set(qn(k), v)
        bdr.append(el)
    tblpr.append(bdr)


def table(doc, headers: Sequence[str], rows: Sequence[Sequence[object]], *,
          widths: Sequence[float] | None = None, align: str | None = None,
          total: bool = False, size: float = 9.5):
    """A bordered table: navy header row (repeated on each page), zebra rows, optional
    bold total row; ``align`` is one letter per column (l/r/c)."""
    t = doc.add_table(rows=1, cols=len(headers))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borders(t)
    align = align or "l" * len(headers)
    hdr = t.rows[0]
    trpr = hdr._tr.get_or_add_trPr()
    rep = OxmlElement("w:tblHeader")
    rep.set(qn("w:val"), "true")
    trpr.append(rep)
    for i, h in enumerate(headers):
        c = hdr.cells[i]
        _shade(c, S.PRIMARY)
        p = c.paragraphs[0]
        _add_runs(p, [(h, "b")], size, S.WHITE)
        p.alignment = _ALIGN[align[i]]
    for r_i, row in enumerate(rows):
        cells = t.add_row().cells
        is_total = total and r_i == len(rows) - 1
        for i, v in enumerate(row):
            p = cells[i].paragraphs[0]
            _add_runs(p, [(str(v), "b" if is_total else "")], size)
            p.alignment = _ALIGN[align[i]]
            if is_total:
                _shade(cells[i], S.LIGHT)
            elif r_i % 2 == 1:
                _shade(cells[i], S.ZEBRA)
    for row in t.rows:
        for c in row.cells:
            pf = c.paragraphs[0].paragraph_format
            pf.space_after = Pt(1)
            pf.space_before = Pt(1)
            pf.line_spacing = 1.0
    if widths:
        set_widths(t, widths)
    doc.add_paragraph().paragraph_format.space_after = Pt(2)
    return t


def signature(doc, lines: Sequence[str], closing: str = "Sincerely,") -> None:
    para(doc, closing, space_after=24)
    for i, line in enumerate(lines):
        para(doc, [(line, "b" if i == 0 else "")], space_after=0)


def save(doc, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    S.finalize_ooxml(path)
    return path
