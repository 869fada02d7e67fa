"""Admin: every human vote as CSV, unblinded, with the supersede chain."""

from __future__ import annotations

import csv
import io

import streamlit as st

from app.review import context
from core.store.review_admin import judgments_export


def to_csv(rows: list[dict]) -> bytes:
    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def render() -> None:
    context.require_admin()
    st.title("Export judgments")
    current_only = st.toggle("Current votes only (leave out votes that were changed later)",
                             value=False)
    rows = judgments_export(context.store(), current_only=current_only)
    st.write(f"{len(rows)} vote rows.")
    st.download_button("Download CSV", data=to_csv(rows),
                       file_name="human-judgments.csv" if not current_only
                       else "human-judgments-current.csv",
                       mime="text/csv", icon=":material/download:", on_click="ignore")
    if rows:
        st.dataframe(rows[-200:], hide_index=True)
