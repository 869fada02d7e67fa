"""Inline markup shared by the writers: ``**bold**`` and ``*italic*`` runs.

Models write markdown-ish emphasis whatever they are told; honouring the two common
forms gives real bold runs instead of literal asterisks in a client's document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\*\*(.+?)\*\*|(?<![\*\w])\*(?!\s)(.+?)(?<!\s)\*(?![\*\w])", re.S)


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


def parse_runs(text: str) -> list[Run]:
    """Split text into runs; unmatched asterisks stay literal."""
    runs: list[Run] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            runs.append(Run(text[pos:m.start()]))
        if m.group(1) is not None:
            runs.append(Run(m.group(1), bold=True))
        else:
            runs.append(Run(m.group(2), italic=True))
        pos = m.end()
    if pos < len(text):
        runs.append(Run(text[pos:]))
    return [r for r in runs if r.text] or [Run("")]


def plain(text: str) -> str:
    """The text without markup (for places that cannot hold runs, e.g. sheet cells)."""
    return "".join(r.text for r in parse_runs(text))


def cell_text(value: object) -> str:
    """How a table cell value reads in a document: numbers without spurious decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
        return f"{value:,.2f}" if abs(value) >= 1_000 else f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    return str(value)
