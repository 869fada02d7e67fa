"""Text of a document for judges, graders and previews, within a size budget.

``extract_text`` dispatches on the file type to a reader (docx, xlsx, pptx, pdf, plain
text, images), after :func:`core.documents.safety.check_file` has vetted the bytes. Two
kinds of trouble are kept apart:

- a file that cannot be read safely (hostile, corrupt, encrypted, over a cap) raises
  :class:`~core.documents.safety.DocumentError`, like every reader in this package;
- a file that was read but not fully (a type with no text extractor, formula values that
  could not be recalculated) returns an :class:`Extraction` whose ``error`` says so.

Over ``max_chars`` the text is cut and ends with a marker saying how much was cut. For
cheap formats (docx, pptx, text) the whole file is read so the marker gives the exact
count; for pdf and xlsx, reading stops at the budget and the marker says where.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.documents.reader_base import Chunks, Stats
from core.documents.safety import (
    Deadline,
    DocumentError,
    Limits,
    check_file,
    default_limits,
    guarded,
    label,
)

TEXT_TYPES = {"txt", "md", "markdown", "csv", "tsv", "json", "html", "htm", "xml", "yaml",
              "yml", "log", "rtf"}
IMAGE_TYPES = {"png", "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff"}
WORD_TYPES = {"docx", "docm", "dotx"}
SHEET_TYPES = {"xlsx", "xlsm", "xltx"}
SLIDE_TYPES = {"pptx", "pptm", "potx"}
_EXHAUST_FACTOR = 20  # cheap formats: count cut characters up to this many budgets


@dataclass
class Extraction:
    text: str
    truncated: bool
    file_type: str
    error: str | None = None


def extract_text(
    path: Path, *, max_chars: int = 60_000, recalc: bool = True, limits: Limits | None = None
) -> Extraction:
    """Text of ``path`` (see the module docstring). ``recalc=False`` skips LibreOffice
    recalculation of formula values in workbooks."""
    return extract_with_stats(path, max_chars=max_chars, recalc=recalc, limits=limits)[0]


def extract_with_stats(
    path: Path, *, max_chars: int = 60_000, recalc: bool = True, limits: Limits | None = None
) -> tuple[Extraction, Stats]:
    """:func:`extract_text` plus the statistics the reader gathered (for ``inspect``)."""
    path = Path(path)
    limits = limits or default_limits()
    kind = check_file(path, limits=limits)
    stats = Stats()
    deadline = Deadline(limits.time_limit_s, path)
    error: str | None = None

    if kind in IMAGE_TYPES:
        return Extraction(_describe_image(path, limits), False, kind), stats
    if kind in TEXT_TYPES:
        chunks, exhaust = _read_plain(path, kind, stats), True
    elif kind in WORD_TYPES:
        from core.documents.docx_reader import read_docx

        chunks, exhaust = read_docx(path, stats, deadline), True
    elif kind in SLIDE_TYPES:
        from core.documents.pptx_reader import read_pptx

        chunks, exhaust = read_pptx(path, stats, deadline), True
    elif kind in SHEET_TYPES:
        values_from, error = _recalculated(path, limits) if recalc else (None, None)
        from core.documents.xlsx_reader import read_xlsx

        chunks, exhaust = read_xlsx(path, stats, deadline, values_from=values_from), False
    elif kind == "pdf":
        from core.documents.pdf_reader import read_pdf

        chunks, exhaust = read_pdf(path, stats, deadline), False
    else:
        what = f".{kind}" if kind else "extension-less"
        return Extraction("", False, kind, f"no text extractor for {what} files"), stats

    with guarded(path, f"read as a .{kind} file", limits=limits):
        text, truncated = _collect(chunks, max_chars, exhaust)
    if stats.notes and error is None:
        error = "; ".join(stats.notes)
    return Extraction(text, truncated, kind, error), stats


def _collect(chunks: Chunks, max_chars: int, exhaust: bool) -> tuple[str, bool]:
    """Join chunks up to ``max_chars``; past it, cut at a line end and add a marker."""
    parts: list[str] = []
    size = 0
    with contextlib.closing(chunks):
        for text, where in chunks:
            if size + len(text) <= max_chars:
                parts.append(text)
                size += len(text)
                continue
            room = max_chars - size
            newline = text.rfind("\n", 0, room)
            keep = text[: newline + 1] if newline >= room // 2 else text[:room]
            parts.append(keep)
            cut = len(text) - len(keep)
            if not exhaust:
                marker = (f"[... truncated at {max_chars:,} characters: the rest of {where} "
                          "and everything after it were not read]")
                break
            more = False
            for rest, _ in chunks:
                cut += len(rest)
                if cut > _EXHAUST_FACTOR * max_chars:
                    more = True
                    break
            total = size + len(keep) + cut
            marker = (f"[... truncated: more than {cut:,} characters not shown]" if more else
                      f"[... truncated: {cut:,} of {total:,} characters not shown]")
            break
        else:
            return "".join(parts), False
    return "".join(parts).rstrip("\n") + "\n\n" + marker, True


def _read_plain(path: Path, kind: str, stats: Stats) -> Chunks:
    raw = path.read_bytes()
    if b"\x00" in raw[:8192] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(f"Document {label(path)} is binary, not a .{kind} text file.")
    text = _decode(raw)
    if kind == "json" and len(raw) < 5 * (1 << 20):
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    stats.words(text)
    if kind in ("md", "markdown"):
        stats.headings = [ln.lstrip("#").strip() for ln in text.splitlines()
                          if re.match(r"^#{1,6} \S", ln)]
    step = 20_000
    for start in range(0, len(text), step):
        yield text[start : start + step], f"characters from {start:,}"


def _decode(raw: bytes) -> str:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _describe_image(path: Path, limits: Limits) -> str:
    from PIL import Image

    with guarded(path, "read as an image", limits=limits), Image.open(path) as img:
        return f"image {img.width}x{img.height} {img.format or path.suffix.upper()[1:]}"


def _recalculated(path: Path, limits: Limits) -> tuple[Path | None, str | None]:
    """A LibreOffice-recalculated copy when formula cells lack cached values."""
    from core.documents.xlsx_reader import needs_recalc

    with guarded(path, "read as a workbook", limits=limits):
        if not needs_recalc(path):
            return None, None
    return recalculate_with(default_recalc, path)


def recalculate_with(
    recalc: Callable[[Path], Path], path: Path
) -> tuple[Path | None, str | None]:
    from core.documents.office import RenderError

    try:
        return recalc(path), None
    except RenderError as exc:
        return None, f"formula values were not recalculated ({exc})"


def default_recalc(path: Path) -> Path:
    from core.documents.render import get_renderer

    return get_renderer().recalculate_xlsx(path)
