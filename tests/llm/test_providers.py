"""Model ids to endpoints: environment, .env, clear errors, capabilities, families."""

from __future__ import annotations

import asyncio

import pytest

from core.errors import UserError
from core.llm import ModelClient, same_family
from core.llm.providers import NO_KEY, resolve
from tests.support.scripted_server import ScriptedServer


def test_service_env_resolution(monkeypatch):
    monkeypatch.setenv("VLLM_BASE_URL", "http://gpu-box:8000/v1/")
    ep = resolve("vllm/meta-llama/Llama-3.1-8B")
    assert ep.base_url == "http://gpu-box:8000/v1"
    assert ep.model_name == "meta-llama/Llama-3.1-8B" and ep.env_prefix == "VLLM"
    assert ep.api_key == NO_KEY  # a key is optional for local endpoints
    assert ep.capabilities.tools and ep.capabilities.json_schema
    assert not ep.capabilities.images
    monkeypatch.setenv("MY_PROXY_AI_BASE_URL", "http://proxy/v1")
    monkeypatch.setenv("MY_PROXY_AI_API_KEY", "pk")
    ep = resolve("my-proxy.ai/some-model")
    assert (ep.base_url, ep.api_key, ep.env_prefix) == ("http://proxy/v1", "pk", "MY_PROXY_AI")


def test_openai_defaults_and_explicit_arguments_win(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    ep = resolve("openai/gpt-4o")
    assert ep.base_url == "https://api.openai.com/v1" and ep.api_key == "sk-env"
    assert ep.capabilities.images and ep.capabilities.responses_api
    ep = resolve("openai/gpt-4o", base_url="http://127.0.0.1:9/v1", api_key="sk-arg")
    assert (ep.base_url, ep.api_key) == ("http://127.0.0.1:9/v1", "sk-arg")


@pytest.mark.parametrize(("model_id", "needle"), [
    ("openai/gpt-4o", "OPENAI_API_KEY"),
    ("vllm/meta-llama/Llama-3.1-8B", "VLLM_BASE_URL"),
    ("gpt-4o", "provider/model"),
    ("local/llama-70b", "LOCAL_BASE_URL"),
])
def test_missing_settings_are_one_clear_sentence(model_id, needle):
    with pytest.raises(UserError) as info:
        resolve(model_id)
    message = str(info.value)
    assert needle in message and "\n" not in message


def test_capabilities_override(monkeypatch):
    monkeypatch.setenv("OLLAMA_BASE_URL", "http://localhost:11434/v1")
    monkeypatch.setenv("OLLAMA_CAPABILITIES", "tools, images")
    caps = resolve("ollama/qwen2.5").capabilities
    assert (caps.tools, caps.images, caps.json_schema, caps.auto_tool_choice) == \
        (True, True, False, False)
    monkeypatch.setenv("OLLAMA_CAPABILITIES", "tools,telepathy")
    with pytest.raises(UserError, match="telepathy"):
        resolve("ollama/qwen2.5")


def test_local_ids(monkeypatch):
    ep = resolve("local/smollm2-135m")
    assert ep.base_url is None  # embedded: open_client starts the server
    caps = ep.capabilities
    assert caps.tools and not caps.auto_tool_choice and not caps.json_schema
    assert not caps.images
    with pytest.raises(UserError, match="open_client"):
        ModelClient("local/smollm2-135m")
    monkeypatch.setenv("LOCAL_BASE_URL", "http://127.0.0.1:8080/v1")
    ep = resolve("local/my-gguf")
    assert ep.base_url == "http://127.0.0.1:8080/v1" and not ep.capabilities.json_schema


def test_dotenv_in_working_directory_is_read(tmp_path):
    with ScriptedServer(api_key="from-dotenv") as srv:
        (tmp_path / ".env").write_text(f"FOO_BASE_URL={srv.base_url}\nFOO_API_KEY=from-dotenv\n")

        async def go():
            c = ModelClient("foo/bar", max_retries=0)
            try:
                return await c.chat([{"role": "user", "content": "hi"}])
            finally:
                await c.aclose()

        assert asyncio.run(go()).content == "ok"
        assert srv.requests[-1].headers["authorization"] == "Bearer from-dotenv"


@pytest.mark.parametrize(("a", "b", "same"), [
    ("openai/gpt-4o", "openai/o3", True),
    ("openai/gpt-4o", "openrouter/openai/gpt-4.1", True),
    ("openai/gpt-4o", "openrouter/anthropic/claude-sonnet-4", False),
    ("vllm/meta-llama/Llama-3.1-8B", "ollama/llama3.2", True),
    ("vllm/Qwen/Qwen2.5-7B-Instruct", "vllm/meta-llama/Llama-3.1-8B", False),
    ("local/smollm2-135m", "vllm/HuggingFaceTB/SmolLM2-1.7B-Instruct", True),
    ("acme/mystery-1", "acme/mystery-1", True),
    ("acme/mystery-1", "acme/mystery-2", False),
])
def test_same_family(a, b, same):
    assert same_family(a, b) is same
    assert same_family(b, a) is same


def test_open_client_for_a_remote_endpoint(srv):
    from core.llm import open_client

    async def go():
        async with open_client("scripted/m", base_url=srv.base_url, max_retries=0) as c:
            assert c.max_retries == 0 and c.timeout == 120.0  # no embedded defaults
            return await c.chat([{"role": "user", "content": "hi"}])

    assert asyncio.run(go()).content == "ok"
