"""Admin: how far each batch is, as pairs with 0, 1, ..., k human judges."""

from __future__ import annotations

import streamlit as st

from app.review import context
from core.store.review_admin import coverage


def render() -> None:
    context.require_admin()
    st.title("Coverage")
    batches = coverage(context.store())
    if not batches:
        st.info("No review batch yet: create one on the Batches page or with "
                "`occubench review batch create`.")
        return
    for cov in batches:
        status = " (closed)" if cov.closed else ""
        st.subheader(f"{cov.name}{status}")
        st.progress(cov.complete / cov.pairs if cov.pairs else 1.0,
                    text=f"{cov.complete} of {cov.pairs} pairs have {cov.k} judges "
                         f"(+{cov.attention_pairs} attention pairs)")
        top = max([cov.k, *cov.by_judges])
        row = {f"{n} judges": cov.by_judges.get(n, 0) for n in range(top + 1)}
        st.dataframe([row], hide_index=True)
