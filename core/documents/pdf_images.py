"""PDF pages (and single images) to PNG files with pypdfium2 and Pillow.

pdfium is not thread-safe, even across documents, so every call into it holds one
process-wide lock. Pages are scaled so that neither side passes ``MAX_SIDE_PX``: a
poster-sized page at 100 dpi must not become a 400-megapixel bitmap.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pypdfium2 as pdfium

MAX_SIDE_PX = 4000
_PDFIUM = threading.Lock()


def pdf_pages(path: Path) -> int:
    with _PDFIUM:
        pdf = pdfium.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()


def render_pages(
    source: Path, out_dir: Path, *, dpi: int, max_pages: int, is_image: bool = False
) -> list[str]:
    """Write ``page-001.png`` ... into ``out_dir``; return the file names in page order."""
    if is_image:
        from PIL import Image

        with Image.open(source) as img:
            img.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX))
            img.convert("RGBA" if "A" in img.getbands() else "RGB").save(out_dir / "page-001.png")
        return ["page-001.png"]
    names: list[str] = []
    with _PDFIUM:
        pdf = pdfium.PdfDocument(str(source))
        try:
            for index in range(min(len(pdf), max_pages)):
                page = pdf[index]
                try:
                    width, height = page.get_size()
                    scale = min(dpi / 72, MAX_SIDE_PX / max(width, height, 1))
                    bitmap = page.render(scale=scale)
                    name = f"page-{index + 1:03d}.png"
                    bitmap.to_pil().save(out_dir / name)
                    bitmap.close()
                    names.append(name)
                finally:
                    page.close()
        finally:
            pdf.close()
    return names
