"""Admin: how often reviewers agree on the same pair, and attention-check results."""

from __future__ import annotations

import streamlit as st

from app.review import context
from app.review.agreement import agreement
from core.store.review_admin import judgments_export, reviewer_activity
from core.store.reviews import utcnow


def render() -> None:
    context.require_admin()
    st.title("Agreement between reviewers")
    store = context.store()
    votes = [v for v in judgments_export(store, current_only=True) if not v["attention"]]
    result = agreement(votes)
    if result.overall is None:
        st.info("No pair has two reviewers yet.")
    else:
        st.metric("Mean agreement, 1 - |a - b|", f"{result.overall:.2f}",
                  help="1: same verdict; 0.5: one said 'as good as'; 0: opposite sides.")
        st.caption(f"{result.comparisons} reviewer pairs over {result.pairs} judged pairs.")
        st.dataframe([{"reviewer 1": a, "reviewer 2": b, "agreement": round(m, 3),
                       "shared pairs": n}
                      for (a, b), (m, n) in result.by_reviewers.items()], hide_index=True)
    st.subheader("Attention checks")
    acts = [a for a in reviewer_activity(store, utcnow()) if a.attention_seen]
    if not acts:
        st.caption("No attention pair judged yet.")
    else:
        st.dataframe([{"reviewer": a.username, "attention pairs": a.attention_seen,
                       "passed": a.attention_passed} for a in acts], hide_index=True)
