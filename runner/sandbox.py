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
to exercise the fallbacks).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib.util
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from core.errors import UserError

NOBODY = 65534
INPUTS_DIR = "inputs"
TMP_DIR = ".tmp"
# The packages agent code is promised; their site-packages are bound into the sandbox.
PROMISED_PACKAGES = ("docx", "openpyxl", "pptx", "reportlab", "lxml", "PIL", "pdfplumber",
                     "pypdf", "numpy", "pandas")

_BOOT = """\
import os, sys
uid = int(os.environ.pop("OCCUBENCH_SANDBOX_UID", "-1"))
if uid >= 0 and os.getuid() == 0:
    os.setgroups([]); os.setresgid(uid, uid, uid); os.setresuid(uid, uid, uid)
src = sys.stdin.read()
sys.stdin.close()
sys.stdin = open(os.devnull)
sys.argv = ["main.py"]
sys.path.insert(0, os.getcwd())
exec(compile(src, "main.py", "exec"), {"__name__": "__main__"})
"""


class SandboxLevel(StrEnum):
    BWRAP = "bwrap"
    NETNS = "netns"
    RLIMITS = "rlimits"


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


# -- level detection -------------------------------------------------------------------


@functools.cache
def detect_level() -> SandboxLevel:
    """The strongest level that works here (probed by running Python under it)."""
    forced = os.environ.get("OCCUBENCH_SANDBOX", "auto").lower()
    if forced != "auto":
        try:
            return SandboxLevel(forced)
        except ValueError:
            raise UserError(f"OCCUBENCH_SANDBOX={forced!r} is not one of auto, bwrap, netns, "
                            "rlimits") from None
    # locating the promised packages (not importing them: that takes seconds) proves
    # the interpreter and its site-packages are visible inside
    probe = ("import importlib.util as u; print('ok' if all(u.find_spec(m) for m in "
             "('docx', 'openpyxl', 'pptx', 'reportlab')) else 'missing')")
    for level in (SandboxLevel.BWRAP, SandboxLevel.NETNS):
        try:
            with _probe_dir() as work:
                argv, _inner = _command(level, work)
                env = _env(level, _inner, sandbox_uid=_sandbox_uid(level))
                _chown_tree(work, _sandbox_uid(level))
                out = subprocess.run(argv, input=probe, capture_output=True, text=True,
                                     env=env, timeout=60, check=False)
            if out.returncode == 0 and out.stdout.strip() == "ok":
                return level
        except (OSError, subprocess.SubprocessError):
            continue
    return SandboxLevel.RLIMITS


@contextlib.contextmanager
def _probe_dir():
    import tempfile

    with tempfile.TemporaryDirectory(prefix="occubench-sbx-") as d:
        yield Path(d)


# -- command construction --------------------------------------------------------------


def _sandbox_uid(level: SandboxLevel) -> int | None:
    """Drop to nobody inside bwrap when we are root (RLIMIT_NPROC does not bind root)."""
    return NOBODY if level == SandboxLevel.BWRAP and os.geteuid() == 0 else None


def _python_roots() -> list[Path]:
    """Directories that must be visible (read-only) for the interpreter and packages."""
    roots = {Path(p).resolve() for p in (sys.base_prefix, sys.base_exec_prefix, sys.prefix,
                                         sys.exec_prefix)}
    roots.add(Path(sys.executable).parent.resolve())
    for name in PROMISED_PACKAGES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec and spec.origin:
            roots.add(Path(spec.origin).resolve().parent.parent)
    kept: list[Path] = []
    for r in sorted(roots, key=lambda p: len(p.parts)):
        if r == Path("/usr") or r.is_relative_to("/usr"):
            continue
        if not any(r.is_relative_to(k) for k in kept):
            kept.append(r)
    return kept


def _inner_dir(roots: list[Path]) -> str:
    for candidate in ("/work", "/workspace", "/sandbox/work"):
        if not any(r.is_relative_to(candidate) for r in roots):
            return candidate
    raise RuntimeError("no free mount point for the work dir")


def _bwrap_argv(work: Path) -> tuple[list[str], str]:
    roots = _python_roots()
    inner = _inner_dir(roots)
    argv = ["bwrap", "--die-with-parent", "--new-session", "--unshare-net", "--unshare-pid",
            "--unshare-ipc", "--unshare-uts", "--hostname", "sandbox"]
    if os.geteuid() != 0:
        argv.append("--unshare-user")
    argv += ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        p = Path(top)
        if p.is_symlink():
            argv += ["--symlink", os.readlink(p), top]
        elif p.is_dir():
            argv += ["--ro-bind", top, top]
    for f in ("/etc/ld.so.cache", "/etc/localtime"):
        if Path(f).exists():
            argv += ["--ro-bind", f, f]
    made: set[str] = {"/", "/usr", "/etc"}
    for root in roots:
        for parent in reversed(root.parents):
            if str(parent) not in made:
                argv += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))
        argv += ["--ro-bind", str(root), str(root)]
    argv += ["--bind", str(work), inner]
    if (work / INPUTS_DIR).is_dir():
        argv += ["--ro-bind", str(work / INPUTS_DIR), f"{inner}/{INPUTS_DIR}"]
    argv += ["--symlink", f"{inner}/{TMP_DIR}", "/tmp", "--proc", "/proc", "--dev", "/dev",
             "--chdir", inner]
    return argv, inner


def _command(level: SandboxLevel, work: Path) -> tuple[list[str], str]:
    """The argv that runs the bootstrap (reading the script on stdin) and the work dir
    path as the script sees it."""
    python = [sys.executable, "-I", "-c", _BOOT]
    if level == SandboxLevel.BWRAP:
        argv, inner = _bwrap_argv(work)
        return argv + python, inner
    if level == SandboxLevel.NETNS:
        unshare = ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-r", "-n"]
        return unshare + python, str(work)
    return python, str(work)


def _env(level: SandboxLevel, inner: str, sandbox_uid: int | None) -> dict[str, str]:
    tmp = f"{inner}/{TMP_DIR}"
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": inner, "TMPDIR": tmp, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg", "MPLCONFIGDIR": tmp,
    }
    if sandbox_uid is not None:
        env["OCCUBENCH_SANDBOX_UID"] = str(sandbox_uid)
    return env


def _chown_tree(root: Path, uid: int | None, gid: int | None = None) -> None:
    """Give the work dir (not its read-only inputs) to ``uid``; no-op when None."""
    if uid is None:
        return
    gid = uid if gid is None else gid
    os.chown(root, uid, gid)
    for dirpath, dirnames, filenames in os.walk(root):
        if Path(dirpath) == root and INPUTS_DIR in dirnames:
            dirnames.remove(INPUTS_DIR)
        for name in dirnames + filenames:
            with contextlib.suppress(FileNotFoundError):
                os.chown(os.path.join(dirpath, name), uid, gid, follow_symlinks=False)


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

    @property
    def contained(self) -> list[str]:
        """What this level contains, for reports and the README."""
        base = ["cpu time", "memory", "file size", "open files", "wall time", "disk quota",
                "output size"]
        if self.level == SandboxLevel.BWRAP:
            return base + ["process count", "network", "filesystem (work dir only)", "pids"]
        nproc = [] if os.geteuid() == 0 else ["process count"]
        if self.level == SandboxLevel.NETNS:
            return base + nproc + ["network"]
        return base + nproc

    async def run_python(self, code: str, work: Path,
                         limits: SandboxLimits | None = None) -> SandboxResult:
        """Run ``code`` with ``work`` as its current directory; never raises for bad code."""
        lim = limits or self.limits
        work = work.resolve()
        (work / TMP_DIR).mkdir(parents=True, exist_ok=True)
        uid = _sandbox_uid(self.level)
        argv, inner = _command(self.level, work)
        env = _env(self.level, inner, uid)
        _chown_tree(work, uid)
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
            _chown_tree(work, os.getuid() if uid is not None else None, os.getgid())
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
