"""Fixtures for the starter-suite tests: the suite as committed, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.suite import Suite, load_suite

SUITE_DIR = Path(__file__).resolve().parents[2] / "occupations"


@pytest.fixture(scope="session")
def suite() -> Suite:
    return load_suite(SUITE_DIR)
