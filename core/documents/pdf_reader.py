"""PDFs page by page with pdfplumber: the page text, then its tables as ``| a | b |`` rows
(pdfplumber finds ruled tables well, and a judge reads a table better as rows than as
the flowed text). Pages are released after reading so long PDFs stay small in memory;
the page cap was enforced by :func:`core.documents.safety.check_file` before opening.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from core.documents.reader_base import Chunks, Stats, table_rows
from core.documents.safety import Deadline


def read_pdf(path: Path, stats: Stats, deadline: Deadline, *, tables: bool = True) -> Chunks:
    with pdfplumber.open(path) as pdf:
        total = len(pdf.pages)
        stats.page_count = total
        for n, page in enumerate(pdf.pages, start=1):
            deadline.check()
            where = f"page {n} of {total}"
            text = (page.extract_text() or "").strip()
            stats.words(text)
            parts = [f"## Page {n}", text] if text else [f"## Page {n}", "(no text)"]
            if tables:
                for rows in page.extract_tables():
                    clean = [[c if c is not None else "" for c in row] for row in rows]
                    rendered = table_rows(clean)
                    if rendered:
                        stats.table_count += 1
                        parts.append(rendered.rstrip("\n"))
            page.close()
            yield "\n".join(parts) + "\n\n", where
