"""Turning unambiguous GDPval criteria into deterministic checks.

GDPval rubric items rarely carry an explicit check, but some are plainly decidable from
the file alone: "The submitted deliverable is an Excel workbook file whose basename is
'Sample' (accept .xlsx, .xls, or .xlsm)" is a file-type check and a file-name check. A
judge asked that question wastes a call and can get it wrong.

The patterns here are deliberately few and strict: each must match the *whole*
criterion (after whitespace and quote normalisation), so any extra condition ("a
*single* workbook", "the *first* worksheet is named ...", "not present") falls through to
the judge. When in doubt, a criterion is not mapped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from core.checks import Check, Count, FileName, FileType, HeadingPresent, SheetPresent

_KIND_TYPES = {
    "excel": ("xlsx", "xlsm", "xls"), "spreadsheet": ("xlsx", "xlsm", "xls"),
    "word": ("docx", "doc"), "powerpoint": ("pptx", "ppt"), "pdf": ("pdf",),
}
_WORDS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty"))}


@dataclass(frozen=True)
class Mapping:
    """The checks that decide a criterion (all must hold) and the pattern that matched."""

    pattern: str
    checks: list[Check]


def _normalise(text: str) -> str:
    text = text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\u2011", "-").replace("\u2013", "-")
    return " ".join(text.split()).strip()


def _kind_types(kind: str) -> tuple[str, ...]:
    return _KIND_TYPES[kind.split()[0].lower()]


def _exts(text: str) -> list[str]:
    return [e.lower() for e in re.findall(r"\.([A-Za-z]{3,4})\b", text)]


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _WORDS[token.lower()]


_KIND = r"(?P<kind>excel(?: workbook| spreadsheet)?|spreadsheet|word(?: document)?|" \
        r"powerpoint(?: presentation| deck)?|pdf(?: document)?)"
_SUBJECT = r"(?:the )?(?:final |submitted )?(?:deliverable|file|output)"
_NUM = r"(\d{1,3}|" + "|".join(_WORDS) + r")"


def _type_and_basename(m: re.Match[str]) -> list[Check] | None:
    exts = _exts(m["accept"])
    allowed = _kind_types(m["kind"])
    if not exts or any(e not in allowed for e in exts):
        return None
    return [FileType(kind="file_type", types=exts),
            FileName(kind="file_name", stem=m["stem"], types=exts)]


def _exact_file_name(m: re.Match[str]) -> list[Check] | None:
    name = m["name"]
    stem, ext = name.rsplit(".", 1)
    if not stem.strip():
        return None
    return [FileName(kind="file_name", stem=stem, types=[ext.lower()])]


def _type_only(m: re.Match[str]) -> list[Check] | None:
    exts = _exts(m["ext"] or "") + _exts(m["ext2"] or "")
    allowed = _kind_types(m["kind"])
    if not exts and allowed == ("pdf",):  # "a PDF document" names exactly one type
        exts = ["pdf"]
    if len(set(exts)) != 1 or exts[0] not in allowed:
        return None
    return [FileType(kind="file_type", types=[exts[0]])]


def _sheet_named(m: re.Match[str]) -> list[Check] | None:
    exact = bool(m["exactly"]) and not m["ci"]
    return [SheetPresent(kind="sheet_present", sheet=m["sheet"].strip() if not exact
                         else m["sheet"], exact=exact)]


def _count(kind: str) -> Callable[[re.Match[str]], list[Check] | None]:
    def build(m: re.Match[str]) -> list[Check] | None:
        rel = m["rel"].lower()
        n = _number(m["n"])
        if rel in ("at most", "no more than", "no longer than", "not more than"):
            bounds = {"max": n}
        elif rel in ("at least", "no fewer than", "no less than"):
            bounds = {"min": n}
        elif rel == "exactly":
            bounds = {"min": n, "max": n}
        elif rel == "between" and m["m"]:
            lo, hi = sorted((n, _number(m["m"])))
            bounds = {"min": lo, "max": hi}
        else:
            return None
        return [Count(kind=kind, **bounds)]
    return build


_PATTERNS: list[tuple[str, re.Pattern[str], Callable[[re.Match[str]], list[Check] | None]]] = [
    ("type+basename", re.compile(
        _SUBJECT + r" is an? " + _KIND + r"(?: file)? whose (?:basename|base name|file name) "
        r"is '(?P<stem>[^'/\\]+)' \((?:accept|accepting|allowed:?) (?P<accept>[^)]+)\)\.?",
        re.I), _type_and_basename),
    ("exact file name", re.compile(
        r"(?:the )?(?:final |submitted )?(?:deliverable|file|workbook|document|presentation"
        r"|report)(?: file)? ?name is exactly '?(?P<name>[A-Za-z0-9 _.()-]+?\.(?:xlsx|xlsm"
        r"|xls|docx|pptx|pdf))'?\.?", re.I), _exact_file_name),
    ("file type", re.compile(
        r"(?:" + _SUBJECT + r" (?:is|was)(?: provided| submitted| delivered| saved)?"
        r"(?: as)?|delivers) an? (?:(?P<ext>\.[a-z]{3,4}) )?" + _KIND + r"(?: file)?"
        r"(?: in (?P<ext2>\.[a-z]{3,4}) format)?(?: \(not [^)]*\))?\.?", re.I), _type_only),
    ("sheet named", re.compile(
        r"(?:the )?workbook (?:contains|includes|has) an? (?:work)?sheet (?:named|titled|"
        r"called) (?P<exactly>exactly )?'(?P<sheet>[^']+)'(?P<ci> \(case[- ]insensitive"
        r"(?:, ignoring (?:surrounding|leading(?: and|/) trailing) (?:spaces|whitespace))?"
        r"\))?\.?", re.I), _sheet_named),
    ("sheet name includes", re.compile(
        r"(?:an? (?:work)?sheet (?:with a name that|whose name) (?:includes|contains) "
        r"'(?P<text>[^']+)' exists in the workbook|(?:the )?workbook (?:contains|includes|"
        r"has) an? (?:work)?sheet whose name (?:includes|contains) '(?P<text2>[^']+)')\.?",
        re.I), lambda m: _sheet_name_includes(m)),
    ("slide count", re.compile(
        r"(?:the )?(?:presentation|deck|slide deck|powerpoint) (?:has|contains|includes|is) "
        r"(?P<rel>at most|no more than|not more than|at least|no fewer than|exactly|between) "
        + _NUM.replace("(", "(?P<n>", 1) + r"(?: and " + _NUM.replace("(", "(?P<m>", 1)
        + r")? slides(?: long| in total)?\.?", re.I), _count("slide_count")),
    ("page count", re.compile(
        r"(?:the )?(?:document|report|memo|deliverable|pdf) (?:is|has|contains|runs) "
        r"(?P<rel>at most|no more than|not more than|no longer than|at least|exactly|between) "
        + _NUM.replace("(", "(?P<n>", 1) + r"(?: and " + _NUM.replace("(", "(?P<m>", 1)
        + r")? pages?(?: long| in length)?\.?", re.I), _count("page_count")),
]


def _sheet_name_includes(m: re.Match[str]) -> list[Check] | None:
    text = m["text"] or m["text2"]
    return [HeadingPresent(kind="heading_present", text=text, file="*.xls*")]


_BLOCKERS = re.compile(r"\b(single|only|each|every|all|not present|no other|first|last|"
                       r"second|multiple|both)\b", re.I)


def auto_checks(criterion: str) -> Mapping | None:
    """The checks that decide ``criterion``, or None when it needs a judge."""
    text = _normalise(criterion)
    if _BLOCKERS.search(text):
        return None
    for name, pattern, build in _PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            checks = build(m)
            if checks:
                return Mapping(name, checks)
    return None
