"""The review app through streamlit.testing: sign-in, roles, the vote, drafts, changes."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from app.review.throttle import SignInThrottle
from core.store.batches import create_batch, set_closed
from core.store.review_admin import judgments_export
from core.store.reviewers import add_reviewer
from core.store.reviews import get_assignment
from tests.review.apptest_helpers import sign_in, texts
from tests.review.review_fixtures import PASSWORD, RUNS, ReviewDB, _write_submission


@pytest.fixture
def app_env(review_db: ReviewDB, monkeypatch: pytest.MonkeyPatch) -> ReviewDB:
    monkeypatch.setenv("OCCUBENCH_DB", str(review_db.store.path))
    monkeypatch.delenv("OCCUBENCH_REVIEW_HOLD_MINUTES", raising=False)
    return review_db


def current_pair(at: AppTest) -> str:
    return at.session_state["review_current"]


def vote(at: AppTest, choice: str, why: str = "B has the right totals and format") -> AppTest:
    token = next(b.key for b in at.button if b.key and b.key.startswith("submit_")).split(
        "_", 1)[1]
    at.button(key=f"pick_{choice}_{token}").click().run()
    at.text_area(key=f"why_{token}").input(why).run()
    return at.button(key=f"submit_{token}").click().run()


def test_wrong_password_is_refused_and_right_one_opens_the_review(app_env: ReviewDB) -> None:
    at = sign_in("alice", "not the password")
    assert "Wrong username or password" in texts(at)
    assert "Deliverable A" not in texts(at)
    at = sign_in("alice")
    page = texts(at)
    assert "Deliverable A" in page and "Deliverable B" in page and "0 of 2 done" in page


def test_repeated_wrong_passwords_lock_the_account_out_for_a_while(app_env: ReviewDB) -> None:
    # A user of its own: the lock-out outlives this test in the server's memory.
    add_reviewer(app_env.store, "guessed", password=PASSWORD, occupations=["*"])
    for _ in range(SignInThrottle.max_failures):
        assert "Wrong username or password" in texts(sign_in("guessed", "guess"))
    at = sign_in("guessed")  # the right password, too late
    page = texts(at)
    assert "Too many wrong passwords" in page and "Deliverable A" not in page
    assert "Deliverable A" in texts(sign_in("alice"))  # other accounts are not affected


def test_reviewer_cannot_reach_admin_pages(app_env: ReviewDB) -> None:
    at = sign_in("alice")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/admin_coverage.py")
    # the page itself refuses too, however it is reached
    direct = AppTest.from_string(
        "from app.review.admin import coverage\ncoverage.render()", default_timeout=30)
    direct.session_state["review_uid"] = app_env.reviewers["alice"]
    direct.run()
    assert [e.value for e in direct.error] == ["This page is for admins only."]
    assert not direct.title


def test_admin_sees_coverage(app_env: ReviewDB) -> None:
    at = sign_in("root")
    at.switch_page("views/admin_coverage.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Coverage"]
    assert "0 of 4 pairs have 2 judges (+0 attention pairs)" in texts(at)
    assert at.dataframe[0].value.iloc[0].to_dict() == {"0 judges": 4, "1 judges": 0,
                                                        "2 judges": 0}


def test_vote_is_saved_with_the_right_mapping(app_env: ReviewDB) -> None:
    at = sign_in("alice")
    cid = current_pair(at)
    asg = get_assignment(app_env.store, app_env.reviewers["alice"], cid)
    vote(at, "B")
    assert not at.exception
    assert "Saved: your vote (B is better) is recorded." in texts(at)
    assert "1 of 2 done" in texts(at)
    rows = judgments_export(app_env.store)
    assert len(rows) == 1
    row = rows[0]
    assert row["comparison_id"] == cid and row["reviewer"] == "alice"
    assert row["choice"] == "B" and row["candidate_side"] == asg.candidate_side
    assert row["outcome"] == (1.0 if asg.candidate_side == "B" else 0.0)
    assert row["time_on_task_s"] is not None and row["time_on_task_s"] >= 0
    assert current_pair(at) != cid


def test_rationale_is_required(app_env: ReviewDB) -> None:
    at = sign_in("alice")
    vote(at, "A", why="short")
    assert "Please give a short rationale" in texts(at)
    assert judgments_export(app_env.store) == []


def test_draft_survives_a_new_session(app_env: ReviewDB) -> None:
    at = sign_in("alice")
    cid = current_pair(at)
    token = next(b.key for b in at.button if b.key.startswith("submit_")).split("_", 1)[1]
    at.button(key=f"pick_tie_{token}").click().run()
    at.checkbox(key=f"unacc_{token}").check().run()
    at.text_area(key=f"why_{token}").input("half-written thought").run()
    again = sign_in("alice")  # a reload is a new session
    assert current_pair(again) == cid
    assert "Your choice: **As good as each other**" in texts(again)
    assert again.checkbox(key=f"unacc_{token}").value is True
    assert again.text_area(key=f"why_{token}").value == "half-written thought"


def test_two_tabs_on_the_same_pair_land_one_vote(app_env: ReviewDB) -> None:
    tab1, tab2 = sign_in("alice"), sign_in("alice")
    cid = current_pair(tab1)
    assert current_pair(tab2) == cid
    token = next(b.key for b in tab2.button if b.key.startswith("submit_")).split("_", 1)[1]
    tab2.button(key=f"pick_B_{token}").click().run()
    tab2.text_area(key=f"why_{token}").input("typed in the second window").run()
    vote(tab1, "A")
    tab2.button(key=f"submit_{token}").click().run()  # arrives after tab1's vote
    assert "already been judged from another window" in texts(tab2)
    assert current_pair(tab2) != cid
    rows = judgments_export(app_env.store)
    assert len(rows) == 1 and rows[0]["choice"] == "A"


def test_changing_a_vote_supersedes_it(app_env: ReviewDB) -> None:
    at = sign_in("alice")
    vote(at, "A")
    at.switch_page("views/my_reviews.py").run()
    assert list(at.dataframe[0].value["your vote"]) == ["A is better"]
    at.selectbox(key="mine_pick").select(0).run()
    vote(at, "tie", why="on a second look they are equivalent")
    assert "Saved: your vote is now" in texts(at)
    rows = sorted(judgments_export(app_env.store), key=lambda r: r["created_at"])
    assert [r["choice"] for r in rows] == ["A", "tie"]
    assert rows[1]["supersedes"] == rows[0]["judgment_id"]
    assert [r["is_current"] for r in rows] == [False, True]


def test_hold_time_comes_from_the_command_line(app_env: ReviewDB,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCCUBENCH_REVIEW_HOLD_MINUTES", "2")
    at = sign_in("alice")
    asg = get_assignment(app_env.store, app_env.reviewers["alice"], current_pair(at))
    assert (asg.expires_at - asg.reserved_at).total_seconds() == pytest.approx(120)


def test_page_elements_name_no_run_or_model(app_env: ReviewDB) -> None:
    at = sign_in("alice")
    dump = repr([el.proto for el in at.main] + [el.proto for el in at.sidebar])
    for name in [*RUNS, *RUNS.values(), "gold", "expert_report", "zebra", "okapi"]:
        assert name not in dump


def test_a_document_that_cannot_be_rendered_is_shown_as_failed(app_env: ReviewDB) -> None:
    db = app_env
    broken = db.root / "broken" / "broken-run-5_report.docx"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_bytes(b"PK\x03\x04 this is not really a docx")
    _write_submission(db.store, "broken-run-5", "openai/broken-model", "task-pdf", 0, [broken])
    set_closed(db.store, db.batch_id, True)
    create_batch(db.store, runs=["broken-run-5"], against="gold", k=1, name="broken")
    at = sign_in("alice")
    errors = [e.value for e in at.error]
    assert errors == ["The preview of this docx file failed: it could not be rendered."]
    assert "could not be read" in texts(at)        # the text view says so too
    assert "Download unavailable" in texts(at)     # and no unscrubbed file is offered
    downloads = [b.key for b in at.get("download_button") if b.key.startswith("dl_")]
    assert len(downloads) == 1                     # only the readable side's download
    page = repr([el.proto for el in at.main])
    assert "broken-run-5" not in page and "broken-model" not in page
