"""Tool mode: the agent loop for models that call tools.

The model sees the request, the list of input files and the tools allowed by the policy;
each turn is one model call, whose tool calls are executed in order and answered. The
loop ends when ``finish`` succeeds, a limit is reached (checked before every call), or the
model stops calling tools after being reminded twice. State lives in the caller's
:class:`Budget` and :class:`Transcript`, so a wall-time cancellation keeps everything
that happened up to that point.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.task import Task
from runner.limits import Budget
from runner.outcome import Transcript
from runner.prompts import tool_messages
from runner.tools import ToolBox, parse_arguments
from runner.toolspecs import tool_definitions

MAX_NUDGES = 2
NUDGE = ("Continue using the tools: write the deliverable files, then call finish(files, "
         "summary). Nothing is handed in until you call finish.")


@dataclass
class Ending:
    reason: str
    files: list[Path] = field(default_factory=list)
    summary: str | None = None
    error: str | None = None


def _for_history(arguments: str) -> str:
    """Arguments as they go back to the model: invalid JSON is wrapped, because some
    servers reject a history whose tool-call arguments do not parse."""
    try:
        json.loads(arguments or "{}", strict=False)
        return arguments or "{}"
    except json.JSONDecodeError:
        return json.dumps({"invalid_arguments": arguments[:2000]})


async def run_tool_agent(client: Any, task: Task, toolbox: ToolBox, budget: Budget,
                         transcript: Transcript, context: dict) -> Ending:
    """Drive one sample in tool mode until it ends; returns why it ended."""
    messages = transcript.messages
    messages.extend(tool_messages(task, toolbox.ws.inputs))
    tools = tool_definitions(toolbox.names)
    nudges = 0
    cost_note = False
    while True:
        reason = budget.exceeded()
        if reason:
            transcript.event("limit", reason=reason, turns=budget.turns,
                             output_tokens=budget.output_tokens)
            return Ending(reason)
        response = await client.chat(messages, tools=tools, tool_choice="auto",
                                     max_tokens=budget.call_max_tokens(), purpose="agent",
                                     context=context)
        budget.add(response)
        if budget.limits.max_cost_usd is not None and response.cost_usd is None \
                and not cost_note:
            cost_note = True
            transcript.event("cost_unknown", note="the price of this model is unknown, so "
                             "the cost cap cannot be enforced")
        assistant: dict[str, Any] = {"role": "assistant", "content": response.content}
        if response.tool_calls:
            assistant["tool_calls"] = [
                {"id": c.id, "type": "function",
                 "function": {"name": c.name, "arguments": _for_history(c.arguments)}}
                for c in response.tool_calls]
        messages.append(assistant)
        if not response.tool_calls:
            nudges += 1
            if nudges > MAX_NUDGES:
                transcript.event("no_finish", note="the model stopped calling tools")
                return Ending("no_finish")
            messages.append({"role": "user", "content": NUDGE})
            continue
        for call in response.tool_calls:
            result = await toolbox.execute(call.name, call.arguments)
            if result.is_error:
                transcript.event("tool_error", tool=call.name, kind=result.kind,
                                 message=result.content[:1000],
                                 arguments=parse_arguments(call.arguments)
                                 if result.kind == "malformed" else None)
            if result.kind == "denied":
                transcript.event("policy_denied", tool=call.name, reason=result.content)
            messages.append({"role": "tool", "tool_call_id": call.id, "content": result.content})
            if result.finished is not None:
                transcript.event("finish", files=[p.name for p in result.finished])
                return Ending("finished", files=result.finished, summary=result.summary)
