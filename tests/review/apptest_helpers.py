"""Driving the review app in streamlit.testing: sign in, read what the page says."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.review.review_fixtures import PASSWORD

APP = Path(__file__).resolve().parents[2] / "app" / "review" / "streamlit_app.py"


def sign_in(user: str, password: str = PASSWORD) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.text_input(key="login_user").input(user)
    at.text_input(key="login_password").input(password)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for e in [*at.markdown, *at.caption, *at.success, *at.error, *at.info,
                               *at.title, *at.subheader, *at.warning]]
    parts += [p.text for p in at.get("progress")]
    return "\n".join(str(p) for p in parts)
