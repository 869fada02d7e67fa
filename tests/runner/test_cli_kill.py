"""The real CLI against the scripted server run as a process: Ctrl-C, kill -9, resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.files import sha256_file
from tests.conftest import REPO, occubench_exe, run_cli
from tests.runner.conftest import make_suite, rows

pytestmark = pytest.mark.e2e

N = 24
RUN = "killtest"


@pytest.fixture
def server(tmp_path):
    spec = {"title": "Memo", "blocks": [{"type": "paragraph", "text": "Quarter was fine."}]}
    script = {
        "rules": [{"match": {"any_contains": "Wrote memo.docx"}, "reply": {
            "tool_calls": [{"name": "finish", "arguments": {"files": ["memo.docx"],
                                                             "summary": "memo"}}],
            "delay": 0.25}}],
        "default": {"tool_calls": [{"name": "write_docx", "arguments": {
            "filename": "memo.docx", **spec}}], "delay": 0.25},
    }
    path = tmp_path / "script.json"
    path.write_text(json.dumps(script))
    record = tmp_path / "requests.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "tests.support.scripted_server", "--port",
                             "0", "--script", str(path), "--record", str(record)], cwd=REPO,
                            stdout=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:")
    yield url, record
    proc.terminate()
    proc.wait(timeout=10)


def _cmd(suite: Path, db: Path) -> list[str]:
    return [*occubench_exe(), "run", "--suite", str(suite), "--model", "scripted/m",
            "--run-id", RUN, "--max-connections", "4", "--db", str(db)]


def _env(tmp_path: Path, url: str) -> dict[str, str]:
    return {**os.environ, "SCRIPTED_BASE_URL": url, "SCRIPTED_API_KEY": "k",
            "OCCUBENCH_DATA": str(tmp_path / "data")}


def _start_and_stop(tmp_path, url, db, suite, sig: int, after_files: int) -> int:
    proc = subprocess.Popen(_cmd(suite, db), cwd=tmp_path, env=_env(tmp_path, url),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    runs = tmp_path / "data" / "runs" / RUN
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list(runs.glob("*/0/memo.docx"))) >= after_files:
            break
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(sig)
    proc.communicate(timeout=30)
    return proc.returncode


def _tasks_requested(record: Path, since: int) -> set[str]:
    lines = record.read_text().splitlines()[since:]
    out = set()
    for line in lines:
        body = json.loads(line)["body"] or {}
        for m in body.get("messages", []):
            if m.get("role") == "user" and "part " in str(m.get("content")):
                out.add(str(m["content"]).split("part ")[1].split(".")[0])
    return out


def test_interrupted_and_killed_runs_resume_with_every_sample_once(tmp_path, server):
    url, record = server
    suite = make_suite(tmp_path / "suite", N)
    for i in range(N):
        y = suite / f"task-{i:03d}" / "task.yaml"
        y.write_text(y.read_text().replace("the quarter.", f"the quarter, part {i:03d}."))
    db = tmp_path / "occubench.duckdb"

    # Ctrl-C: exits 130, keeps what finished, leaves nothing "running" (8 files written
    # with at most 5 samples in flight: at least 3 have finished)
    assert _start_and_stop(tmp_path, url, db, suite, signal.SIGINT, after_files=8) == 130
    after_int = rows(db, "SELECT task_id, status, attempts FROM samples")
    assert len(after_int) == N
    assert {r["status"] for r in after_int} <= {"done", "pending"}
    assert any(r["status"] == "done" for r in after_int)

    # kill -9: no chance to clean up; in-flight samples stay 'running'
    assert _start_and_stop(tmp_path, url, db, suite, signal.SIGKILL, after_files=16) == -9
    after_kill = {r["task_id"]: r for r in rows(db, "SELECT * FROM samples")}
    done_before = {t for t, r in after_kill.items() if r["status"] == "done"}
    assert len(done_before) < N

    seen = len(record.read_text().splitlines())
    final = run_cli(*_cmd(suite, db)[len(occubench_exe()):], cwd=tmp_path,
                    env=_env(tmp_path, url), timeout=120)
    assert final.returncode == 0, final.stderr
    assert f"run id: {RUN}" in final.stderr
    # finished samples were not asked for again; the rest were
    again = {f"task-{p}" for p in _tasks_requested(record, seen)}
    assert again == set(after_kill) - done_before

    samples = rows(db, "SELECT * FROM samples ORDER BY task_id")
    assert len(samples) == N and {s["status"] for s in samples} == {"done"}
    files = rows(db, "SELECT * FROM deliverables ORDER BY task_id")
    assert [f["task_id"] for f in files] == [f"task-{i:03d}" for i in range(N)]
    for f in files:  # exactly one file per sample, and it is the one on disk
        assert sha256_file(Path(f["path"])) == f["sha256"]
    for task_id in done_before:
        assert next(s for s in samples if s["task_id"] == task_id)["attempts"] == 1
    calls = rows(db, "SELECT task_id, count(*) AS n FROM model_calls GROUP BY task_id")
    assert {c["task_id"] for c in calls} == {f"task-{i:03d}" for i in range(N)}
