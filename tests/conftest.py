"""Shared pytest setup: where the real GDPval rows are, and the CLI under test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_GDPVAL = Path(os.environ.get("OCCUBENCH_GDPVAL_DIR", REPO.parent / "shared" / "gdpval"))


def gdpval_file(name: str) -> Path:
    """A file of the real GDPval sample, or skip: the data is not ours to ship."""
    path = SHARED_GDPVAL / name
    if not path.is_file():
        pytest.skip(f"GDPval sample {name} not found in {SHARED_GDPVAL} (it lives beside the "
                    "repository in ../shared/gdpval and is never copied into it)")
    return path


def occubench_exe() -> list[str]:
    exe = Path(sys.executable).parent / "occubench"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "app.cli"]


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the real `occubench` command line in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([*occubench_exe(), *args], cwd=cwd or REPO, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    return tmp_path / "occubench.duckdb"


def have(cmd: str) -> bool:
    return shutil.which(cmd) is not None
