"""A small evaluator for the deterministic rubric checks the starter suite uses.

The real one is ``graders/checks.py`` (built in parallel); this one exists so the suite's
tests can prove that every check written in a task.yaml holds on the gold deliverable and
that no penalty check does. It follows the semantics documented in ``core/checks.py``: a
check looks at the deliverable set, ``file`` (a case-insensitive glob) narrows it, and the
check holds when any file in scope satisfies it.
"""

from __future__ import annotations

import csv
import fnmatch
import re
from functools import lru_cache
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pptx

from core.task import file_type_of


def text_of(path: Path) -> str:
    """All the text a reader sees in a file (body, tables, slides, notes, cells, pages)."""
    st = path.stat()
    return _text(path, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=512)
def _text(path: Path, _mtime: int, _size: int) -> str:
    kind = file_type_of(path.name)
    if kind == "docx":
        d = docx.Document(str(path))
        parts = [p.text for p in d.paragraphs]
        for t in d.tables:
            for row in t.rows:
                parts += [c.text for c in row.cells]
        for s in d.sections:
            parts += [p.text for p in s.header.paragraphs + s.footer.paragraphs]
        return "\n".join(parts)
    if kind == "xlsx":
        wb = openpyxl.load_workbook(path)
        return "\n".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True)
                         for v in row if v is not None)
    if kind == "pptx":
        parts = []
        for slide in pptx.Presentation(str(path)).slides:
            for shape in _shapes(slide.shapes):
                if shape.has_text_frame:
                    parts.append(shape.text_frame.text)
                if getattr(shape, "has_table", False) and shape.has_table:
                    parts += [c.text for row in shape.table.rows for c in row.cells]
            if slide.has_notes_slide:
                parts.append(slide.notes_slide.notes_text_frame.text)
        return "\n".join(parts)
    if kind == "pdf":
        with pdfplumber.open(path) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    if kind in ("csv", "txt", "md"):
        return path.read_text(encoding="utf-8")
    raise ValueError(f"no text extractor for {path.name}")


def _shapes(shapes):
    for s in shapes:
        if s.shape_type == 6:  # group
            yield from _shapes(s.shapes)
        else:
            yield s


def headings_of(path: Path) -> list[str]:
    kind = file_type_of(path.name)
    if kind == "docx":
        return [p.text for p in docx.Document(str(path)).paragraphs
                if p.style.name.startswith("Heading") or p.style.name == "Title"]
    if kind == "pptx":
        return [s.shapes.title.text for s in pptx.Presentation(str(path)).slides
                if s.shapes.title is not None]
    if kind == "xlsx":
        return openpyxl.load_workbook(path, read_only=True).sheetnames
    return []


def count_of(kind: str, path: Path) -> int | None:
    """The count a Count check measures, or None when it does not apply to this file."""
    ftype = file_type_of(path.name)
    if kind == "slide_count" and ftype == "pptx":
        return len(pptx.Presentation(str(path)).slides)
    if kind == "page_count" and ftype == "pdf":
        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    if kind == "sheet_count" and ftype == "xlsx":
        return len(openpyxl.load_workbook(path, read_only=True).sheetnames)
    if kind == "table_count" and ftype == "docx":
        return len(docx.Document(str(path)).tables)
    if kind == "word_count" and ftype in ("docx", "pptx", "pdf", "txt", "md"):
        return len(re.findall(r"\S+", text_of(path)))
    return None


def in_scope(check, files: list[Path]) -> list[Path]:
    if not check.file:
        return list(files)
    return [f for f in files if fnmatch.fnmatch(f.name.lower(), check.file.lower())]


def holds(check, files: list[Path]) -> bool:
    """Whether ``check`` (a core.checks model) holds on the deliverable set ``files``."""
    return any(_holds_on(check, f) for f in in_scope(check, files))


def _holds_on(check, f: Path) -> bool:
    kind, ftype = check.kind, file_type_of(f.name)
    if kind == "file_type":
        return ftype in [t.lower().lstrip(".") for t in check.types]
    if kind == "file_name":
        return (Path(f.name).stem.lower() == check.stem.lower()
                and (not check.types or ftype in check.types))
    if kind == "sheet_present":
        if ftype != "xlsx":
            return False
        names = openpyxl.load_workbook(f, read_only=True).sheetnames
        return (check.sheet in names if check.exact
                else check.sheet.lower() in [n.lower() for n in names])
    if kind == "cell_value":
        if ftype != "xlsx":
            return False
        wb = openpyxl.load_workbook(f)
        if check.sheet is not None and check.sheet not in wb.sheetnames:
            return False
        value = (wb[check.sheet] if check.sheet else wb.worksheets[0])[check.cell].value
        if check.contains is not None:
            return value is not None and check.contains.lower() in str(value).lower()
        if isinstance(check.equals, str):
            return value is not None and str(value).strip().lower() == check.equals.lower()
        try:
            return abs(float(value) - float(check.equals)) <= check.tolerance + 1e-9
        except (TypeError, ValueError):
            return False
    if kind in ("slide_count", "page_count", "sheet_count", "word_count", "table_count"):
        n = count_of(kind, f)
        return n is not None and (check.min is None or n >= check.min) and (
            check.max is None or n <= check.max)
    if kind == "text_contains":
        text = text_of(f)
        if check.text is not None:
            return (check.text in text if check.case_sensitive
                    else check.text.lower() in text.lower())
        flags = 0 if check.case_sensitive else re.IGNORECASE
        return re.search(check.pattern, text, flags) is not None
    if kind == "heading_present":
        return any(check.text.lower() in h.lower() for h in headings_of(f))
    raise ValueError(f"check kind {kind!r} is not supported by the test evaluator")


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))
