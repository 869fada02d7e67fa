"""``occubench reviewers ...`` and ``occubench review batch|export`` (in process; the
server itself is started for real by the e2e test)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from app.cli import main
from core.store.batches import list_batches
from core.store.reviewers import authenticate, get_reviewer
from core.store.reviews import claim_next
from core.store.votes import record_vote
from tests.review.review_fixtures import PASSWORD, ReviewDB


@pytest.fixture
def run(review_db: ReviewDB, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    monkeypatch.setenv("OCCUBENCH_DB", str(review_db.store.path))

    def _run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = 0
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


def test_reviewers_add_list_disable(run, review_db: ReviewDB) -> None:
    code, out, _ = run("reviewers", "add", "carol", "-o", "financial managers", "--name",
                       "Carol C", "--password-stdin", stdin="a long password\n")
    assert code == 0 and "added reviewer carol (Financial Managers)" in out
    carol = get_reviewer(review_db.store, "carol")
    assert carol.occupations == ("Financial Managers",) and carol.display_name == "Carol C"
    assert authenticate(review_db.store, "carol", "a long password") is not None
    code, out, _ = run("reviewers", "list")
    assert code == 0 and "carol" in out and "root" in out and "admin" in out
    assert run("reviewers", "disable", "carol")[0] == 0
    assert authenticate(review_db.store, "carol", "a long password") is None
    assert run("reviewers", "enable", "carol")[0] == 0
    assert run("reviewers", "passwd", "carol", "--password-stdin", stdin="new password 2\n")[0] == 0
    assert authenticate(review_db.store, "carol", "new password 2") is not None
    code, out, _ = run("reviewers", "add", "root2", "--admin", "--no-password")
    assert code == 0 and "added admin root2 (*)" in out


def test_reviewers_add_refuses_bad_input_in_one_sentence(run) -> None:
    code, _, err = run("reviewers", "add", "dave", "-o", "Financial Manager",
                       "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 1 and "unknown occupation 'Financial Manager'" in err
    assert "did you mean 'Financial Managers'" in err and "Traceback" not in err
    code, _, err = run("reviewers", "add", "alice", "-o", "*", "--password-stdin",
                       stdin=PASSWORD + "\n")
    assert code == 1 and "already exists" in err
    code, _, err = run("reviewers", "add", "eve", "-o", "*", "--password-stdin",
                       stdin="short\n")
    assert code == 1 and "at least 8 characters" in err
    code, _, err = run("reviewers", "disable", "nobody")
    assert code == 1 and "no reviewer named 'nobody'" in err


def test_batch_create_list_close_and_export(run, review_db: ReviewDB, tmp_path: Path) -> None:
    code, out, _ = run("review", "batch", "create", "--runs", "zebra-run-41",
                       "--runs", "okapi-run-93", "--against", "gold", "--k", "1",
                       "--occupation", "Financial*", "--name", "cli batch", "--attention", "1")
    assert code == 0, out
    assert "2 pairs added, 2 in all, k=1, 1 attention pairs added" in out
    code, out, _ = run("review", "batch", "list")
    assert "2 batches" in out
    code, out, err = run("review", "batch", "create", "--runs", "nope")
    assert code == 1 and "unknown run(s): nope" in err
    assert run("review", "batch", "close", "cli batch")[0] == 0
    assert {b.name: b.closed for b in list_batches(review_db.store)} == {
        "test batch": False, "cli batch": True}

    alice = review_db.reviewers["alice"]
    asg = claim_next(review_db.store, alice)
    record_vote(review_db.store, alice, asg.comparison_id, "tie", "the same quality",
                idempotency_key="cli-test-1")
    out_csv = tmp_path / "votes.csv"
    code, out, _ = run("review", "export", "--out", str(out_csv))
    assert code == 0 and "1 votes written" in out
    [row] = list(csv.DictReader(out_csv.open()))
    assert row["reviewer"] == "alice" and row["outcome"] == "0.5" and row["choice"] == "tie"
