"""The model client's vocabulary: what a call returns, what gets recorded, what can fail.

Runner and graders code against these types only, never against the ``openai`` SDK's, so
backend differences (Chat Completions vs Responses API, llama.cpp vs OpenAI) stay in
``core.llm``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.errors import UserError


@dataclass
class Usage:
    """Token counts of one call. ``input_tokens`` includes ``cached_tokens``."""

    input_tokens: int
    output_tokens: int
    cached_tokens: int = 0


@dataclass
class ToolCall:
    id: str
    name: str
    arguments: str  # raw JSON text as the model sent it (may not be valid JSON)


@dataclass
class ChatResponse:
    content: str | None
    tool_calls: list[ToolCall]
    finish_reason: str | None
    usage: Usage | None
    cost_usd: float | None  # None: price unknown (never 0 for unknown)
    latency_s: float  # wall time of the logical call, retries and back-off included
    call_id: str  # the CallRecord's id, for provenance (e.g. rubric_item_results.call_id)
    raw: dict


@dataclass
class CallRecord:
    """One logical model call (after retries), success or failure, for ``model_calls``.

    ``context`` carries provenance such as ``run_id``, ``task_id``, ``sample``.
    ``attempts`` is how many HTTP attempts the call took (1 = no retry).
    """

    call_id: str
    model: str
    purpose: str
    context: dict
    started_at: datetime
    latency_s: float
    usage: Usage | None
    cost_usd: float | None
    status: str  # 'ok' | 'error'
    error: str | None
    request: dict
    response: dict | None
    attempts: int = 1


@dataclass
class Capabilities:
    """What a backend can do; the runner picks tool mode or document-plan mode from it."""

    tools: bool
    auto_tool_choice: bool
    json_schema: bool  # OpenAI's response_format json_schema; else json_object + schema
    images: bool
    responses_api: bool


MODEL_ERROR_KINDS = ("timeout", "rate_limit", "server", "bad_request", "auth", "not_found",
                     "malformed", "connection")


class ModelError(UserError):
    """A model call that failed for good, with one sentence saying what to fix.

    ``kind`` is one of :data:`MODEL_ERROR_KINDS`; ``status`` the HTTP status if any;
    ``attempts`` how many attempts were made.
    """

    def __init__(self, kind: str, message: str, *, status: int | None = None,
                 attempts: int = 1) -> None:
        assert kind in MODEL_ERROR_KINDS, kind
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.attempts = attempts

    @property
    def retryable(self) -> bool:
        return self.kind in ("timeout", "rate_limit", "server", "connection")


@dataclass
class Endpoint:
    """Where a model id points: the resolved base URL, key and capabilities."""

    model_id: str
    provider: str  # 'openai', 'local', or the service name (e.g. 'vllm')
    model_name: str  # what is sent as ``model`` in requests
    base_url: str | None  # None: the embedded server, started by open_client
    api_key: str
    capabilities: Capabilities
    env_prefix: str  # e.g. 'VLLM': names VLLM_BASE_URL / VLLM_API_KEY in error messages
    key_from_env: bool = False
