"""A reviewer's own votes, and changing one.

Only this reviewer's votes are listed, by task title and on-screen side (never by run).
A change is stored as a new vote that supersedes the old one; the old row stays.
"""

from __future__ import annotations

import streamlit as st

from app.review import context, pair_view, vote_form
from core.store.reviews import get_assignment
from core.store.tasks import get_task
from core.store.votes import my_judgments


def render() -> None:
    user = context.require_user()
    store = context.store()
    st.title("My reviews")
    flash = st.session_state.pop("mine_flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    votes = my_judgments(store, user.reviewer_id)
    if not votes:
        st.info("You have not judged any pair yet.")
        return
    titles: dict[str, str] = {}
    for v in votes:
        if v.task_id not in titles:
            found = get_task(store, v.task_id)
            titles[v.task_id] = found[0].title if found else "Task"
    rows = [{"#": len(votes) - i, "task": titles[v.task_id],
             "your vote": vote_form.LABELS[v.choice],
             "both unacceptable": v.both_unacceptable, "rationale": v.rationale,
             "changed": v.revisions, "when (UTC)": v.created_at.strftime("%Y-%m-%d %H:%M")}
            for i, v in enumerate(votes)]
    st.dataframe(rows, hide_index=True, width="stretch")

    st.subheader("Change a vote")
    pick = st.selectbox("Pair", list(range(len(votes))), index=None, key="mine_pick",
                        format_func=lambda i: f"#{rows[i]['#']} · {rows[i]['task']} · "
                                              f"{rows[i]['your vote']}",
                        placeholder="Choose one of your votes to change")
    if pick is None:
        return
    vote = votes[pick]
    asg = get_assignment(store, user.reviewer_id, vote.comparison_id)
    if asg is None:
        st.error("This pair is no longer available.")
        return
    token = context.pair_token(user.reviewer_id, vote.comparison_id)
    with st.spinner("Preparing the documents..."):
        content = pair_view.load_pair(store, asg)
    pair_view.draw_pair(content, token)
    st.divider()
    submitted = vote_form.draw(
        asg, f"{token}_rev{vote.revisions + 1}", revise=True,
        defaults={"choice": vote.choice, "both_unacceptable": vote.both_unacceptable,
                  "rationale": vote.rationale})
    if submitted is not None:
        st.session_state.pop("mine_pick", None)
        st.session_state["mine_flash"] = (
            f"Saved: your vote is now \"{vote_form.LABELS[submitted.choice]}\"; the earlier "
            "one is kept in the history.")
        st.rerun()
