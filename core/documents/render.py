"""Office documents to PDF and page PNGs through one warm LibreOffice per worker.

Why this design (measured on the 2-core dev machine with ``bench/render.py``): a cold
``soffice --headless --convert-to pdf`` pays LibreOffice's start-up on every file (median
2.0 s for a docx, 3.3 s for an xlsx, 2.5 s for a pptx). A ``soffice`` left running
with ``--accept=pipe,...`` and driven over UNO converts the same files in 0.15-0.33 s
once warm (8.9x faster overall), after a one-off start-up of about 3 s per worker.
Debian's ``python3-uno`` is built for the system ``/usr/bin/python3``, not for the
project's interpreter, so the UNO calls live in a small helper process
(:mod:`core.documents.uno_worker`) run by the system Python and spoken to in JSON
lines. Where ``uno`` is missing the renderer falls back to the cold command line (same
results, slower); ``backend`` says which is used.
Importing Debian's ``uno`` into the project's interpreter was ruled out: it would load
a second libpython into the process, and a LibreOffice crash would take the caller down.

Each :class:`Renderer` owns one LibreOffice user profile (two soffice processes on one
profile make the second exit silently; the profile is seeded so that LibreOffice does
not fetch externally linked content or run macros), serialises its conversions, and puts a time
limit on each: on timeout or crash it kills the office and helper process groups and
starts fresh on the next call. Every failure raises :class:`RenderError`; an output is
accepted only when pypdfium2 can open it and it has pages, so a failed render is never
passed on as an empty document. Inputs are copied to a private ``input.<ext>`` after
:func:`~core.documents.safety.check_file` and
:func:`~core.documents.normalise.normalised_copy`, so names never collide by stem.
Results are cached on disk by the file's sha256 (plus the options) under
``cache_dir()/render/``; the ``conversions`` counter counts LibreOffice jobs actually run.
This module is the cache, the checks and the public API; the office processes (profile,
warm UNO helper, cold command line) are :class:`core.documents.office.LibreOffice`.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
import threading
import uuid
from pathlib import Path

from core.config import cache_dir
from core.documents.normalise import normalised_copy
from core.documents.office import LibreOffice, RenderError, uno_python
from core.documents.pdf_images import pdf_pages, render_pages
from core.documents.safety import (
    DocumentError,
    Limits,
    check_file,
    default_limits,
    file_type,
    label,
    short,
)
from core.files import sha256_file

RENDER_VERSION = 1  # bump to invalidate cached renders after a change in how we render
OFFICE_TYPES = {"docx", "docm", "dotx", "xlsx", "xlsm", "xltx", "pptx", "pptm", "potx",
                "odt", "ods", "odp", "rtf"}
WORKBOOK_TYPES = {"xlsx", "xlsm", "xltx", "ods"}
IMAGE_TYPES = {"png", "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff"}


class Renderer:
    """One LibreOffice per worker; see the module docstring. Thread-safe (conversions
    are serialised); use one per process or per worker, and ``close()`` it."""

    def __init__(
        self,
        *,
        cache_root: Path | None = None,
        timeout_s: float | None = None,
        backend: str | None = None,
        limits: Limits | None = None,
    ):
        self.cache_root = Path(cache_root) if cache_root else cache_dir() / "render"
        self.timeout_s = timeout_s or float(os.environ.get("OCCUBENCH_RENDER_TIMEOUT_S", 120))
        self.limits = limits or default_limits()
        self.backend = backend or ("uno" if uno_python() else "cli")
        self.conversions = 0  # LibreOffice jobs run (cache misses)
        self._lock = threading.RLock()
        self._lo = LibreOffice(self.backend)
        self._closed = False

    @property
    def starts(self) -> int:
        """LibreOffice processes started so far."""
        return self._lo.starts

    # --- public API -----------------------------------------------------------------

    def to_pdf(self, path: Path) -> Path:
        """A PDF of ``path`` (a PDF is returned as it is, after the safety checks)."""
        path = Path(path)
        kind = check_file(path, limits=self.limits)
        if kind == "pdf":
            return path
        if kind not in OFFICE_TYPES:
            raise RenderError(f"Document {label(path)} is a .{kind} file, which cannot be "
                              "rendered to PDF.")
        return self._cached(path, kind, "document.pdf", "pdf")

    def recalculate_xlsx(self, path: Path) -> Path:
        """A copy of the workbook re-saved by LibreOffice with every formula calculated."""
        path = Path(path)
        kind = check_file(path, limits=self.limits)
        if kind not in WORKBOOK_TYPES:
            raise RenderError(f"Document {label(path)} is not a workbook; only workbooks "
                              "can be recalculated.")
        return self._cached(path, kind, "recalculated.xlsx", "xlsx")

    def to_pngs(self, path: Path, *, dpi: int = 100, max_pages: int = 30) -> list[Path]:
        """PNGs of the first ``max_pages`` pages (an image file becomes one PNG)."""
        path = Path(path)
        kind = file_type(path)
        if kind in IMAGE_TYPES:
            check_file(path, limits=self.limits)
            source = path
        else:
            source = self.to_pdf(path)
        dpi = max(20, min(int(dpi), 300))
        out_dir = self._entry(sha256_file(path), kind) / f"png-{dpi}dpi-{max_pages}p"
        cached = _read_manifest(out_dir)
        if cached is not None:
            return cached
        tmp = Path(tempfile.mkdtemp(prefix=".png-", dir=out_dir.parent))
        try:
            names = render_pages(source, tmp, dpi=dpi, max_pages=max_pages,
                                 is_image=kind in IMAGE_TYPES)
            (tmp / "pages.json").write_text(json.dumps(names))
            shutil.rmtree(out_dir, ignore_errors=True)
            try:
                tmp.rename(out_dir)
            except OSError:  # a concurrent worker finished first: its result is the same
                shutil.rmtree(tmp, ignore_errors=True)
        except DocumentError:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        except Exception as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise RenderError(f"Document {label(path)} could not be turned into page "
                              f"images: {short(exc)}.") from exc
        pages = _read_manifest(out_dir)
        if not pages:
            raise RenderError(f"Document {label(path)} produced no page images.")
        return pages

    def close(self) -> None:
        """Stop LibreOffice and remove the private profile. Safe to call twice."""
        with self._lock:
            self._lo.close()
            self._closed = True

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- caching --------------------------------------------------------------------

    def _entry(self, sha: str, kind: str) -> Path:
        d = self.cache_root / f"v{RENDER_VERSION}" / sha[:2] / f"{sha}.{kind}"
        d.mkdir(parents=True, exist_ok=True)
        return d

    def _cached(self, path: Path, kind: str, name: str, target: str) -> Path:
        final = self._entry(sha256_file(path), kind) / name
        if final.exists():
            return final
        with self._lock:
            if final.exists():
                return final
            if self._closed:
                raise RenderError("The renderer was closed; create a new one.")
            job = self._lo.new_job()
            try:
                src = normalised_copy(path, job / f"input.{kind}")
                dest = job / f"output.{target}"
                self.conversions += 1
                self._lo.convert(path, src, dest, target, self.timeout_s)
                _validate(path, dest, target)
                tmp = final.with_name(f".{uuid.uuid4().hex}.tmp")
                shutil.move(str(dest), tmp)
                os.replace(tmp, final)
            finally:
                shutil.rmtree(job, ignore_errors=True)
        return final

def _validate(original: Path, produced: Path, target: str) -> None:
    """Accept an output only if it exists, is non-empty and opens (with pages, for PDF)."""
    if not produced.exists() or produced.stat().st_size == 0:
        raise RenderError(f"LibreOffice produced no output for {label(original)}.")
    if target != "pdf":
        return
    try:
        pages = pdf_pages(produced)
    except Exception as exc:
        raise RenderError(f"LibreOffice produced an unreadable PDF for {label(original)} "
                          f"({short(exc, 80)}).") from None
    if pages < 1:
        raise RenderError(f"LibreOffice produced a PDF without pages for {label(original)}.")


def _read_manifest(out_dir: Path) -> list[Path] | None:
    manifest = out_dir / "pages.json"
    if not manifest.exists():
        return None
    pages = [out_dir / name for name in json.loads(manifest.read_text())]
    return pages if pages and all(p.exists() for p in pages) else None


_DEFAULT: dict[int, Renderer] = {}
_DEFAULT_LOCK = threading.Lock()


def get_renderer() -> Renderer:
    """This process's shared renderer (created on first use, closed at exit)."""
    pid = os.getpid()
    with _DEFAULT_LOCK:
        renderer = _DEFAULT.get(pid)
        if renderer is None or renderer._closed:
            renderer = _DEFAULT[pid] = Renderer()
            atexit.register(renderer.close)
        return renderer


def set_default_renderer(renderer: Renderer | None) -> None:
    """Make ``renderer`` this process's default (a worker that built its own, a test
    session); None forgets the current one without closing it."""
    with _DEFAULT_LOCK:
        if renderer is None:
            _DEFAULT.pop(os.getpid(), None)
        else:
            _DEFAULT[os.getpid()] = renderer
