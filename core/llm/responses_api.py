"""Chat Completions shapes to and from the Responses API (``--responses-api``).

Callers always speak Chat Completions (messages with ``tool_calls``, ``tool`` messages);
this module turns such a request into ``/responses`` input items and the answer back into
content, tool calls, finish reason and usage. Minimal on purpose: text, images by URL,
function tools, structured output. Requests are sent with ``store=False``: the whole
conversation travels with each call, as with Chat Completions.
"""

from __future__ import annotations

import json
from typing import Any

from core.llm.base import ToolCall, Usage


def _parts(content: Any, role: str) -> str | list[dict]:
    if not isinstance(content, list):
        return "" if content is None else str(content)
    text_type = "output_text" if role == "assistant" else "input_text"
    out: list[dict] = []
    for part in content:
        kind = part.get("type")
        if kind == "text":
            out.append({"type": text_type, "text": part.get("text", "")})
        elif kind == "image_url":
            url = part["image_url"]["url"] if isinstance(part.get("image_url"), dict) \
                else part.get("image_url")
            out.append({"type": "input_image", "image_url": url})
        else:
            out.append(part)  # already in Responses form
    return out


def to_input(messages: list[dict]) -> list[dict]:
    """Chat messages as Responses input items."""
    items: list[dict] = []
    for m in messages:
        role = m.get("role")
        if role == "tool":
            items.append({"type": "function_call_output", "call_id": m.get("tool_call_id"),
                          "output": m.get("content") if isinstance(m.get("content"), str)
                          else json.dumps(m.get("content"))})
            continue
        if m.get("content") not in (None, "", []):
            items.append({"role": role, "content": _parts(m.get("content"), role)})
        for call in m.get("tool_calls") or []:
            fn = call.get("function", {})
            items.append({"type": "function_call", "call_id": call.get("id"),
                          "name": fn.get("name"), "arguments": fn.get("arguments", "")})
    return items


def to_tools(tools: list[dict] | None) -> list[dict] | None:
    if tools is None:
        return None
    out = []
    for t in tools:
        fn = t.get("function", t)
        out.append({"type": "function", "name": fn["name"],
                    "description": fn.get("description", ""),
                    "parameters": fn.get("parameters", {"type": "object", "properties": {}}),
                    "strict": bool(fn.get("strict", False))})
    return out


def to_tool_choice(choice: str | dict | None) -> str | dict | None:
    if isinstance(choice, dict):
        name = (choice.get("function") or {}).get("name") or choice.get("name")
        return {"type": "function", "name": name}
    return choice


def from_response(raw: dict) -> tuple[str | None, list[ToolCall], str | None, Usage | None]:
    """(content, tool calls, finish reason, usage) of a Responses API answer."""
    texts: list[str] = []
    calls: list[ToolCall] = []
    for item in raw.get("output") or []:
        if item.get("type") == "message":
            texts += [c.get("text", "") for c in item.get("content") or []
                      if c.get("type") == "output_text"]
        elif item.get("type") == "function_call":
            calls.append(ToolCall(id=item.get("call_id") or item.get("id") or "",
                                  name=item.get("name", ""),
                                  arguments=item.get("arguments") or ""))
    finish = "tool_calls" if calls else "stop"
    if raw.get("status") == "incomplete":
        finish = "length"
    u = raw.get("usage") or None
    usage = None
    if u:
        usage = Usage(input_tokens=int(u.get("input_tokens") or 0),
                      output_tokens=int(u.get("output_tokens") or 0),
                      cached_tokens=int((u.get("input_tokens_details") or {})
                                        .get("cached_tokens") or 0))
    return ("".join(texts) if texts else None), calls, finish, usage
