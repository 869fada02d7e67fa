"""House style shared by every generated file: one palette, one type scale, one set of
number formats, and the fixed metadata that keeps rebuilds byte-for-byte identical.

Gold deliverables should look like one careful professional made them, so colours and
formats live here rather than in each task module.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

#: Every generated file claims this author and these timestamps (rebuilds must not churn git).
AUTHOR = "occubench"
BUILD_TIME = dt.datetime(2026, 11, 2, 9, 0, 0)
ZIP_TIME = (2026, 11, 2, 9, 0, 0)

# Palette (hex RGB without '#'): deep navy headings, a blue accent, pale fills, greys.
PRIMARY = "1F3B5C"
ACCENT = "2E75B6"
LIGHT = "EAF1FB"
ZEBRA = "F5F8FC"
RULE = "BFC9D6"
GREY = "595959"
GOOD = "2E7D32"
BAD = "C62828"
WARN = "B26A00"
WHITE = "FFFFFF"

# Fonts: Calibri in Office files (Carlito under LibreOffice), Helvetica in PDFs.
FONT = "Calibri"
PDF_FONT = "Helvetica"
PDF_FONT_BOLD = "Helvetica-Bold"

# Excel number formats.
USD = '"$"#,##0.00'
USD0 = '"$"#,##0'
USD_NEG = '"$"#,##0.00;[Red]("$"#,##0.00)'
NUM0 = "#,##0"
NUM1 = "#,##0.0"
NUM2 = "#,##0.00"
PCT1 = "0.0%"
PCT0 = "0%"
DATE = "mm/dd/yyyy"


def rgb(hex6: str) -> tuple[int, int, int]:
    """``"1F3B5C"`` -> ``(31, 59, 92)``."""
    return int(hex6[0:2], 16), int(hex6[2:4], 16), int(hex6[4:6], 16)


def money(x: float, cents: bool = True) -> str:
    """``1234.5`` -> ``$1,234.50`` (negative as ``-$1,234.50``): how prose states amounts."""
    s = f"${abs(x):,.2f}" if cents else f"${abs(round(x)):,.0f}"
    return f"-{s}" if x < 0 else s


def pct(x: float, places: int = 1) -> str:
    """``0.1234`` -> ``12.3%``."""
    return f"{x * 100:.{places}f}%"


def r2(x: float) -> float:
    """Round half away from zero to cents (Python's round() is banker's rounding)."""
    from decimal import ROUND_HALF_UP, Decimal

    return float(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


_CORE_DATES = re.compile(
    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")
_CORE_AUTHOR = re.compile(
    rb"(<(dc:creator|cp:lastModifiedBy)>)[^<]*(</(?:dc:creator|cp:lastModifiedBy)>)")


def finalize_ooxml(path: Path) -> None:
    """Rewrite a docx/xlsx/pptx with fixed zip timestamps and fixed core-property dates.

    python-docx, openpyxl and python-pptx stamp the current time into the zip entries
    (and openpyxl into ``dcterms:modified`` on every save); python-pptx charts embed a
    workbook that carries its own. Normalising all of them makes a rebuild reproduce the
    committed bytes.
    """
    path.write_bytes(_normalized(path.read_bytes()))


def _normalized(blob: bytes) -> bytes:
    stamp = BUILD_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(blob)) as zin:
        entries = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = _CORE_DATES.sub(lambda m: m.group(1) + stamp + m.group(3), data)
                data = _CORE_AUTHOR.sub(lambda m: m.group(1) + AUTHOR.encode() + m.group(3),
                                        data)
            elif name.endswith((".xlsx", ".docx", ".pptx")):
                data = _normalized(data)  # embedded chart workbooks
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    return out.getvalue()
