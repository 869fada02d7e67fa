"""What a task module returns (``TaskSpec``), rubric item and check builders, and the
writer that turns a spec plus the files it made into ``task.yaml``.

Numbers in rubric criteria and checks are passed in from the same variables that wrote
the gold files, so the two cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.task import Task, file_type_of
from core.yamlio import dump_yaml

SOURCE = {"kind": "occubench", "revision": "2026.11"}

PLACEHOLDER_PATTERN = (r"(?i)lorem ipsum|\[(?:insert|name|date|client|company|your|tbd|x+)"
                       r"[^\]]{0,40}\]|\bTBD\b|\bXX+\b")
"""Leftover template text: a penalty check shared by every task."""


@dataclass
class Context:
    """Where a task module writes its files."""

    dir: Path

    @property
    def inputs(self) -> Path:
        return self.dir / "inputs"

    @property
    def gold(self) -> Path:
        return self.dir / "gold"

    def input(self, name: str) -> Path:
        return self.inputs / name

    def gold_file(self, name: str) -> Path:
        return self.gold / name


@dataclass
class TaskSpec:
    id: str
    title: str
    occupation: str
    prompt: str
    deliverables: list[tuple[str, str]]
    expert_hours: float
    rubric: list[dict[str, Any]]
    sector: str = ""
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


TaskBuilder = Callable[[Context], TaskSpec]


def item(key: str, score: int, criterion: str, check: dict[str, Any] | None = None
         ) -> dict[str, Any]:
    """A rubric item; its id is ``<key>`` and becomes ``<task id>:<key>`` when written."""
    out: dict[str, Any] = {"rubric_item_id": key, "criterion": " ".join(criterion.split()),
                           "score": score}
    if check:
        out["check"] = check
    return out


def _scoped(d: dict[str, Any], file: str | None) -> dict[str, Any]:
    if file:
        d["file"] = file
    return d


def c_type(*types: str, file: str | None = None) -> dict[str, Any]:
    return _scoped({"kind": "file_type", "types": list(types)}, file)


def c_name(stem: str, *types: str) -> dict[str, Any]:
    d: dict[str, Any] = {"kind": "file_name", "stem": stem}
    if types:
        d["types"] = list(types)
    return d


def c_sheet(name: str, file: str | None = None, exact: bool = True) -> dict[str, Any]:
    d: dict[str, Any] = {"kind": "sheet_present", "sheet": name}
    if not exact:
        d["exact"] = False
    return _scoped(d, file)


def c_cell(sheet: str, cell: str, equals: float | str | None = None, *,
           contains: str | None = None, tolerance: float = 0.0,
           file: str | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {"kind": "cell_value", "sheet": sheet, "cell": cell}
    if contains is not None:
        d["contains"] = contains
    else:
        d["equals"] = round(equals, 2) if isinstance(equals, float) else equals
    if tolerance:
        d["tolerance"] = tolerance
    return _scoped(d, file)


def c_count(kind: str, lo: int | None = None, hi: int | None = None,
            file: str | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {"kind": kind}
    if lo is not None:
        d["min"] = lo
    if hi is not None:
        d["max"] = hi
    return _scoped(d, file)


def c_text(text: str | None = None, *, pattern: str | None = None,
           file: str | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {"kind": "text_contains"}
    if pattern is not None:
        d["pattern"] = pattern
    else:
        d["text"] = text
    return _scoped(d, file)


def c_heading(text: str, file: str | None = None) -> dict[str, Any]:
    return _scoped({"kind": "heading_present", "text": text}, file)


def placeholder_penalty(score: int = -2) -> dict[str, Any]:
    return item("placeholder-text", score,
                "PENALTY: the deliverable contains leftover template or placeholder text such "
                "as [Name], [Insert date], TBD, XX or Lorem ipsum.",
                c_text(pattern=PLACEHOLDER_PATTERN))


def unwrap(text: str) -> str:
    """Undo the source code's hard wrapping: one line per paragraph or list item.

    Prompts are written wrapped at 100 columns in the modules; readers (models, the review
    app) should get flowing paragraphs. Lines starting with ``- `` or ``1. `` start items.
    """
    paras = []
    for para in text.strip().split("\n\n"):
        items: list[str] = []
        for line in para.splitlines():
            line = line.strip()
            if not items or re.match(r"^(?:-|\d+\.)\s", line):
                items.append(line)
            else:
                items[-1] += " " + line
        paras.append("\n".join(items))
    return "\n\n".join(paras) + "\n"


def task_document(spec: TaskSpec, task_dir: Path) -> dict[str, Any]:
    """The task.yaml mapping: fields in reading order, files listed from disk, validated."""
    inputs = sorted(p.relative_to(task_dir).as_posix()
                    for p in (task_dir / "inputs").glob("*") if p.is_file())
    gold = sorted(p.relative_to(task_dir).as_posix()
                  for p in (task_dir / "gold").glob("*") if p.is_file())
    names = {Path(g).name for g in gold}
    for typ, name in spec.deliverables:
        if name not in names:
            raise ValueError(f"{spec.id}: deliverable {name} has no gold file")
        if file_type_of(name) != typ:
            raise ValueError(f"{spec.id}: deliverable {name} is not of type {typ}")
    rubric = []
    for it in spec.rubric:
        it = dict(it)
        it["rubric_item_id"] = f"{spec.id}:{it['rubric_item_id']}"
        rubric.append(it)
    doc: dict[str, Any] = {
        "id": spec.id,
        "title": spec.title,
        "sector": spec.sector,
        "occupation": spec.occupation,
        "expert_hours": spec.expert_hours,
        "source": dict(SOURCE),
        "prompt": unwrap(spec.prompt),
        "inputs": [{"path": p} for p in inputs],
        "deliverables": [{"type": t, "name": n} for t, n in spec.deliverables],
        "gold": [{"path": p} for p in gold],
        "rubric": rubric,
    }
    Task.model_validate(doc)
    return doc


def render_yaml(doc: dict[str, Any], module: str) -> str:
    """``module`` is the builder's dotted module name (``occupations._build.finance.x``)."""
    head = (f"# Generated by `python -m occupations._build` from {module.replace('.', '/')}.py.\n"
            "# Edit that module and rebuild; hand edits here are overwritten.\n")
    return head + dump_yaml(doc)


def money_re(x: float, step: int = 1000) -> str:
    """A regex for a dollar amount stated to the nearest ``step`` or more precisely.

    ``money_re(375_470)`` matches "$375,470", "375,470.12" and "$375,000"-style roundings
    of the thousands either side, so a check accepts any honest rounding of the figure.
    """
    lo, hi = int((abs(x) - step / 2) // step), int((abs(x) + step / 2) // step)
    heads = sorted({f"{k:,}" for k in (lo, hi)})
    return r"(?<![\d,.])\$?\s?(?:" + "|".join(heads) + r"),\d{3}"
