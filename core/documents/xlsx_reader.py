"""Workbooks sheet by sheet: every non-empty cell with its value and, for formulas, the
formula, as ``B4 = 1200  [=SUM(B1:B3)]``.

openpyxl reads a formula cell either as its formula or as the value cached by the last
application that calculated it, never both, and workbooks written by openpyxl (what most
agents produce) carry no cached values at all. So formulas come from one read and values
from another; when :func:`needs_recalc` finds formula cells without a cached value, the
values come from a copy recalculated by LibreOffice (the caller passes it in). Both reads
use openpyxl's read-only mode, which streams rows instead of building the whole sheet.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from core.documents.reader_base import Chunks, Stats, fmt_value
from core.documents.safety import Deadline

_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_EMPTY_V = rb"\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>"
_UNCACHED = re.compile(rb"(?:</f>|<f\b[^>]*/>)" + _EMPTY_V)
_ROWS_PER_CHUNK = 50


def needs_recalc(path: Path) -> bool:
    """True when some formula cell has no cached value (streamed over the sheet XML)."""
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if not _SHEET_PART.match(info.filename):
                continue
            carry = b""
            with zf.open(info) as member:
                while chunk := member.read(1 << 20):
                    buf = carry + chunk
                    if _UNCACHED.search(buf):
                        return True
                    carry = buf[-256:]
    return False


def load_values(path: Path, deadline: Deadline) -> dict[str, dict[str, object]]:
    """``{sheet: {"B4": value}}`` for every non-empty cell (values, not formulas)."""
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        out: dict[str, dict[str, object]] = {}
        for ws in wb.worksheets:
            cells: dict[str, object] = {}
            for n, row in enumerate(ws.iter_rows()):
                if n % 500 == 0:
                    deadline.check()
                for cell in row:
                    if cell.value is not None and hasattr(cell, "coordinate"):
                        cells[cell.coordinate] = cell.value
            out[ws.title] = cells
        return out
    finally:
        wb.close()


def read_xlsx(
    path: Path, stats: Stats, deadline: Deadline, *, values_from: Path | None = None
) -> Chunks:
    """Yield the workbook's text; values are read from ``values_from`` (a recalculated
    copy) when given, else from the file's own cached values."""
    values = load_values(values_from or path, deadline)
    uncalculated = values_from is None and needs_recalc(path)
    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        stats.sheet_names = list(wb.sheetnames)
        worksheets = {ws.title: ws for ws in wb.worksheets}
        for name in wb.sheetnames:
            ws = worksheets.get(name)
            state = ""
            if ws is not None and getattr(ws, "sheet_state", "visible") != "visible":
                state = f" ({ws.sheet_state})"
            if ws is None:
                yield f"## Sheet: {name} (chart sheet)\n\n", f"sheet {name!r}"
                continue
            yield f"## Sheet: {name}{state}\n", f"sheet {name!r}"
            yield from _sheet_rows(ws, values.get(name, {}), stats, deadline, uncalculated)
            yield "\n", f"sheet {name!r}"
    finally:
        wb.close()


def _sheet_rows(
    ws, values: dict[str, object], stats: Stats, deadline: Deadline, uncalculated: bool
) -> Chunks:
    lines: list[str] = []
    first_row = None
    for n, row in enumerate(ws.iter_rows()):
        if n % 500 == 0:
            deadline.check()
        for cell in row:
            raw = cell.value
            if raw is None or not hasattr(cell, "coordinate"):
                continue
            ref = cell.coordinate
            formula = _formula_text(raw)
            if formula is None:
                text = fmt_value(raw)
                if isinstance(raw, str):
                    stats.words(raw)
                lines.append(f"{ref} = {text}")
            else:
                value = values.get(ref)
                shown = fmt_value(value) if value is not None else (
                    "(not calculated)" if uncalculated else "")
                lines.append(f"{ref} = {shown}  [{formula}]")
            if first_row is None:
                first_row = cell.row
        if len(lines) >= _ROWS_PER_CHUNK:
            yield "\n".join(lines) + "\n", f"sheet {ws.title!r} from row {first_row}"
            lines, first_row = [], None
    if lines:
        yield "\n".join(lines) + "\n", f"sheet {ws.title!r} from row {first_row}"


def _formula_text(raw: object) -> str | None:
    """The formula (``=SUM(B1:B3)``) of a cell read with ``data_only=False``, else None."""
    text = getattr(raw, "text", None)  # ArrayFormula
    if isinstance(text, str):
        return text if text.startswith("=") else "=" + text
    if isinstance(raw, str) and raw.startswith("=") and len(raw) > 1:
        return raw
    if type(raw).__name__ == "DataTableFormula":
        return "=" + str(raw)
    return None
