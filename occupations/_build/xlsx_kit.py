"""Excel workbooks in the house style: a title block, navy header rows, number formats
per column, frozen panes, print setup and fixed metadata.

Cells that a rubric check reads hold values (openpyxl stores no cached results for
formulas); formulas are used elsewhere so a reviewer can audit the workings.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import style as S

THIN = Side(style="thin", color=S.RULE)
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = Font(name=S.FONT, bold=True, color=S.WHITE, size=10)
HEADER_FILL = PatternFill("solid", fgColor=S.PRIMARY)
TOTAL_FILL = PatternFill("solid", fgColor=S.LIGHT)
ZEBRA_FILL = PatternFill("solid", fgColor=S.ZEBRA)
BODY_FONT = Font(name=S.FONT, size=10)
BOLD = Font(name=S.FONT, size=10, bold=True)
TITLE_FONT = Font(name=S.FONT, size=14, bold=True, color=S.PRIMARY)
SUB_FONT = Font(name=S.FONT, size=10, italic=True, color=S.GREY)
NOTE_FONT = Font(name=S.FONT, size=9, color=S.GREY)


def new_workbook(title: str, subject: str = "") -> Workbook:
    wb = Workbook()
    p = wb.properties
    p.creator = p.lastModifiedBy = S.AUTHOR
    p.title, p.subject = title, subject
    p.created = p.modified = S.BUILD_TIME
    return wb


def sheet(wb: Workbook, name: str, *, first: bool = False, landscape: bool = True) -> Worksheet:
    """The workbook's first sheet renamed (``first``) or a new sheet, with print setup."""
    ws = wb.active if first else wb.create_sheet()
    ws.title = name
    ws.sheet_view.showGridLines = False
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def title_block(ws: Worksheet, title: str, lines: Sequence[str] = ()) -> int:
    """Title in A1 and italic subtitle lines below; returns the next free row (after a gap)."""
    ws.cell(1, 1, title).font = TITLE_FONT
    for i, line in enumerate(lines):
        ws.cell(2 + i, 1, line).font = SUB_FONT
    return 3 + len(lines)


def widths(ws: Worksheet, cols: Sequence[float]) -> None:
    for i, w in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def header_row(ws: Worksheet, row: int, headers: Sequence[str], col: int = 1) -> None:
    for j, h in enumerate(headers):
        c = ws.cell(row, col + j, h)
        c.font, c.fill, c.border = HEADER_FONT, HEADER_FILL, BOX
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[row].height = 30


def table(ws: Worksheet, row: int, headers: Sequence[str], rows: Sequence[Sequence[object]], *,
          formats: Sequence[str | None] | None = None, col: int = 1, total: bool = False,
          zebra: bool = True, freeze: bool = False) -> tuple[int, int]:
    """Write a table at ``row``; returns (first data row, last data row).

    ``formats`` gives a number format per column (None for text); the last row is styled
    as a total when ``total``. Values starting with '=' are written as formulas.
    """
    header_row(ws, row, headers, col)
    first = row + 1
    for i, values in enumerate(rows):
        r = first + i
        is_total = total and i == len(rows) - 1
        for j, v in enumerate(values):
            c = ws.cell(r, col + j, v)
            c.border = BOX
            c.font = BOLD if is_total else BODY_FONT
            fmt = formats[j] if formats else None
            if fmt:
                c.number_format = fmt
                c.alignment = Alignment(horizontal="right")
            else:
                wrap = isinstance(v, str) and len(v) > 40
                c.alignment = Alignment(vertical="top", wrap_text=wrap)
            if is_total:
                c.fill = TOTAL_FILL
            elif zebra and i % 2 == 1:
                c.fill = ZEBRA_FILL
    if freeze:
        ws.freeze_panes = ws.cell(first, col)
    return first, first + len(rows) - 1


def kv_rows(ws: Worksheet, row: int, pairs: Sequence[tuple[str, object, str | None]],
            *, col: int = 1, bold_last: bool = False) -> int:
    """Label/value rows (assumption blocks, summaries); returns the row after the block."""
    for i, (label, value, fmt) in enumerate(pairs):
        r = row + i
        a = ws.cell(r, col, label)
        b = ws.cell(r, col + 1, value)
        a.font = b.font = BOLD if (bold_last and i == len(pairs) - 1) else BODY_FONT
        a.border = b.border = BOX
        if fmt:
            b.number_format = fmt
            b.alignment = Alignment(horizontal="right")
        if bold_last and i == len(pairs) - 1:
            a.fill = b.fill = TOTAL_FILL
    return row + len(pairs)


def note(ws: Worksheet, row: int, text: str, col: int = 1) -> None:
    c = ws.cell(row, col, text)
    c.font = NOTE_FONT


def section(ws: Worksheet, row: int, text: str, col: int = 1) -> None:
    ws.cell(row, col, text).font = Font(name=S.FONT, size=11, bold=True, color=S.ACCENT)


def plain(wb: Workbook, name: str, headers: Sequence[str], rows: Sequence[Sequence[object]],
          *, first: bool = True, col_widths: Sequence[float] | None = None) -> Worksheet:
    """An unstyled export-like sheet (how inputs arrive from other systems)."""
    ws = wb.active if first else wb.create_sheet()
    ws.title = name
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    for c in ws[1]:
        c.font = Font(bold=True)
    if col_widths:
        widths(ws, col_widths)
    return ws


def save(wb: Workbook, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    S.finalize_ooxml(path)
    return path
