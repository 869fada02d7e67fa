"""`occubench grade rubric|pairwise` as a user runs them: a real process, a real DuckDB
file and the judge over real HTTP to the scripted server."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from core.store.db import Store
from tests.conftest import run_cli
from tests.graders.conftest import add_submission, add_task, chat_requests
from tests.graders.makers import make_xlsx
from tests.support.scripted_server import Reply

RUBRIC = [
    {"rubric_item_id": "sheet", "score": 2, "criterion": "Has a Summary sheet.",
     "check": {"kind": "sheet_present", "sheet": "Summary"}},
    {"rubric_item_id": "clear", "score": 2, "criterion": "The summary is clear."},
]


def occubench(*args: str, base_url: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    Store.close_all()  # let the child process take the DuckDB file
    return run_cli("grade", *args, env={"TEST_BASE_URL": base_url, "NO_COLOR": "1",
                                        "OCCUBENCH_DATA": str(tmp / "data"), "COLUMNS": "200"})


@pytest.fixture
def seeded(store, tmp_path: Path):
    add_task(store, tmp_path / "suite", {"id": "t1", "prompt": "Make a summary workbook.",
                                         "rubric": RUBRIC},
             gold={"gold.xlsx": lambda p: make_xlsx(p, {"Summary": {"A1": "Clear total"}})})
    out = tmp_path / "made"
    out.mkdir()
    add_submission(store, "r1", "openai/gpt-test", "t1", 0,
                   [make_xlsx(out / "a.xlsx", {"Data": {"A1": "x"}})])
    return store


def test_grade_rubric_then_pairwise_from_the_cli(seeded, server, tmp_path: Path) -> None:
    server.responder = lambda r: Reply.json(
        {"evidence": "ok", "met": True} if "met" in str(r.get("response_format"))
        else {"rationale": "B is fuller", "verdict": "B"})
    db = str(seeded.path)
    done = occubench("rubric", "--run", "r1", "--judge", "test/judge-1", "--db", db,
                     base_url=server.base_url, tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    # sheet check fails (no Summary sheet), the judged item is met: 2 / 4
    assert "rubric: 1 graded, 0 partial, 0 ungraded; mean score 0.500" in done.stdout
    assert chat_requests(server) == 1

    again = occubench("rubric", "--run", "r1", "--judge", "test/judge-1", "--db", db,
                      base_url=server.base_url, tmp=tmp_path)
    assert again.returncode == 0 and "0 graded now" in again.stdout
    assert chat_requests(server) == 1  # idempotent across processes

    pair = occubench("pairwise", "--run", "r1", "--judge", "test/gpt-4o-judge", "--db", db,
                     base_url=server.base_url, tmp=tmp_path)
    assert pair.returncode == 0, pair.stderr
    assert "same family" in pair.stderr  # a GPT judging a GPT run is warned about
    # verdict B in both orders: a win when the candidate is B, a loss when it is A -> tie
    assert "pairwise: 1 graded, 0 ungraded; win rate 0.500" in pair.stdout
    assert "0/1 position-consistent" in pair.stdout
    assert chat_requests(server) == 3


def test_unknown_run_is_one_clear_error(seeded, server, tmp_path: Path) -> None:
    done = occubench("rubric", "--run", "nope", "--judge", "test/judge-1", "--db",
                     str(seeded.path), base_url=server.base_url, tmp=tmp_path)
    assert done.returncode == 1
    assert "run 'nope' is not in the store" in done.stderr and "Traceback" not in done.stderr
    assert chat_requests(server) == 0
