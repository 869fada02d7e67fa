"""Flag text in which a deliverable gives away that an AI made it.

GDPval's blind review broke when a model named itself or wrote "as an AI". This check
does not change anything; it lists findings for the admin, who decides. The patterns are
a readable list below, grouped by kind. Names that are also ordinary words or first
names (Claude, Gemini, Llama, Mistral, Gemma, Grok, Phi, Bard, Copilot) only count with
a model-like qualifier ("Claude 3", "Gemini Pro", "Llama-2") or in a self-reference ("I
am Claude"), so "Claude Dupont, CFO" or "a llama farm" is not flagged.

The admin extends the list without touching code: one phrase per line in
``$OCCUBENCH_DATA/self_identification.txt`` (or the file named by
``$OCCUBENCH_SELF_ID_TERMS``), matched case-insensitively as whole words; a line
starting with ``re:`` is a regular expression; ``#`` starts a comment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.config import data_dir

_AMBIGUOUS = r"(?:claude|gemini|llama|mistral|gemma|grok|phi|bard|copilot)"
_ASSISTANTS = (r"(?:chatgpt|gpt-?\d[\w.-]*|claude|gemini|llama|mistral|qwen|smollm\d*|"
               r"deepseek|grok|copilot|bard)")

# (kind, pattern): case-insensitive regular expressions, matched on word boundaries.
PATTERNS: list[tuple[str, str]] = [
    # the deliverable speaks as an AI
    ("self-reference", r"as an? (?:ai|a\.i\.|artificial intelligence)(?: (?:language )?model"
                       r"| assistant| system)?"),
    ("self-reference", r"as an? (?:large )?language model"),
    ("self-reference", r"i(?:'m|’m| am) (?:just |only )?(?:an? )?(?:ai|a\.i\.|artificial "
                       r"intelligence|(?:large )?language model|llm|chatbot|virtual assistant)"
                       r"(?: (?:model|assistant|system))?"),
    ("self-reference", r"i(?:'m|’m| am) " + _ASSISTANTS),
    ("self-reference", r"(?:my|the model's) (?:training data|knowledge cut-?off)"),
    ("self-reference", r"i (?:do not|don't|cannot|can't) (?:browse the (?:internet|web)|"
                       r"access (?:the internet|real-time (?:data|information)))"),
    ("ai-disclosure", r"(?:generated|written|drafted|created|produced) (?:by|with|using) "
                      r"(?:an? )?(?:ai|a\.i\.|artificial intelligence|(?:large )?language "
                      r"model|llm|" + _ASSISTANTS + r")"),
    ("ai-disclosure", r"ai-generated"),
    # model names
    ("model", r"chatgpt"),
    ("model", r"gpt-?[2-9](?:\.\d+)?(?:o|-?turbo|-?mini|-?nano|-?pro)?"),
    ("model", r"gpt-?oss"),
    ("model", r"qwen[\d.]*(?:-?\w+)?"),
    ("model", r"smollm\d*"),
    ("model", r"deepseek(?:-?[vr]\d)?"),
    ("model", r"mixtral"),
    ("model", r"claude[- ]?(?:\d(?:\.\d)?|opus|sonnet|haiku|instant|code|ai)"),
    ("model", r"gemini[- ]?(?:\d(?:\.\d)?|pro|ultra|flash|nano|advanced)"),
    ("model", r"llama[- ]?\d(?:\.\d)?"),
    ("model", r"mistral[- ]?(?:\d+b|large|medium|small|nemo|7b|ai)"),
    ("model", r"gemma[- ]?\d"),
    ("model", r"grok[- ]?\d"),
    ("model", r"phi-\d"),
    ("model", r"(?:microsoft |github )copilot"),
    ("model", r"google bard"),
    # vendors
    ("vendor", r"openai"),
    ("vendor", r"anthropic"),
    ("vendor", r"google deepmind|deepmind"),
    ("vendor", r"meta ai"),
    ("vendor", r"hugging ?face"),
    ("vendor", r"xai(?= (?:corp|inc|grok))"),
]


@dataclass(frozen=True)
class Finding:
    phrase: str  # the text matched, as written
    kind: str  # self-reference, ai-disclosure, model, vendor, custom
    context: str  # the surrounding text, on one line


def self_identification(text: str, *, extra: Iterable[str] | None = None) -> list[Finding]:
    """Findings in ``text``, in order of appearance; ``extra`` phrases (same syntax as the
    admin's file) replace the file's list when given."""
    found: list[tuple[int, Finding]] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _compiled(tuple(extra) if extra is not None else _admin_terms()):
        for m in rx.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue  # already reported under an earlier, more specific pattern
            taken.append((m.start(), m.end()))
            found.append((m.start(), Finding(m.group(0), kind, _context(text, *m.span()))))
    return [f for _, f in sorted(found, key=lambda pair: pair[0])]


def _context(text: str, start: int, end: int, width: int = 50) -> str:
    left = " ".join(text[max(0, start - width) : start].split())
    right = " ".join(text[end : end + width].split())
    return ("..." if start > width else "") + f"{left} {text[start:end]} {right}".strip() + (
        "..." if end + width < len(text) else "")


_CACHE: dict[tuple[str, ...], list[tuple[str, re.Pattern[str]]]] = {}


def _compiled(extra: tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    if extra not in _CACHE:
        out = [(kind, _word(p)) for kind, p in PATTERNS]
        for line in extra:
            line = line.split("#", 1)[0].strip() if not line.startswith("re:") else line
            if not line:
                continue
            pattern = line[3:].strip() if line.startswith("re:") else re.escape(line)
            try:
                out.append(("custom", _word(pattern)))
            except re.error:
                continue  # a bad admin pattern must not break review
        _CACHE[extra] = out
    return _CACHE[extra]


def _word(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w])", re.IGNORECASE)


def terms_file() -> Path:
    return Path(os.environ.get("OCCUBENCH_SELF_ID_TERMS") or data_dir() / "self_identification.txt")


def _admin_terms() -> tuple[str, ...]:
    path = terms_file()
    if not path.is_file():
        return ()
    return tuple(ln.strip() for ln in path.read_text(errors="replace").splitlines() if ln.strip())
