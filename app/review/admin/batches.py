"""Admin: create review batches (as ``occubench review batch create`` does), add
attention pairs, close or reopen a batch."""

from __future__ import annotations

import streamlit as st

from app.review import context
from core.errors import UserError
from core.store.batches import (
    add_attention_pairs,
    create_batch,
    list_batches,
    runs_with_submissions,
    set_closed,
)
from core.store.submissions import GOLD_RUN


def _create_form(admin_name: str) -> None:
    store = context.store()
    runs = runs_with_submissions(store)
    names = [r.run_id for r in runs if r.run_id != GOLD_RUN]
    labels = {r.run_id: f"{r.run_id} ({r.model or '?'}, {r.submissions} submissions)"
              for r in runs}
    with st.form("new_batch"):
        st.subheader("New batch")
        cand = st.multiselect("Candidate runs", names, format_func=lambda r: labels[r],
                              key="new_batch_runs")
        against = st.selectbox("Against", [GOLD_RUN, *names],
                               format_func=lambda r: "the gold (expert) deliverable"
                               if r == GOLD_RUN else labels[r], key="new_batch_against")
        k = st.number_input("Reviewers per pair (k)", min_value=1, max_value=50, value=3)
        name = st.text_input("Name (optional)", key="new_batch_name")
        tasks = st.text_input("Only these tasks (comma-separated ids or globs, optional)")
        occs = st.text_input("Only these occupations (comma-separated, globs, optional)")
        attention = st.number_input("Attention pairs (gold against itself)", min_value=0,
                                    max_value=100, value=0)
        if not st.form_submit_button("Create batch", type="primary"):
            return
    try:
        result = create_batch(
            store, runs=cand, against=against, k=int(k), name=name.strip() or None,
            task_ids=[t.strip() for t in tasks.split(",") if t.strip()] or None,
            occupations=[o.strip() for o in occs.split(",") if o.strip()] or None,
            created_by=admin_name)
        extra = add_attention_pairs(store, result.batch.batch_id, n=int(attention)) \
            if attention else 0
    except UserError as exc:
        st.error(str(exc))
        return
    st.success(f"Batch {result.batch.name!r}: {result.added} pairs added "
               f"({result.batch.pairs} in all), {extra} attention pairs.")
    for line in result.skipped[:20]:
        st.caption(f"skipped {line}")


def render() -> None:
    admin = context.require_admin()
    st.title("Batches")
    store = context.store()
    batches = list_batches(store)
    if batches:
        st.dataframe([{"name": b.name, "id": b.batch_id, "k": b.k, "pairs": b.pairs,
                       "attention": b.attention_pairs, "closed": b.closed,
                       "runs": ", ".join(b.config.get("runs", [])),
                       "against": b.config.get("against"), "created": b.created_at}
                      for b in batches], hide_index=True)
        pick = st.selectbox("Batch", batches, format_func=lambda b: b.name, key="batch_pick")
        if pick is not None:
            label = "Reopen batch" if pick.closed else "Close batch"
            if st.button(label, help="A closed batch leaves every reviewer's queue."):
                set_closed(store, pick.batch_id, not pick.closed)
                st.rerun()
    _create_form(admin.username)
