"""``ModelClient``: one model behind any OpenAI-compatible endpoint, through the SDK.

It hides what differs between backends (max_tokens vs max_completion_tokens, json_schema
vs json_object + schema, Chat Completions vs Responses API), retries with back-off on
its own so every attempt is counted, prices each call, and reports every logical call to
``on_call`` as a :class:`CallRecord` (success or failure) so nothing spent goes
unrecorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import openai

from core.errors import UserError
from core.llm import jsonout, responses_api
from core.llm.base import CallRecord, ChatResponse, ModelError, ToolCall, Usage
from core.llm.prices import PriceTable, load_prices
from core.llm.providers import resolve
from core.llm.retry import CONNECT_TIMEOUT_S, FIRST_CONNECT_RETRIES, backoff_seconds, classify

T = TypeVar("T")


class ModelClient:
    """A model id bound to its endpoint. Async; share one per model across tasks."""

    backoff_base = 0.5  # seconds before the first retry (doubles each time, jittered)

    def __init__(self, model_id: str, *, base_url: str | None = None,
                 api_key: str | None = None, timeout: float = 120.0, max_retries: int = 5,
                 prices: PriceTable | None = None,
                 on_call: Callable[[CallRecord], None] | None = None,
                 use_responses_api: bool = False) -> None:
        self.endpoint = resolve(model_id, base_url=base_url, api_key=api_key)
        if self.endpoint.base_url is None:
            raise UserError(f"{model_id} is the embedded model: open it with "
                            "core.llm.open_client(), which starts and stops its server")
        self.model_id = model_id
        self.capabilities = self.endpoint.capabilities
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self.prices = prices if prices is not None else load_prices()
        self.on_call = on_call
        self.use_responses_api = use_responses_api
        self._gate: asyncio.Semaphore | None = None
        self.answered = False  # has the endpoint ever answered a call of this client?
        self._sdk = openai.AsyncOpenAI(
            base_url=self.endpoint.base_url, api_key=self.endpoint.api_key, max_retries=0,
            timeout=openai.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT_S)))

    def limit_concurrency(self, n: int) -> None:
        """At most ``n`` requests in flight. For servers that answer one at a time (the
        embedded one): queued calls then wait here, and the timeout measures the model's
        work, not the queue."""
        self._gate = asyncio.Semaphore(n)

    async def aclose(self) -> None:
        await self._sdk.close()

    async def __aenter__(self) -> ModelClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- public calls -------------------------------------------------------------------

    async def chat(self, messages: list[dict], *, tools: list[dict] | None = None,
                   tool_choice: str | dict | None = None, max_tokens: int | None = None,
                   temperature: float | None = None, purpose: str = "agent",
                   context: dict | None = None) -> ChatResponse:
        """One chat turn. Tool-call arguments come back raw (maybe not JSON: the caller
        decides what to tell the model)."""
        request = self._request(messages, tools=tools, tool_choice=tool_choice,
                                max_tokens=max_tokens, temperature=temperature, schema=None)
        response, _ = await self._call(request, purpose=purpose, context=context)
        return response

    async def complete_json(self, messages: list[dict], schema: dict, *, max_tokens: int,
                            purpose: str = "judge", context: dict | None = None,
                            attempts: int = 2) -> tuple[dict, ChatResponse]:
        """A JSON object matching ``schema`` (required keys and types checked).

        Asks in the backend's dialect, always with ``max_tokens`` (small models loop
        without it). A reply that is not JSON or does not fit is recorded as an error
        call and asked again, up to ``attempts``; then ``ModelError(kind='malformed')``.
        """
        request = self._request(messages, tools=None, tool_choice=None, max_tokens=max_tokens,
                                temperature=None, schema=schema)

        def check(resp: ChatResponse) -> dict:
            if resp.finish_reason == "length":
                raise ValueError(f"the reply was cut off at max_tokens={max_tokens}")
            value = jsonout.parse_json(resp.content)
            if not isinstance(value, dict):
                raise ValueError(f"expected a JSON object, got {type(value).__name__}")
            jsonout.validate(value, schema)
            return value

        last: ModelError | None = None
        for _ in range(max(1, attempts)):
            try:
                response, value = await self._call(request, purpose=purpose, context=context,
                                                   check=check)
                return value, response
            except ModelError as err:
                if err.kind != "malformed":
                    raise
                last = err
        assert last is not None
        raise ModelError("malformed", f"{self.model_id} gave no valid JSON in {attempts} "
                         f"attempts: {last}", attempts=attempts)

    # -- requests -----------------------------------------------------------------------

    def _request(self, messages: list[dict], *, tools: list[dict] | None,
                 tool_choice: str | dict | None, max_tokens: int | None,
                 temperature: float | None, schema: dict | None) -> dict:
        """The SDK keyword arguments, in the dialect of this endpoint."""
        ep = self.endpoint
        if self.use_responses_api:
            kw: dict[str, Any] = {"model": ep.model_name,
                                  "input": responses_api.to_input(messages), "store": False}
            if tools is not None:
                kw["tools"] = responses_api.to_tools(tools)
            if tool_choice is not None:
                kw["tool_choice"] = responses_api.to_tool_choice(tool_choice)
            if max_tokens is not None:
                kw["max_output_tokens"] = max_tokens
            if schema is not None:
                kw["text"] = jsonout.responses_text_format(schema, self.capabilities)
        else:
            kw = {"model": ep.model_name, "messages": messages}
            if tools is not None:
                kw["tools"] = tools
            if tool_choice is not None:
                kw["tool_choice"] = tool_choice
            if max_tokens is not None:
                # OpenAI's newer models refuse max_tokens; most other servers only know it
                kw["max_completion_tokens" if ep.provider == "openai" else "max_tokens"] = \
                    max_tokens
            if schema is not None:
                kw["response_format"] = jsonout.response_format(schema, self.capabilities)
        if temperature is not None:
            kw["temperature"] = temperature
        return kw

    async def _send(self, request: dict) -> dict:
        """POST ``request`` through the SDK; the answer's JSON as the server sent it.

        The SDK's ``post`` (its documented way to reach any endpoint) rather than
        ``chat.completions.create``: ``create`` walks every request against its
        TypedDicts (1-2 ms of CPU a call, growing with the messages) and turns the answer
        into pydantic models that we would dump straight back to this dict, all on the
        event loop that a run's samples share. The SDK still builds, authenticates and
        sends the request and raises its own errors for HTTP statuses (see ``classify``).
        """
        path = "/responses" if self.use_responses_api else "/chat/completions"
        body = await self._sdk.post(path, body=request, cast_to=bytes)
        try:
            result = json.loads(body)
        except ValueError:
            result = None
        if not isinstance(result, dict):
            text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
            raise ModelError("malformed", f"{self.model_id} answered with something that is "
                             f"not an API response: {text[:200]!r}")
        return result

    def _parse(self, raw: dict) -> tuple[str | None, list[ToolCall], str | None, Usage | None]:
        if self.use_responses_api:
            return responses_api.from_response(raw)
        choices = raw.get("choices") or []
        if not choices or not isinstance(choices[0].get("message"), dict):
            raise ModelError("malformed", f"{self.model_id} answered without a message "
                             f"(no choices) at {self.endpoint.base_url}")
        msg = choices[0]["message"]
        calls = []
        for i, c in enumerate(msg.get("tool_calls") or []):
            fn = c.get("function") or {}
            args = fn.get("arguments")
            calls.append(ToolCall(id=c.get("id") or f"call_{i}", name=fn.get("name") or "",
                                  arguments=args if isinstance(args, str)
                                  else json.dumps(args if args is not None else {})))
        u = raw.get("usage") or None
        usage = None
        if u:
            usage = Usage(input_tokens=int(u.get("prompt_tokens") or 0),
                          output_tokens=int(u.get("completion_tokens") or 0),
                          cached_tokens=int((u.get("prompt_tokens_details") or {})
                                            .get("cached_tokens") or 0))
        return msg.get("content"), calls, choices[0].get("finish_reason"), usage

    # -- the call loop ------------------------------------------------------------------

    async def _call(self, request: dict, *, purpose: str, context: dict | None,
                    check: Callable[[ChatResponse], T] | None = None,
                    ) -> tuple[ChatResponse, T | None]:
        """Send with retries; report one CallRecord; raise ModelError on failure."""
        call_id = uuid.uuid4().hex
        started_at = datetime.now(UTC)
        t0 = time.monotonic()
        # a snapshot: callers keep appending to their message lists after the call
        logged = json.loads(json.dumps(
            {"api": "responses" if self.use_responses_api else "chat.completions",
             "base_url": self.endpoint.base_url, **request}, default=str))
        attempt = 0
        while True:
            attempt += 1
            try:
                async with self._gate or contextlib.nullcontext(), \
                        asyncio.timeout(self.timeout):
                    raw = await self._send(request)
                self.answered = True
                break
            except ModelError as err:
                err.attempts = attempt
                self._report(call_id, purpose, context, started_at, t0, logged, None, None,
                             err, attempt)
                raise
            except (openai.APIError, TimeoutError) as exc:
                err, retry_after = classify(exc, self.endpoint, timeout=self.timeout,
                                            responses_api=self.use_responses_api)
                if isinstance(exc, openai.APIStatusError):
                    self.answered = True  # an HTTP error still proves the server is there
                retries = self.max_retries
                if err.kind == "connection" and not self.answered:
                    retries = min(retries, FIRST_CONNECT_RETRIES)
                if err.retryable and attempt <= retries:
                    await asyncio.sleep(backoff_seconds(attempt, self.backoff_base,
                                                        retry_after))
                    continue
                if err.kind == "not_found" and not self.use_responses_api:
                    err = await self._with_model_hint(err)
                err.attempts = attempt
                self._report(call_id, purpose, context, started_at, t0, logged, None, None,
                             err, attempt)
                raise err from exc
        try:
            content, calls, finish, usage = self._parse(raw)
        except ModelError as err:
            err.attempts = attempt
            self._report(call_id, purpose, context, started_at, t0, logged, raw, None, err,
                         attempt)
            raise
        response = ChatResponse(content=content, tool_calls=calls, finish_reason=finish,
                                usage=usage, cost_usd=self.prices.cost(self.model_id, usage),
                                latency_s=time.monotonic() - t0, call_id=call_id, raw=raw)
        value = None
        if check is not None:
            try:
                value = check(response)
            except ValueError as exc:
                err = ModelError("malformed", f"{self.model_id} did not give the JSON asked "
                                 f"for: {exc}", attempts=attempt)
                self._report(call_id, purpose, context, started_at, t0, logged, raw, usage,
                             err, attempt)
                raise err from None
        self._report(call_id, purpose, context, started_at, t0, logged, raw, usage, None,
                     attempt)
        return response, value

    async def _with_model_hint(self, err: ModelError) -> ModelError:
        """``err`` with the closest model names the server offers (a typo is the usual
        reason for a 404 on the model); unchanged if the server does not list them."""
        try:
            async with asyncio.timeout(min(self.timeout, 10.0)):
                page = await self._sdk.models.list()
            offered = sorted({m.id for m in page.data if getattr(m, "id", None)})
        except Exception:  # noqa: BLE001 - a hint only: the 404 is the error to report
            return err
        if not offered or self.endpoint.model_name in offered:
            return err
        close = difflib.get_close_matches(self.endpoint.model_name, offered, n=3, cutoff=0.5)
        if close:
            hint = "did you mean " + " or ".join(repr(m) for m in close) + "?"
        elif len(offered) <= 8:
            hint = "the server offers " + ", ".join(offered)
        else:
            return err
        return ModelError(err.kind, f"{err} ({hint})", status=err.status,
                          attempts=err.attempts)

    def _report(self, call_id: str, purpose: str, context: dict | None, started_at: datetime,
                t0: float, request: dict, raw: dict | None, usage: Usage | None,
                err: ModelError | None, attempts: int) -> None:
        if self.on_call is None:
            return
        self.on_call(CallRecord(
            call_id=call_id, model=self.model_id, purpose=purpose, context=dict(context or {}),
            started_at=started_at, latency_s=time.monotonic() - t0, usage=usage,
            cost_usd=self.prices.cost(self.model_id, usage), status="error" if err else "ok",
            error=f"{err.kind}: {err}" if err else None, request=request, response=raw,
            attempts=attempts))
