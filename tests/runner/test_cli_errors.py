"""`occubench run` turns the mistakes a user makes into one sentence, no traceback."""

from __future__ import annotations

import os

from tests.conftest import run_cli
from tests.runner.conftest import make_suite
from tests.support.scripted_server import ScriptedServer


def _env(tmp_path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.endswith(("_BASE_URL", "_API_KEY", "_CAPABILITIES"))}
    return {**env, "OCCUBENCH_DATA": str(tmp_path / "data"), **extra}


def _one_sentence(proc) -> str:
    assert proc.returncode == 1, proc.stderr
    lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
    assert "Traceback" not in proc.stderr
    return lines[-1]


def test_user_errors_are_one_sentence(tmp_path):
    suite = make_suite(tmp_path / "suite", 1)
    db = str(tmp_path / "o.duckdb")
    missing = run_cli("run", "--suite", str(tmp_path / "nope"), "--model", "scripted/m",
                      "--db", db, cwd=tmp_path, env=_env(tmp_path))
    assert _one_sentence(missing).startswith("error: suite path")
    no_key = run_cli("run", "--suite", str(suite), "--model", "openai/gpt-4o", "--db", db,
                     cwd=tmp_path, env=_env(tmp_path))
    assert "OPENAI_API_KEY" in _one_sentence(no_key)
    with ScriptedServer(models=["real-model"]) as srv:
        typo = run_cli("run", "--suite", str(suite), "--model", "scripted/reel-model",
                       "--db", db, cwd=tmp_path,
                       env=_env(tmp_path, SCRIPTED_BASE_URL=srv.base_url))
    assert "reel-model" in _one_sentence(typo) and "does not exist" in typo.stderr
