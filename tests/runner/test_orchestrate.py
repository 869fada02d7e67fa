"""Orchestration: concurrency under faults, resume, and the errors a user meets."""

from __future__ import annotations

import asyncio
import json

import pytest

from core.errors import UserError
from core.llm import ModelClient
from runner.orchestrate import RunConfig, execute_run
from tests.runner.conftest import agent, finish, make_suite, rows, write_docx
from tests.support.scripted_server import Reply, Rule

MEMO = agent(write_docx(), finish("memo.docx"))


def test_fifty_tasks_complete_through_429s_500s_and_timeouts(tmp_path, run, db, srv):
    suite = make_suite(tmp_path / "suite", 50)
    for rule in (Rule(Reply.rate_limit(0.05), every=9), Rule(Reply.error(500), every=13),
                 Rule(Reply.hang(3.0), every=17)):
        srv.add_rule(rule)
    result = run(suite, MEMO, max_connections=8, client_kw={"timeout": 1.0, "max_retries": 8})
    assert (result.progress.done, result.progress.failed) == (50, 0), result.failures
    samples = rows(db, "SELECT status, end_reason, attempts FROM samples")
    assert len(samples) == 50
    assert {(s["status"], s["end_reason"], s["attempts"]) for s in samples} == {
        ("done", "finished", 1)}
    files = rows(db, "SELECT task_id, count(*) AS n FROM deliverables GROUP BY task_id")
    assert len(files) == 50 and {f["n"] for f in files} == {1}
    calls = rows(db, "SELECT attempts FROM model_calls WHERE status = 'ok'")
    assert len(calls) == 100 and max(c["attempts"] for c in calls) > 1
    statuses = [r for r in srv.requests if r.path == "/v1/chat/completions"]
    assert len(statuses) > 100  # the faults really happened and were retried


def test_resume_skips_done_retries_failed_once_and_reruns_abandoned(tmp_path, run, db, srv):
    suite = make_suite(tmp_path / "suite", 3)
    for i in range(3):  # tell the tasks apart by prompt
        (suite / f"task-{i:03d}" / "task.yaml").write_text(
            (suite / f"task-{i:03d}" / "task.yaml").read_text().replace(
                "the quarter.", f"the quarter, part {i}."))

    def flaky(req):
        if "part 1" in req["messages"][1]["content"]:
            return Reply.error(400, "this request is broken")
        return MEMO(req)

    first = run(suite, flaky)
    assert (first.progress.done, first.progress.failed) == (2, 1)
    state = {r["task_id"]: r for r in rows(db, "SELECT * FROM samples")}
    assert (state["task-001"]["status"], state["task-001"]["attempts"]) == ("failed", 1)
    assert "model error (bad_request)" in state["task-001"]["error"]

    seen_before = len(srv.bodies())
    second = run(suite, flaky)
    retried = srv.bodies()[seen_before:]
    assert second.progress.total == 1 and second.progress.skipped == 2
    assert retried and all("part 1" in b["messages"][1]["content"] for b in retried)
    state = {r["task_id"]: r for r in rows(db, "SELECT * FROM samples")}
    assert (state["task-001"]["status"], state["task-001"]["attempts"]) == ("failed", 2)

    # a process killed mid-sample leaves it 'running': the next invocation runs it again
    from core.store import Store
    Store(db).write(lambda con: con.execute(
        "UPDATE samples SET status = 'running' WHERE task_id = 'task-000'"))
    Store.close_all()
    third = run(suite, flaky)
    assert third.progress.total == 1 and third.progress.done == 1  # task-001 is given up
    state = {r["task_id"]: r for r in rows(db, "SELECT * FROM samples")}
    assert (state["task-000"]["status"], state["task-000"]["attempts"]) == ("done", 2)
    assert rows(db, "SELECT count(*) AS n FROM deliverables")[0]["n"] == 2
    runs = rows(db, "SELECT * FROM runs")
    assert len(runs) == 1 and runs[0]["model"] == "scripted/m"
    assert len(json.loads(runs[0]["config"])["history"]) == 0  # same config each time


def test_run_id_belongs_to_one_model(tmp_path, run):
    suite = make_suite(tmp_path / "suite", 1)
    run(suite, MEMO, run_id="shared")
    with pytest.raises(UserError, match="was made with model 'scripted/m'"):
        run(suite, MEMO, run_id="shared", model="scripted/other")


def test_wrong_base_url_stops_the_run_with_one_sentence(tmp_path, db):
    suite = make_suite(tmp_path / "suite", 6)

    async def main():
        client = ModelClient("scripted/m", base_url="http://127.0.0.1:9/v1", api_key="k",
                             max_retries=1, timeout=2)
        client.backoff_base = 0.01
        async with client:
            await execute_run(RunConfig(suite=suite, model="scripted/m", db=db), client=client)

    with pytest.raises(UserError, match="cannot connect to http://127.0.0.1:9/v1"):
        asyncio.run(main())
    # nothing is counted against the samples: they are all still pending
    assert {r["status"] for r in rows(db, "SELECT status FROM samples")} == {"pending"}
    assert {r["attempts"] for r in rows(db, "SELECT attempts FROM samples")} == {0}


def test_unknown_model_and_missing_suite_are_user_errors(tmp_path, run, srv):
    srv.models = ["real-model"]
    suite = make_suite(tmp_path / "suite", 2)
    with pytest.raises(UserError, match="does not exist"):
        run(suite, MEMO, model="scripted/typo")
    with pytest.raises(UserError, match="suite path .*nowhere does not exist"):
        run(tmp_path / "nowhere", MEMO)
    with pytest.raises(UserError, match="no valid task with id nope"):
        run(suite, MEMO, task_ids=["nope"])
    with pytest.raises(UserError, match="no runnable tasks"):
        run(suite, MEMO, occupations=["Astronauts"])
