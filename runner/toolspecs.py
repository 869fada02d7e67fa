"""The tools as the model sees them: OpenAI function definitions with JSON schemas.

The write tools' schemas are generated from the pydantic spec models (one source of
truth), with ``$ref`` inlined and titles dropped: some OpenAI-compatible servers do not
resolve references, and a smaller schema costs fewer prompt tokens on every turn.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from runner.docspec import PptxSpec, TextDocumentSpec, XlsxSpec

_DESCRIPTIONS = {
    "list_inputs": "List the task's input (reference) files: name, type and size. They are "
                   "also available to run_python under inputs/.",
    "read_input": "Read the text of an input file (docx, xlsx, pptx, pdf, csv, txt...); "
                  "images are described by name and size. Also reads back files you wrote.",
    "write_docx": "Write a Word document from a structured spec: title, subtitle and blocks "
                  "(heading, paragraph, bullets, numbered, table, page_break). Inline "
                  "**bold** and *italic* are honoured. Overwrites a file of the same name.",
    "write_pdf": "Write a PDF document from the same structured spec as write_docx.",
    "write_xlsx": "Write an Excel workbook: sheets with rows of cells (text, numbers, "
                  "booleans; strings starting with '=' are formulas), number formats, "
                  "column widths, a bold frozen header row.",
    "write_pptx": "Write a PowerPoint deck: an optional title slide, then slides with a "
                  "title, bullets, an optional table and speaker notes.",
    "run_python": "Run a Python 3 script in a sandbox whose current directory is your work "
                  "dir (inputs under inputs/, read-only). python-docx, openpyxl, "
                  "python-pptx, reportlab and pdfplumber are installed; there is no network. "
                  "Files you save in the current directory can be handed in. Returns exit "
                  "code, stdout and stderr.",
    "finish": "Hand in your deliverables and end the task: the file names (in your work dir) "
              "and a short summary of what you produced. Each file is checked to be a real "
              "document.",
}


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    defs = schema.get("$defs", {})

    def walk(node: Any, names: bool = False) -> Any:
        """``names``: node is a ``properties`` map, whose keys are field names (a field
        may be called ``title``), not schema keywords."""
        if isinstance(node, dict):
            if names:
                return {k: walk(v) for k, v in node.items()}
            if "$ref" in node:
                target = walk(copy.deepcopy(defs[node["$ref"].split("/")[-1]]))
                return {**target, **{k: walk(v, k == "properties") for k, v in node.items()
                                     if k != "$ref"}}
            return {k: walk(v, k == "properties") for k, v in node.items()
                    if k not in ("$defs", "title", "discriminator")}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


def _with_filename(spec_schema: dict[str, Any], ext: str) -> dict[str, Any]:
    out = copy.deepcopy(spec_schema)
    out["properties"] = {
        "filename": {"type": "string", "description": f"plain file name ending in .{ext}"},
        **out["properties"],
    }
    out["required"] = ["filename", *out.get("required", [])]
    return out


@functools.cache
def _schemas() -> dict[str, dict[str, Any]]:
    text = _inline(TextDocumentSpec.model_json_schema())
    return {
        "list_inputs": {"type": "object", "properties": {}},
        "read_input": {"type": "object", "properties": {
            "name": {"type": "string", "description": "file name as listed by list_inputs"},
            "max_chars": {"type": "integer", "description": "default 20000"}},
            "required": ["name"]},
        "write_docx": _with_filename(text, "docx"),
        "write_pdf": _with_filename(text, "pdf"),
        "write_xlsx": _with_filename(_inline(XlsxSpec.model_json_schema()), "xlsx"),
        "write_pptx": _with_filename(_inline(PptxSpec.model_json_schema()), "pptx"),
        "run_python": {"type": "object", "properties": {
            "code": {"type": "string", "description": "a complete Python 3 script"}},
            "required": ["code"]},
        "finish": {"type": "object", "properties": {
            "files": {"type": "array", "items": {"type": "string"},
                      "description": "deliverable file names in the work dir"},
            "summary": {"type": "string", "description": "what you produced, briefly"}},
            "required": ["files", "summary"]},
    }


def tool_definitions(names: list[str]) -> list[dict[str, Any]]:
    """OpenAI ``tools`` entries for the given tool names, in that order (shared and
    cached: callers must not modify them)."""
    return _definitions(tuple(names))


@functools.cache
def _definitions(names: tuple[str, ...]) -> list[dict[str, Any]]:
    schemas = _schemas()
    return [{"type": "function", "function": {"name": n, "description": _DESCRIPTIONS[n],
                                              "parameters": schemas[n]}}
            for n in names]
