"""Signing in: username and password (scrypt-hashed in the store), or an OIDC provider
through ``st.login`` when ``.streamlit/secrets.toml`` configures ``[auth]``.

A browser reload starts a new Streamlit session, which would sign the reviewer out in
the middle of a pair. So a password sign-in also creates a random session token, kept in
this server's memory for a working day and carried in the page URL (``?s=...``); a
reload restores the session from it. The token says nothing about the reviewer; signing
out or restarting the server revokes it.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

import streamlit as st

from app.review import context
from app.review.throttle import SignInThrottle
from core.store.reviewers import Reviewer, authenticate, get_reviewer

SESSION_PARAM = "s"
SESSION_TTL_S = 12 * 3600


@dataclass
class _Sessions:
    by_token: dict[str, tuple[str, float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self, reviewer_id: str) -> str:
        token = secrets.token_urlsafe(24)
        with self.lock:
            now = time.time()
            self.by_token = {t: v for t, v in self.by_token.items() if v[1] > now}
            self.by_token[token] = (reviewer_id, now + SESSION_TTL_S)
        return token

    def lookup(self, token: str) -> str | None:
        with self.lock:
            hit = self.by_token.get(token)
        return hit[0] if hit and hit[1] > time.time() else None

    def revoke(self, token: str) -> None:
        with self.lock:
            self.by_token.pop(token, None)


@st.cache_resource(show_spinner=False)
def _sessions() -> _Sessions:
    return _Sessions()


@st.cache_resource(show_spinner=False)
def throttle() -> SignInThrottle:
    """One count of failed sign-ins for the whole server (every browser session)."""
    return SignInThrottle()


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def _oidc_user() -> Reviewer | None:
    """The reviewer whose username is the signed-in OIDC e-mail, if any."""
    if not _oidc_configured():
        return None
    try:
        if not st.user.is_logged_in:
            return None
        email = st.user.get("email")
    except Exception:
        return None
    return get_reviewer(context.store(), str(email)) if email else None


def current_user() -> Reviewer | None:
    """The signed-in reviewer, restoring a session from the URL token or OIDC."""
    reviewer = context.signed_in()
    if reviewer is not None:
        _keep_token_in_url()
        return reviewer
    token = st.query_params.get(SESSION_PARAM)
    uid = _sessions().lookup(token) if token else None
    if uid:
        st.session_state[context.USER_KEY] = uid
        st.session_state["review_token"] = token
        return context.signed_in()
    oidc = _oidc_user()
    if oidc is not None and oidc.active:
        st.session_state[context.USER_KEY] = oidc.reviewer_id
        return oidc
    return None


def _keep_token_in_url() -> None:
    """Page changes drop query parameters; put the token back so a reload still works."""
    token = st.session_state.get("review_token")
    if token and st.query_params.get(SESSION_PARAM) != token:
        st.query_params[SESSION_PARAM] = token


def sign_in(username: str, password: str) -> Reviewer | None:
    """Check the password and open a session; None when it is wrong (and counted).

    The caller checks :func:`throttle` first: a locked-out username is not even tried.
    """
    reviewer = authenticate(context.store(), username, password)
    if reviewer is None:
        throttle().failed(username)
        return None
    throttle().succeeded(username)
    token = _sessions().create(reviewer.reviewer_id)
    st.session_state[context.USER_KEY] = reviewer.reviewer_id
    st.session_state["review_token"] = token
    st.query_params[SESSION_PARAM] = token
    return reviewer


def sign_out() -> None:
    token = st.session_state.get("review_token")
    if token:
        _sessions().revoke(token)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.query_params.clear()
    if _oidc_configured():
        try:
            if st.user.is_logged_in:
                st.logout()
        except Exception:
            pass


def login_form() -> None:
    """The sign-in screen (the only thing a signed-out browser gets)."""
    st.title("Expert review")
    st.write("Sign in to compare deliverables blind.")
    with st.form("login", clear_on_submit=False):
        username = st.text_input("Username", key="login_user", autocomplete="username")
        password = st.text_input("Password", type="password", key="login_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        wait = throttle().wait_s(username)
        if wait > 0:
            minutes = max(1, round(wait / 60))
            st.error(f"Too many wrong passwords for this account: try again in about "
                     f"{minutes} minute{'s' if minutes > 1 else ''}.")
        elif sign_in(username.strip(), password) is not None:
            st.rerun()
        else:
            st.error("Wrong username or password, or the account is disabled.")
    if _oidc_configured():
        st.divider()
        if st.button("Sign in with your organisation's account"):
            st.login()
