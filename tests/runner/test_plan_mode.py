"""Document-plan mode: one bounded JSON answer, rendered to every requested file."""

from __future__ import annotations

import json

import openpyxl
import pdfplumber
from docx import Document
from pptx import Presentation

from runner.plan import PLAN_SCHEMA
from tests.runner.conftest import rows, sample_dir, write_task
from tests.support.scripted_server import Reply

PLAN = {
    "title": "Cash forecast",
    "summary": "Cash stays positive all quarter. The low point is in week 6.",
    "sections": [
        {"heading": "Assumptions", "paragraphs": ["Receipts arrive on time."],
         "bullets": ["Payroll biweekly", "Rent on the 1st"]},
        {"heading": "Risks", "paragraphs": [], "bullets": ["Late customer payments"]},
    ],
    "table": {"title": "Weekly balance", "columns": ["Week", "Balance"],
              "rows": [["1", "$12,000"], ["2", "9,500.50"], ["3", "n/a"]]},
}


def walk(schema: dict):
    yield schema
    for key in ("items",):
        if isinstance(schema.get(key), dict):
            yield from walk(schema[key])
    for sub in (schema.get("properties") or {}).values():
        yield from walk(sub)


def test_plan_schema_is_bounded_everywhere():
    for node in walk(PLAN_SCHEMA):
        if node.get("type") == "string":
            assert "maxLength" in node, node
        if node.get("type") == "array":
            assert "maxItems" in node, node


def test_auto_mode_plans_for_a_model_without_tool_calling(tmp_path, run, db, srv,
                                                          monkeypatch):
    monkeypatch.setenv("SCRIPTED_CAPABILITIES", "tools")  # no auto tool choice
    suite = tmp_path / "suite"
    write_task(suite, "cash", types=("docx", "xlsx", "pptx", "pdf", "md"),
               names=("forecast.docx", None, None, None, None),
               inputs={"ledger.csv": "week,balance\n1,12000\n"})
    result = run(suite, lambda req: Reply.json(PLAN))
    assert result.mode == "plan" and result.progress.done == 1
    body = srv.bodies()[0]
    assert body["max_tokens"] <= 2000 and "tools" not in body
    assert body["response_format"]["type"] in ("json_object", "json_schema")
    assert "week,balance" in body["messages"][1]["content"]  # inputs shown in the prompt
    row = rows(db, "SELECT * FROM samples")[0]
    assert (row["mode"], row["end_reason"], row["turns"]) == ("plan", "finished", 1)
    names = sorted(r["name"] for r in rows(db, "SELECT name FROM deliverables"))
    assert names == ["Task_cash.md", "Task_cash.pdf", "Task_cash.pptx", "Task_cash.xlsx",
                     "forecast.docx"]
    d = sample_dir(tmp_path, result.run_id, "cash")
    doc = Document(str(d / "forecast.docx"))
    assert doc.paragraphs[0].text == "Cash forecast"
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == [
        "Assumptions", "Risks"]
    ws = openpyxl.load_workbook(str(d / "Task_cash.xlsx"))["Data"]
    assert [[c.value for c in r] for r in ws.iter_rows()] == [
        ["Week", "Balance"], [1, 12000], [2, 9500.5], [3, "n/a"]]
    slides = list(Presentation(str(d / "Task_cash.pptx")).slides)
    assert [s.shapes.title.text for s in slides] == [
        "Cash forecast", "Overview", "Assumptions", "Risks", "Weekly balance"]
    with pdfplumber.open(str(d / "Task_cash.pdf")) as pdf:
        assert "Late customer payments" in pdf.pages[0].extract_text()
    assert (d / "Task_cash.md").read_text().startswith("# Cash forecast")
    transcript = json.loads(row["transcript"])
    assert transcript["mode"] == "plan" and transcript["messages"][-1]["role"] == "assistant"


def test_garbage_plans_end_the_sample_without_crashing_the_run(tmp_path, run, db):
    suite = tmp_path / "suite"
    write_task(suite, "bad", types=("docx",))
    write_task(suite, "good", types=("docx",), prompt="the good one")

    def responder(req):
        if "the good one" in req["messages"][1]["content"]:
            return Reply.json({"title": "Fine", "summary": "ok", "sections": [
                {"heading": "H", "paragraphs": ["p"], "bullets": []}], "table": {
                "title": "", "columns": [], "rows": []}})
        return Reply.invalid_json()

    result = run(suite, responder, mode="plan")
    assert result.progress.done == 2 and result.progress.failed == 0
    got = {r["task_id"]: r for r in rows(db, "SELECT * FROM samples")}
    assert got["bad"]["end_reason"] == "invalid_output" and got["bad"]["status"] == "done"
    assert "not valid JSON" in got["bad"]["error"]
    assert got["good"]["end_reason"] == "finished"
    calls = rows(db, "SELECT status FROM model_calls WHERE task_id = 'bad'")
    assert [c["status"] for c in calls] == ["error", "error"]  # asked twice, both recorded
    assert [r["task_id"] for r in rows(db, "SELECT task_id FROM deliverables")] == ["good"]
