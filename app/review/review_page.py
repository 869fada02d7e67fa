"""The review page: take the next pair, show it blind, collect the vote, move on.

The pair in hand is remembered in the session; a new session (a reload) gets it back
from the store, because ``claim_next`` returns a pair the reviewer still holds first.
While the reviewer reads, a background thread renders the pair most likely to come
next, so it opens at once.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor

import streamlit as st

from app.review import context, pair_view, vote_form
from core.store import Store
from core.store.comparisons import get_comparison
from core.store.reviewers import Reviewer
from core.store.reviews import (
    Assignment,
    claim_next,
    get_assignment,
    mark_first_render,
    peek_next,
    progress,
    release,
)

log = logging.getLogger("occubench.review")
CURRENT_KEY = "review_current"
#: set to 0 to switch off rendering the next pair ahead (bench/review_next_pair.py does)
ENV_PREFETCH = "OCCUBENCH_REVIEW_PREFETCH"


@st.cache_resource(show_spinner=False)
def _prefetcher() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="review-prefetch")


@st.cache_resource(show_spinner=False)
def _prefetched() -> set[str]:
    return set()


def _warm_next(store: Store, reviewer_id: str, current: str) -> None:
    try:
        nxt = peek_next(store, reviewer_id, skip=current)
        if nxt is None or nxt.comparison_id in _prefetched():
            return
        _prefetched().add(nxt.comparison_id)
        comp = get_comparison(store, nxt.comparison_id)
        if comp is not None:
            pair_view.warm_pair(store, comp.task_id, [
                (comp.candidate_run_id, comp.candidate_sample),
                (comp.reference_run_id, comp.reference_sample)])
    except Exception:  # pre-rendering is an optimisation; never break the page for it
        log.exception("pre-rendering the next pair failed")


def _current(store: Store, user: Reviewer) -> Assignment | None:
    cid = st.session_state.get(CURRENT_KEY)
    if cid:
        asg = get_assignment(store, user.reviewer_id, cid)
        if asg is not None and asg.status == "reserved":
            return asg
        if asg is not None and asg.status == "done":
            st.info("That pair has already been judged from another window; your vote there "
                    "stands. Here is the next one.")
    asg = claim_next(store, user.reviewer_id, hold=context.hold())
    st.session_state[CURRENT_KEY] = asg.comparison_id if asg else None
    return asg


def render() -> None:
    user = context.require_user()
    store = context.store()
    flash = st.session_state.pop("review_flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    asg = _current(store, user)
    prog = progress(store, user.reviewer_id)
    if asg is None:
        st.title("Review")
        st.info(f"Nothing is waiting for you right now: {prog.done} of {prog.total} done. "
                "Thank you!")
        return
    token = context.pair_token(user.reviewer_id, asg.comparison_id)
    top, skip_col = st.columns([5, 1], vertical_alignment="bottom")
    with top:
        st.progress(prog.done / prog.total if prog.total else 1.0,
                    text=f"{prog.done} of {prog.total} done")
    with skip_col:
        if st.button("Skip this pair", key=f"skip_{token}", icon=":material/skip_next:",
                     help="Leave this pair to others (for example, a conflict of interest)."):
            release(store, user.reviewer_id, asg.comparison_id)
            pair_view.forget_pair(asg)
            st.session_state[CURRENT_KEY] = None
            st.session_state["review_flash"] = "Skipped: that pair goes to other reviewers."
            st.rerun()

    with st.spinner("Preparing the documents..."):
        content = pair_view.load_pair(store, asg)
    pair_view.draw_pair(content, token)
    seen = f"rendered_{token}"
    if not st.session_state.get(seen):
        mark_first_render(store, user.reviewer_id, asg.comparison_id)
        st.session_state[seen] = True
        if os.environ.get(ENV_PREFETCH, "1") != "0":
            _prefetcher().submit(_warm_next, store, user.reviewer_id, asg.comparison_id)

    st.divider()
    submitted = vote_form.draw(asg, token)
    if submitted is not None:
        pair_view.forget_pair(asg)
        st.session_state[CURRENT_KEY] = None
        st.session_state.pop(seen, None)
        st.session_state["review_flash"] = (
            f"Saved: your vote ({vote_form.LABELS[submitted.choice]}) is recorded.")
        st.rerun()
