"""Run agent-written Python in a separate, confined process.

What is contained depends on what the machine offers; :func:`detect_level` probes once
and every result says which level ran:

``bwrap``
    bubblewrap: new mount, PID, network, IPC and UTS namespaces. The filesystem is an
    empty root with the system libraries, the Python interpreter and its site-packages
    bound read-only and the sample's work dir bound read-write (its ``inputs/`` read-only);
    nothing else (not ``/etc/passwd``, not the repository, not other samples) is visible.
    No network (only a private loopback). When occubench runs as root the script drops to
    ``nobody`` inside, so the process-count limit applies (the kernel exempts root).
``netns``
    ``unshare -n``: no network, but the filesystem is visible with the runner's rights.
``rlimits``
    resource limits only.

At every level: CPU seconds, address space, file size, process count and open files are
capped with ``setrlimit``; a wall clock kills the whole process group (and, with bwrap,
the PID namespace); the work dir's total size is polled against a disk quota; captured
output is bounded. ``OCCUBENCH_SANDBOX=bwrap|netns|rlimits`` forces a level (tests use it
to exercise the fallbacks). The levels, their probe and the command line each one runs
are in :mod:`runner.confinement`; this module runs and supervises the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import shutil
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import UserError
from runner.confinement import (
    TMP_DIR,
    SandboxLevel,
    chown_tree,
    command,
    detect_level,
    sandbox_env,
    sandbox_uid,
)


@dataclass(frozen=True)
class SandboxLimits:
    """Per-execution limits (a suite's policy may override them)."""

    cpu_s: int = 60
    wall_s: float = 120.0
    memory_mb: int = 2048
    file_mb: int = 200
    disk_mb: int = 500
    nproc: int = 64
    nofile: int = 256
    output_chars: int = 20_000


@dataclass
class SandboxResult:
    exit_code: int | None
    stdout: str
    stderr: str
    level: SandboxLevel
    duration_s: float
    killed: str | None = None  # wall_time | cpu_time | file_size | disk_quota
    truncated: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and self.killed is None

    def describe(self) -> str:
        """A compact report for the model: status line, then the captured output."""
        if self.killed:
            status = f"stopped by the sandbox: {self.killed.replace('_', ' ')} limit reached"
        else:
            status = f"exit code {self.exit_code}"
        parts = [status]
        if self.stdout:
            parts.append(f"--- stdout ---\n{self.stdout}")
        if self.stderr:
            parts.append(f"--- stderr ---\n{self.stderr}")
        if self.truncated:
            parts.append("(output truncated)")
        return "\n".join(parts)


def _user_process_count() -> int:
    """Processes of our real uid: RLIMIT_NPROC counts them all outside a user namespace."""
    uid = os.getuid()
    n = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                n += entry.stat().st_uid == uid
    return n


def _nproc_limit(level: SandboxLevel, limit: int) -> int:
    if level == SandboxLevel.BWRAP or os.geteuid() == 0:
        return limit  # own user namespace or nobody: only the sandbox's processes count
    return _user_process_count() + limit


def _limits_preexec(limits: SandboxLimits, nproc: int):
    def apply() -> None:
        mb = 1024 * 1024
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 2))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb * mb, limits.memory_mb * mb))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_mb * mb, limits.file_mb * mb))
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        resource.setrlimit(resource.RLIMIT_NOFILE, (limits.nofile, limits.nofile))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def dir_bytes(root: Path) -> int:
    """Bytes allocated under ``root`` (sparse files count what they really use)."""
    total = 0
    stack = [root]
    while stack:
        d = stack.pop()
        try:
            with os.scandir(d) as it:
                for e in it:
                    try:
                        st = e.stat(follow_symlinks=False)
                    except FileNotFoundError:
                        continue
                    if e.is_dir(follow_symlinks=False):
                        stack.append(Path(e.path))
                    else:
                        total += st.st_blocks * 512
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            continue
    return total


class _Capture:
    """Keep the first ``limit`` characters of a stream and drain the rest."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.kept = 0
        self.dropped = 0

    async def pump(self, stream: asyncio.StreamReader) -> None:
        while chunk := await stream.read(65536):
            room = self.limit - self.kept
            if room > 0:
                self.parts.append(chunk[:room])
                self.kept += min(room, len(chunk))
            self.dropped += max(0, len(chunk) - max(room, 0))

    def text(self) -> str:
        return b"".join(self.parts).decode("utf-8", errors="replace")


def _killed_by(returncode: int | None) -> str | None:
    if returncode is None:
        return None
    sig = -returncode if returncode < 0 else returncode - 128 if returncode > 128 else 0
    return {signal.SIGXCPU: "cpu_time", signal.SIGXFSZ: "file_size"}.get(sig)


class Sandbox:
    """Runs Python source in a work dir under limits; one instance serves many samples."""

    def __init__(self, limits: SandboxLimits | None = None,
                 level: SandboxLevel | None = None) -> None:
        self.limits = limits or SandboxLimits()
        self.level = level or detect_level()
        if self.level == SandboxLevel.BWRAP and not shutil.which("bwrap"):
            raise UserError("the bwrap sandbox was requested but bubblewrap is not installed")

    async def run_python(self, code: str, work: Path,
                         limits: SandboxLimits | None = None) -> SandboxResult:
        """Run ``code`` with ``work`` as its current directory; never raises for bad code."""
        lim = limits or self.limits
        work = work.resolve()
        (work / TMP_DIR).mkdir(parents=True, exist_ok=True)
        uid = sandbox_uid(self.level)
        argv, inner = command(self.level, work)
        env = sandbox_env(self.level, inner, uid)
        chown_tree(work, uid)
        started = time.monotonic()
        out, err = _Capture(lim.output_chars), _Capture(max(lim.output_chars // 2, 1000))
        killed: str | None = None
        try:
            proc = await asyncio.create_subprocess_exec(
                *argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, env=env, cwd=str(work),
                start_new_session=True,
                preexec_fn=_limits_preexec(lim, _nproc_limit(self.level, lim.nproc)))
            try:
                killed = await self._supervise(proc, code, out, err, lim, work)
            finally:
                if proc.returncode is None:
                    _kill_group(proc.pid)
                    await proc.wait()
        finally:
            chown_tree(work, os.getuid() if uid is not None else None, os.getgid())
            shutil.rmtree(work / TMP_DIR, ignore_errors=True)
        killed = killed or _killed_by(proc.returncode)
        return SandboxResult(
            exit_code=proc.returncode, stdout=out.text(), stderr=err.text(),
            level=self.level, duration_s=time.monotonic() - started, killed=killed,
            truncated=bool(out.dropped or err.dropped))

    async def _supervise(self, proc: asyncio.subprocess.Process, code: str, out: _Capture,
                         err: _Capture, lim: SandboxLimits, work: Path) -> str | None:
        assert proc.stdin and proc.stdout and proc.stderr
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            proc.stdin.write(code.encode("utf-8"))
            await proc.stdin.drain()
        with contextlib.suppress(OSError):
            proc.stdin.close()
        pumps = asyncio.gather(out.pump(proc.stdout), err.pump(proc.stderr))
        deadline = time.monotonic() + lim.wall_s
        killed = None
        waiter = asyncio.ensure_future(proc.wait())
        while True:
            done, _ = await asyncio.wait({waiter}, timeout=0.25)
            if done:
                break
            if time.monotonic() >= deadline:
                killed = "wall_time"
            elif dir_bytes(work) > lim.disk_mb * 1024 * 1024:
                killed = "disk_quota"
            if killed:
                _kill_group(proc.pid)
                await waiter
                break
        try:
            await asyncio.wait_for(pumps, timeout=5)
        except TimeoutError:  # a grandchild escaped the group and holds the pipes
            pumps.cancel()
        return killed


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
