"""The vote under a pair: A better / as good as / B better, "both unacceptable", a
required rationale, and submit. Keyboard: 1, 2, 3 pick; Ctrl+Enter submits.

Every change is saved as the assignment's draft in the store (so a reload, even a new
session, finds it). Submitting calls ``record_vote`` with an idempotency key fixed when
the form first appeared, so a double click or a resent message lands once; "Saved" is
shown only after the store has committed the vote.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from app.review import context
from core.store.reviews import Assignment, ReviewError, save_draft
from core.store.votes import CHOICES, VoteResult, choice_of, record_vote, vote_count, vote_key

LABELS = {"A": "A is better", "tie": "As good as each other", "B": "B is better"}
SHORTCUTS = {"A": "1", "tie": "2", "B": "3"}
MIN_RATIONALE_CHARS = 10


@dataclass(frozen=True)
class Submitted:
    result: VoteResult
    choice: str


def _keys(token: str) -> dict[str, str]:
    return {"choice": f"choice_{token}", "unacc": f"unacc_{token}", "why": f"why_{token}",
            "version": f"version_{token}", "loaded": f"loaded_{token}"}


def _load_draft(asg: Assignment, token: str, defaults: dict | None) -> None:
    """Seed the widgets once per session from the stored draft (or given defaults)."""
    keys = _keys(token)
    if st.session_state.get(keys["loaded"]):
        return
    draft = {**(defaults or {}), **(asg.draft or {})}
    choice = draft.get("choice")
    st.session_state[keys["choice"]] = choice if choice in CHOICES else None
    st.session_state[keys["unacc"]] = bool(draft.get("both_unacceptable"))
    st.session_state[keys["why"]] = str(draft.get("rationale") or "")
    st.session_state[keys["loaded"]] = True


def _save(asg: Assignment, token: str) -> None:
    keys = _keys(token)
    draft = {"choice": st.session_state.get(keys["choice"]),
             "both_unacceptable": bool(st.session_state.get(keys["unacc"])),
             "rationale": st.session_state.get(keys["why"]) or ""}
    save_draft(context.store(), asg.reviewer_id, asg.comparison_id, draft, hold=context.hold())


def _pick(asg: Assignment, token: str, choice: str) -> None:
    st.session_state[_keys(token)["choice"]] = choice
    _save(asg, token)


def draw(asg: Assignment, token: str, *, revise: bool = False,
         defaults: dict | None = None) -> Submitted | None:
    """Draw the form; returns the stored vote on the run where it was submitted."""
    keys = _keys(token)
    store = context.store()
    _load_draft(asg, token, defaults)
    if keys["version"] not in st.session_state:
        st.session_state[keys["version"]] = vote_count(store, asg.reviewer_id,
                                                       asg.comparison_id) + 1

    st.markdown("### Your judgment" if not revise else "### Change your judgment")
    st.write("Which deliverable better fulfils the client's request, as a professional in "
             "this occupation would judge it?")
    chosen = st.session_state.get(keys["choice"])
    cols = st.columns(3)
    for col, choice in zip(cols, CHOICES, strict=True):
        with col:
            st.button(LABELS[choice], key=f"pick_{choice}_{token}",
                      type="primary" if chosen == choice else "secondary",
                      shortcut=SHORTCUTS[choice], width="stretch",
                      on_click=_pick, args=(asg, token, choice))
    st.caption(f"Your choice: **{LABELS[chosen]}**" if chosen else "No choice yet.")
    st.checkbox("Both deliverables are unacceptable (neither could go to the client)",
                key=keys["unacc"], on_change=_save, args=(asg, token))
    st.text_area("Why? A sentence or two on what decided it (required)", key=keys["why"],
                 max_chars=4000, height=110, on_change=_save, args=(asg, token),
                 placeholder="e.g. B gets the totals right and follows the requested format; "
                             "A misses the Q2 figures.")
    label = "Save changed vote" if revise else "Submit vote"
    if not st.button(label, key=f"submit_{token}", type="primary", shortcut="Ctrl+Enter",
                     icon=":material/check:"):
        st.caption("Keys: 1, 2, 3 choose · Tab moves between fields · Ctrl+Enter submits")
        return None

    choice = st.session_state.get(keys["choice"])
    rationale = (st.session_state.get(keys["why"]) or "").strip()
    if choice not in CHOICES:
        st.error("Choose A, B, or \"as good as each other\" first.")
        return None
    if len(rationale) < MIN_RATIONALE_CHARS:
        st.error(f"Please give a short rationale (at least {MIN_RATIONALE_CHARS} characters).")
        return None
    try:
        result = record_vote(
            store, asg.reviewer_id, asg.comparison_id, choice, rationale,
            both_unacceptable=bool(st.session_state.get(keys["unacc"])), revise=revise,
            idempotency_key=vote_key(asg.reviewer_id, asg.comparison_id,
                                     st.session_state[keys["version"]]))
    except ReviewError as exc:
        st.error(str(exc))
        return None
    for key in keys.values():
        st.session_state.pop(key, None)
    # a duplicate submit returns the vote that landed first: report that one
    return Submitted(result, choice_of(result.outcome, asg.candidate_side))
