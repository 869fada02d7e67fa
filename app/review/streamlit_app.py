"""Entry script of the review app (``streamlit run`` target of ``occubench review``).

Reviewers get the review pages only; admins also get the admin pages. A page missing
from ``st.navigation`` does not exist for that session: opening its URL shows Streamlit's
"page not found" and the default page instead. Each admin page checks the role again.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.review import auth

VIEWS = Path(__file__).parent / "views"

st.set_page_config(page_title="Expert review", page_icon=":material/compare:", layout="wide")

user = auth.current_user()
if user is None:
    auth.login_form()
    st.stop()

review_pages = [
    st.Page(VIEWS / "review.py", title="Review", url_path="review", default=True,
            icon=":material/compare:"),
    st.Page(VIEWS / "my_reviews.py", title="My reviews", url_path="mine",
            icon=":material/history:"),
]
if user.is_admin:
    admin_pages = [
        st.Page(VIEWS / "admin_coverage.py", title="Coverage", url_path="admin",
                icon=":material/grid_view:"),
        st.Page(VIEWS / "admin_batches.py", title="Batches", url_path="admin-batches",
                icon=":material/playlist_add:"),
        st.Page(VIEWS / "admin_reviewers.py", title="Reviewers", url_path="admin-reviewers",
                icon=":material/group:"),
        st.Page(VIEWS / "admin_agreement.py", title="Agreement", url_path="admin-agreement",
                icon=":material/handshake:"),
        st.Page(VIEWS / "admin_flags.py", title="Self-identification",
                url_path="admin-flags", icon=":material/flag:"),
        st.Page(VIEWS / "admin_export.py", title="Export", url_path="admin-export",
                icon=":material/download:"),
        st.Page(VIEWS / "admin_leaderboard.py", title="Leaderboard",
                url_path="admin-leaderboard", icon=":material/leaderboard:"),
    ]
    page = st.navigation({"Review": review_pages, "Admin": admin_pages})
else:
    page = st.navigation(review_pages)

with st.sidebar:
    st.caption(f"Signed in as **{user.label}**" + (" (admin)" if user.is_admin else ""))
    if st.button("Sign out", key="sign_out"):
        auth.sign_out()
        st.rerun()

page.run()
