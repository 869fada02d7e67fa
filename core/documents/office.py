"""LibreOffice for one renderer: a private profile, and either a warm ``soffice`` driven
over UNO or a cold ``soffice --convert-to`` per file.

The warm backend keeps ``soffice --accept=pipe,...`` running and converts through a small
helper process (:mod:`core.documents.uno_worker`, run by the system Python that has
Debian's ``python3-uno``) spoken to in JSON lines; the cold one pays LibreOffice's start-up
on every file (see :mod:`core.documents.render` for the measurements and the why). Both
run their processes in their own process groups so that a timeout or a crash kills all of
LibreOffice's forks, and every failure is a :class:`RenderError` naming the file.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from functools import cache
from pathlib import Path

from core.documents.safety import DocumentError, label, short

WORKER = Path(__file__).with_name("uno_worker.py")
# Seeded into each private profile before LibreOffice first starts. Without the first
# setting LibreOffice fetches externally linked images (r:link to any URL) while
# rendering, so a deliverable could make the grader call out to a URL of its choosing;
# the second refuses macros outright (loads also pass MacroExecutionMode=NEVER).
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop
 oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop
 oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


class RenderError(DocumentError):
    """A document could not be rendered; the message names the file and the reason."""


OFFICE_PACKAGES = ("libreoffice-writer-nogui", "libreoffice-calc-nogui",
                   "libreoffice-impress-nogui", "python3-uno")
INSTALL_OFFICE = ("install it with `make setup` (Debian/Ubuntu: sudo apt-get install "
                  f"--no-install-recommends {' '.join(OFFICE_PACKAGES)})")
OFFICE_MISSING = "LibreOffice is not installed"  # the start of OfficeMissingError's message


class OfficeMissingError(RenderError):
    """No ``soffice`` to render with: the machine's fault, never the document's."""

    def __init__(self, why: str) -> None:
        where = os.environ.get("OCCUBENCH_SOFFICE")
        found = f" (OCCUBENCH_SOFFICE={where} was not found)" if where else \
            " (no soffice on PATH)"
        super().__init__(f"{OFFICE_MISSING}{found}; it is needed to {why}: {INSTALL_OFFICE}")


@cache
def uno_python() -> str | None:
    """The system Python that can ``import uno`` (``$OCCUBENCH_UNO_PYTHON`` or
    ``/usr/bin/python3``), or None."""
    candidate = os.environ.get("OCCUBENCH_UNO_PYTHON", "/usr/bin/python3")
    if not Path(candidate).exists():
        return None
    try:
        done = subprocess.run([candidate, "-I", "-c", "import uno"], capture_output=True,
                              timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return candidate if done.returncode == 0 else None


def soffice_path() -> str | None:
    return shutil.which(os.environ.get("OCCUBENCH_SOFFICE", "soffice"))


class LibreOffice:
    """The office processes and private profile behind one
    :class:`core.documents.render.Renderer`; not thread-safe (the renderer serialises
    its calls)."""

    def __init__(self, backend: str, *, startup_timeout_s: float = 60.0) -> None:
        if backend not in ("uno", "cli"):
            raise ValueError(f"unknown render backend {backend!r}")
        self.backend = backend
        self.startup_timeout_s = startup_timeout_s
        self.starts = 0  # office processes started
        self.home = Path(tempfile.mkdtemp(prefix="occubench-lo-"))
        (self.home / "profile" / "user").mkdir(parents=True)
        (self.home / "profile" / "user" / "registrymodifications.xcu").write_text(
            PROFILE_SETTINGS)
        self.office: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self._buf = b""

    def new_job(self) -> Path:
        """A fresh private folder for one conversion's input and output."""
        job = self.home / "jobs" / uuid.uuid4().hex
        job.mkdir(parents=True)
        return job

    def convert(self, original: Path, src: Path, dest: Path, target: str,
                timeout_s: float) -> None:
        """Convert ``src`` (a private copy of ``original``, which names it in errors) to
        ``dest`` as ``target`` (``pdf`` or ``xlsx``) within ``timeout_s``."""
        if self.backend == "uno":
            self._convert_uno(original, src, dest, target, timeout_s)
        else:
            self._convert_cli(original, src, dest, target, timeout_s)

    def close(self) -> None:
        """Stop LibreOffice and remove the private profile."""
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)

    # --- the warm UNO backend -------------------------------------------------------

    def _convert_uno(self, original: Path, src: Path, dest: Path, target: str,
                     timeout_s: float) -> None:
        self._ensure_started()
        request = {"src": str(src), "dest": str(dest), "target": target}
        worker = self.worker
        try:
            assert worker is not None and worker.stdin is not None
            worker.stdin.write((json.dumps(request) + "\n").encode())
            worker.stdin.flush()
            reply = self._receive(timeout_s)
        except TimeoutError:
            self.stop()
            raise RenderError(f"Rendering {label(original)} took longer than "
                              f"{timeout_s:.0f} s; LibreOffice was stopped.") from None
        except (OSError, EOFError, ValueError) as exc:
            self.stop()
            raise RenderError(f"LibreOffice crashed while rendering {label(original)} "
                              f"({short(exc, 80)}).") from None
        if not reply.get("ok"):
            if reply.get("fatal"):
                self.stop()
            raise RenderError(f"LibreOffice could not render {label(original)}: "
                              f"{short(reply.get('error') or 'unknown error', 200)}.")

    def _ensure_started(self) -> None:
        if (self.worker is not None and self.worker.poll() is None
                and self.office is not None and self.office.poll() is None):
            return
        self.stop()
        soffice, python = soffice_path(), uno_python()
        if not soffice:
            raise OfficeMissingError("render documents")
        if not python:
            raise RenderError(f"python3-uno is not installed for the system Python; "
                              f"{INSTALL_OFFICE}.")
        pipe = f"occubench-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.starts += 1
        with (self.home / "office.log").open("ab") as log:
            self.office = subprocess.Popen(
                [soffice, f"-env:UserInstallation={(self.home / 'profile').as_uri()}",
                 "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
                 "--nolockcheck", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
            )
            self.worker = subprocess.Popen(
                [python, "-I", str(WORKER), pipe, str(self.startup_timeout_s)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, bufsize=0,
                start_new_session=True,
            )
        self._buf = b""
        try:
            hello = self._receive(self.startup_timeout_s + 5)
        except (TimeoutError, EOFError, ValueError, OSError) as exc:
            self.stop()
            raise RenderError(f"LibreOffice did not start ({short(exc, 80)}); see "
                              f"{self.home / 'office.log'}.") from None
        if not hello.get("ready"):
            self.stop()
            raise RenderError(f"LibreOffice did not start: {short(hello.get('error', '?'))}.")

    def _receive(self, timeout: float) -> dict:
        assert self.worker is not None and self.worker.stdout is not None
        fd = self.worker.stdout.fileno()
        end = time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no answer in {timeout:.0f} s")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                data = os.read(fd, 65536)
                if not data:
                    raise EOFError("the LibreOffice helper exited")
                self._buf += data
        line, _, self._buf = self._buf.partition(b"\n")
        return json.loads(line)

    def stop(self) -> None:
        """Kill the helper and office process groups (LibreOffice forks oosplash and
        soffice.bin; the group takes all of them)."""
        for proc in (self.worker, self.office):
            if proc is None:
                continue
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
        self.worker = self.office = None
        (self.home / "profile" / ".lock").unlink(missing_ok=True)

    # --- the cold command-line backend ----------------------------------------------

    def _convert_cli(self, original: Path, src: Path, dest: Path, target: str,
                     timeout_s: float) -> None:
        soffice = soffice_path()
        if not soffice:
            raise OfficeMissingError("render documents")
        spec = "pdf" if target == "pdf" else "xlsx:Calc MS Excel 2007 XML"
        out_dir = dest.parent / "out"
        out_dir.mkdir()
        self.starts += 1
        proc = subprocess.Popen(
            [soffice, f"-env:UserInstallation={(self.home / 'profile').as_uri()}",
             "--headless", "--norestore", "--nolockcheck", "--convert-to", spec,
             "--outdir", str(out_dir), str(src)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            output, _ = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise RenderError(f"Rendering {label(original)} took longer than "
                              f"{timeout_s:.0f} s; LibreOffice was stopped.") from None
        produced = out_dir / f"{src.stem}.{target}"
        if proc.returncode != 0 or not produced.exists():
            said = short(output.decode(errors="replace"), 160) if output else "no output"
            raise RenderError(f"LibreOffice could not render {label(original)} "
                              f"(exit {proc.returncode}: {said}).")
        produced.replace(dest)
