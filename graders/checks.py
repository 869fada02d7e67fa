"""Deciding rubric items from the deliverable files alone (no judge).

Evaluates each check kind of :mod:`core.checks` against one submission's files and says
what was found where, so a reviewer can audit a deterministic verdict as easily as a
judge's. A check holds when any file in its scope satisfies it.

Honesty rule: a file that cannot be read because *it* is broken (corrupt, wrong format)
does not satisfy anything, which is a fair "not met". A file we cannot measure because of
*our* environment (LibreOffice missing or timing out while counting docx pages) leaves
the check undecided (``met is None``): the rubric grader then records the item as
ungraded rather than pretending the deliverable failed it.
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from core.checks import (
    CellValue,
    Check,
    Count,
    FileName,
    FileType,
    HeadingPresent,
    SheetPresent,
    TextContains,
)
from core.documents import DocInfo, DocumentError, RenderError, inspect_document

WORKBOOK_TYPES = ("xlsx", "xlsm", "xls")
PAGED_TYPES = ("pdf", "docx", "pptx")
TABLE_TYPES = ("docx", "pptx", "pdf")


class SubmittedFile(Protocol):
    """What a check needs to know about a file (``DeliverableFile`` fits)."""

    name: str
    path: Path
    file_type: str


@dataclass(frozen=True)
class CheckOutcome:
    """The verdict of one check: ``met`` is None when it could not be decided."""

    met: bool | None
    evidence: str
    error: str | None = None


class _Undecided(Exception):
    """Our environment, not the file, kept us from measuring (e.g. no renderer)."""


@dataclass
class Submission:
    """One submission's files, each inspected lazily and at most once (per render mode)."""

    files: Sequence[SubmittedFile]
    _cache: dict[tuple[str, bool], DocInfo | Exception] = field(default_factory=dict)

    def scope(self, pattern: str | None) -> list[SubmittedFile]:
        if not pattern:
            return list(self.files)
        pat = pattern.lower()
        return [f for f in self.files if fnmatch.fnmatchcase(f.name.lower(), pat)]

    def info(self, f: SubmittedFile, *, pages: bool = False) -> DocInfo:
        """The inspected document; raises DocumentError (file's fault) or _Undecided."""
        key = (str(f.path), pages)
        if key not in self._cache:
            try:
                self._cache[key] = inspect_document(Path(f.path), render_pages=pages)
            except (DocumentError, RenderError, OSError) as exc:
                self._cache[key] = exc
        got = self._cache[key]
        if isinstance(got, RenderError):
            raise _Undecided(f"{f.name}: could not render ({got})")
        if isinstance(got, OSError):
            raise _Undecided(f"{f.name}: could not open ({got})")
        if isinstance(got, Exception):
            raise got
        return got


def _types(types: Sequence[str] | None) -> set[str]:
    return {t.lower().lstrip(".") for t in types or ()}


def _per_file(sub: Submission, pattern: str | None, accept: Sequence[str] | None,
              what: str, test: Callable[[SubmittedFile], tuple[bool, str]]) -> CheckOutcome:
    """Run ``test`` on each file in scope; met if any file passes.

    ``accept`` limits the file types the check applies to (None: all). Unreadable files
    count as not passing; undecidable ones make the verdict None unless another passes.
    """
    scope = sub.scope(pattern)
    if accept is not None:
        scope = [f for f in scope if f.file_type in accept]
    if not scope:
        where = f" matching {pattern!r}" if pattern else ""
        kinds = f" of type {'/'.join(accept)}" if accept else ""
        return CheckOutcome(False, f"no deliverable{kinds}{where} to check {what} in "
                            f"(files: {_names(sub.files)})")
    notes: list[str] = []
    undecided: list[str] = []
    for f in scope:
        try:
            ok, note = test(f)
        except DocumentError as exc:
            notes.append(f"{f.name}: unreadable ({exc})")
            continue
        except _Undecided as exc:
            undecided.append(str(exc))
            continue
        notes.append(note)
        if ok:
            return CheckOutcome(True, note)
    if undecided:
        return CheckOutcome(None, "; ".join(notes + undecided), error="; ".join(undecided))
    return CheckOutcome(False, "; ".join(notes))


def _names(files: Sequence[SubmittedFile]) -> str:
    return ", ".join(f.name for f in files) or "none"


# -- the check kinds ------------------------------------------------------------------------


def _file_type(c: FileType, sub: Submission) -> CheckOutcome:
    want = _types(c.types)
    scope = sub.scope(c.file)
    hits = [f for f in scope if f.file_type in want]
    if hits:
        return CheckOutcome(True, f"{hits[0].name} is {hits[0].file_type}")
    found = ", ".join(f"{f.name} ({f.file_type})" for f in scope) or "no files"
    return CheckOutcome(False, f"no {'/'.join(sorted(want))} file among: {found}")


def _file_name(c: FileName, sub: Submission) -> CheckOutcome:
    want = c.stem.strip().casefold()
    types = _types(c.types)
    scope = sub.scope(c.file)
    for f in scope:
        stem = Path(f.name).stem.strip().casefold()
        if stem == want and (not types or f.file_type in types):
            return CheckOutcome(True, f"{f.name} has base name {Path(f.name).stem!r}")
    kinds = f" of type {'/'.join(sorted(types))}" if types else ""
    return CheckOutcome(False, f"no file{kinds} named {c.stem!r} among: {_names(scope)}")


def _sheet_matches(name: str, want: str, exact: bool) -> bool:
    return name == want if exact else name.strip().casefold() == want.strip().casefold()


def _sheet_present(c: SheetPresent, sub: Submission) -> CheckOutcome:
    def test(f: SubmittedFile) -> tuple[bool, str]:
        names = sub.info(f).sheet_names
        for n in names:
            if _sheet_matches(n, c.sheet, c.exact):
                return True, f"{f.name} has sheet {n!r}"
        return False, f"{f.name} sheets: {names}"
    return _per_file(sub, c.file, WORKBOOK_TYPES, f"sheet {c.sheet!r}", test)


_NUMBER = re.compile(r"^\(?-?\(?[$€£¥]?\s*-?[0-9][0-9,]*(\.[0-9]+)?\s*%?\)?$")


def as_number(value: Any) -> float | None:
    """A cell value as a number: numbers as they are, text like '$1,234.50', '(12)', '7%'."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(float(value)) else None
    text = str(value).strip().replace("\u2212", "-")
    if not text or not _NUMBER.match(text):
        return None
    negative = text.startswith("(") and text.endswith(")") or "-" in text
    digits = re.sub(r"[^0-9.]", "", text)
    try:
        number = float(digits)
    except ValueError:
        return None
    if text.rstrip(")").endswith("%"):
        number /= 100
    return -number if negative else number


def _cell_matches(value: Any, c: CellValue) -> bool:
    if c.contains is not None:
        return value is not None and c.contains.casefold() in str(value).casefold()
    expected = c.equals
    want = as_number(expected) if isinstance(expected, str) else float(expected)
    got = as_number(value)
    if want is not None and got is not None:
        return math.isclose(got, want, rel_tol=1e-9, abs_tol=max(c.tolerance, 1e-9))
    if isinstance(expected, str):
        return value is not None and str(value).strip().casefold() == expected.strip().casefold()
    return False


def _cell_value(c: CellValue, sub: Submission) -> CheckOutcome:
    expect = (f"contains {c.contains!r}" if c.contains is not None else
              f"= {c.equals!r}" + (f" ± {c.tolerance:g}" if c.tolerance else ""))

    def test(f: SubmittedFile) -> tuple[bool, str]:
        info = sub.info(f)
        if c.sheet is None:
            if not info.sheet_names:
                return False, f"{f.name} has no sheets"
            sheet = info.sheet_names[0]
        else:
            sheet = next((n for n in info.sheet_names if _sheet_matches(n, c.sheet, False)),
                         None)
            if sheet is None:
                return False, f"{f.name} has no sheet {c.sheet!r} (sheets: {info.sheet_names})"
        value = info.cell(sheet, c.cell.upper())
        if value is None and info.error and "recalculated" in info.error:
            # an openpyxl-written formula we could not recalculate: our gap, not theirs
            raise _Undecided(f"{f.name}: {info.error}")
        ok = _cell_matches(value, c)
        return ok, f"{f.name}!'{sheet}'!{c.cell.upper()} = {value!r} (expected {expect})"

    return _per_file(sub, c.file, WORKBOOK_TYPES, f"cell {c.cell}", test)


def _count_of(info: DocInfo, kind: str, file_type: str) -> int | None:
    if kind == "slide_count":
        return info.slide_count
    if kind == "sheet_count":
        return len(info.sheet_names)
    if kind == "page_count":
        return info.page_count if file_type != "pptx" else (info.page_count or info.slide_count)
    if kind == "word_count":
        return info.word_count
    return info.table_count


_COUNT_TYPES: dict[str, Sequence[str] | None] = {
    "slide_count": ("pptx",), "sheet_count": WORKBOOK_TYPES, "page_count": PAGED_TYPES,
    "word_count": None, "table_count": TABLE_TYPES,
}


def _count(c: Count, sub: Submission) -> CheckOutcome:
    noun = c.kind.removesuffix("_count") + "s"
    bounds = (f"between {c.min} and {c.max}" if c.min is not None and c.max is not None
              else f"at least {c.min}" if c.min is not None else f"at most {c.max}")

    def test(f: SubmittedFile) -> tuple[bool, str]:
        pages = c.kind == "page_count" and f.file_type in ("docx", "pptx")
        n = _count_of(sub.info(f, pages=pages), c.kind, f.file_type)
        if n is None:
            raise _Undecided(f"{f.name}: {noun} could not be counted")
        ok = (c.min is None or n >= c.min) and (c.max is None or n <= c.max)
        return ok, f"{f.name} has {n} {noun} (want {bounds})"

    return _per_file(sub, c.file, _COUNT_TYPES[c.kind], noun, test)


def _snippet(text: str, start: int, end: int, pad: int = 60) -> str:
    a, b = max(0, start - pad), min(len(text), end + pad)
    return ("…" if a else "") + " ".join(text[a:b].split()) + ("…" if b < len(text) else "")


def _text_contains(c: TextContains, sub: Submission) -> CheckOutcome:
    flags = 0 if c.case_sensitive else re.IGNORECASE
    needle = re.compile(c.pattern if c.pattern is not None else re.escape(c.text or ""), flags)
    shown = c.pattern if c.pattern is not None else c.text

    def test(f: SubmittedFile) -> tuple[bool, str]:
        text = sub.info(f).text or ""
        m = needle.search(text)
        if m:
            return True, f"{f.name}: found {shown!r} in {_snippet(text, m.start(), m.end())!r}"
        return False, f"{f.name}: {shown!r} not found in {len(text)} characters of text"

    return _per_file(sub, c.file, None, f"text {shown!r}", test)


def _heading_present(c: HeadingPresent, sub: Submission) -> CheckOutcome:
    want = c.text.casefold()

    def test(f: SubmittedFile) -> tuple[bool, str]:
        info = sub.info(f)
        labelled = ([("heading", h) for h in info.headings or []]
                    + [("slide title", t) for t in info.slide_titles or []]
                    + [("sheet", s) for s in info.sheet_names or []])
        for label, h in labelled:
            if want in (h or "").casefold():
                return True, f"{f.name}: {label} {h!r}"
        shown = [h for _, h in labelled][:12]
        return False, f"{f.name}: no heading containing {c.text!r} (have {shown})"

    return _per_file(sub, c.file, None, f"heading {c.text!r}", test)


_EVALUATORS: dict[type, Callable[[Any, Submission], CheckOutcome]] = {
    FileType: _file_type, FileName: _file_name, SheetPresent: _sheet_present,
    CellValue: _cell_value, Count: _count, TextContains: _text_contains,
    HeadingPresent: _heading_present,
}


def evaluate(check: Check, sub: Submission) -> CheckOutcome:
    """Whether ``check`` holds for the submission, with what was found where."""
    return _EVALUATORS[type(check)](check, sub)


def evaluate_all(checks: Sequence[Check], sub: Submission) -> CheckOutcome:
    """All checks must hold (an auto-mapped criterion may need two, e.g. type and name).

    Any failing check decides "not met"; otherwise any undecided one leaves it undecided.
    """
    outcomes = [evaluate(c, sub) for c in checks]
    evidence = "; ".join(o.evidence for o in outcomes)
    if any(o.met is False for o in outcomes):
        return CheckOutcome(False, evidence)
    if any(o.met is None for o in outcomes):
        errors = "; ".join(o.error or "undecided" for o in outcomes if o.met is None)
        return CheckOutcome(None, evidence, error=errors)
    return CheckOutcome(True, evidence)
