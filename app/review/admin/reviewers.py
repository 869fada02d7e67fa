"""Admin: reviewers' activity (votes, time, attention checks) and accounts."""

from __future__ import annotations

import streamlit as st

from app.review import context
from core.errors import UserError
from core.store.review_admin import reviewer_activity, task_occupations
from core.store.reviewers import add_reviewer, set_active, set_password
from core.store.reviews import utcnow
from core.taxonomy import taxonomy_for


def _activity() -> None:
    acts = reviewer_activity(context.store(), utcnow())
    st.dataframe([{
        "username": a.username, "role": a.role, "active": a.active,
        "occupations": ", ".join(a.occupations), "pairs judged": a.votes,
        "votes changed": a.changes, "minutes in all": round(a.total_minutes, 1),
        "median minutes per pair": None if a.median_minutes is None
        else round(a.median_minutes, 1),
        "attention passed": f"{a.attention_passed}/{a.attention_seen}"
        if a.attention_seen else "", "holding now": a.reserved_now,
        "last vote": a.last_vote} for a in acts], hide_index=True)


def _add_form() -> None:
    occupations = sorted({"*", *taxonomy_for().occupations, *task_occupations(context.store())})
    with st.form("add_reviewer", clear_on_submit=True):
        st.subheader("Add an account")
        username = st.text_input("Username (or the e-mail used with single sign-on)")
        display = st.text_input("Display name (optional)")
        occs = st.multiselect("Occupations of expertise ('*' = all)", occupations)
        role = st.radio("Role", ["reviewer", "admin"], horizontal=True)
        password = st.text_input("Initial password (leave empty for single sign-on only)",
                                 type="password")
        if not st.form_submit_button("Add", type="primary"):
            return
    try:
        rev = add_reviewer(context.store(), username.strip(), password=password or None,
                           occupations=occs, role=role, display_name=display.strip() or None)
    except UserError as exc:
        st.error(str(exc))
        return
    st.success(f"Added {rev.username} ({rev.role}).")


def _manage() -> None:
    st.subheader("Disable, enable, reset a password")
    username = st.text_input("Username", key="manage_user")
    cols = st.columns(3)
    try:
        if cols[0].button("Disable", disabled=not username):
            set_active(context.store(), username.strip(), False)
            st.success(f"{username} is disabled; their votes stay.")
        if cols[1].button("Enable", disabled=not username):
            set_active(context.store(), username.strip(), True)
            st.success(f"{username} is enabled.")
        new_pw = st.text_input("New password", type="password", key="manage_pw")
        if cols[2].button("Set password", disabled=not (username and new_pw)):
            set_password(context.store(), username.strip(), new_pw)
            st.success(f"Password of {username} changed.")
    except UserError as exc:
        st.error(str(exc))


def render() -> None:
    context.require_admin()
    st.title("Reviewers")
    _activity()
    _add_form()
    _manage()
