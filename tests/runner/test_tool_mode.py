"""Tool mode against the scripted server: real files, tool errors, limits, policy."""

from __future__ import annotations

import json

import openpyxl
import pdfplumber
from docx import Document
from pptx import Presentation

from core.llm import PriceTable
from core.llm.prices import Price
from runner.confinement import SandboxLevel, detect_level
from runner.limits import Limits
from tests.runner.conftest import (
    DOCX_SPEC,
    agent,
    finish,
    make_suite,
    rows,
    sample_dir,
    write_docx,
    write_task,
)
from tests.support.scripted_server import Reply

RUN = "scripted-m--suite"


def sample(db, task="task-000", n=0) -> dict:
    row = rows(db, "SELECT * FROM samples WHERE task_id = ? AND sample = ?", [task, n])[0]
    row["transcript"] = json.loads(row["transcript"])
    return row


def events(row: dict, kind: str) -> list[dict]:
    return [e for e in row["transcript"]["events"] if e["event"] == kind]


def test_agent_writes_all_four_formats_that_reopen(tmp_path, run, db):
    suite = tmp_path / "suite"
    write_task(suite, "task-000", types=("docx", "xlsx", "pptx", "pdf"),
               inputs={"figures.csv": "metric,value\nrevenue,120\n"})
    responder = agent(
        Reply.tool_call("list_inputs"),
        Reply.tool_call("read_input", {"name": "figures.csv"}),
        Reply.calls([
            ("write_docx", {"filename": "memo.docx", **DOCX_SPEC}),
            ("write_xlsx", {"filename": "model", "sheets": [
                {"name": "Data", "rows": [["Metric", "Value"], ["Revenue", 120],
                                          ["Double", "=B2*2"]]}]}),
            ("write_pptx", {"filename": "deck.pptx", "title": "Deck",
                            "slides": [{"title": "Key point", "bullets": ["Revenue 120"]}]}),
            ("write_pdf", {"filename": "memo.pdf", **DOCX_SPEC}),
        ]),
        finish("memo.docx", "model.xlsx", "deck.pptx", "memo.pdf", summary="All four."),
    )
    result = run(suite, responder)
    assert result.progress.done == 1 and result.mode == "tools"
    row = sample(db)
    assert (row["status"], row["end_reason"], row["turns"], row["summary"]) == (
        "done", "finished", 4, "All four.")
    assert row["input_tokens"] > 0 and row["output_tokens"] > 0 and row["cost_usd"] is None
    files = {r["name"]: r for r in rows(db, "SELECT * FROM deliverables")}
    assert set(files) == {"memo.docx", "model.xlsx", "deck.pptx", "memo.pdf"}
    d = sample_dir(tmp_path, RUN, "task-000")
    assert Document(str(d / "memo.docx")).paragraphs[0].text == "Quarterly memo"
    assert openpyxl.load_workbook(str(d / "model.xlsx"))["Data"]["B3"].value == "=B2*2"
    assert Presentation(str(d / "deck.pptx")).slides[1].shapes.title.text == "Key point"
    with pdfplumber.open(str(d / "memo.pdf")) as pdf:
        assert "Revenue grew 12%." in pdf.pages[0].extract_text()
    assert all(f["bytes"] == (d / n).stat().st_size and len(f["sha256"]) == 64
               for n, f in files.items())
    # the transcript holds the conversation: the input text reached the model
    tool_texts = [m["content"] for m in row["transcript"]["messages"] if m["role"] == "tool"]
    assert any("revenue,120" in t for t in tool_texts)
    calls = rows(db, "SELECT * FROM model_calls ORDER BY started_at")
    assert len(calls) == 4 and {c["task_id"] for c in calls} == {"task-000"}
    assert json.loads(calls[0]["request"])["tools"][0] == "list_inputs"


def test_malformed_unknown_and_invalid_calls_are_answered_not_fatal(tmp_path, run, db):
    suite = make_suite(tmp_path / "suite", 1)
    responder = agent(
        Reply.malformed_tool_call("write_docx"),
        Reply.tool_call("make_coffee", {}),
        Reply.tool_call("write_xlsx", {"filename": "b.xlsx", "sheets": [{"name": "a/b"}]}),
        Reply.tool_call("finish", {"files": ["nothing.docx"], "summary": "x"}),
        Reply.tool_call("run_python", {"code": "open('fake.docx', 'w').write('text')"}),
        finish("fake.docx"),
        Reply.text("I am done, I think."),
        write_docx(),
        finish("memo.docx"),
    )
    run(suite, responder)
    row = sample(db)
    assert row["end_reason"] == "finished" and row["status"] == "done"
    kinds = [e["kind"] for e in events(row, "tool_error")]
    assert kinds == ["malformed", "unknown_tool", "invalid", "invalid", "invalid"]
    assert row["transcript"]["tool_errors"] == 5
    tool_msgs = [m["content"] for m in row["transcript"]["messages"] if m["role"] == "tool"]
    assert "not valid JSON" in tool_msgs[0] and "no tool named 'make_coffee'" in tool_msgs[1]
    assert "sheets.0.name" in tool_msgs[2] and "no file named 'nothing.docx'" in tool_msgs[3]
    assert "fake.docx: not a valid docx file" in tool_msgs[5]
    # the text-only turn got a reminder, and the model recovered
    assert any(m["role"] == "user" and "call finish" in m["content"]
               for m in row["transcript"]["messages"][2:])
    assert [r["name"] for r in rows(db, "SELECT name FROM deliverables")] == ["memo.docx"]


def test_model_that_never_finishes_ends_with_a_reason(tmp_path, run, db):
    suite = make_suite(tmp_path / "suite", 1)
    run(suite, agent(write_docx(), Reply.text("Here is your memo.")))
    row = sample(db)
    assert (row["status"], row["end_reason"]) == ("done", "no_finish")
    # what it wrote is kept, so the sample can still be graded
    assert [r["name"] for r in rows(db, "SELECT name FROM deliverables")] == ["memo.docx"]


def test_turn_token_cost_and_time_limits_end_samples(tmp_path, run, db):
    suite = tmp_path / "suite"
    for i in range(4):
        write_task(suite, f"task-{i:03d}", prompt=f"Memo number {i}.")
    loop_forever = Reply.tool_call("list_inputs")

    def responder(req):  # keeps calling a tool; slowly for task 3
        return loop_forever.delayed(1.5) if "number 3" in req["messages"][1]["content"] \
            else loop_forever

    prices = PriceTable({"scripted/m": Price(input=0.0, output=1_000_000.0)})  # $1 a token
    run(suite, responder, task_ids=["task-000"], limits=Limits(max_turns=3))
    run(suite, responder, task_ids=["task-001"], run_id="tok",
        limits=Limits(max_output_tokens=12))
    run(suite, responder, task_ids=["task-002"], run_id="cost", client_kw={"prices": prices},
        limits=Limits(max_cost_usd=10.0))
    run(suite, responder, task_ids=["task-003"], run_id="slow", limits=Limits(timeout_s=1.0))
    got = {r["run_id"]: r for r in rows(db, "SELECT * FROM samples")}
    assert got[RUN]["end_reason"] == "max_turns" and got[RUN]["turns"] == 3
    assert got["tok"]["end_reason"] == "max_tokens" and got["tok"]["output_tokens"] >= 12
    assert got["cost"]["end_reason"] == "max_cost" and got["cost"]["cost_usd"] >= 10.0
    assert got["slow"]["end_reason"] == "timeout" and got["slow"]["turns"] == 0
    assert all(r["status"] == "done" for r in got.values())
    limit = json.loads(got[RUN]["transcript"])["events"][-1]
    assert limit["event"] == "limit" and limit["reason"] == "max_turns"


def test_policy_denial_is_logged_and_the_agent_carries_on(tmp_path, run, db):
    suite = make_suite(tmp_path / "suite", 1)
    (suite / "policy.yaml").write_text("confirm: [run_python]\n")
    responder = agent(Reply.tool_call("run_python", {"code": "print('hi')"}), write_docx(),
                      finish("memo.docx"))
    run(suite, responder)
    row = sample(db)
    assert row["end_reason"] == "finished"
    denied = events(row, "policy_denied")
    assert len(denied) == 1 and denied[0]["tool"] == "run_python"
    assert "unattended" in denied[0]["reason"]
    # approved on the command line, the same call runs
    run(suite, responder, run_id="approved", approve=["run_python"])
    row = rows(db, "SELECT transcript FROM samples WHERE run_id = 'approved'")[0]
    assert "policy_denied" not in row["transcript"] and "hi" in row["transcript"]


def test_hostile_python_is_stopped_and_the_run_carries_on(tmp_path, run, db):
    suite = make_suite(tmp_path / "suite", 1)
    (suite / "policy.yaml").write_text("sandbox: {cpu_s: 1, wall_s: 20, file_mb: 10}\n")
    attacks = [
        "print(open('/etc/passwd').read())",
        "import socket; socket.create_connection(('127.0.0.1', 1), timeout=1); print('net!')",
        "f = open('big.bin', 'wb')\nwhile True: f.write(b'0' * (1 << 20))",
        "while True: pass",
    ]
    steps = [Reply.tool_call("run_python", {"code": c}) for c in attacks]
    run(suite, agent(*steps, write_docx(), finish("memo.docx")))
    row = sample(db)
    assert row["end_reason"] == "finished"
    outputs = [m["content"] for m in row["transcript"]["messages"] if m["role"] == "tool"][:4]
    if detect_level() == SandboxLevel.BWRAP:  # below it, files outside are readable
        assert "root:" not in outputs[0]
    assert "net!" not in outputs[1]
    assert "limit reached" in outputs[3]
    assert all(o.startswith(("exit code 1", "stopped by the sandbox")) for o in outputs), outputs
