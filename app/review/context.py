"""What every page of the review app shares: the store, settings, the signed-in person.

The ``Store`` object is cached per process, but it holds no connection: each query opens
and closes its own, so a CLI run or a grading job can use the same DuckDB file between
two clicks of a reviewer (house rule: never hold a connection across reruns).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import timedelta

import streamlit as st

from core.store import Store, default_db_path
from core.store.reviewers import Reviewer, get_reviewer_by_id
from core.store.reviews import DEFAULT_HOLD

ENV_HOLD_MINUTES = "OCCUBENCH_REVIEW_HOLD_MINUTES"
USER_KEY = "review_uid"


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store(path, lock_timeout=30.0)


def store() -> Store:
    """The review database (``$OCCUBENCH_DB``, as set by ``occubench review --db``)."""
    return _store(str(default_db_path(None).resolve()))


def hold() -> timedelta:
    """How long a pair stays reserved for the reviewer who opened it."""
    raw = os.environ.get(ENV_HOLD_MINUTES)
    return timedelta(minutes=float(raw)) if raw else DEFAULT_HOLD


@st.cache_resource(show_spinner=False)
def _secret() -> bytes:
    return secrets.token_bytes(32)


def pair_token(reviewer_id: str, comparison_id: str) -> str:
    """The opaque name of a pair in one reviewer's browser (widget keys, labels): it
    reveals nothing about the runs and differs between reviewers."""
    mac = hmac.new(_secret(), f"{reviewer_id}\0{comparison_id}".encode(), hashlib.sha256)
    return mac.hexdigest()[:12]


def signed_in() -> Reviewer | None:
    """The signed-in, still active account (re-read each run: a disabled account is out
    at its next click)."""
    uid = st.session_state.get(USER_KEY)
    if not uid:
        return None
    reviewer = get_reviewer_by_id(store(), uid)
    if reviewer is None or not reviewer.active:
        st.session_state.pop(USER_KEY, None)
        return None
    return reviewer


def require_user() -> Reviewer:
    reviewer = signed_in()
    if reviewer is None:
        st.warning("Please sign in.")
        st.stop()
    return reviewer


def require_admin() -> Reviewer:
    """Every admin page calls this first: navigation hides admin pages from reviewers,
    and this stops a page that is reached some other way."""
    reviewer = require_user()
    if not reviewer.is_admin:
        st.error("This page is for admins only.")
        st.stop()
    return reviewer
