"""Speed of the embedded model server on this machine: start-up, plain and constrained
generation, prompt processing, memory. Prints figures; asserts nothing.

    .venv/bin/python bench/local_model.py [--n-ctx 8192] [--threads N]

The 1-minute load average is printed too: llama.cpp's threads meet at barriers many
times per token, so a busy machine slows it far more than its share of CPU suggests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.llm import ModelClient  # noqa: E402
from core.llm.local import LocalServer  # noqa: E402

SCHEMA = {"type": "object", "properties": {
    "title": {"type": "string", "maxLength": 60},
    "bullets": {"type": "array", "maxItems": 4, "items": {"type": "string", "maxLength": 100}}},
    "required": ["title", "bullets"]}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def measure(server: LocalServer) -> None:
    client = ModelClient("local/smollm2-135m", base_url=server.base_url, timeout=600)
    ask = [{"role": "user", "content": "Write a short paragraph about quarterly budgets."}]
    try:
        await client.chat(ask, max_tokens=8)  # warm-up
        for label, coro in [
            ("plain", lambda: client.chat(ask, max_tokens=128, temperature=0)),
            ("json+schema", lambda: client.complete_json(
                [{"role": "user", "content": "Plan a memo on budgets as JSON."}], SCHEMA,
                max_tokens=200, attempts=3)),
        ]:
            t = time.monotonic()
            result = await coro()
            resp = result[1] if isinstance(result, tuple) else result
            dt = time.monotonic() - t
            print(f"{label:12s} {resp.usage.output_tokens:4d} tokens in {dt:6.2f}s = "
                  f"{resp.usage.output_tokens / dt:5.1f} tok/s")
        for n_items in (60, 250):
            text = " ".join(f"line {i}: item {i} costs {i * 3} dollars." for i in range(n_items))
            t = time.monotonic()
            resp = await client.chat([{"role": "user", "content": text + "\nTotal?"}],
                                     max_tokens=1)
            dt = time.monotonic() - t
            print(f"prompt       {resp.usage.input_tokens:4d} tokens in {dt:6.2f}s = "
                  f"{resp.usage.input_tokens / dt:5.1f} tok/s (prompt processing)")
    finally:
        await client.aclose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n-ctx", type=int, default=8192)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    print(f"load average (1 min) before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    t = time.monotonic()
    with LocalServer(n_ctx=args.n_ctx, n_threads=args.threads) as server:
        print(f"server ready in {time.monotonic() - t:.2f}s (n_ctx {args.n_ctx}, "
              f"{server.n_threads} threads), RSS {rss_mb(server.proc.pid):.0f} MB")
        asyncio.run(measure(server))
        print(f"server RSS after: {rss_mb(server.proc.pid):.0f} MB")
    print(f"load average (1 min) after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
