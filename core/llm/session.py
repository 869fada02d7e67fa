"""``open_client``: a ModelClient for a model id, with the embedded server when needed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from core.llm.client import ModelClient
from core.llm.local import DEFAULT_N_CTX, LocalServer
from core.llm.providers import DEFAULT_LOCAL_MODEL, is_embedded, resolve, split_model_id

EMBEDDED_TIMEOUT_S = 600.0


@asynccontextmanager
async def open_client(model_id: str | None = None, *, n_ctx: int = DEFAULT_N_CTX,
                      **kwargs: Any) -> AsyncIterator[ModelClient]:
    """A client for ``model_id`` (None: the embedded default model), closed on exit.

    For ``local/<name>`` with no ``LOCAL_BASE_URL`` and no ``base_url``, starts the
    embedded llama.cpp server first and stops it afterwards; its client sends one request
    at a time and defaults to ``timeout=600``, ``max_retries=1``. Other keyword
    arguments go to :class:`ModelClient`. Raises ``UserError`` for anything the user must fix.
    """
    model_id = model_id or DEFAULT_LOCAL_MODEL
    server: LocalServer | None = None
    if is_embedded(model_id, kwargs.get("base_url")):
        resolve(model_id)  # a clear error for an unknown embedded name
        server = LocalServer(split_model_id(model_id)[1], n_ctx=n_ctx)
        await server.astart()
        kwargs["base_url"] = server.base_url
        # a CPU model on a busy machine can be slow, and retrying its timeouts only
        # repeats the same work: wait longer, retry less (callers may still override)
        kwargs.setdefault("timeout", EMBEDDED_TIMEOUT_S)
        kwargs.setdefault("max_retries", 1)
    try:
        client = ModelClient(model_id, **kwargs)
        if server is not None:
            client.limit_concurrency(1)  # llama.cpp's server answers one request at a time
        try:
            yield client
        finally:
            await client.aclose()
    finally:
        if server is not None:
            server.stop()
