"""Fixtures for grader tests: a real DuckDB store, small tasks with their own gold files,
submissions as the runner would record them, and a judge talking real HTTP to the
scripted OpenAI-compatible server."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from core.store.db import Store
from core.store.submissions import describe, register_gold, replace_deliverables_sql
from core.store.tasks import upsert_tasks
from core.suite import LoadedTask
from core.task import Task
from graders.judge import open_judge
from tests.support.scripted_server import Reply, ScriptedServer, last_user_text, messages_of


@pytest.fixture(scope="session", autouse=True)
def _private_renderer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One warm LibreOffice for the session (formula recalculation, page counts) with its
    cache in tmp, and data/ kept out of the repo."""
    from core.documents.render import Renderer, set_default_renderer

    data = tmp_path_factory.mktemp("data")
    mp = pytest.MonkeyPatch()
    mp.setenv("OCCUBENCH_DATA", str(data))
    renderer = Renderer(cache_root=data / "render-cache", timeout_s=60)
    set_default_renderer(renderer)
    yield
    set_default_renderer(None)
    renderer.close()
    mp.undo()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "occubench.duckdb")


def add_task(store: Store, root: Path, spec: dict[str, Any],
             gold: dict[str, Callable[[Path], Path]] | None = None,
             inputs: dict[str, Callable[[Path], Path]] | None = None) -> LoadedTask:
    """Write a task folder (gold/ and inputs/ made by the given makers), snapshot it in the
    store and register its gold files."""
    folder = root / spec["id"]
    (folder / "gold").mkdir(parents=True, exist_ok=True)
    (folder / "inputs").mkdir(parents=True, exist_ok=True)
    for name, make in (gold or {}).items():
        make(folder / "gold" / name)
    for name, make in (inputs or {}).items():
        make(folder / "inputs" / name)
    spec = {"title": spec["id"], "sector": "Finance and Insurance",
            "occupation": "Financial and Investment Analysts", **spec,
            "gold": [{"path": f"gold/{n}"} for n in gold or {}],
            "inputs": [{"path": f"inputs/{n}"} for n in inputs or {}]}
    lt = LoadedTask(Task.model_validate(spec), folder)
    upsert_tasks(store, [lt])
    register_gold(store, [lt])
    return lt


def add_submission(store: Store, run_id: str, model: str, task_id: str, sample: int,
                   files: list[Path]) -> None:
    """A finished sample and its files, as the runner records them."""
    described = [describe(run_id, task_id, sample, p) for p in files]

    def write(con) -> None:
        con.execute("INSERT INTO runs (run_id, model) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    [run_id, model])
        con.execute("INSERT INTO samples (run_id, task_id, sample, status) "
                    "VALUES (?, ?, ?, 'done') ON CONFLICT DO NOTHING", [run_id, task_id, sample])
        replace_deliverables_sql(con, run_id, task_id, sample, described)
    store.write(write)


_FENCED = re.compile(r"<<<BEGIN (?P<label>[A-Z ]+?) (?P<nonce>[0-9a-f]{16})>>>\n(?P<body>.*?)\n"
                     r"<<<END (?P=label) (?P=nonce)>>>", re.S)


def fenced_blocks(request: dict) -> dict[str, str]:
    """The judge prompt's fenced blocks by label ('DELIVERABLE A', ...)."""
    return {m["label"]: m["body"] for m in _FENCED.finditer(last_user_text(request))}


def system_text(request: dict) -> str:
    return "\n".join(str(m.get("content")) for m in messages_of(request)
                     if m.get("role") == "system")


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer(default=Reply.error(500, "no responder set")) as srv:
        yield srv


JUDGE = "test/judge-1"


@pytest.fixture
def grade(store: Store, server: ScriptedServer) -> Callable[..., Any]:
    """``grade(fn, *args, judge=..., timeout=..., **kw)`` runs ``fn(store, judge, *args,
    **kw)`` with a judge on the scripted server (no retries, short timeout), in a fresh
    event loop and client, as one CLI invocation would."""
    def run(fn: Callable[..., Any], *args: Any, judge: str = JUDGE, timeout: float = 2.0,
            connections: int = 4, **kw: Any) -> Any:
        async def main() -> Any:
            async with open_judge(store, judge, base_url=server.base_url, api_key="x",
                                  timeout=timeout, max_retries=0,
                                  max_connections=connections) as j:
                return await fn(store, j, *args, **kw)
        return asyncio.run(main())
    return run


def chat_requests(server: ScriptedServer) -> int:
    return len(server.bodies())
