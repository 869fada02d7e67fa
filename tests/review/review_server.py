"""Starting and stopping the real ``occubench review`` server for tests and benches."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

OCCUBENCH = Path(sys.executable).parent / "occubench"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(root: Path, env: dict[str, str], *, timeout: float = 60.0
                 ) -> tuple[subprocess.Popen, str]:
    """``occubench review --port P`` in its own process group; returns once healthy."""
    port = free_port()
    log = (root / "server.log").open("w")
    proc = subprocess.Popen([str(OCCUBENCH), "review", "--port", str(port)], env=env,
                            cwd=root, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    log.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            return proc, url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop_server(proc)
                raise RuntimeError("review server did not come up:\n"
                                   + (root / "server.log").read_text()[-3000:]) from None
            time.sleep(0.3)


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server's process group (Streamlit and the LibreOffice it started)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def cli(*args: str, env: dict[str, str], stdin: str | None = None) -> str:
    res = subprocess.run([str(OCCUBENCH), *args], env=env, input=stdin, text=True,
                         capture_output=True, timeout=120)
    if res.returncode != 0:
        raise RuntimeError(f"occubench {' '.join(args)} failed: {res.stderr}")
    return res.stdout
