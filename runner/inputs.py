"""Reading a task's input files for the agent: text for documents, a description for
images. Delegates to ``core.documents.extract_text`` (the house extractor shared with the
graders); a read that fails becomes a message for the model, never an exception."""

from __future__ import annotations

from pathlib import Path

from core.task import file_type_of

IMAGE_TYPES = {"png", "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff"}


def describe_image(path: Path) -> str:
    try:
        from PIL import Image

        with Image.open(path) as im:
            return f"[image {path.name}: {im.width}x{im.height} px, {path.stat().st_size:,} bytes]"
    except Exception:
        return f"[image {path.name}: {path.stat().st_size:,} bytes]"


def read_text(path: Path, max_chars: int = 60_000) -> tuple[str, bool]:
    """``(text, truncated)``; an unreadable file gives a bracketed explanation."""
    ftype = file_type_of(path.name)
    if ftype in IMAGE_TYPES or path.suffix.lower().lstrip(".") in IMAGE_TYPES:
        return describe_image(path), False
    try:
        from core.documents import extract_text
    except ImportError:  # pragma: no cover - until core.documents lands
        return _fallback(path, ftype, max_chars)
    try:
        ex = extract_text(path, max_chars=max_chars)
    except Exception as exc:  # DocumentError and anything a hostile file provokes
        return f"[cannot read {path.name}: {exc}]", False
    text = ex.text
    if ex.error:
        text += f"\n[note: {ex.error}]"
    return text, ex.truncated


def _fallback(path: Path, ftype: str, max_chars: int) -> tuple[str, bool]:
    """Minimal extraction used only while core.documents is not available."""
    try:
        if ftype == "docx":
            import docx

            d = docx.Document(str(path))
            parts = [p.text for p in d.paragraphs]
            for t in d.tables:
                parts += [" | ".join(c.text for c in row.cells) for row in t.rows]
            text = "\n".join(parts)
        elif ftype in ("xlsx", "xlsm"):
            import openpyxl

            wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
            lines = []
            for ws in wb.worksheets:
                lines.append(f"## sheet {ws.title}")
                for row in ws.iter_rows(values_only=True):
                    lines.append(",".join("" if v is None else str(v) for v in row))
            wb.close()
            text = "\n".join(lines)
        elif ftype == "pptx":
            import pptx

            prs = pptx.Presentation(str(path))
            lines = []
            for i, slide in enumerate(prs.slides, 1):
                lines.append(f"## slide {i}")
                lines += [s.text_frame.text for s in slide.shapes if s.has_text_frame]
            text = "\n".join(lines)
        elif ftype == "pdf":
            import pdfplumber

            with pdfplumber.open(str(path)) as pdf:
                text = "\n".join(p.extract_text() or "" for p in pdf.pages[:50])
        else:
            text = path.read_text(encoding="utf-8", errors="replace")
    except Exception as exc:
        return f"[cannot read {path.name}: {exc}]", False
    return text[:max_chars], len(text) > max_chars
