"""Admin: the leaderboard of human win rates.

Placeholder on purpose: win rates with confidence intervals and Bradley-Terry ratings are
computed by the reports code (``core/stats``, issue 6). When it lands, this page calls it
on the human judgments (``judge_kind = 'human'``, current votes only, attention pairs
left out) and shows its table; it must not grow a second statistics implementation.
"""

from __future__ import annotations

import streamlit as st

from app.review import context


def render() -> None:
    context.require_admin()
    st.title("Leaderboard")
    st.info("The leaderboard comes from the reports code (`occubench report`), which is not "
            "wired in here yet. Meanwhile, export the judgments as CSV from the Export page.")
