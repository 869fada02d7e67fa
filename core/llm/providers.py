"""Model ids (``provider/model``) to endpoints: base URL, API key and capabilities.

- ``openai/<m>``: ``OPENAI_API_KEY`` (required), ``OPENAI_BASE_URL`` (default OpenAI).
- ``<service>/<m>`` for any other service: ``<SERVICE>_BASE_URL`` (required) and
  ``<SERVICE>_API_KEY`` (optional, local servers rarely want one), where SERVICE is the
  service upper-cased with non-alphanumerics turned into ``_``. So vLLM, Ollama,
  llama.cpp, OpenRouter and Azure's OpenAI-compatible endpoints all work the same way;
  everything after the first ``/`` is sent as the model name
  (``vllm/meta-llama/Llama-3.1-8B`` sends ``meta-llama/Llama-3.1-8B`` to
  ``$VLLM_BASE_URL``).
- ``local/<name>``: the embedded model (see ``core.llm.local``), unless
  ``LOCAL_BASE_URL`` is set, in which case it is an ordinary service.

Values come from the environment, then ``.env`` in the working directory. Capabilities
default per provider and can be overridden with ``<SERVICE>_CAPABILITIES`` (a comma list
of the capabilities that are on, e.g. ``tools,auto_tool_choice,json_schema``).
"""

from __future__ import annotations

import os
import re

from core.config import load_dotenv_once
from core.errors import UserError
from core.llm.base import Capabilities, Endpoint

DEFAULT_LOCAL_MODEL = "local/smollm2-135m"
EMBEDDED_MODELS = ("smollm2-135m",)
OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1"
NO_KEY = "sk-no-key"  # sent when an endpoint needs none; the SDK insists on some key

CAPABILITY_NAMES = ("tools", "auto_tool_choice", "json_schema", "images", "responses_api")


def env_prefix(service: str) -> str:
    """``vllm`` -> ``VLLM``, ``my-proxy.ai`` -> ``MY_PROXY_AI``."""
    return re.sub(r"[^A-Za-z0-9]", "_", service).upper()


def split_model_id(model_id: str) -> tuple[str, str]:
    provider, sep, name = (model_id or "").partition("/")
    if not sep or not provider or not name:
        raise UserError(
            f"model id {model_id!r} must look like provider/model, e.g. openai/gpt-4o, "
            f"vllm/meta-llama/Llama-3.1-8B or {DEFAULT_LOCAL_MODEL}")
    return provider, name


def default_capabilities(provider: str) -> Capabilities:
    if provider == "openai":
        return Capabilities(tools=True, auto_tool_choice=True, json_schema=True, images=True,
                            responses_api=True)
    if provider == "local":
        # llama.cpp with SmolLM2: forced tool_choice works, auto tool calls do not;
        # structured output only as json_object + schema (measured, see STACK.md)
        return Capabilities(tools=True, auto_tool_choice=False, json_schema=False,
                            images=False, responses_api=False)
    return Capabilities(tools=True, auto_tool_choice=True, json_schema=True, images=False,
                        responses_api=False)


def capabilities_from_env(prefix: str, default: Capabilities) -> Capabilities:
    raw = os.environ.get(f"{prefix}_CAPABILITIES")
    if raw is None:
        return default
    names = {x.strip().lower() for x in raw.split(",") if x.strip()}
    unknown = names - set(CAPABILITY_NAMES)
    if unknown:
        raise UserError(
            f"{prefix}_CAPABILITIES has unknown entries {sorted(unknown)}; use a comma list "
            f"of {', '.join(CAPABILITY_NAMES)}")
    return Capabilities(**{n: n in names for n in CAPABILITY_NAMES})


def is_embedded(model_id: str, base_url: str | None = None) -> bool:
    """True when ``model_id`` means the embedded server (no base URL given or set)."""
    load_dotenv_once()
    provider, _ = split_model_id(model_id)
    return provider == "local" and not base_url and not os.environ.get("LOCAL_BASE_URL")


def resolve(model_id: str, *, base_url: str | None = None,
            api_key: str | None = None) -> Endpoint:
    """The endpoint for ``model_id``; explicit ``base_url``/``api_key`` beat the environment.

    Raises ``UserError`` naming the variable to set when something is missing. For the
    embedded model the returned ``base_url`` is None until ``open_client`` starts it.
    """
    load_dotenv_once()
    provider, name = split_model_id(model_id)
    prefix = env_prefix(provider)
    url = base_url or os.environ.get(f"{prefix}_BASE_URL") or None
    key = api_key or os.environ.get(f"{prefix}_API_KEY") or None
    caps = capabilities_from_env(prefix, default_capabilities(provider))
    if provider == "openai":
        url = url or OPENAI_DEFAULT_BASE_URL
        if not key:
            raise UserError(
                f"OPENAI_API_KEY is not set: export it or add OPENAI_API_KEY=... to .env "
                f"to use {model_id}")
    elif provider == "local" and url is None:
        if name not in EMBEDDED_MODELS:
            raise UserError(
                f"{model_id} is not an embedded model (the embedded one is "
                f"{DEFAULT_LOCAL_MODEL}); set LOCAL_BASE_URL to serve your own local model")
    elif not url:
        raise UserError(
            f"{prefix}_BASE_URL is not set: export it or add it to .env (the "
            f"OpenAI-compatible URL of the {provider} server, e.g. http://localhost:8000/v1) "
            f"to use {model_id}")
    return Endpoint(model_id=model_id, provider=provider, model_name=name,
                    base_url=url.rstrip("/") if url else None, api_key=key or NO_KEY,
                    capabilities=caps, env_prefix=prefix, key_from_env=bool(key))


# -- families, to warn when a judge grades its own family ------------------------------

_FAMILIES: list[tuple[str, str]] = [
    (r"^(gpt|chatgpt|o\d|davinci|babbage|text-embedding)", "openai"),
    (r"claude", "anthropic"),
    (r"gemini|gemma|palm|bison", "google"),
    (r"llama|^meta-", "meta"),
    (r"mistral|mixtral|ministral|codestral|magistral|pixtral|devstral", "mistral"),
    (r"qwen|qwq", "alibaba"),
    (r"deepseek", "deepseek"),
    (r"grok", "xai"),
    (r"^phi", "microsoft"),
    (r"smollm", "huggingface"),
    (r"^command|^aya", "cohere"),
    (r"kimi|moonshot", "moonshot"),
    (r"glm", "zhipu"),
]


def model_family(model_id: str) -> str | None:
    """The vendor family of a model id, from its name (``vllm/Qwen/Qwen2.5-7B`` -> alibaba)."""
    provider, _, name = model_id.partition("/")
    for part in reversed([p.lower() for p in name.split("/") if p]):
        for pattern, family in _FAMILIES:
            if re.search(pattern, part):
                return family
    if provider == "openai" and name:
        return "openai"
    return None


def same_family(a: str, b: str) -> bool:
    """True when two model ids come from the same family/vendor (judge vs agent warning).

    Unknown families compare by organisation (``org/model`` names) and otherwise by
    exact model name, so an unrecognised model still matches itself.
    """
    fa, fb = model_family(a), model_family(b)
    if fa and fb:
        return fa == fb
    na, nb = a.partition("/")[2].lower(), b.partition("/")[2].lower()
    if "/" in na and "/" in nb:
        return na.split("/")[0] == nb.split("/")[0]
    return na == nb
