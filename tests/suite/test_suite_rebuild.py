"""Rebuilding the suite from occupations/_build reproduces the committed files."""

from __future__ import annotations

from pathlib import Path

import pytest

from occupations._build import build

from .check_eval import text_of
from .conftest import SUITE_DIR


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("suite")
    built = build(out)
    assert len(built) >= 18
    return out


def _task_files(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file()
            and "_build" not in p.parts and p.name != "taxonomy.yaml"
            and p.suffix != ".md"}


def test_rebuild_makes_the_same_set_of_files(rebuilt):
    assert _task_files(rebuilt) == _task_files(SUITE_DIR)


def test_rebuild_gives_identical_task_yaml_and_text(rebuilt):
    """Same bytes on this machine; where a library or zlib version changes the bytes, the
    extracted text must still match."""
    for rel in sorted(_task_files(SUITE_DIR)):
        a, b = SUITE_DIR / rel, rebuilt / rel
        if rel.name == "task.yaml":
            assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8"), rel
        elif a.read_bytes() != b.read_bytes():
            assert text_of(a) == text_of(b), f"{rel} differs after rebuild"


def test_rebuild_of_one_task_touches_only_that_task(tmp_path: Path):
    built = build(tmp_path, only={"hc-q3-no-show-review"})
    assert [b.id for b in built] == ["hc-q3-no-show-review"]
    assert [p.name for p in tmp_path.rglob("task.yaml")] == ["task.yaml"]
    assert not (tmp_path / ".staging").exists()
