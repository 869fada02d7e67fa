"""The embedded model for real: llama.cpp's server with SmolLM2-135M on 127.0.0.1.

Marked ``local_model``; skipped with a reason when llama-cpp-python or the model wheel is
not installed. Prints wall time and tokens/s (run with ``-s`` to see them).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.errors import UserError
from core.llm import DEFAULT_LOCAL_MODEL, open_client
from core.llm import local as local_mod
from tests.support.local_model import needs_local_model

SCHEMA = {"type": "object", "properties": {
    "title": {"type": "string", "maxLength": 60},
    "bullets": {"type": "array", "maxItems": 3,
                "items": {"type": "string", "maxLength": 80}}},
    "required": ["title", "bullets"]}


@needs_local_model
def test_embedded_model_chat_and_json():
    async def go():
        t0 = time.monotonic()
        async with open_client() as client:
            started = time.monotonic() - t0
            assert client.model_id == DEFAULT_LOCAL_MODEL
            pid_url = client.endpoint.base_url
            chat = await client.chat(
                [{"role": "user", "content": "Name three uses of a spreadsheet."}],
                max_tokens=80, temperature=0)
            value, plan = await client.complete_json(
                [{"role": "system", "content": "Answer in JSON."},
                 {"role": "user", "content": "Plan a one-page memo about office budgets: a "
                  "title and up to three bullets."}], SCHEMA, max_tokens=200, attempts=3)
        return time.monotonic() - t0, started, pid_url, chat, value, plan

    wall, started, url, chat, value, plan = asyncio.run(go())
    assert chat.content and chat.usage.output_tokens > 0 and chat.cost_usd == 0.0
    assert isinstance(value["title"], str) and isinstance(value["bullets"], list)
    assert len(value["bullets"]) <= 3
    chat_tps = chat.usage.output_tokens / chat.latency_s
    json_tps = plan.usage.output_tokens / plan.latency_s
    print(f"\nembedded model: wall {wall:.1f}s (server ready in {started:.1f}s); "
          f"chat {chat.usage.output_tokens} tok in {chat.latency_s:.1f}s = {chat_tps:.0f} tok/s; "
          f"json {plan.usage.output_tokens} tok in {plan.latency_s:.1f}s = {json_tps:.0f} tok/s")
    # the server is gone: nothing listens on its port any more
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port)):
        pass


def test_missing_pieces_are_clear_errors(monkeypatch):
    with pytest.raises(UserError, match="not an embedded model"):
        local_mod.model_path("gpt-99")
    monkeypatch.setitem(local_mod.EMBEDDED_PACKAGES, "smollm2-135m", "no_such_model_pkg")
    with pytest.raises(UserError, match="make setup"):
        local_mod.model_path("smollm2-135m")
    monkeypatch.setattr(local_mod, "SERVER_MODULES", ("no_such_server_module",))
    with pytest.raises(UserError, match="make setup"):
        local_mod.check_server_installed()


@needs_local_model
def test_no_orphan_server_when_the_parent_is_killed(tmp_path):
    code = ("import sys, time\n"
            "from core.llm.local import LocalServer\n"
            "s = LocalServer(n_ctx=512).start()\n"
            "print(s.proc.pid, s.log_path, flush=True)\n"
            "time.sleep(600)\n")
    root = Path(__file__).resolve().parents[2]
    parent = subprocess.Popen([sys.executable, "-c", code], cwd=root, stdout=subprocess.PIPE,
                              text=True, env={**os.environ, "PYTHONPATH": str(root)})
    try:
        pid, log = parent.stdout.readline().split()
        child = int(pid)
        assert Path(f"/proc/{child}").exists()
    finally:
        parent.kill()  # SIGKILL: no atexit, no context manager exit
        parent.wait()
    deadline = time.monotonic() + 10
    while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    gone = not Path(f"/proc/{child}").exists() or \
        Path(f"/proc/{child}/stat").read_text().split()[2] == "Z"
    Path(log).unlink(missing_ok=True)  # its parent died before it could clean up
    assert gone, "the llama.cpp server outlived its parent"
