"""Render a validated document spec to docx, xlsx, pptx or pdf.

``write_document`` is the one entry point used by the agent's write tools and by
document-plan mode; files are written to a temporary name and renamed into place, so a
crash never leaves a half-written deliverable behind.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from runner.docspec import SPEC_BY_TYPE

WRITABLE_TYPES = tuple(SPEC_BY_TYPE)


def parse_spec(file_type: str, data: dict[str, Any] | BaseModel) -> BaseModel:
    """Validate ``data`` as the spec for ``file_type`` (raises pydantic.ValidationError)."""
    model = SPEC_BY_TYPE[file_type]
    if isinstance(data, model):
        return data
    if isinstance(data, BaseModel):
        data = data.model_dump()
    return model.model_validate(data)


def describe_spec(spec: BaseModel) -> str:
    """What a spec holds, in a few words (the write tools' answer to the model)."""
    if hasattr(spec, "sheets"):
        return ", ".join(f"sheet {s.name!r} ({len(s.rows)} rows)" for s in spec.sheets)
    if hasattr(spec, "slides"):
        n = len(spec.slides) + (1 if spec.title else 0)
        return f"{n} slide(s)"
    blocks = getattr(spec, "blocks", [])
    kinds: dict[str, int] = {}
    for b in blocks:
        kinds[b.type] = kinds.get(b.type, 0) + 1
    parts = [f"{n} {k}{'s' if n > 1 else ''}" for k, n in kinds.items()]
    return ", ".join(parts) or "title only"


def write_document(file_type: str, spec: dict[str, Any] | BaseModel, path: Path) -> Path:
    """Write ``spec`` as a ``file_type`` document at ``path``; returns the path."""
    if file_type not in SPEC_BY_TYPE:
        raise ValueError(f"cannot write {file_type!r} documents; use one of {WRITABLE_TYPES}")
    parsed = parse_spec(file_type, spec)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        if file_type == "docx":
            from runner.docwriter.docx_writer import write_docx
            write_docx(parsed, tmp)  # type: ignore[arg-type]
        elif file_type == "xlsx":
            from runner.docwriter.xlsx_writer import write_xlsx
            write_xlsx(parsed, tmp)  # type: ignore[arg-type]
        elif file_type == "pptx":
            from runner.docwriter.pptx_writer import write_pptx
            write_pptx(parsed, tmp)  # type: ignore[arg-type]
        else:
            from runner.docwriter.pdf_writer import write_pdf
            write_pdf(parsed, tmp)  # type: ignore[arg-type]
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
