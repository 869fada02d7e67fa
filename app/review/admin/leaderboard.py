"""Admin: the leaderboard from human votes, computed by the reports code (``app.report``
on ``core.stats``): win rates against the expert with intervals, breakdowns, ratings and
agreement. Nothing statistical is computed here. The report only counts current votes
and leaves attention pairs out; it is rebuilt when the votes change.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.report import ReportOptions, build_report, figure, sections
from app.report.build import Report
from app.report.views import position_bias_cautions
from app.review import context
from core.store.review_admin import judgments_export


@st.cache_data(show_spinner=False, max_entries=8)
def _report(db_path: str, version: tuple, bootstrap: int, min_n: int) -> Report:
    del version  # part of the cache key only: a new vote means a new report
    return build_report(context.store(), ReportOptions(judges="human", bootstrap=bootstrap,
                                                       min_n=min_n))


def render() -> None:
    context.require_admin()
    st.title("Leaderboard")
    store = context.store()
    votes = judgments_export(store)
    if not votes:
        st.info("No human vote yet.")
        return
    cols = st.columns(2)
    bootstrap = cols[0].select_slider("Bootstrap replicates (0 = analytic intervals)",
                                      options=[0, 200, 1000, 2000], value=200)
    min_n = cols[1].number_input("Minimum votes to rank a row", min_value=1, value=10)
    version = (len(votes), str(max(v["created_at"] for v in votes)))
    with st.spinner("Computing the report..."):
        rep = _report(str(store.path), version, int(bootstrap), int(min_n))
    st.caption(f"{rep.meta['judgments_graded']} current human votes; "
               f"{rep.meta['attention_excluded']} on attention pairs left out; "
               f"{rep.meta['superseded']} changed votes replaced. "
               f"{rep.meta['headline_definition'].capitalize()}.")
    for caution in position_bias_cautions(rep):
        st.warning(caution)
    for sec in sections(rep):
        st.subheader(sec.title)
        if sec.intro:
            st.caption(sec.intro)
        for key in sec.charts:
            for svg in figure(rep, key):
                st.html(svg)
        for tv in sec.tables:
            if tv.rows:
                st.dataframe(pd.DataFrame(tv.rows, columns=tv.columns), hide_index=True)
            if tv.caption:
                st.caption(tv.caption)
