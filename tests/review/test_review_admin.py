"""Admin pages through streamlit.testing, and the agreement measure they show."""

from __future__ import annotations

import csv
import io

import pytest
from streamlit.testing.v1 import AppTest

from app.review.admin.export import to_csv
from app.review.agreement import agreement
from core.store.batches import add_attention_pairs, create_batch
from core.store.review_admin import judgments_export
from core.store.reviews import claim_next
from core.store.votes import record_vote, vote_key
from tests.review.apptest_helpers import sign_in
from tests.review.review_fixtures import ReviewDB, _write_submission, make_pdf


@pytest.fixture
def admin_env(review_db: ReviewDB, monkeypatch: pytest.MonkeyPatch) -> ReviewDB:
    monkeypatch.setenv("OCCUBENCH_DB", str(review_db.store.path))
    db = review_db
    # alice and bob disagree on one pair (each picks by side, so the outcomes are 1 and 0)
    a, b = db.reviewers["alice"], db.reviewers["bob"]
    asg_a = claim_next(db.store, a)
    record_vote(db.store, a, asg_a.comparison_id, asg_a.candidate_side, "candidate wins",
                idempotency_key=vote_key(a, asg_a.comparison_id, 1))
    asg_b = claim_next(db.store, b)
    while asg_b.comparison_id != asg_a.comparison_id:  # bob is steered elsewhere first
        record_vote(db.store, b, asg_b.comparison_id, "tie", "equivalent work",
                    idempotency_key=vote_key(b, asg_b.comparison_id, 1))
        asg_b = claim_next(db.store, b)
    record_vote(db.store, b, asg_b.comparison_id, asg_b.reference_side, "reference wins",
                idempotency_key=vote_key(b, asg_b.comparison_id, 1))
    # a run whose deliverable gives its maker away
    chatty = make_pdf(db.root / "chatty" / "report.pdf",
                      ["As an AI language model, I prepared this report.", "Code OTTER."])
    _write_submission(db.store, "chatty-run", "openai/chatty-9", "task-pdf", 0, [chatty])
    create_batch(db.store, runs=["chatty-run"], against="gold", k=1, name="chatty")
    add_attention_pairs(db.store, db.batch_id, n=1)
    return db


def open_admin(page: str) -> AppTest:
    at = sign_in("root")
    at.switch_page(f"views/admin_{page}.py").run()
    assert not at.exception, at.exception
    return at


def test_agreement_is_one_minus_the_gap() -> None:
    votes = [{"comparison_id": "p1", "reviewer": "a", "outcome": 1.0},
             {"comparison_id": "p1", "reviewer": "b", "outcome": 0.0},
             {"comparison_id": "p2", "reviewer": "a", "outcome": 0.5},
             {"comparison_id": "p2", "reviewer": "b", "outcome": 1.0},
             {"comparison_id": "p3", "reviewer": "a", "outcome": 1.0}]  # alone: not counted
    res = agreement(votes)
    assert res.overall == pytest.approx(0.25) and res.comparisons == 2 and res.pairs == 2
    assert res.by_reviewers == {("a", "b"): (pytest.approx(0.25), 2)}
    assert agreement([]).overall is None


def test_admin_pages_show_coverage_people_agreement_flags_and_export(
        admin_env: ReviewDB) -> None:
    at = open_admin("reviewers")
    people = at.dataframe[0].value.set_index("username")
    assert people.loc["alice", "pairs judged"] == 1 and people.loc["bob", "pairs judged"] == 2

    at = open_admin("agreement")
    assert at.metric[0].value == "0.00"  # one shared pair, opposite verdicts

    at = open_admin("export")
    rows = judgments_export(admin_env.store)
    parsed = list(csv.DictReader(io.StringIO(to_csv(rows).decode())))
    assert len(parsed) == 3 and {r["candidate_model"] for r in parsed} <= {
        "openai/zebra-model-7", "local/okapi-model-3"}
    assert at.get("download_button")

    at = open_admin("flags")
    at.toggle(key="flags_scan").set_value(True).run()
    assert not at.exception, at.exception
    flagged = at.dataframe[0].value
    assert set(flagged["run"]) == {"chatty-run"}
    assert "As an AI language model" in " ".join(flagged["phrase"])

    at = open_admin("coverage")
    assert "(+1 attention pairs)" in " ".join(p.text for p in at.get("progress"))

    at = open_admin("leaderboard")
    assert "Win rate against the expert, by model" in [h.value for h in at.subheader]
    assert "3 current human votes" in at.caption[0].value


def test_admin_creates_a_batch_from_the_page(admin_env: ReviewDB) -> None:
    at = open_admin("batches")
    at.multiselect(key="new_batch_runs").set_value(["okapi-run-93"])
    at.selectbox(key="new_batch_against").set_value("zebra-run-41")
    at.text_input(key="new_batch_name").input("okapi vs zebra")
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    assert any("Batch 'okapi vs zebra': 2 pairs added" in s.value for s in at.success)
