"""Document-plan mode: one constrained JSON answer, rendered to the requested files.

For models that cannot drive tools reliably (the embedded SmolLM2): the model fills in a
small, bounded schema (every string has ``maxLength``, every array ``maxItems``; small
models loop on unbounded schemas) and occubench renders that plan through the same
document specs and writers the tools use, to every deliverable the task asks for.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.files import safe_name
from core.task import Task
from runner import docspec
from runner.docwriter.markup import plain

PLAN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "maxLength": 120},
        "summary": {"type": "string", "maxLength": 700},
        "sections": {
            "type": "array", "minItems": 1, "maxItems": 5,
            "items": {
                "type": "object",
                "properties": {
                    "heading": {"type": "string", "maxLength": 100},
                    "paragraphs": {"type": "array", "maxItems": 2,
                                   "items": {"type": "string", "maxLength": 600}},
                    "bullets": {"type": "array", "maxItems": 5,
                                "items": {"type": "string", "maxLength": 160}},
                },
                "required": ["heading", "paragraphs", "bullets"],
            },
        },
        "table": {
            "type": "object",
            "properties": {
                "title": {"type": "string", "maxLength": 80},
                "columns": {"type": "array", "maxItems": 5,
                            "items": {"type": "string", "maxLength": 40}},
                "rows": {"type": "array", "maxItems": 8,
                         "items": {"type": "array", "maxItems": 5,
                                   "items": {"type": "string", "maxLength": 60}}},
            },
            "required": ["title", "columns", "rows"],
        },
    },
    "required": ["title", "summary", "sections", "table"],
}


class _Lenient(BaseModel):
    """Plans come from small models: accept what parses, fill what is missing."""

    model_config = ConfigDict(extra="ignore")


def _text(v: Any) -> str:
    return v if isinstance(v, str) else "" if v is None else str(v)


class PlanSection(_Lenient):
    heading: str = ""
    paragraphs: list[str] = Field(default_factory=list)
    bullets: list[str] = Field(default_factory=list)

    @field_validator("paragraphs", "bullets", mode="before")
    @classmethod
    def _strings(cls, v: Any) -> list[str]:
        items = v if isinstance(v, list) else [v] if v else []
        return [s.strip() for s in map(_text, items) if s.strip()]


class PlanTable(_Lenient):
    title: str = ""
    columns: list[str] = Field(default_factory=list)
    rows: list[list[str]] = Field(default_factory=list)

    @field_validator("columns", mode="before")
    @classmethod
    def _cols(cls, v: Any) -> list[str]:
        return [_text(c) for c in v] if isinstance(v, list) else []

    @field_validator("rows", mode="before")
    @classmethod
    def _rows(cls, v: Any) -> list[list[str]]:
        if not isinstance(v, list):
            return []
        return [[_text(c) for c in r] for r in v if isinstance(r, list) and any(r)]


class DocumentPlan(_Lenient):
    title: str = ""
    summary: str = ""
    sections: list[PlanSection] = Field(default_factory=list)
    table: PlanTable | None = None

    @field_validator("title", "summary", mode="before")
    @classmethod
    def _str(cls, v: Any) -> str:
        return _text(v).strip()

    @field_validator("sections", mode="before")
    @classmethod
    def _sections(cls, v: Any) -> list:
        return [s for s in v if isinstance(s, dict)] if isinstance(v, list) else []

    @field_validator("table", mode="before")
    @classmethod
    def _table(cls, v: Any) -> Any:
        return v if isinstance(v, dict) else None

    def usable_table(self) -> PlanTable | None:
        t = self.table
        return t if t is not None and (t.columns or t.rows) else None


# -- targets ----------------------------------------------------------------------------

RENDERABLE = ("docx", "xlsx", "pptx", "pdf", "md", "txt", "csv")


def plan_targets(task: Task) -> list[tuple[str, str]]:
    """``(file_type, file name)`` for each deliverable the plan is rendered to."""
    base = safe_name(re.sub(r"\s+", "_", task.title.strip()))[:60] or "deliverable"
    wanted: list[tuple[str, str | None]] = [(d.type, d.name) for d in task.deliverables]
    if not wanted:
        wanted = [(t, None) for t in task.deliverable_types] or [("docx", None)]
    out: list[tuple[str, str]] = []
    used: set[str] = set()
    for ftype, name in wanted:
        if ftype not in RENDERABLE:
            continue
        name = safe_name(name) if name else f"{base}.{ftype}"
        stem, _, ext = name.rpartition(".")
        n = 2
        while name.lower() in used:
            name = f"{stem}_{n}.{ext}"
            n += 1
        used.add(name.lower())
        out.append((ftype, name))
    return out or [("docx", f"{base}.docx")]


# -- rendering to specs -------------------------------------------------------------------

_NUM = re.compile(r"^[\s$€£]*-?[\d,]*\.?\d+\s*$")


def _cell(value: str) -> str | float | int:
    """Numbers in a plan's table become numbers (so a workbook can sum them)."""
    if _NUM.match(value) and any(ch.isdigit() for ch in value):
        cleaned = re.sub(r"[\s$€£,]", "", value)
        try:
            f = float(cleaned)
        except ValueError:
            return value
        return int(f) if f.is_integer() and "." not in cleaned else f
    return value


def _sentences(text: str, limit: int = 6) -> list[str]:
    parts = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    return parts[:limit]


def _title(plan: DocumentPlan, task: Task) -> str:
    return (plan.title or task.title)[:500]


def to_text_spec(plan: DocumentPlan, task: Task) -> docspec.TextDocumentSpec:
    blocks: list[dict] = []
    if plan.summary:
        blocks.append({"type": "paragraph", "text": plan.summary})
    for s in plan.sections:
        if s.heading:
            blocks.append({"type": "heading", "text": s.heading[:500], "level": 1})
        blocks += [{"type": "paragraph", "text": p} for p in s.paragraphs]
        if s.bullets:
            blocks.append({"type": "bullets", "items": s.bullets})
    table = plan.usable_table()
    if table:
        if table.title:
            blocks.append({"type": "heading", "text": table.title[:500], "level": 2})
        blocks.append({"type": "table", "header": table.columns,
                       "rows": [[_cell(c) for c in r] for r in table.rows]})
    return docspec.TextDocumentSpec.model_validate({"title": _title(plan, task),
                                                   "blocks": blocks})


def to_pptx_spec(plan: DocumentPlan, task: Task) -> docspec.PptxSpec:
    slides: list[dict] = []
    if plan.summary:
        slides.append({"title": "Overview", "bullets": _sentences(plan.summary),
                       "notes": plan.summary})
    for s in plan.sections:
        bullets = s.bullets or [b for p in s.paragraphs for b in _sentences(p, 3)]
        slides.append({"title": (s.heading or "Details")[:500], "bullets": bullets[:8],
                       "notes": "\n\n".join(s.paragraphs) or None})
    table = plan.usable_table()
    if table:
        slides.append({"title": (table.title or "Key figures")[:500], "table": {
            "header": table.columns, "rows": [[_cell(c) for c in r] for r in table.rows]}})
    return docspec.PptxSpec.model_validate({"title": _title(plan, task),
                                           "subtitle": task.occupation, "slides": slides})


def to_xlsx_spec(plan: DocumentPlan, task: Task) -> docspec.XlsxSpec:
    sheets: list[dict] = []
    table = plan.usable_table()
    if table:
        rows = [table.columns] if table.columns else []
        rows += [[_cell(c) for c in r] for r in table.rows]
        sheets.append({"name": "Data", "rows": rows, "header": bool(table.columns)})
    summary_rows: list[list] = [["Section", "Content"], ["Title", _title(plan, task)]]
    if plan.summary:
        summary_rows.append(["Summary", plan.summary])
    for s in plan.sections:
        for text in s.paragraphs + s.bullets:
            summary_rows.append([s.heading, plain(text)])
    sheets.append({"name": "Summary", "rows": summary_rows, "column_widths": {"A": 28, "B": 90}})
    return docspec.XlsxSpec.model_validate({"sheets": sheets})


def to_markdown(plan: DocumentPlan, task: Task) -> str:
    lines = [f"# {_title(plan, task)}", ""]
    if plan.summary:
        lines += [plan.summary, ""]
    for s in plan.sections:
        lines += [f"## {s.heading}", ""] if s.heading else []
        lines += [p + "\n" for p in s.paragraphs]
        lines += [f"- {b}" for b in s.bullets]
        lines.append("")
    table = plan.usable_table()
    if table and table.columns:
        lines += [f"## {table.title}" if table.title else "", "",
                  "| " + " | ".join(table.columns) + " |",
                  "|" + "---|" * len(table.columns)]
        lines += ["| " + " | ".join(r) + " |" for r in table.rows]
    return "\n".join(lines).strip() + "\n"


def to_csv(plan: DocumentPlan) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    table = plan.usable_table()
    if table:
        if table.columns:
            w.writerow(table.columns)
        w.writerows(table.rows)
    else:
        w.writerow(["section", "text"])
        for s in plan.sections:
            for text in s.paragraphs + s.bullets:
                w.writerow([s.heading, text])
    return buf.getvalue()
