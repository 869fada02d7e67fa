"""How agent code is confined: the sandbox levels, which one works on this machine, and
the command line and environment each level runs a script with.

``bwrap`` builds an empty root holding the system libraries, the interpreter and the
promised packages read-only and the sample's work dir read-write (its ``inputs/``
read-only), in new mount, PID, network, IPC and UTS namespaces; ``netns`` wraps the
interpreter in ``unshare -n``; ``rlimits`` runs it as it is. In every case the script
arrives on stdin and a small bootstrap (``_BOOT``) drops to ``nobody`` when asked, then
runs it as ``main.py`` in the work dir. :mod:`runner.sandbox` starts the process, applies
the resource limits and supervises it.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import subprocess
import sys
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
                argv, _inner = command(level, work)
                env = sandbox_env(level, _inner, sandbox_uid(level))
                chown_tree(work, sandbox_uid(level))
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


def sandbox_uid(level: SandboxLevel) -> int | None:
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
    # /tmp is normally a symlink into the work dir, so temporary files count against it.
    # An interpreter installed under /tmp (a clone or venv there) cannot sit behind that
    # symlink: mount the work dir's tmp on /tmp first and the interpreter on top of it.
    tmp_holds_python = any(r.is_relative_to("/tmp") for r in roots)
    if tmp_holds_python:
        (work / TMP_DIR).mkdir(exist_ok=True)
        argv += ["--bind", str(work / TMP_DIR), "/tmp"]
        made.add("/tmp")
    for root in roots:
        for parent in reversed(root.parents):
            if str(parent) not in made:
                argv += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))
        argv += ["--ro-bind", str(root), str(root)]
    argv += ["--bind", str(work), inner]
    if (work / INPUTS_DIR).is_dir():
        argv += ["--ro-bind", str(work / INPUTS_DIR), f"{inner}/{INPUTS_DIR}"]
    if not tmp_holds_python:
        argv += ["--symlink", f"{inner}/{TMP_DIR}", "/tmp"]
    argv += ["--proc", "/proc", "--dev", "/dev", "--chdir", inner]
    return argv, inner


def command(level: SandboxLevel, work: Path) -> tuple[list[str], str]:
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


def sandbox_env(level: SandboxLevel, inner: str, uid: int | None) -> dict[str, str]:
    """The whole environment of the script (nothing of the runner's leaks in)."""
    tmp = f"{inner}/{TMP_DIR}"
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": inner, "TMPDIR": tmp, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "MPLBACKEND": "Agg", "MPLCONFIGDIR": tmp,
    }
    if uid is not None:
        env["OCCUBENCH_SANDBOX_UID"] = str(uid)
    return env


def chown_tree(root: Path, uid: int | None, gid: int | None = None) -> None:
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
