"""Write an :class:`~runner.docspec.XlsxSpec` as an Excel workbook (openpyxl).

Formulas are stored as formulas (openpyxl computes no values; Excel and LibreOffice do
on open). Columns are auto-fitted from their content unless widths are given.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries

from runner.docspec import SheetSpec, XlsxSpec
from runner.docwriter import style

_HEADER_FONT = Font(name=style.FONT, bold=True, color=style.WHITE)
_HEADER_FILL = PatternFill("solid", fgColor=style.ACCENT)
_BODY_FONT = Font(name=style.FONT, size=style.BODY_PT)
_THIN = Side(style="thin", color=style.GRID)
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _cells_of(ref: str, max_row: int) -> tuple[int, int, int, int]:
    """(min_col, min_row, max_col, max_row) of a column letter, cell or range."""
    if ref.isalpha():
        ref = f"{ref}1:{ref}{max(max_row, 1)}"
    elif ":" in ref and ref.split(":")[0].isalpha():
        a, b = ref.split(":")
        ref = f"{a}1:{b}{max(max_row, 1)}"
    min_col, min_row, max_col, max_row_ = range_boundaries(ref)
    return min_col, min_row, max_col or min_col, max_row_ or min_row


def _display_len(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, str) and value.startswith("="):
        return 12
    if isinstance(value, float | int) and not isinstance(value, bool):
        return min(len(f"{value:,.2f}"), 20)
    return max((len(line) for line in str(value).split("\n")), default=0)


def _write_sheet(ws, sheet: SheetSpec) -> None:
    nrows = len(sheet.rows)
    widths: dict[int, int] = {}
    for i, row in enumerate(sheet.rows, start=1):
        for j, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = ws.cell(row=i, column=j, value=value)
            header = sheet.header and i == 1
            cell.font = _HEADER_FONT if header else _BODY_FONT
            cell.border = _BORDER
            if header:
                cell.fill = _HEADER_FILL
                cell.alignment = Alignment(vertical="center", wrap_text=True)
            elif isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[j] = max(widths.get(j, 0), _display_len(value) + (2 if header else 0))
    for ref, fmt in sheet.number_formats.items():
        c0, r0, c1, r1 = _cells_of(ref, nrows)
        for r in range(r0, r1 + 1):
            if sheet.header and r == 1 and ref.isalpha():
                continue
            for c in range(c0, c1 + 1):
                ws.cell(row=r, column=c).number_format = fmt
    for j, w in widths.items():
        ws.column_dimensions[get_column_letter(j)].width = max(8, min(w + 2, 60))
    for ref, width in sheet.column_widths.items():
        cols = [column_index_from_string(part.rstrip("0123456789")) for part in ref.split(":")]
        for c in range(cols[0], cols[-1] + 1):
            ws.column_dimensions[get_column_letter(c)].width = width
    freeze = sheet.freeze or ("A2" if sheet.header and nrows > 1 else None)
    if freeze:
        ws.freeze_panes = freeze
    if sheet.header and nrows > 1 and widths:
        ws.auto_filter.ref = f"A1:{get_column_letter(max(widths))}{nrows}"


def write_xlsx(spec: XlsxSpec, path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in spec.sheets:
        _write_sheet(wb.create_sheet(title=sheet.name), sheet)
    props = wb.properties
    props.creator = ""
    props.lastModifiedBy = ""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now
    wb.save(str(path))
