"""The review rules in core.store: queue, reservations, votes, batches, accounts."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest

from core.errors import UserError
from core.store import Store
from core.store.batches import add_attention_pairs, create_batch, list_batches, set_closed
from core.store.comparisons import get_comparison
from core.store.review_admin import coverage, judgments_export
from core.store.reviewers import (
    add_reviewer,
    authenticate,
    hash_password,
    set_active,
    verify_password,
)
from core.store.reviews import (
    ReviewError,
    claim_next,
    get_assignment,
    mark_first_render,
    progress,
    queue,
    release,
    save_draft,
    utcnow,
)
from core.store.votes import my_judgments, record_vote, vote_key
from tests.review.review_fixtures import OCCUPATION, PASSWORD, RUNS, ReviewDB

HOLD_SCRIPT = """
import duckdb, sys, time
for _ in range(200):
    try:
        con = duckdb.connect(sys.argv[1])
        break
    except duckdb.Error:
        time.sleep(0.05)
print("held", flush=True)
time.sleep(1.5)
con.close()
"""


def _vote(db: ReviewDB, who: str, cid: str, choice: str = "A", n: int = 1, **kw):
    rid = db.reviewers[who]
    return record_vote(db.store, rid, cid, choice, "clear reasons given here",
                       idempotency_key=vote_key(rid, cid, n), **kw)


# -- queue ---------------------------------------------------------------------------


def test_queue_holds_own_occupation_pairs_least_judged_first(big_review_db: ReviewDB) -> None:
    db = big_review_db
    alice, bob = db.reviewers["alice"], db.reviewers["bob"]
    q = queue(db.store, alice)
    assert len(q) == 6  # 3 tasks x 2 runs in her occupation; task-elsewhere is not hers
    assert {item.task_id for item in q} == {"task-pdf", "task-pdf2", "task-pdf3"}
    # bob judges one pair: for alice it moves behind every unjudged pair
    first = claim_next(db.store, bob)
    _vote(db, "bob", first.comparison_id)
    q = queue(db.store, alice)
    assert q[-1].comparison_id == first.comparison_id and q[-1].judged == 1
    assert all(item.judged == 0 for item in q[:-1])
    # and bob never sees it again
    assert first.comparison_id not in {i.comparison_id for i in queue(db.store, bob)}


def test_admin_with_star_sees_every_occupation(review_db: ReviewDB) -> None:
    root = review_db.reviewers["root"]
    tasks = {i.task_id for i in queue(review_db.store, root)}
    assert tasks == {"task-pdf", "task-elsewhere"}


def test_full_pairs_leave_the_queue_and_live_reservations_take_slots(
        review_db: ReviewDB) -> None:
    db = review_db  # k = 2
    a, b, c = db.reviewers["alice"], db.reviewers["bob"], add_reviewer(
        db.store, "carol", password=PASSWORD, occupations=[OCCUPATION]).reviewer_id
    db.reviewers["carol"] = c
    now = utcnow()
    asg_a = claim_next(db.store, a, now=now)
    # bob is steered to the other pair (least judged first counts alice's hold)
    asg_b = claim_next(db.store, b, now=now)
    assert asg_b.comparison_id != asg_a.comparison_id
    _vote(db, "alice", asg_a.comparison_id)
    _vote(db, "bob", asg_b.comparison_id)
    # bob now takes alice's pair: its second and last slot
    asg_b2 = claim_next(db.store, b, now=now)
    assert asg_b2.comparison_id == asg_a.comparison_id
    # carol: one pair has 1 judge, the other 1 judge + bob's live hold = full
    q_carol = queue(db.store, c, now=now)
    assert [i.comparison_id for i in q_carol] == [asg_b.comparison_id]
    # after bob's hold expires, the slot is free again
    later = now + timedelta(hours=1)
    assert {i.comparison_id for i in queue(db.store, c, now=later)} == {
        asg_a.comparison_id, asg_b.comparison_id}
    # a pair with k judgments is out for everyone new
    _vote(db, "bob", asg_b2.comparison_id)
    assert asg_a.comparison_id not in {i.comparison_id for i in queue(db.store, c, now=later)}


def test_reservation_expiry_and_resume(review_db: ReviewDB) -> None:
    db = review_db
    a = db.reviewers["alice"]
    now = utcnow()
    asg = claim_next(db.store, a, now=now, hold=timedelta(minutes=5))
    save_draft(db.store, a, asg.comparison_id, {"choice": "B", "rationale": "half"}, now=now,
               hold=timedelta(minutes=5))
    # a reload (new session) gets the same pair, same side, with its draft
    again = claim_next(db.store, a, now=now + timedelta(minutes=1))
    assert (again.comparison_id, again.candidate_side) == (asg.comparison_id,
                                                           asg.candidate_side)
    assert again.draft == {"choice": "B", "rationale": "half"}
    # even after expiry, while the slot is free, the pair comes back to her
    late = claim_next(db.store, a, now=now + timedelta(hours=2))
    assert late.comparison_id == asg.comparison_id and late.expires_at > now + timedelta(hours=2)


def test_expired_reservation_does_not_block_the_last_slot(review_db: ReviewDB) -> None:
    db = review_db
    create_batch(db.store, runs=["zebra-run-41"], against="gold", k=1, name="k1",
                 task_ids=["task-pdf"])
    set_closed(db.store, db.batch_id, True)  # only the k=1 batch is open now
    a, b = db.reviewers["alice"], db.reviewers["bob"]
    now = utcnow()
    held = claim_next(db.store, a, now=now, hold=timedelta(minutes=10))
    assert held is not None
    assert claim_next(db.store, b, now=now + timedelta(minutes=5)) is None  # taken
    taken = claim_next(db.store, b, now=now + timedelta(minutes=11))        # expired: free
    assert taken.comparison_id == held.comparison_id


def test_last_slot_goes_to_exactly_one_of_two_concurrent_claims(review_db: ReviewDB) -> None:
    db = review_db
    create_batch(db.store, runs=["zebra-run-41"], against="gold", k=1, name="k1",
                 task_ids=["task-pdf"])
    set_closed(db.store, db.batch_id, True)
    barrier = threading.Barrier(2)
    got: dict[str, object] = {}

    def claim(who: str) -> None:
        barrier.wait()
        got[who] = claim_next(db.store, db.reviewers[who])

    threads = [threading.Thread(target=claim, args=(w,)) for w in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(v is not None for v in got.values()) == 1


def test_skip_releases_the_pair_for_others_only(review_db: ReviewDB) -> None:
    db = review_db
    a = db.reviewers["alice"]
    asg = claim_next(db.store, a)
    release(db.store, a, asg.comparison_id)
    assert asg.comparison_id not in {i.comparison_id for i in queue(db.store, a)}
    assert asg.comparison_id in {i.comparison_id for i in queue(db.store, db.reviewers["bob"])}


def test_closed_batch_leaves_the_queue(review_db: ReviewDB) -> None:
    set_closed(review_db.store, review_db.batch_id, True)
    assert queue(review_db.store, review_db.reviewers["alice"]) == []
    assert [b.closed for b in list_batches(review_db.store)] == [True]


# -- votes ---------------------------------------------------------------------------


def test_vote_maps_screen_side_to_candidate_outcome(review_db: ReviewDB) -> None:
    db = review_db
    a = db.reviewers["alice"]
    asg = claim_next(db.store, a)
    mark_first_render(db.store, a, asg.comparison_id, now=asg.reserved_at)
    res = record_vote(db.store, a, asg.comparison_id, asg.reference_side, "reference wins",
                      idempotency_key="k-1", now=asg.reserved_at + timedelta(seconds=42))
    assert res.outcome == 0.0 and not res.duplicate
    row = judgments_export(db.store)[0]
    comp = get_comparison(db.store, asg.comparison_id)
    assert row["candidate_run_id"] == comp.candidate_run_id in RUNS
    assert row["candidate_model"] == RUNS[comp.candidate_run_id]
    assert row["reference_run_id"] == "gold"
    assert row["candidate_side"] == asg.candidate_side
    assert row["choice"] == asg.reference_side
    assert row["time_on_task_s"] == pytest.approx(42.0)


def test_same_idempotency_key_lands_once(review_db: ReviewDB) -> None:
    db = review_db
    a = db.reviewers["alice"]
    asg = claim_next(db.store, a)
    first = _vote(db, "alice", asg.comparison_id, "tie")
    again = _vote(db, "alice", asg.comparison_id, "B")  # same key (version 1): no new row
    assert again.duplicate and again.judgment_id == first.judgment_id
    assert len(judgments_export(db.store)) == 1


def test_nobody_judges_a_pair_twice_but_a_change_supersedes(review_db: ReviewDB) -> None:
    db = review_db
    a = db.reviewers["alice"]
    asg = claim_next(db.store, a)
    first = _vote(db, "alice", asg.comparison_id, "A")
    with pytest.raises(ReviewError, match="already judged"):
        _vote(db, "alice", asg.comparison_id, "B", n=2)
    changed = _vote(db, "alice", asg.comparison_id, "B", n=2, revise=True)
    assert changed.supersedes == first.judgment_id
    rows = judgments_export(db.store)
    assert len(rows) == 2
    old, new = sorted(rows, key=lambda r: r["created_at"])
    assert (old["is_current"], new["is_current"]) == (False, True)
    assert old["superseded_by"] == new["judgment_id"] and new["reviewer"] == "alice"
    assert old["rationale"] == new["rationale"]  # the old row is untouched
    assert [j.choice for j in my_judgments(db.store, a)] == ["B"]
    assert progress(db.store, a).done == 1


def test_vote_needs_an_assignment_a_choice_and_a_rationale(review_db: ReviewDB) -> None:
    db = review_db
    a, b = db.reviewers["alice"], db.reviewers["bob"]
    asg = claim_next(db.store, a)
    with pytest.raises(ReviewError, match="not assigned"):
        record_vote(db.store, b, asg.comparison_id, "A", "reason", idempotency_key="x")
    with pytest.raises(ReviewError, match="rationale"):
        record_vote(db.store, a, asg.comparison_id, "A", "  ", idempotency_key="y")
    with pytest.raises(ReviewError, match="one of"):
        record_vote(db.store, a, asg.comparison_id, "C", "reason", idempotency_key="z")
    assert judgments_export(db.store) == []


def test_vote_waits_for_another_process_holding_the_database(review_db: ReviewDB) -> None:
    """A CLI run holding the file: the vote waits for the lock instead of failing."""
    db = review_db
    a = db.reviewers["alice"]
    asg = claim_next(db.store, a)
    Store.close_all()  # let go of this process's lingering handle so the holder gets in
    holder = subprocess.Popen([sys.executable, "-c", HOLD_SCRIPT, str(db.store.path)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    t0 = time.monotonic()
    _vote(db, "alice", asg.comparison_id)
    waited = time.monotonic() - t0
    holder.wait(timeout=10)
    assert waited > 0.5
    assert len(judgments_export(db.store)) == 1


# -- attention pairs and batches --------------------------------------------------------


def test_attention_pairs_go_to_every_reviewer(review_db: ReviewDB) -> None:
    db = review_db
    assert add_attention_pairs(db.store, db.batch_id, n=1) == 1
    for who in ("alice", "bob", "root"):
        att = [i for i in queue(db.store, db.reviewers[who]) if i.attention]
        assert len(att) == 1
        asg = claim_next(db.store, db.reviewers[who])
        while not asg.attention:
            _vote(db, who, asg.comparison_id)
            asg = claim_next(db.store, db.reviewers[who])
        _vote(db, who, asg.comparison_id, "tie")
    cov = coverage(db.store)[0]
    assert cov.attention_pairs == 1 and cov.pairs == 4


def test_batch_run_vs_run_filters_and_errors(review_db: ReviewDB) -> None:
    db = review_db
    res = create_batch(db.store, runs=["zebra-run-41"], against="okapi-run-93", k=3,
                       occupations=["financial*"])
    assert res.added == 1 and res.batch.pairs == 1 and res.batch.k == 3
    again = create_batch(db.store, runs=["zebra-run-41"], against="okapi-run-93", k=3,
                         occupations=["financial*"])
    assert again.added == 0 and again.batch.batch_id == res.batch.batch_id
    with pytest.raises(UserError, match="unknown run"):
        create_batch(db.store, runs=["no-such-run"])
    with pytest.raises(UserError, match="no pairs"):
        create_batch(db.store, runs=["zebra-run-41"], task_ids=["nothing-*"], name="empty")
    assert "empty" not in {b.name for b in list_batches(db.store)}  # rolled back


# -- accounts ----------------------------------------------------------------------------


def test_passwords_are_salted_scrypt_and_disabled_accounts_cannot_sign_in(
        review_db: ReviewDB) -> None:
    h1, h2 = hash_password("same password"), hash_password("same password")
    assert h1 != h2 and h1.startswith("scrypt$") and "same password" not in h1
    assert verify_password("same password", h1) and not verify_password("other", h1)
    store = review_db.store
    assert authenticate(store, "alice", PASSWORD).username == "alice"
    assert authenticate(store, "ALICE", PASSWORD) is not None
    assert authenticate(store, "alice", "wrong password") is None
    assert authenticate(store, "nobody", PASSWORD) is None
    set_active(store, "alice", False)
    assert authenticate(store, "alice", PASSWORD) is None
    with pytest.raises(UserError, match="already exists"):
        add_reviewer(store, "Bob", password=PASSWORD, occupations=["*"])
    with pytest.raises(UserError, match="at least"):
        add_reviewer(store, "dave", password="short", occupations=["*"])
    with pytest.raises(ReviewError, match="disabled"):
        queue(store, review_db.reviewers["alice"])


def test_assignment_side_is_stored_and_stable(review_db: ReviewDB) -> None:
    db = review_db
    a = db.reviewers["alice"]
    asg = claim_next(db.store, a)
    for _ in range(3):
        assert get_assignment(db.store, a, asg.comparison_id).candidate_side == \
            asg.candidate_side
        assert claim_next(db.store, a).candidate_side == asg.candidate_side
