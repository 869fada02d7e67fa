"""Facts about a document for deterministic rubric checks (``core.checks``).

One pass of the format reader gives the text and the structure: headings, tables,
words, slide titles, sheet names, PDF pages. Page counts of docx/pptx/xlsx exist only
once LibreOffice has laid them out, so they are computed only when asked
(``render_pages=True``); a failed render leaves ``page_count`` None and says why in
``error`` rather than guessing. ``cell()`` answers with values recalculated by
LibreOffice when the workbook holds formulas without cached values (files written by
openpyxl), so a rubric item like "B4 equals 1200" is decided on what Excel would show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from core.documents.extract import SHEET_TYPES, extract_with_stats, recalculate_with
from core.documents.safety import (
    Deadline,
    DocumentError,
    Limits,
    default_limits,
    guarded,
    label,
)

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


@dataclass
class DocInfo:
    path: Path
    file_type: str
    page_count: int | None = None
    slide_count: int | None = None
    slide_titles: list[str] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    table_count: int = 0
    word_count: int = 0
    text: str = ""
    truncated: bool = False
    error: str | None = None  # what could not be determined, and why
    _values: dict[str, dict[str, object]] | None = field(default=None, repr=False)
    _limits: Limits | None = field(default=None, repr=False)
    _recalc: bool = field(default=True, repr=False)

    def cell(self, sheet: str | None, ref: str) -> object:
        """The value at ``sheet``!``ref`` ("B4", "$B$4", or "Sheet1!B4" with sheet None),
        recalculated where needed; None for an empty cell or a sheet that is not there.
        The first sheet when ``sheet`` is None."""
        if self.file_type not in SHEET_TYPES:
            raise DocumentError(f"Document {label(self.path)} is not a workbook, so it has "
                                f"no cell {ref}.")
        if sheet is None and "!" in ref:
            sheet, ref = ref.rsplit("!", 1)
            sheet = sheet.strip("'")
        m = _REF.match(ref.strip())
        if not m:
            raise ValueError(f"{ref!r} is not a cell reference like B4")
        values = self._load_values()
        if not values:
            return None
        if sheet is None:
            sheet_values = next(iter(values.values()))
        else:
            sheet_values = values.get(sheet)
            if sheet_values is None:
                folded = {name.casefold(): v for name, v in values.items()}
                sheet_values = folded.get(sheet.casefold())
        if sheet_values is None:
            return None
        return sheet_values.get(m.group(1).upper() + m.group(2))

    def _load_values(self) -> dict[str, dict[str, object]]:
        if self._values is None:
            from core.documents.extract import default_recalc
            from core.documents.xlsx_reader import load_values, needs_recalc

            limits = self._limits or default_limits()
            source = self.path
            with guarded(self.path, "read as a workbook", limits=limits):
                stale = needs_recalc(self.path)
            if stale and self._recalc:
                recalculated, problem = recalculate_with(default_recalc, self.path)
                if recalculated is not None:
                    source = recalculated
                elif problem and not self.error:
                    self.error = problem
            with guarded(self.path, "read as a workbook", limits=limits):
                self._values = load_values(source, Deadline(limits.time_limit_s, self.path))
        return self._values


def inspect_document(
    path: Path,
    *,
    render_pages: bool = False,
    max_chars: int = 1_000_000,
    recalc: bool = True,
    limits: Limits | None = None,
) -> DocInfo:
    """Structure and text of ``path``; raises ``DocumentError`` for unreadable files.
    ``recalc=False`` keeps workbook values as cached in the file (None where missing)."""
    from core.documents.office import RenderError
    from core.documents.render import OFFICE_TYPES, get_renderer

    path = Path(path)
    extraction, stats = extract_with_stats(path, max_chars=max_chars, recalc=recalc,
                                           limits=limits)
    info = DocInfo(
        path=path,
        file_type=extraction.file_type,
        page_count=stats.page_count,
        slide_count=stats.slide_count,
        slide_titles=stats.slide_titles,
        sheet_names=stats.sheet_names,
        headings=stats.headings,
        table_count=stats.table_count,
        word_count=stats.word_count,
        text=extraction.text,
        truncated=extraction.truncated,
        error=extraction.error,
        _limits=limits,
        _recalc=recalc,
    )
    if render_pages and info.page_count is None and info.file_type in OFFICE_TYPES:
        from core.documents.pdf_images import pdf_pages

        try:
            info.page_count = pdf_pages(get_renderer().to_pdf(path))
        except RenderError as exc:
            problem = f"page count unavailable ({exc})"
            info.error = f"{info.error}; {problem}" if info.error else problem
    return info
