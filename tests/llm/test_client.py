"""ModelClient over real HTTP against the scripted server: retries, faults, usage, cost,
tool calls, structured output, the Responses API and on_call records."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from core.errors import UserError
from core.llm import ModelError
from core.llm.prices import Price, PriceTable
from core.llm.retry import retry_after_seconds
from tests.support.scripted_server import Reply, ScriptedServer

USER = [{"role": "user", "content": "Draft the memo."}]
SCHEMA = {"type": "object", "properties": {
    "verdict": {"type": "string", "enum": ["A", "B", "tie"]},
    "reason": {"type": "string", "maxLength": 200}}, "required": ["verdict", "reason"]}
TOOLS = [{"type": "function", "function": {
    "name": "write_file", "description": "Write a file",
    "parameters": {"type": "object", "properties": {"path": {"type": "string"}},
                   "required": ["path"]}}}]


def run(coro_fn):
    return asyncio.run(coro_fn())


def chat_error(make_client, **client_kw) -> ModelError:
    """The ModelError a one-message chat ends in, with the client closed afterwards."""
    async def go():
        c = make_client(**client_kw)
        try:
            with pytest.raises(ModelError) as info:
                await c.chat(USER)
            return info.value
        finally:
            await c.aclose()

    return run(go)


def test_text_usage_and_cost_with_known_and_unknown_price(srv, make_client):
    prices = PriceTable({"scripted/priced": Price(input=1.0, output=2.0, cached_input=0.5)})
    usage = {"input_tokens": 1000, "output_tokens": 500, "cached_tokens": 200}
    srv.push(Reply.text("Here it is.", usage=usage), Reply.text("Again.", usage=usage))

    async def go():
        priced, unknown = make_client("scripted/priced", prices=prices), \
            make_client("scripted/unpriced", prices=prices)
        try:
            return await priced.chat(USER), await unknown.chat(USER)
        finally:
            await priced.aclose()
            await unknown.aclose()

    a, b = run(go)
    assert a.content == "Here it is." and a.finish_reason == "stop" and a.tool_calls == []
    assert (a.usage.input_tokens, a.usage.output_tokens, a.usage.cached_tokens) == (1000, 500, 200)
    assert a.cost_usd == pytest.approx((800 * 1.0 + 200 * 0.5 + 500 * 2.0) / 1e6)
    assert b.usage.output_tokens == 500 and b.cost_usd is None  # unknown, not 0
    assert srv.bodies()[0]["model"] == "priced"  # the provider prefix is not sent
    assert a.raw["id"].startswith("chatcmpl-") and a.latency_s > 0


def test_rate_limit_honours_retry_after(srv, make_client):
    srv.push(Reply.rate_limit(retry_after=1), Reply.text("ok after wait"))
    records = []

    async def go():
        c = make_client(on_call=records.append)
        try:
            t = time.monotonic()
            r = await c.chat(USER)
            return r, time.monotonic() - t
        finally:
            await c.aclose()

    r, elapsed = run(go)
    assert r.content == "ok after wait"
    assert elapsed >= 1.0  # the header's second, not the 0.01 s back-off
    assert len(srv.bodies()) == 2
    assert [(x.status, x.attempts) for x in records] == [("ok", 2)]


def test_retry_after_http_date_and_cap():
    class H(dict):
        pass
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 28 <= retry_after_seconds(H({"retry-after": soon})) <= 30
    assert retry_after_seconds(H({"retry-after": "3600"})) == 60.0
    assert retry_after_seconds(H({"retry-after-ms": "250"})) == 0.25
    assert retry_after_seconds(H({"retry-after": "soon"})) is None


def test_server_error_then_success_and_dropped_connection(srv, make_client):
    srv.push(Reply.error(500), Reply.error(503), Reply.dropped(), Reply.text("fine"))
    records = []

    async def go():
        c = make_client(on_call=records.append)
        try:
            return await c.chat(USER)
        finally:
            await c.aclose()

    assert run(go).content == "fine"
    assert len(srv.bodies()) == 4 and records[0].attempts == 4


def test_timeout_after_retries(srv, make_client):
    srv.push(Reply.hang(10), Reply.hang(10))
    records = []

    async def go():
        c = make_client(timeout=0.4, max_retries=1, on_call=records.append)
        t = time.monotonic()
        try:
            with pytest.raises(ModelError) as info:
                await c.chat(USER, context={"run_id": "r1"})
            return info.value, time.monotonic() - t
        finally:
            await c.aclose()

    err, elapsed = run(go)
    assert err.kind == "timeout" and err.attempts == 2 and isinstance(err, UserError)
    assert "0.4s" in str(err)
    assert 0.8 <= elapsed < 3
    assert len(srv.bodies()) == 2
    (rec,) = records
    assert rec.status == "error" and rec.error.startswith("timeout") and rec.attempts == 2
    assert rec.response is None and rec.usage is None and rec.context == {"run_id": "r1"}


def test_retries_give_up_with_the_last_error(srv, make_client):
    srv.push(*[Reply.error(502)] * 3)

    err = chat_error(make_client, max_retries=2)
    assert (err.kind, err.status, err.attempts) == ("server", 502, 3)


def test_tool_calls_round_trip_with_non_json_arguments(srv, make_client):
    srv.push(Reply.calls([("write_file", {"path": "memo.docx"}),
                          ("write_file", '{"path": "memo.docx", ')]),
             Reply.text("done"))

    async def go():
        c = make_client()
        try:
            first = await c.chat(USER, tools=TOOLS, tool_choice="auto", max_tokens=300,
                                 temperature=0.2)
            history = [*USER, {"role": "assistant", "content": None, "tool_calls": [
                {"id": t.id, "type": "function",
                 "function": {"name": t.name, "arguments": t.arguments}}
                for t in first.tool_calls]}]
            history += [{"role": "tool", "tool_call_id": t.id, "content": "ok"}
                        for t in first.tool_calls]
            return first, await c.chat(history, tools=TOOLS)
        finally:
            await c.aclose()

    first, second = run(go)
    assert first.finish_reason == "tool_calls"
    good, bad = first.tool_calls
    assert json.loads(good.arguments) == {"path": "memo.docx"}
    assert bad.arguments == '{"path": "memo.docx", '  # raw text kept, nothing crashed
    assert good.id != bad.id
    sent = srv.bodies()
    assert sent[0]["tools"] == TOOLS and sent[0]["tool_choice"] == "auto"
    assert sent[0]["max_tokens"] == 300 and sent[0]["temperature"] == 0.2
    assert [m["role"] for m in sent[1]["messages"]] == ["user", "assistant", "tool", "tool"]
    assert sent[1]["messages"][1]["tool_calls"][1]["function"]["arguments"] == bad.arguments
    assert second.content == "done"


def test_complete_json_retries_bad_json_then_succeeds(srv, make_client):
    fenced = '```json\n{"verdict": "B", "reason": "line\tone"}\n```'
    srv.push(Reply.invalid_json(), Reply.text(fenced))
    records = []

    async def go():
        c = make_client(on_call=records.append)
        try:
            return await c.complete_json(USER, SCHEMA, max_tokens=100,
                                         context={"task_id": "t"})
        finally:
            await c.aclose()

    value, resp = run(go)
    assert value == {"verdict": "B", "reason": "line\tone"}  # fences and raw tab tolerated
    assert [r.status for r in records] == ["error", "ok"]
    assert records[0].error.startswith("malformed") and records[0].usage is not None
    assert records[1].call_id == resp.call_id
    body = srv.bodies()[0]
    assert body["max_tokens"] == 100
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"] == SCHEMA
    assert body["response_format"]["json_schema"]["strict"] is False  # not strict-compatible


def test_complete_json_gives_up_as_malformed(srv, make_client):
    srv.push(Reply.invalid_json(), Reply.json({"verdict": "A"}))  # second lacks "reason"

    async def go():
        c = make_client()
        try:
            with pytest.raises(ModelError) as info:
                await c.complete_json(USER, SCHEMA, max_tokens=50, attempts=2)
            return info.value
        finally:
            await c.aclose()

    err = run(go)
    assert err.kind == "malformed" and "2 attempts" in str(err) and "reason" in str(err)
    assert len(srv.bodies()) == 2


def test_complete_json_dialects_local_and_openai(srv, make_client, monkeypatch):
    strict = {"type": "object", "additionalProperties": False,
              "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}
    monkeypatch.setenv("SCRIPTED_CAPABILITIES", "tools")  # a llama.cpp-like backend
    srv.push(Reply.json({"ok": True}), Reply.json({"ok": False}), Reply.text("cut " * 50))

    async def go():
        llama, oai = make_client(), make_client("openai/gpt-4o")
        try:
            a = await llama.complete_json(USER, strict, max_tokens=20)
            b = await oai.complete_json(USER, strict, max_tokens=20)
            with pytest.raises(ModelError):  # cut at max_tokens -> malformed
                await llama.complete_json(USER, strict, max_tokens=5, attempts=1)
            return a, b
        finally:
            await llama.aclose()
            await oai.aclose()

    (a, _), (b, _) = run(go)
    assert a == {"ok": True} and b == {"ok": False}
    llama_body, oai_body, _ = srv.bodies()
    assert llama_body["response_format"] == {"type": "json_object", "schema": strict}
    assert llama_body["max_tokens"] == 20
    assert oai_body["response_format"]["json_schema"]["strict"] is True
    assert oai_body["max_completion_tokens"] == 20 and "max_tokens" not in oai_body


def test_errors_that_are_not_retried(make_client):
    with ScriptedServer([Reply.error(400, "context length exceeded")], api_key="right",
                        models=["test-model"]) as srv:
        async def go():
            ok, wrong_key, typo = make_client(base_url=srv.base_url, api_key="right"), \
                make_client(base_url=srv.base_url, api_key="wrong"), \
                make_client("scripted/test-modle", base_url=srv.base_url, api_key="right")
            errors = []
            try:
                for c in (ok, wrong_key, typo):
                    with pytest.raises(ModelError) as info:
                        await c.chat(USER)
                    errors.append(info.value)
            finally:
                for c in (ok, wrong_key, typo):
                    await c.aclose()
            return errors

        bad, auth, missing = run(go)
        assert len(srv.bodies()) == 3  # one attempt each
    assert (bad.kind, bad.attempts) == ("bad_request", 1)
    assert "context length exceeded" in str(bad)
    assert auth.kind == "auth" and "SCRIPTED_API_KEY" in str(auth)
    assert missing.kind == "not_found" and "'test-modle'" in str(missing)


def test_wrong_base_url_is_a_connection_error(make_client):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there

    err = chat_error(make_client, base_url=f"http://127.0.0.1:{port}/v1", max_retries=1)
    assert err.kind == "connection" and err.attempts == 2
    assert f"127.0.0.1:{port}" in str(err) and "SCRIPTED_BASE_URL" in str(err)


def test_responses_api_text_tools_and_json(srv, make_client):
    srv.push(Reply.tool_call("write_file", {"path": "a.xlsx"}), Reply.text("all done"),
             Reply.json({"verdict": "tie", "reason": "same"}))

    async def go():
        c = make_client(use_responses_api=True)
        try:
            first = await c.chat(USER, tools=TOOLS,
                                 tool_choice={"type": "function",
                                              "function": {"name": "write_file"}},
                                 max_tokens=64)
            call = first.tool_calls[0]
            history = [{"role": "system", "content": "Be brief."}, *USER,
                       {"role": "assistant", "content": None, "tool_calls": [
                           {"id": call.id, "type": "function",
                            "function": {"name": call.name, "arguments": call.arguments}}]},
                       {"role": "tool", "tool_call_id": call.id, "content": "written"}]
            second = await c.chat(history)
            third = await c.complete_json(USER, SCHEMA, max_tokens=80)
            return first, second, third
        finally:
            await c.aclose()

    first, second, (value, _) = run(go)
    assert first.tool_calls[0].name == "write_file" and first.finish_reason == "tool_calls"
    assert json.loads(first.tool_calls[0].arguments) == {"path": "a.xlsx"}
    assert first.usage.input_tokens > 0
    assert second.content == "all done" and value["verdict"] == "tie"
    b1, b2, b3 = srv.bodies("/v1/responses")
    assert b1["tools"][0]["name"] == "write_file" and b1["max_output_tokens"] == 64
    assert b1["tool_choice"] == {"type": "function", "name": "write_file"}
    assert [i.get("type", i.get("role")) for i in b2["input"]] == \
        ["system", "user", "function_call", "function_call_output"]
    assert b2["input"][3]["call_id"] == call_id_of(first)
    assert b3["text"]["format"]["type"] == "json_schema"


def call_id_of(resp):
    return resp.tool_calls[0].id


def test_responses_api_unsupported_is_a_clear_error(make_client):
    with ScriptedServer(responses_api=False) as srv:
        async def go():
            c = make_client(base_url=srv.base_url, use_responses_api=True)
            try:
                with pytest.raises(UserError) as info:
                    await c.chat(USER)
                return info.value
            finally:
                await c.aclose()

        err = run(go)
    assert "Responses API" in str(err) and "--responses-api" in str(err)


def test_answer_without_choices_is_malformed_and_recorded(srv, make_client):
    srv.push(Reply(body={"id": "x", "object": "chat.completion", "choices": []}))
    records = []

    err = chat_error(make_client, on_call=records.append)
    assert err.kind == "malformed" and len(srv.bodies()) == 1
    assert records[0].status == "error" and records[0].response["choices"] == []


def test_answer_that_is_not_a_json_object_is_malformed_and_not_retried(srv, make_client):
    srv.push(Reply(body="<html>gateway says hello</html>"), Reply.text("unused"))
    records = []

    err = chat_error(make_client, on_call=records.append)
    assert err.kind == "malformed" and "not an API response" in str(err)
    assert "gateway says hello" in str(err) and len(srv.bodies()) == 1
    assert records[0].status == "error" and records[0].response is None


def test_limit_concurrency_queues_calls_outside_the_timeout(make_client):
    with ScriptedServer(default=Reply.text("slow").delayed(0.3)) as srv:
        async def go():
            c = make_client(base_url=srv.base_url, timeout=0.6, max_retries=0)
            c.limit_concurrency(1)
            try:
                return await asyncio.gather(*[c.chat(USER) for _ in range(3)])
            finally:
                await c.aclose()

        replies = run(go)  # 3 x 0.3 s queued > the 0.6 s timeout, yet none times out
        arrivals = sorted(r.at for r in srv.requests)
    assert [r.content for r in replies] == ["slow"] * 3
    assert all(b - a >= 0.29 for a, b in zip(arrivals, arrivals[1:], strict=False))


def test_records_snapshot_the_request(srv, make_client):
    records = []

    async def go():
        c = make_client(on_call=records.append)
        history = list(USER)
        try:
            for _ in range(2):
                r = await c.chat(history)
                history += [{"role": "assistant", "content": r.content},
                            {"role": "user", "content": "more"}]
        finally:
            await c.aclose()

    run(go)
    assert [len(r.request["messages"]) for r in records] == [1, 3]
