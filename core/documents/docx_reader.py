"""Word documents as markdown-ish text, in document order.

Headings become ``#`` lines (Title is level 1, "Heading N" is level N), list paragraphs
become ``-`` or ``1.`` items indented by level, tables become ``| a | b |`` rows, and
embedded pictures leave an ``[image]`` mark, so a judge sees the structure the author
made. Content controls (``w:sdt``, e.g. a table of contents) are read through. Header
and footer text is listed once at the end.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from core.documents.reader_base import Chunks, Stats, one_line, table_rows
from core.documents.safety import Deadline

_HEADING = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")


def read_docx(path: Path, stats: Stats, deadline: Deadline) -> Chunks:
    doc = Document(str(path))
    numbering = _NumberFormats(doc)
    in_list = False  # list items are single-spaced; a blank line closes the list
    for n, block in enumerate(_blocks(doc.element.body, doc)):
        if n % 200 == 0:
            deadline.check()
        if isinstance(block, Table):
            rows = _table(block)
            if rows:
                stats.table_count += 1
                stats.words(" ".join(" ".join(r) for r in rows))
                yield ("\n" if in_list else "") + table_rows(rows) + "\n", "a table"
                in_list = False
            continue
        text = _paragraph_text(block)
        if not text.strip():
            continue
        stats.words(text)
        level = _heading_level(block)
        marker = "" if level else numbering.marker(block)
        if level:
            stats.headings.append(one_line(text))
            line, where = "#" * level + " " + one_line(text) + "\n\n", "a heading"
        elif marker:
            line, where = marker + text.strip() + "\n", "a list"
        else:
            line, where = text.strip() + "\n\n", "a paragraph"
        yield ("\n" if in_list and not marker else "") + line, where
        in_list = bool(marker)
    extra = _headers_footers(doc)
    if extra:
        stats.words(" ".join(extra))
        yield ("\n" if in_list else "") + "\n".join(extra) + "\n", "headers and footers"


def _blocks(parent, doc):
    """Paragraphs and tables of ``parent`` in order, descending into content controls."""
    for child in parent.iterchildren():
        if child.tag == _P:
            yield Paragraph(child, doc)
        elif child.tag == _TBL:
            yield Table(child, doc)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content, doc)


def _paragraph_text(p: Paragraph) -> str:
    text = p.text
    if p._p.xpath(".//w:drawing | .//w:pict"):
        text = (text + " [image]").strip()
    return text


def _heading_level(p: Paragraph) -> int:
    try:
        name = p.style.name if p.style is not None else ""
    except (KeyError, AttributeError, ValueError):
        return 0
    if name == "Title":
        return 1
    m = _HEADING.match(name or "")
    return int(m.group(1)) if m else 0


def _table(table: Table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats across the span
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text)
        rows.append(cells)
    return rows


def _headers_footers(doc) -> list[str]:
    lines, seen = [], set()
    for section in doc.sections:
        for kind, part in (("header", section.header), ("footer", section.footer)):
            try:
                if part.is_linked_to_previous and lines:
                    continue
                text = one_line(" ".join(p.text for p in part.paragraphs))
            except (KeyError, AttributeError, ValueError):
                continue
            if text and (kind, text) not in seen:
                seen.add((kind, text))
                lines.append(f"[{kind}] {text}")
    return lines


class _NumberFormats:
    """Tells bullets from numbered items through the numbering part (``numId`` ->
    abstract numbering -> level format); anything unresolvable is a bullet."""

    def __init__(self, doc):
        self._formats: dict[tuple[str, str], str] = {}
        try:
            root = doc.part.numbering_part.element
        except (KeyError, AttributeError, NotImplementedError, ValueError):
            return
        abstract: dict[str, dict[str, str]] = {}
        for an in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in an.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                levels[lvl.get(qn("w:ilvl"))] = fmt.get(qn("w:val")) if fmt is not None else ""
            abstract[an.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                for ilvl, fmt in abstract.get(ref.get(qn("w:val")), {}).items():
                    self._formats[(num.get(qn("w:numId")), ilvl)] = fmt

    def marker(self, p: Paragraph) -> str:
        """``"- "`` or ``"1. "`` indented by list level; ``""`` for a plain paragraph."""
        ppr = p._p.pPr
        num_pr = ppr.numPr if ppr is not None else None
        style = ""
        with contextlib.suppress(KeyError, AttributeError, ValueError):
            style = p.style.name if p.style is not None else ""
        if num_pr is None or num_pr.numId is None:
            if style.startswith("List"):
                return ("1. " if "Number" in style else "- ")
            return ""
        num_id = str(num_pr.numId.val)
        if num_id == "0":  # numbering explicitly removed
            return ""
        ilvl = str(num_pr.ilvl.val) if num_pr.ilvl is not None else "0"
        fmt = self._formats.get((num_id, ilvl), "bullet")
        indent = "  " * int(ilvl) if ilvl.isdigit() else ""
        return indent + ("- " if fmt in ("bullet", "none", "") else "1. ")
