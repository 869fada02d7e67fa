"""Helpers for tests that drive the real `occubench` command as a newcomer would: a clean
environment (no provider variables, an empty working directory without .env), one
sentence on stderr, and a traceback only with --debug."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import occubench_exe

KEEP = ("PATH", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH")


@pytest.fixture
def newcomer(tmp_path: Path) -> dict[str, str]:
    """The environment of someone who just cloned the project: no keys, no base URLs,
    no settings; data and home in a temporary folder."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k in KEEP if (v := os.environ.get(k)) is not None}
    return {**env, "HOME": str(home), "OCCUBENCH_DATA": str(tmp_path / "data"),
            "NO_COLOR": "1", "COLUMNS": "200", "TERM": "dumb"}


def occubench(*args: str, env: dict[str, str], cwd: Path,
              timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real CLI with exactly ``env`` (not the test runner's own environment)."""
    assert not (cwd / ".env").exists()
    return subprocess.run([*occubench_exe(), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def one_sentence(proc: subprocess.CompletedProcess[str]) -> str:
    """The error line of a failed command, after checking it is the whole story: a
    non-zero exit, no traceback, exactly one `error:` line and it comes last."""
    assert proc.returncode not in (0, None), proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("error:")]
    assert len(errors) == 1 and lines[-1] == errors[0], proc.stderr
    return errors[0]


def shows_traceback(proc: subprocess.CompletedProcess[str], exc_name: str) -> None:
    """With --debug: the same failure, now with the traceback that led to it."""
    assert proc.returncode != 0
    assert "Traceback (most recent call last)" in proc.stderr, proc.stderr
    assert exc_name in proc.stderr.strip().splitlines()[-1], proc.stderr[-800:]


@pytest.fixture
def lock_holder(tmp_path: Path) -> Iterator[callable]:
    """``hold(path)``: another process keeps the DuckDB file open read-write."""
    procs: list[subprocess.Popen] = []

    def hold(path: Path) -> subprocess.Popen:
        code = ("import duckdb, sys, time\n"
                "con = duckdb.connect(sys.argv[1])\n"
                "print('ready', flush=True)\n"
                "time.sleep(120)\n")
        proc = subprocess.Popen([sys.executable, "-c", code, str(path)],
                                stdout=subprocess.PIPE, text=True)
        procs.append(proc)
        deadline = time.monotonic() + 30
        assert proc.stdout is not None
        while time.monotonic() < deadline and proc.stdout.readline().strip() != "ready":
            assert proc.poll() is None, "the lock holder died"
        return proc

    yield hold
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)
