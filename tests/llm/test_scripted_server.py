"""The scripted server itself: reply selection, faults, recording, process mode."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openai
import pytest
from openai import OpenAI

from tests.support.scripted_server import Reply, Rule, ScriptedServer

ROOT = Path(__file__).resolve().parents[2]
USER = [{"role": "user", "content": "hello"}]


def client(srv: ScriptedServer, **kw) -> OpenAI:
    return OpenAI(base_url=srv.base_url, api_key=kw.pop("api_key", "k"), max_retries=0,
                  timeout=kw.pop("timeout", 5), **kw)


def ask(c: OpenAI, text: str, model: str = "m", **kw):
    return c.chat.completions.create(model=model, messages=[{"role": "user", "content": text}],
                                     **kw)


def test_queue_then_rules_then_responder_then_default():
    rules = [Rule(Reply.text("judge"), last_user_contains="JUDGE"),
             Rule(Reply.text("big"), model="big", times=1)]
    with ScriptedServer([Reply.text("first")], rules=rules,
                        responder=lambda r: Reply.text("resp") if "route" in
                        r["messages"][-1]["content"] else None) as srv:
        c = client(srv)
        assert ask(c, "JUDGE this").choices[0].message.content == "first"  # queue wins
        assert ask(c, "JUDGE this").choices[0].message.content == "judge"
        assert ask(c, "x", model="big").choices[0].message.content == "big"
        assert ask(c, "x", model="big").choices[0].message.content == "ok"  # times=1 used up
        assert ask(c, "please route").choices[0].message.content == "resp"
        assert ask(c, "other").choices[0].message.content == "ok"
        assert [b["messages"][-1]["content"] for b in srv.bodies()][:2] == ["JUDGE this"] * 2


def test_every_nth_request_faults_and_default_none_is_500():
    with ScriptedServer(rules=[Rule(Reply.error(503), every=3)], default=None) as srv:
        c = client(srv)
        statuses = []
        for _ in range(6):
            try:
                ask(c, "x")
                statuses.append(200)
            except openai.APIStatusError as exc:
                statuses.append(exc.status_code)
        assert statuses == [500, 500, 503, 500, 500, 503]


def test_json_usage_and_max_tokens_truncation():
    with ScriptedServer([Reply.json({"a": 1}), Reply.text("x" * 400)]) as srv:
        c = client(srv)
        r = ask(c, "hi", response_format={"type": "json_object"})
        assert json.loads(r.choices[0].message.content) == {"a": 1}
        assert r.usage.completion_tokens == 2 and r.usage.prompt_tokens >= 1
        r = ask(c, "hi", max_tokens=10)
        assert r.choices[0].finish_reason == "length"
        assert len(r.choices[0].message.content) == 40 and r.usage.completion_tokens == 10


def test_model_list_unknown_model_auth_and_responses_off():
    with ScriptedServer(models=["good"], api_key="secret", responses_api=False) as srv:
        assert [m.id for m in client(srv, api_key="secret").models.list()] == ["good"]
        with pytest.raises(openai.NotFoundError, match="does not exist"):
            ask(client(srv, api_key="secret"), "x", model="typo")
        with pytest.raises(openai.AuthenticationError):
            ask(client(srv, api_key="wrong"), "x", model="good")
        with pytest.raises(openai.NotFoundError):
            client(srv, api_key="secret").responses.create(model="good", input="hi")


def test_faults_rate_limit_drop_hang():
    with ScriptedServer([Reply.rate_limit(7), Reply.dropped(), Reply.hang(10)]) as srv:
        c = client(srv, timeout=0.5)
        with pytest.raises(openai.RateLimitError) as info:
            ask(c, "x")
        assert info.value.response.headers["retry-after"] == "7"
        with pytest.raises(openai.APIConnectionError):
            ask(c, "x")
        t = time.monotonic()
        with pytest.raises(openai.APITimeoutError):
            ask(c, "x")
        assert time.monotonic() - t < 3
    # closing the server did not wait for the hang to finish


def test_streaming_text_and_usage():
    with ScriptedServer([Reply.text("a fairly long streamed answer")]) as srv:
        chunks = list(client(srv).chat.completions.create(
            model="m", messages=USER, stream=True, stream_options={"include_usage": True}))
        text = "".join(ch.choices[0].delta.content or "" for ch in chunks if ch.choices)
        assert text == "a fairly long streamed answer"
        assert chunks[-1].usage.completion_tokens == 8


def test_process_mode_with_script_and_record(tmp_path):
    script = tmp_path / "script.json"
    script.write_text(json.dumps({
        "replies": [{"text": "one"}],
        "rules": [{"match": {"last_user_contains": "grade"}, "reply": {"json": {"v": 1}}},
                  {"match": {"tools": True}, "reply": {"tool_calls": [
                      {"name": "finish", "arguments": "not json"}]}}],
        "default": {"text": "fallback"}}))
    record = tmp_path / "rec.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.scripted_server", "--port", "0",
         "--script", str(script), "--record", str(record)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
        c = OpenAI(base_url=url, api_key="k", max_retries=0, timeout=5)
        assert ask(c, "hi").choices[0].message.content == "one"
        assert json.loads(ask(c, "please grade").choices[0].message.content) == {"v": 1}
        tools = [{"type": "function", "function": {"name": "finish", "parameters": {}}}]
        call = ask(c, "go", tools=tools).choices[0].message.tool_calls[0]
        assert (call.function.name, call.function.arguments) == ("finish", "not json")
        assert ask(c, "else").choices[0].message.content == "fallback"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    lines = [json.loads(x) for x in record.read_text().splitlines()]
    assert [x["body"]["messages"][-1]["content"] for x in lines] == \
        ["hi", "please grade", "go", "else"]


def test_concurrent_requests_are_served_in_parallel():
    import asyncio

    from openai import AsyncOpenAI

    async def go(url: str) -> float:
        c = AsyncOpenAI(base_url=url, api_key="k", max_retries=0, timeout=10)
        t = time.monotonic()
        await asyncio.gather(*[c.chat.completions.create(model="m", messages=USER)
                               for _ in range(40)])
        await c.close()
        return time.monotonic() - t

    with ScriptedServer(default=Reply.text("slow").delayed(0.3)) as srv:
        elapsed = asyncio.run(go(srv.base_url))
        assert len(srv.bodies()) == 40
    assert elapsed < 4.0  # serialised would take 12 s
