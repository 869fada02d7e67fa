"""Is this file a real document? Open it with its own library and look inside.

``finish`` uses this so that an agent cannot hand in a renamed text file as a workbook,
and so that what reaches graders and reviewers always opens.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from core.task import file_type_of

_MAGIC = {
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "gif": [b"GIF87a", b"GIF89a"],
    "zip": [b"PK\x03\x04", b"PK\x05\x06"],
}


@dataclass(frozen=True)
class DocCheck:
    ok: bool
    file_type: str
    detail: str  # what was found ("3 sheets: Summary, Data, Notes") or why it failed


def check_document(path: Path) -> DocCheck:
    """Open ``path`` according to its extension; never raises for a bad file."""
    ftype = file_type_of(path.name)
    try:
        if not path.is_file():
            return DocCheck(False, ftype, "no such file")
        if path.stat().st_size == 0:
            return DocCheck(False, ftype, "the file is empty")
        return DocCheck(True, ftype, _inspect(path, ftype))
    except Exception as exc:  # a broken file is the answer, not a crash
        return DocCheck(False, ftype, f"not a valid {ftype} file ({type(exc).__name__}: "
                                      f"{str(exc)[:200]})")


def _inspect(path: Path, ftype: str) -> str:
    if ftype == "docx":
        import docx

        d = docx.Document(str(path))
        return f"{len(d.paragraphs)} paragraphs, {len(d.tables)} tables"
    if ftype in ("xlsx", "xlsm"):
        import openpyxl

        wb = openpyxl.load_workbook(str(path), read_only=True)
        try:
            names = wb.sheetnames
        finally:
            wb.close()
        return f"{len(names)} sheet(s): {', '.join(names[:10])}"
    if ftype == "pptx":
        import pptx

        prs = pptx.Presentation(str(path))
        return f"{len(prs.slides)} slide(s)"
    if ftype == "pdf":
        import pypdf

        reader = pypdf.PdfReader(str(path))
        n = len(reader.pages)
        if n == 0:
            raise ValueError("the PDF has no pages")
        return f"{n} page(s)"
    if ftype in ("csv", "txt", "md", "html"):
        text = path.read_text(encoding="utf-8")
        return f"{len(text.splitlines())} line(s) of text"
    if ftype == "json":
        json.loads(path.read_text(encoding="utf-8"))
        return "valid JSON"
    if ftype in _MAGIC:
        head = path.read_bytes()[:16]
        if not any(head.startswith(m) for m in _MAGIC[ftype]):
            raise ValueError(f"the content is not {ftype} data")
        if ftype == "zip":
            with zipfile.ZipFile(path) as zf:
                return f"{len(zf.namelist())} member(s)"
        return f"{ftype} image"
    return f"{path.stat().st_size:,} bytes"
