"""Runner test support: generated suites, scripted agents, and one-call runs.

Every model call goes over real HTTP to ``tests.support.scripted_server``; documents are
reopened with their own libraries; the store is a real DuckDB file in tmp.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.llm import ModelClient
from core.store import Store
from runner.orchestrate import RunConfig, RunResult, execute_run
from tests.support.scripted_server import Reply, ScriptedServer

SECTOR, OCCUPATION = "Finance and Insurance", "Financial Managers"


def write_task(root: Path, task_id: str, *, types: tuple[str, ...] = ("docx",),
               names: tuple[str | None, ...] | None = None, inputs: dict[str, str] | None = None,
               prompt: str = "Write a short memo about the quarter.") -> Path:
    d = root / task_id
    (d / "inputs").mkdir(parents=True, exist_ok=True)
    lines = [f"id: {task_id}", f"title: Task {task_id}", f"sector: {SECTOR}",
             f"occupation: {OCCUPATION}", f"prompt: {json.dumps(prompt)}"]
    if inputs:
        lines.append("inputs:")
        for name, text in inputs.items():
            (d / "inputs" / name).write_text(text)
            lines.append(f"  - path: inputs/{name}")
    lines.append("deliverables:")
    for i, t in enumerate(types):
        name = (names or (None,) * len(types))[i]
        lines.append(f"  - type: {t}" + (f"\n    name: {name}" if name else ""))
    lines += ["rubric:", "  - rubric_item_id: r1", "    criterion: It exists", "    score: 1"]
    (d / "task.yaml").write_text("\n".join(lines) + "\n")
    return d


def make_suite(root: Path, n: int, **kw: Any) -> Path:
    for i in range(n):
        write_task(root, f"task-{i:03d}", **kw)
    return root


def turn(request: dict) -> int:
    """Which turn of its conversation a request is (0 = first call)."""
    return sum(1 for m in request.get("messages", []) if m.get("role") == "assistant")


def agent(*steps: Reply | Callable[[dict], Reply]) -> Callable[[dict], Reply]:
    """A responder playing ``steps`` in order within each conversation (any number of
    conversations at once); the last step repeats."""
    def respond(request: dict) -> Reply:
        step = steps[min(turn(request), len(steps) - 1)]
        return step(request) if callable(step) else step
    return respond


DOCX_SPEC = {"title": "Quarterly memo", "blocks": [
    {"type": "heading", "text": "Summary", "level": 1},
    {"type": "paragraph", "text": "Revenue grew **12%**."},
    {"type": "bullets", "items": ["Revenue up", "Costs flat"]}]}


def write_docx(name: str = "memo.docx", **spec: Any) -> Reply:
    return Reply.tool_call("write_docx", {"filename": name, **(spec or DOCX_SPEC)})


def finish(*files: str, summary: str = "done") -> Reply:
    return Reply.tool_call("finish", {"files": list(files), "summary": summary})


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """Artefacts and settings of a test stay in its tmp dir."""
    for name in list(os.environ):
        if name.endswith(("_BASE_URL", "_API_KEY", "_CAPABILITIES")) or name in (
                "OCCUBENCH_PRICES", "OCCUBENCH_DB"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("OCCUBENCH_DATA", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def srv():
    with ScriptedServer() as server:
        yield server


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "occubench.duckdb"


@pytest.fixture
def run(srv, db, tmp_path):
    """``run(suite, responder=None, client_kw={}, **RunConfig fields) -> RunResult``."""
    def go(suite: Path, responder: Callable[[dict], Reply] | None = None, *,
           client_kw: dict | None = None, **cfg: Any) -> RunResult:
        if responder is not None:
            srv.responder = responder
        kw = {"max_retries": 3, "timeout": 10.0, **(client_kw or {})}
        model = cfg.pop("model", "scripted/m")

        async def main() -> RunResult:
            client = ModelClient(model, base_url=srv.base_url, api_key="k", **kw)
            client.backoff_base = 0.01
            try:
                return await execute_run(RunConfig(suite=suite, model=model, db=db, **cfg),
                                         client=client)
            finally:
                await client.aclose()
        result = asyncio.run(main())
        Store.close_all()
        return result
    return go


def rows(db: Path, sql: str, params: list | None = None) -> list[dict]:
    store = Store(db)
    try:
        return store.query(sql, params or [])
    finally:
        Store.close_all()


def sample_dir(tmp_path: Path, run_id: str, task_id: str, sample: int = 0) -> Path:
    return tmp_path / "data" / "runs" / run_id / task_id / str(sample)
