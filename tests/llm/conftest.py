"""Fixtures for the model-client tests: a clean environment and a scripted server."""

from __future__ import annotations

import os

import pytest

from core.llm import ModelClient
from tests.support.scripted_server import ScriptedServer


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No provider settings from the developer's shell or .env leak into a test; the
    working directory is an empty tmp dir (so ./.env and ./prices.yaml are the test's)."""
    for name in list(os.environ):
        if name.endswith(("_BASE_URL", "_API_KEY", "_CAPABILITIES")) or \
                name == "OCCUBENCH_PRICES":
            monkeypatch.delenv(name)
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SCRIPTED_BASE_URL", "SCRIPTED_API_KEY",
                 "SCRIPTED_CAPABILITIES", "LOCAL_BASE_URL", "FOO_BASE_URL", "FOO_API_KEY"):
        monkeypatch.delenv(name, raising=False)  # also restores them if a test's .env sets them
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def srv():
    with ScriptedServer() as server:
        yield server


@pytest.fixture
def make_client(srv):
    """``make_client(model="scripted/test-model", **ModelClient kwargs)``: a client on the
    scripted server with fast back-off (the retry logic itself is unchanged)."""
    def make(model: str = "scripted/test-model", **kw) -> ModelClient:
        kw.setdefault("max_retries", 3)
        kw.setdefault("timeout", 5.0)
        c = ModelClient(model, base_url=kw.pop("base_url", srv.base_url),
                        api_key=kw.pop("api_key", "test-key"), **kw)
        c.backoff_base = 0.01
        return c
    return make
