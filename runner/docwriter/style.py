"""The house style: one palette and type scale used by every writer, so a docx, a deck
and a PDF from the same run look like they came from the same professional."""

from __future__ import annotations

FONT = "Calibri"
HEADING_FONT = "Calibri"
PDF_FONT = "Helvetica"
PDF_BOLD = "Helvetica-Bold"
PDF_ITALIC = "Helvetica-Oblique"

BODY_PT = 11
TITLE_PT = 26
HEADING_PT = {1: 16, 2: 13, 3: 11.5}

# colours as hex RGB without '#'
ACCENT = "1F3864"        # dark navy: titles, headings, table header fill
ACCENT_LIGHT = "D9E2F3"  # light blue: banded rows
TEXT = "222222"
MUTED = "595959"
GRID = "A6A6A6"
WHITE = "FFFFFF"


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
