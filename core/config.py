"""Where occubench keeps things, and settings read from the environment or ``.env``."""

from __future__ import annotations

import os
from pathlib import Path


def load_dotenv_once() -> None:
    """Read ``.env`` from the working directory (keys such as OPENAI_API_KEY); the real
    environment wins over the file."""
    from dotenv import load_dotenv

    load_dotenv(Path.cwd() / ".env", override=False)


def data_dir() -> Path:
    """``$OCCUBENCH_DATA`` or ``data/``: run artefacts, render cache, reports."""
    return Path(os.environ.get("OCCUBENCH_DATA", "data"))


def runs_dir() -> Path:
    return data_dir() / "runs"


def cache_dir() -> Path:
    return data_dir() / "cache"
