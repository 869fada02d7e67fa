from __future__ import annotations

import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from core.store import Store  # noqa: E402
from tests.review.review_fixtures import ReviewDB, build_review_db  # noqa: E402


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ReviewDB]:
    """Built once per session (documents, hashes, scrypt); tests get a copy of the DB
    file, while the documents stay shared and read-only."""
    built: dict[str, ReviewDB] = {}

    def get(name: str, **kw) -> ReviewDB:
        if name not in built:
            built[name] = build_review_db(tmp_path_factory.mktemp(name), **kw)
        return built[name]

    return get  # type: ignore[return-value]


def _copy(template: ReviewDB, tmp_path: Path) -> ReviewDB:
    target = tmp_path / "review.duckdb"
    Store.close_all()  # the template's file must not be mid-write under a lingering handle
    shutil.copyfile(template.store.path, target)
    return replace(template, store=Store(target), reviewers=dict(template.reviewers))


@pytest.fixture
def review_db(_templates, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReviewDB:
    """One PDF task in alice's and bob's occupation (plus one elsewhere), runs zebra and
    okapi vs gold, k=2; accounts alice, bob (reviewers) and root (admin)."""
    monkeypatch.setenv("OCCUBENCH_DATA", str(tmp_path / "data"))
    return _copy(_templates("small", kinds=("pdf",), reference_kind="pdf"), tmp_path)


@pytest.fixture
def big_review_db(_templates, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReviewDB:
    """Three PDF tasks in alice's occupation plus one elsewhere: 6 pairs for alice."""
    monkeypatch.setenv("OCCUBENCH_DATA", str(tmp_path / "data"))
    return _copy(_templates("big", kinds=("pdf", "pdf2", "pdf3"), reference_kind="pdf"),
                 tmp_path)
