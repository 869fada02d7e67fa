"""A scripted OpenAI-compatible HTTP server for tests: real sockets, no patched SDK.

It speaks the parts of the OpenAI API occubench uses, on 127.0.0.1 and a free port:

- ``POST /v1/chat/completions``: messages, ``tools``/``tool_calls``, ``tool_choice``,
  ``response_format`` (``json_object`` and ``json_schema``), ``max_tokens`` (a text reply
  longer than ``max_tokens`` is cut with ``finish_reason="length"``), ``stream`` (SSE,
  with ``stream_options.include_usage``);
- ``POST /v1/responses``: a minimal Responses API (output text and function calls);
  ``ScriptedServer(responses_api=False)`` answers 404 there, like most local servers;
- ``GET /v1/models``: the ``models`` list (any model is accepted when it is ``None``;
  otherwise an unknown model gets a 404 ``model_not_found``, like OpenAI).

Every answer carries a plausible ``usage``: input tokens = ceil(chars of the JSON of
messages + tools / 4), output tokens = ceil(chars of content + tool arguments / 4), both
at least 1, cached 0; ``Reply(usage={...})`` overrides any of them.

Which reply? For each chat/responses request, in this order:

1. the FIFO queue (``ScriptedServer(replies=[...])`` or ``server.push(...)``);
2. the first matching :class:`Rule` (substring of the last user message or of any
   message, model name, presence of tools / response_format, path; ``times`` limits uses,
   ``every=N`` answers only every Nth matching request, for deterministic fault rates);
3. the ``responder`` callable ``(request_json) -> Reply | None`` (answer by content:
   judge prompts, per-model routing; it runs on the server's request threads, so it
   must be thread-safe);
4. ``default`` (``Reply.text("ok")`` unless given; ``default=None`` answers 500).

Replies (:class:`Reply`): ``Reply.text(s)``, ``Reply.json(obj)``, ``Reply.tool_call(name,
args)``, ``Reply.calls([(name, args), ...])``; faults: ``.delayed(seconds)``,
``Reply.rate_limit(retry_after)`` (429 + ``Retry-After``), ``Reply.error(500)``,
``Reply.hang(seconds)`` (no answer, then the connection is closed; past the client
timeout), ``Reply.malformed_tool_call(name)`` (arguments that are not JSON),
``Reply.invalid_json()`` (content that is not JSON), ``Reply.dropped()`` (connection
closed without a response).

Every request is recorded (``server.requests``: path, headers, JSON body) for assertions;
``server.bodies()`` gives the chat-completion bodies.

Usage in tests::

    with ScriptedServer([Reply.rate_limit(1), Reply.text("hi")]) as srv:
        client = OpenAI(base_url=srv.base_url, api_key="x")

As a process (CLI end-to-end tests)::

    python -m tests.support.scripted_server --port 0 --script script.json [--record r.jsonl]

prints ``http://127.0.0.1:P/v1`` on its first stdout line when ready and serves until
SIGTERM/SIGINT. ``--record`` appends every request as a JSON line. Script format: a JSON
list of replies (the FIFO), or an object ``{"replies": [...], "rules": [{"match":
{"last_user_contains": "...", "any_contains": "...", "model": "...", "tools": true,
"response_format": true, "path": "/v1/chat/completions"}, "reply": {...}, "times": 2,
"every": 3}], "default": {...}, "models": [...], "api_key": "..."}``. A reply object has
any of the keys ``text``, ``json``, ``tool_calls`` (``[{"name", "arguments", "id"?}]``;
``arguments`` a JSON value or a raw string), ``finish_reason``, ``status``, ``message``,
``retry_after``, ``delay``, ``hang``, ``drop``, ``usage``, ``body`` (sent verbatim).
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CHAT = "/v1/chat/completions"
RESPONSES = "/v1/responses"
MODELS = "/v1/models"


@dataclass
class Reply:
    """One scripted answer. Build with the class methods; fields are the raw knobs."""

    content: str | None = None
    tool_calls: list[dict] | None = None  # {"name", "arguments": str | JSON value, "id"?}
    finish_reason: str | None = None
    status: int = 200
    message: str | None = None  # error message when status >= 400
    retry_after: str | float | None = None
    delay_s: float = 0.0
    hang_s: float | None = None
    drop: bool = False
    usage: dict | None = None  # overrides: input_tokens, output_tokens, cached_tokens
    body: dict | None = None  # sent verbatim (status 200 unless status says otherwise)

    @classmethod
    def text(cls, content: str, **kw: Any) -> Reply:
        return cls(content=content, **kw)

    @classmethod
    def json(cls, value: Any, **kw: Any) -> Reply:
        return cls(content=json.dumps(value), **kw)

    @classmethod
    def tool_call(cls, name: str, arguments: Any = None, *, id: str | None = None,
                  **kw: Any) -> Reply:
        call = {"name": name, "arguments": {} if arguments is None else arguments}
        if id:
            call["id"] = id
        return cls(tool_calls=[call], **kw)

    @classmethod
    def calls(cls, calls: Iterable[tuple[str, Any]], **kw: Any) -> Reply:
        return cls(tool_calls=[{"name": n, "arguments": a} for n, a in calls], **kw)

    @classmethod
    def malformed_tool_call(cls, name: str, arguments: str = '{"path": "report.docx",',
                            **kw: Any) -> Reply:
        return cls(tool_calls=[{"name": name, "arguments": arguments}], **kw)

    @classmethod
    def invalid_json(cls, content: str = '{"verdict": "A", "reason": ', **kw: Any) -> Reply:
        return cls(content=content, **kw)

    @classmethod
    def rate_limit(cls, retry_after: str | float | None = 1, **kw: Any) -> Reply:
        return cls(status=429, retry_after=retry_after,
                   message="Rate limit reached (scripted)", **kw)

    @classmethod
    def error(cls, status: int = 500, message: str | None = None, **kw: Any) -> Reply:
        return cls(status=status, message=message or f"scripted error {status}", **kw)

    @classmethod
    def hang(cls, seconds: float = 60.0) -> Reply:
        return cls(hang_s=seconds)

    @classmethod
    def dropped(cls) -> Reply:
        return cls(drop=True)

    def delayed(self, seconds: float) -> Reply:
        return replace(self, delay_s=seconds)

    @classmethod
    def from_dict(cls, d: dict) -> Reply:
        """A reply from the JSON script format (see the module docstring)."""
        known = {"text", "json", "tool_calls", "finish_reason", "status", "message",
                 "retry_after", "delay", "hang", "drop", "usage", "body", "invalid_json"}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown reply keys {sorted(unknown)} in {d}")
        content = d.get("text")
        if "json" in d:
            content = json.dumps(d["json"])
        if d.get("invalid_json"):
            content = d["invalid_json"] if isinstance(d["invalid_json"], str) else "{not json"
        return cls(content=content, tool_calls=d.get("tool_calls"),
                   finish_reason=d.get("finish_reason"), status=int(d.get("status", 200)),
                   message=d.get("message"), retry_after=d.get("retry_after"),
                   delay_s=float(d.get("delay", 0.0)), hang_s=d.get("hang"),
                   drop=bool(d.get("drop", False)), usage=d.get("usage"), body=d.get("body"))


def text_of(content: Any) -> str:
    """Text of a message content: a string, or a list of parts with ``text``."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def messages_of(request: dict) -> list[dict]:
    """Chat-style messages of a chat-completions or Responses-API request."""
    if "messages" in request:
        return list(request["messages"])
    items = request.get("input", [])
    msgs = [{"role": "system", "content": request["instructions"]}] \
        if request.get("instructions") else []
    if isinstance(items, str):
        return [*msgs, {"role": "user", "content": items}]
    for item in items:
        if "role" in item:
            msgs.append({"role": item["role"], "content": text_of(item.get("content"))})
        elif item.get("type") == "function_call_output":
            msgs.append({"role": "tool", "content": str(item.get("output", ""))})
    return msgs


def last_user_text(request: dict) -> str:
    """The last user message's text (what responders usually route on)."""
    for m in reversed(messages_of(request)):
        if m.get("role") == "user":
            return text_of(m.get("content"))
    return ""


def has_response_format(request: dict) -> bool:
    return bool(request.get("response_format")) or bool(
        (request.get("text") or {}).get("format"))


@dataclass
class Rule:
    """Answer ``reply`` to requests matching every given condition."""

    reply: Reply | Callable[[dict], Reply]
    last_user_contains: str | None = None
    any_contains: str | None = None
    model: str | None = None
    tools: bool | None = None
    response_format: bool | None = None
    path: str | None = None
    times: int | None = None
    every: int | None = None
    _seen: int = field(default=0, repr=False)
    _used: int = field(default=0, repr=False)

    def take(self, path: str, request: dict) -> Reply | None:
        """The reply if this rule answers this request (updates its counters)."""
        if self.times is not None and self._used >= self.times:
            return None
        if self.path is not None and path != self.path:
            return None
        if self.model is not None and request.get("model") != self.model:
            return None
        if self.tools is not None and bool(request.get("tools")) != self.tools:
            return None
        if self.response_format is not None and \
                has_response_format(request) != self.response_format:
            return None
        if self.last_user_contains is not None and \
                self.last_user_contains not in last_user_text(request):
            return None
        if self.any_contains is not None and not any(
                self.any_contains in text_of(m.get("content")) for m in messages_of(request)):
            return None
        self._seen += 1
        if self.every and self._seen % self.every:
            return None
        self._used += 1
        return self.reply(request) if callable(self.reply) else self.reply

    @classmethod
    def from_dict(cls, d: dict) -> Rule:
        match = dict(d.get("match", {}))
        return cls(reply=Reply.from_dict(d["reply"]), times=d.get("times"),
                   every=d.get("every"), **match)


@dataclass
class RecordedRequest:
    """One request as received; header names are lower-cased."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict | None
    at: float


def _tokens(text: str) -> int:
    return max(1, math.ceil(len(text) / 4))


_UNSET: Any = object()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # hanging handlers never block shutdown
    request_queue_size = 256  # the default 5 drops SYNs under 32+ concurrent clients


class ScriptedServer:
    """The server; a context manager that starts it in a thread and stops it on exit."""

    def __init__(self, replies: Iterable[Reply] = (), *, rules: Iterable[Rule] = (),
                 responder: Callable[[dict], Reply | None] | None = None,
                 default: Reply | None = _UNSET, models: Iterable[str] | None = None,
                 api_key: str | None = None, responses_api: bool = True,
                 host: str = "127.0.0.1", port: int = 0,
                 record_path: str | None = None) -> None:
        self.queue: deque[Reply] = deque(replies)
        self.rules: list[Rule] = list(rules)
        self.responder = responder
        self.default = Reply.text("ok") if default is _UNSET else default
        self.models = list(models) if models is not None else None
        self.api_key = api_key
        self.responses_api = responses_api
        self.requests: list[RecordedRequest] = []
        self.record_path = record_path
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._counter = 0
        self._httpd = _HTTPServer((host, port), _make_handler(self))
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> ScriptedServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()  # wakes hanging handlers
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- script -----------------------------------------------------------------------

    def push(self, *replies: Reply) -> None:
        with self._lock:
            self.queue.extend(replies)

    def add_rule(self, rule: Rule) -> None:
        with self._lock:
            self.rules.append(rule)

    def bodies(self, path: str = CHAT) -> list[dict]:
        """JSON bodies of the requests to ``path``, in arrival order."""
        with self._lock:
            return [r.body for r in self.requests if r.path == path and r.body is not None]

    def _record(self, rec: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(rec)
            self._counter += 1
            if self.record_path:
                with open(self.record_path, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps({"method": rec.method, "path": rec.path,
                                         "body": rec.body, "at": rec.at}) + "\n")

    def _next_id(self) -> int:
        with self._lock:
            return self._counter

    def choose(self, path: str, request: dict) -> Reply | None:
        with self._lock:
            if self.queue:
                return self.queue.popleft()
            for rule in self.rules:
                reply = rule.take(path, request)
                if reply is not None:
                    return reply
        if self.responder is not None:
            reply = self.responder(request)
            if reply is not None:
                return reply
        return self.default

    # -- bodies -----------------------------------------------------------------------

    def usage(self, request: dict, reply: Reply, content: str, calls: list[dict]) -> dict:
        prompt = json.dumps(messages_of(request)) + json.dumps(request.get("tools") or [])
        out = content + "".join(c["arguments"] for c in calls)
        u = {"input_tokens": _tokens(prompt), "output_tokens": _tokens(out), "cached_tokens": 0}
        u.update(reply.usage or {})
        return u

    def chat_body(self, request: dict, reply: Reply) -> tuple[dict, list[dict]]:
        n = self._next_id()
        calls = [{"id": c.get("id") or f"call_{n}_{i}", "type": "function",
                  "function": {"name": c["name"], "arguments": c["arguments"]
                               if isinstance(c["arguments"], str) else json.dumps(c["arguments"])}}
                 for i, c in enumerate(reply.tool_calls or [])]
        content = reply.content
        finish = reply.finish_reason or ("tool_calls" if calls else "stop")
        limit = request.get("max_tokens") or request.get("max_completion_tokens")
        if content and limit and _tokens(content) > limit:
            content, finish = content[: int(limit) * 4], reply.finish_reason or "length"
        u = self.usage(request, reply, content or "", [c["function"] for c in calls])
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if calls:
            message["tool_calls"] = calls
        body = {
            "id": f"chatcmpl-scripted-{n}", "object": "chat.completion",
            "created": int(time.time()), "model": request.get("model", ""),
            "choices": [{"index": 0, "message": message, "finish_reason": finish,
                         "logprobs": None}],
            "usage": {"prompt_tokens": u["input_tokens"],
                      "completion_tokens": u["output_tokens"],
                      "total_tokens": u["input_tokens"] + u["output_tokens"],
                      "prompt_tokens_details": {"cached_tokens": u["cached_tokens"]}},
        }
        return body, calls

    def responses_body(self, request: dict, reply: Reply) -> dict:
        n = self._next_id()
        output: list[dict] = []
        if reply.content is not None:
            output.append({"type": "message", "id": f"msg_{n}", "role": "assistant",
                           "status": "completed", "content": [
                               {"type": "output_text", "text": reply.content,
                                "annotations": []}]})
        args = []
        for i, c in enumerate(reply.tool_calls or []):
            a = c["arguments"] if isinstance(c["arguments"], str) else json.dumps(c["arguments"])
            args.append({"arguments": a})
            output.append({"type": "function_call", "id": f"fc_{n}_{i}",
                           "call_id": c.get("id") or f"call_{n}_{i}", "name": c["name"],
                           "arguments": a, "status": "completed"})
        u = self.usage(request, reply, reply.content or "", args)
        return {"id": f"resp_scripted_{n}", "object": "response", "created_at": int(time.time()),
                "model": request.get("model", ""), "status": "completed", "output": output,
                "parallel_tool_calls": True, "tool_choice": request.get("tool_choice", "auto"),
                "tools": request.get("tools", []),
                "usage": {"input_tokens": u["input_tokens"], "output_tokens": u["output_tokens"],
                          "total_tokens": u["input_tokens"] + u["output_tokens"],
                          "input_tokens_details": {"cached_tokens": u["cached_tokens"]},
                          "output_tokens_details": {"reasoning_tokens": 0}}}


def _error_body(status: int, message: str, code: str | None = None) -> dict:
    kind = {400: "invalid_request_error", 401: "authentication_error", 404:
            "invalid_request_error", 429: "rate_limit_error"}.get(status, "server_error")
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def _make_handler(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # headers and body go out in two writes: with Nagle on, the body waits for the
        # client's delayed ACK of the headers, 40 ms on every answer
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: dict, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _headers(self) -> dict[str, str]:
            return {k.lower(): v for k, v in self.headers.items()}

        def _authorised(self) -> bool:
            if server.api_key is None:
                return True
            if self.headers.get("Authorization") == f"Bearer {server.api_key}":
                return True
            self._send(401, _error_body(401, "Incorrect API key provided (scripted).",
                                        "invalid_api_key"))
            return False

        def do_GET(self) -> None:
            server._record(RecordedRequest("GET", self.path, self._headers(), None,
                                           time.time()))
            if not self._authorised():
                return
            if self.path.rstrip("/") == MODELS:
                ids = server.models if server.models is not None else ["scripted"]
                self._send(200, {"object": "list", "data": [
                    {"id": m, "object": "model", "created": 0, "owned_by": "scripted"}
                    for m in ids]})
            else:
                self._send(404, _error_body(404, f"no route {self.path}"))

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                request = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                request = None
            path = self.path.split("?")[0].rstrip("/")
            server._record(RecordedRequest("POST", path, self._headers(), request,
                                           time.time()))
            if request is None:
                return self._send(400, _error_body(400, "body is not JSON"))
            if not self._authorised():
                return None
            if path not in (CHAT, RESPONSES) or (path == RESPONSES and not server.responses_api):
                return self._send(404, _error_body(404, f"Not Found: {path}"))
            model = request.get("model")
            if server.models is not None and model not in server.models:
                return self._send(404, _error_body(
                    404, f"The model `{model}` does not exist or you do not have access to it.",
                    "model_not_found"))
            reply = server.choose(path, request)
            if reply is None:
                return self._send(500, _error_body(500, "scripted server: no reply scripted"))
            if reply.delay_s and server._stop.wait(reply.delay_s):
                return None
            if reply.hang_s is not None or reply.drop:
                if reply.hang_s:
                    server._stop.wait(reply.hang_s)
                self.close_connection = True  # close without a response
                return None
            if reply.status >= 400:
                headers = {} if reply.retry_after is None else {
                    "Retry-After": str(reply.retry_after)}
                return self._send(reply.status, reply.body or _error_body(
                    reply.status, reply.message or "scripted error"), headers)
            if reply.body is not None:
                return self._send(reply.status, reply.body)
            if path == RESPONSES:
                return self._send(200, server.responses_body(request, reply))
            body, calls = server.chat_body(request, reply)
            if request.get("stream"):
                return self._stream(request, body, calls)
            return self._send(200, body)

        def _stream(self, request: dict, body: dict, calls: list[dict]) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            base = {k: body[k] for k in ("id", "created", "model")}
            base["object"] = "chat.completion.chunk"
            choice = body["choices"][0]

            def emit(delta: dict | None, finish: str | None = None, **extra: Any) -> None:
                chunk = {**base, "choices": [] if delta is None else [
                    {"index": 0, "delta": delta, "finish_reason": finish}], **extra}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())

            emit({"role": "assistant", "content": ""})
            content = choice["message"]["content"] or ""
            for i in range(0, len(content), 16):
                emit({"content": content[i:i + 16]})
            for i, c in enumerate(calls):
                emit({"tool_calls": [{"index": i, **c}]})
            emit({}, choice["finish_reason"])
            if (request.get("stream_options") or {}).get("include_usage"):
                emit(None, usage=body["usage"])
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()

    return Handler


def load_script(path: str) -> dict[str, Any]:
    """Keyword arguments for :class:`ScriptedServer` from a JSON script file."""
    with open(path, encoding="utf-8") as fh:
        script = json.load(fh)
    if isinstance(script, list):
        script = {"replies": script}
    kwargs: dict[str, Any] = {
        "replies": [Reply.from_dict(r) for r in script.get("replies", [])],
        "rules": [Rule.from_dict(r) for r in script.get("rules", [])],
        "models": script.get("models"), "api_key": script.get("api_key")}
    if "default" in script:
        kwargs["default"] = Reply.from_dict(script["default"]) if script["default"] else None
    return kwargs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Scripted OpenAI-compatible server.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--script", help="JSON script (see the module docstring)")
    parser.add_argument("--record", help="append every request here as a JSON line")
    args = parser.parse_args(argv)
    kwargs = load_script(args.script) if args.script else {}
    srv = ScriptedServer(host=args.host, port=args.port, record_path=args.record, **kwargs)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with srv:
        print(srv.base_url, flush=True)
        stop.wait()
    sys.exit(0)


if __name__ == "__main__":
    main()
