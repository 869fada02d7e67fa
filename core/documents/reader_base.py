"""What every format reader shares: the running statistics it fills while it yields text.

A reader is a generator of ``(text, where)`` pairs: ``text`` is the next piece of the
extraction (ending in a newline), ``where`` names the position it came from ("page 3 of
40", "sheet 'Costs'") so a truncation marker can say what was left unread. While it runs,
the reader records what :mod:`core.documents.inspect` needs (headings, tables, words,
slide titles, sheet names) in a :class:`Stats`, so the deterministic rubric checks and
the text given to judges come from one pass over the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

Chunks = Iterator[tuple[str, str]]

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")


@dataclass
class Stats:
    page_count: int | None = None
    slide_count: int | None = None
    slide_titles: list[str] = field(default_factory=list)
    sheet_names: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    table_count: int = 0
    word_count: int = 0
    notes: list[str] = field(default_factory=list)  # non-fatal problems worth reporting

    def words(self, text: str) -> None:
        """Count the words of document content (not of our markup)."""
        self.word_count += len(_WORD.findall(text))


def one_line(text: str) -> str:
    """Cell and table text on one line: inner newlines and runs of spaces collapsed."""
    return " ".join(str(text).split())


def table_rows(rows: list[list[str]]) -> str:
    """A table as ``| a | b |`` lines (pipes inside cells escaped), one line per row."""
    out = []
    for row in rows:
        cells = [one_line(c).replace("|", "\\|") for c in row]
        if any(cells):
            out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n" if out else ""


def fmt_value(value: object) -> str:
    """A spreadsheet value as a person would read it: 1200 not 1200.0, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.10g}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time(0) else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return one_line(str(value))
