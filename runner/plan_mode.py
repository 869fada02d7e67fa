"""Running a sample in document-plan mode: ask once, render to every deliverable."""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import ValidationError

from core.task import Task
from runner import plan as P
from runner.agent import Ending
from runner.docwriter import write_document
from runner.docwriter.check import check_document
from runner.inputs import read_text
from runner.limits import Budget
from runner.outcome import Transcript
from runner.prompts import plan_messages
from runner.workspace import Workspace


async def _input_excerpts(ws: Workspace, budget_chars: int) -> list[tuple[str, str]]:
    """Input text for the prompt (the model cannot read files itself), within budget."""
    out: list[tuple[str, str]] = []
    left = budget_chars
    for f in ws.inputs:
        if left <= 200:
            out.append((f.name, "[not shown: prompt budget used up]"))
            continue
        text, truncated = await asyncio.to_thread(read_text, ws.input_path(f), left)
        text = text[:left]
        left -= len(text)
        out.append((f.name, text + ("\n[truncated]" if truncated or left <= 0 else "")))
    return out


def _render(plan: P.DocumentPlan, task: Task, ws: Workspace,
            targets: list[tuple[str, str]]) -> list:
    files = []
    for ftype, name in targets:
        path = ws.output_path(name, extension=ftype)
        if ftype in ("docx", "pdf"):
            write_document(ftype, P.to_text_spec(plan, task), path)
        elif ftype == "pptx":
            write_document(ftype, P.to_pptx_spec(plan, task), path)
        elif ftype == "xlsx":
            write_document(ftype, P.to_xlsx_spec(plan, task), path)
        elif ftype == "csv":
            path.write_text(P.to_csv(plan), encoding="utf-8")
        else:
            path.write_text(P.to_markdown(plan, task), encoding="utf-8")
        files.append(path)
    return files


def _render_and_check(plan: P.DocumentPlan, task: Task, ws: Workspace,
                      targets: list[tuple[str, str]]) -> tuple[list, list[str]]:
    """Render, then open each file as its reader would: one trip off the event loop
    (opening a docx or a workbook takes tens of milliseconds)."""
    files = _render(plan, task, ws, targets)
    return files, [f"{p.name}: {c.detail}" for p in files if not (c := check_document(p)).ok]


async def run_plan(client: Any, task: Task, ws: Workspace, budget: Budget,
                   transcript: Transcript, context: dict) -> Ending:
    targets = P.plan_targets(task)
    excerpts = await _input_excerpts(ws, budget.limits.plan_input_chars)
    messages = plan_messages(task, excerpts, targets)
    transcript.messages.extend(messages)
    try:
        data, response = await client.complete_json(
            messages, P.PLAN_SCHEMA, max_tokens=budget.limits.plan_max_tokens,
            purpose="plan", context=context)
    except Exception as exc:
        if getattr(exc, "kind", None) == "malformed":
            transcript.event("invalid_output", message=str(exc))
            return Ending("invalid_output", error=f"the model's plan was not valid JSON: {exc}")
        raise
    budget.add(response)
    transcript.messages.append({"role": "assistant", "content": response.content})
    if not isinstance(data, dict):
        transcript.event("invalid_output", message="the plan is not a JSON object")
        return Ending("invalid_output", error="the model's plan is not a JSON object")
    try:
        plan = P.DocumentPlan.model_validate(data)
    except ValidationError as exc:
        transcript.event("invalid_output", message=str(exc)[:1000])
        return Ending("invalid_output", error="the model's plan does not fit the schema")
    files, bad = await asyncio.to_thread(_render_and_check, plan, task, ws, targets)
    if bad:
        transcript.event("error", message="; ".join(bad))
        return Ending("error", error="rendered files do not open: " + "; ".join(bad))
    transcript.event("rendered", files=[p.name for p in files])
    return Ending("finished", files=files, summary=plan.summary[:4000] or None)
