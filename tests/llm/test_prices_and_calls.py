"""The price table (shipped + user file) and recording calls into a real DuckDB file."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from core.errors import UserError
from core.llm import ModelError, Usage, load_prices
from core.store import Store
from core.store.calls import MAX_STRING, calls_of_run, record_calls
from tests.support.scripted_server import Reply

U = Usage(input_tokens=2_000_000, output_tokens=1_000_000, cached_tokens=1_000_000)


def test_shipped_table_is_dated_and_honest():
    table = load_prices()
    assert date.fromisoformat(table.updated)
    assert table.cost("local/smollm2-135m", U) == 0.0  # free, explicitly
    assert table.cost("openai/gpt-4o-mini", U) == pytest.approx(0.15 + 0.075 + 0.60)
    assert table.cost("vllm/some/model", U) is None  # unknown, not 0
    assert table.cost("openai/gpt-4o-mini", None) is None


def test_user_file_overrides_and_extends(tmp_path, monkeypatch):
    (tmp_path / "prices.yaml").write_text(
        "models:\n  openai/gpt-4o-mini: {input: 1, output: 1}\n"
        "  vllm/*: {input: 0.5, output: 0.5}\n")
    table = load_prices()
    assert table.cost("openai/gpt-4o-mini", U) == pytest.approx(3.0)  # cached at input price
    assert table.cost("vllm/any/model", U) == pytest.approx(1.5)
    other = tmp_path / "mine.yaml"
    other.write_text("models:\n  acme/x: {input: 10, output: 20, cached_input: 1}\n")
    monkeypatch.setenv("OCCUBENCH_PRICES", str(other))
    table = load_prices()
    assert table.cost("acme/x", U) == pytest.approx(10 + 1 + 20)
    assert table.cost("vllm/any/model", U) is None  # ./prices.yaml no longer used


def test_bad_price_file_names_file_and_entry(tmp_path, monkeypatch):
    bad = tmp_path / "bad.yaml"
    bad.write_text("models:\n  acme/x: {input: cheap, output: 1}\n")
    monkeypatch.setenv("OCCUBENCH_PRICES", str(bad))
    with pytest.raises(UserError) as info:
        load_prices()
    assert "bad.yaml" in str(info.value) and "acme/x" in str(info.value)
    monkeypatch.setenv("OCCUBENCH_PRICES", str(tmp_path / "missing.yaml"))
    with pytest.raises(UserError, match="missing.yaml"):
        load_prices()


def test_records_of_real_calls_land_in_duckdb_once(tmp_path, srv, make_client):
    huge = "x" * (MAX_STRING + 5000)
    srv.push(Reply.text("fine", usage={"input_tokens": 10, "output_tokens": 4}),
             Reply.error(400, "nope"))
    records = []
    ctx = {"run_id": "run-1", "task_id": "task-a", "sample": 2, "turn": 7}

    async def go():
        c = make_client(on_call=records.append)
        try:
            await c.chat([{"role": "user", "content": huge}], purpose="agent", context=ctx)
            with pytest.raises(ModelError):
                await c.chat([{"role": "user", "content": "again"}], purpose="plan",
                             context=ctx)
        finally:
            await c.aclose()

    asyncio.run(go())
    store = Store(tmp_path / "db" / "occubench.duckdb")
    record_calls(store, records)
    record_calls(store, records)  # idempotent
    rows = calls_of_run(store, "run-1")
    assert len(rows) == 2
    ok, err = sorted(rows, key=lambda r: r["status"], reverse=True)
    assert (ok["status"], ok["purpose"], ok["task_id"], ok["sample"]) == \
        ("ok", "agent", "task-a", 2)
    assert (ok["input_tokens"], ok["output_tokens"], ok["attempts"]) == (10, 4, 1)
    assert ok["cost_usd"] is None  # scripted/test-model has no price
    content = ok["request"]["messages"][0]["content"]
    assert len(content) < len(huge) and content.endswith("[truncated 5000 chars]")
    assert ok["request"]["context"] == {"turn": 7}
    assert ok["response"]["choices"][0]["message"]["content"] == "fine"
    assert (err["status"], err["purpose"], err["response"]) == ("error", "plan", None)
    assert err["error"].startswith("bad_request") and "nope" in err["error"]
    assert ok["call_id"] == records[0].call_id
