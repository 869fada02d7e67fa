"""One sample, end to end: prepare the work dir, run the agent in the chosen mode under
the wall-time limit, and return a :class:`SampleOutcome` whatever happened."""

from __future__ import annotations

import asyncio
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.suite import LoadedTask
from runner.agent import Ending, run_tool_agent
from runner.docwriter.check import check_document
from runner.limits import Budget, Limits
from runner.outcome import SampleOutcome, Transcript
from runner.plan_mode import run_plan
from runner.policy import Confirmer, ToolPolicy
from runner.sandbox import Sandbox
from runner.tools import ToolBox
from runner.workspace import Workspace

MODES = ("auto", "tools", "plan")

# kinds of core.llm.ModelError that end a whole run: every other sample would fail the
# same way, so the user gets one sentence instead of a run of failures
FATAL_MODEL_ERRORS = ("auth", "not_found")


def choose_mode(requested: str, client: Any) -> str:
    if requested in ("tools", "plan"):
        return requested
    caps = getattr(client, "capabilities", None)
    return "tools" if caps is not None and caps.auto_tool_choice else "plan"


@dataclass
class SampleEnv:
    """What every sample of a run shares."""

    client: Any
    mode: str  # tools | plan (already resolved)
    limits: Limits
    policy: ToolPolicy
    sandbox: Sandbox | None
    confirmer: Confirmer | None = None
    # ModelError kinds that stop the run instead of failing the sample
    fatal_kinds: set[str] = field(default_factory=lambda: set(FATAL_MODEL_ERRORS))


def _written_documents(ws: Workspace) -> list[Path]:
    """On a limit: the real documents the agent left in its work dir."""
    out = []
    for name in ws.output_names():
        path = ws.root / name
        if check_document(path).ok:
            out.append(path)
    return out


async def run_sample(env: SampleEnv, lt: LoadedTask, work: Path, context: dict) -> SampleOutcome:
    """Run one (task, sample) in ``work``. Never raises except on cancellation and on
    model errors of a kind in ``env.fatal_kinds`` (the orchestrator stops the run with
    that error's one sentence)."""
    transcript = Transcript(mode=env.mode)
    budget = Budget(env.limits)
    ws = Workspace(work, lt.input_paths())
    ending: Ending
    try:
        await asyncio.to_thread(ws.prepare)
        async with asyncio.timeout(env.limits.timeout_s):
            if env.mode == "tools":
                toolbox = ToolBox(ws, env.policy, env.sandbox,
                                  sandbox_limits=env.policy.sandbox_limits(
                                      env.sandbox.limits if env.sandbox else None),
                                  confirmer=env.confirmer)
                ending = await run_tool_agent(env.client, lt.task, toolbox, budget, transcript,
                                              context)
            else:
                ending = await run_plan(env.client, lt.task, ws, budget, transcript, context)
    except TimeoutError:
        transcript.event("limit", reason="timeout", seconds=env.limits.timeout_s)
        ending = Ending("timeout")
    except Exception as exc:
        kind = getattr(exc, "kind", None)
        if kind is not None and hasattr(exc, "retryable"):  # core.llm.ModelError
            if kind in env.fatal_kinds:
                raise
            transcript.event("model_error", kind=kind, message=str(exc))
            ending = Ending("model_error", error=f"model error ({kind}): {exc}")
        else:
            transcript.event("error", message=f"{type(exc).__name__}: {exc}",
                             traceback=traceback.format_exc(limit=8))
            ending = Ending("error", error=f"{type(exc).__name__}: {exc}")
    files = ending.files
    if ending.reason in ("max_turns", "max_tokens", "max_cost", "timeout", "no_finish"):
        files = await asyncio.to_thread(_written_documents, ws)
        if files:
            transcript.event("kept_unfinished", files=[p.name for p in files])
    errors = sum(1 for e in transcript.events if e["event"] == "tool_error")
    return SampleOutcome(
        mode=env.mode, end_reason=ending.reason, files=files, transcript=transcript,
        summary=ending.summary, error=ending.error or (None if ending.reason == "finished"
                                                       else f"ended: {ending.reason}"),
        turns=budget.turns,
        input_tokens=budget.input_tokens if budget.usage_known else None,
        output_tokens=budget.output_tokens if budget.usage_known else None,
        cached_tokens=budget.cached_tokens if budget.usage_known else None,
        cost_usd=budget.total_cost if budget.turns else None,
        latency_s=round(budget.model_latency_s, 4), tool_errors=errors)
