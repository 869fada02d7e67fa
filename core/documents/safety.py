"""Guards that run before any document library touches a file.

Deliverables come from AI agents and reference files from the internet: either can be
hostile by accident or on purpose. python-docx, openpyxl, python-pptx, pdfplumber and
LibreOffice all trust their input, so every reader in this package calls
:func:`check_file` first. It looks at the bytes without building a document:

- the file size (default cap 50 MB);
- OOXML packages (docx/xlsx/pptx), in :mod:`core.documents.package_checks`: the zip's
  central directory (member count, total uncompressed size, per-member compression
  ratio, ``..`` or absolute member names, zips nested more than one level), the prolog
  of every XML part (a DTD is never legitimate in OOXML, and forbidding it stops entity
  bombs and external entities), the number of cells in each worksheet (counted from the
  sheet XML, not trusted from its ``<dimension>``), and password-protected packages (a
  CFB container holding an ``EncryptedPackage`` stream);
- PDFs: the header, encryption that needs a password, the page count (default cap 300).

Every failure is a :class:`DocumentError` (a ``UserError``): one bounded sentence naming
the file. Library code that could still spin runs under :func:`time_limit`, and
:func:`guarded` turns whatever a library raises into a ``DocumentError``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.errors import UserError

MB = 1 << 20
OOXML_TYPES = {"docx", "docm", "dotx", "xlsx", "xlsm", "xltx", "pptx", "pptm", "potx"}


class DocumentError(UserError):
    """A document could not be read safely: one sentence naming the file."""


@dataclass(frozen=True)
class Limits:
    """Caps applied to every file. ``from_env`` reads overrides such as
    ``OCCUBENCH_MAX_FILE_MB``, ``OCCUBENCH_MAX_PDF_PAGES``, ``OCCUBENCH_MAX_SHEET_CELLS``."""

    max_file_bytes: int = 50 * MB
    max_uncompressed_bytes: int = 300 * MB  # sum over a package's members
    max_ratio: float = 200.0  # per member, checked for members over ratio_floor_bytes
    ratio_floor_bytes: int = 5 * MB
    max_members: int = 10_000
    max_pdf_pages: int = 300
    max_sheet_cells: int = 200_000
    time_limit_s: float = 120.0  # wall time for one read by a library

    @classmethod
    def from_env(cls) -> Limits:
        def num(name: str, default: float) -> float:
            raw = os.environ.get(name)
            try:
                return float(raw) if raw else default
            except ValueError:
                raise UserError(f"{name}={raw!r} is not a number.") from None

        d = cls()
        return cls(
            max_file_bytes=int(num("OCCUBENCH_MAX_FILE_MB", d.max_file_bytes / MB) * MB),
            max_pdf_pages=int(num("OCCUBENCH_MAX_PDF_PAGES", d.max_pdf_pages)),
            max_sheet_cells=int(num("OCCUBENCH_MAX_SHEET_CELLS", d.max_sheet_cells)),
            time_limit_s=num("OCCUBENCH_DOC_TIME_LIMIT_S", d.time_limit_s),
        )


def default_limits() -> Limits:
    return Limits.from_env()


def label(path: Path) -> str:
    """The file's name, quoted and shortened so messages stay one bounded sentence."""
    name = path.name
    return repr(name if len(name) <= 80 else name[:60] + "..." + name[-17:])


def short(exc: BaseException | str, limit: int = 160) -> str:
    """An exception's message on one line, bounded, without a final full stop (the
    caller's sentence supplies it)."""
    text = " ".join(str(exc).split()).rstrip(".") or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def human_size(n: float) -> str:
    return f"{n / MB:,.1f} MB" if n >= MB / 10 else f"{n / 1024:,.0f} KB"


def file_type(path: Path) -> str:
    """The lower-case extension without the dot (``docx``, ``pdf``); ``""`` when none."""
    return path.suffix.lower().lstrip(".")


# --- entry point -----------------------------------------------------------------------


def check_file(path: Path, *, limits: Limits | None = None) -> str:
    """Check ``path`` before any library opens it; return its file type (extension)."""
    limits = limits or default_limits()
    path = Path(path)
    if not path.is_file():
        raise DocumentError(f"Document {label(path)} does not exist or is not a file.")
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise DocumentError(
            f"Document {label(path)} is too large to read ({human_size(size)}; "
            f"the limit is {human_size(limits.max_file_bytes)})."
        )
    kind = file_type(path)
    if kind in OOXML_TYPES:
        from core.documents.package_checks import check_ooxml

        check_ooxml(path, limits=limits)
    elif kind == "pdf":
        pdf_page_count(path, limits=limits)
    return kind


# --- PDF -------------------------------------------------------------------------------


def pdf_page_count(path: Path, *, limits: Limits | None = None) -> int:
    """Header, encryption and page cap of a PDF; returns the page count.

    A PDF encrypted with only an owner password (permissions) opens with the empty user
    password in every viewer, so it is accepted; one that needs a password is refused.
    """
    limits = limits or default_limits()
    with path.open("rb") as fh:
        if b"%PDF" not in fh.read(1024):
            raise DocumentError(f"Document {label(path)} is not a PDF (no %PDF header).")
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    with guarded(path, "read as a PDF", limits=limits):
        try:
            reader = PdfReader(path, strict=False)
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except Exception:
                    ok = 0
                if not ok:
                    raise DocumentError(
                        f"Document {label(path)} is an encrypted PDF that needs a password; "
                        "provide an unprotected copy."
                    )
            pages = len(reader.pages)
        except PdfReadError as exc:
            raise DocumentError(
                f"Document {label(path)} is a corrupt or truncated PDF ({short(exc, 80)})."
            ) from None
    if pages > limits.max_pdf_pages:
        raise DocumentError(
            f"Document {label(path)} has {pages:,} pages, over the "
            f"{limits.max_pdf_pages:,}-page limit."
        )
    if pages == 0:
        raise DocumentError(f"Document {label(path)} is a PDF with no pages.")
    return pages


# --- wall time and library errors --------------------------------------------------------


class Deadline:
    """A cooperative wall-time budget for loops over pages, rows or slides."""

    def __init__(self, seconds: float, path: Path):
        self.path = path
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise DocumentError(
                f"Reading document {label(self.path)} took longer than {self.seconds:.0f} s "
                "and was stopped."
            )


@contextlib.contextmanager
def time_limit(seconds: float, path: Path) -> Iterator[None]:
    """Interrupt pure-Python library code (pdfminer, openpyxl) that runs past ``seconds``.

    Uses ``SIGALRM`` in the main thread and keeps any outer alarm (pytest-timeout, an
    enclosing ``time_limit``) intact: when the outer one would fire first, it is left to
    do so. In other threads signals are unavailable and only the page, cell and size caps
    plus :class:`Deadline` checks apply.
    """
    if (
        seconds <= 0
        or threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "setitimer")
    ):
        yield
        return
    old_delay, old_interval = signal.getitimer(signal.ITIMER_REAL)
    if old_delay and old_delay <= seconds:
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise DocumentError(
            f"Reading document {label(path)} took longer than {seconds:.0f} s and was stopped."
        )

    started = time.monotonic()
    old_handler = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        if old_delay:
            left = max(old_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, old_interval)


@contextlib.contextmanager
def guarded(path: Path, action: str, *, limits: Limits | None = None) -> Iterator[None]:
    """Run library code under the time limit; anything it raises becomes a
    ``DocumentError`` saying the file could not be ``action`` (e.g. "read as a .docx")."""
    limits = limits or default_limits()
    try:
        with time_limit(limits.time_limit_s, path):
            yield
    except UserError:
        raise
    except MemoryError:
        raise DocumentError(
            f"Document {label(path)} needs too much memory to be {action}."
        ) from None
    except RecursionError:
        raise DocumentError(
            f"Document {label(path)} is nested too deeply to be {action}."
        ) from None
    except Exception as exc:
        raise DocumentError(
            f"Document {label(path)} could not be {action}: {short(exc)}."
        ) from exc
