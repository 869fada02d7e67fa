"""Document handling for the review app, on top of :mod:`core.documents`.

Everything a reviewer's browser gets from a file goes through here, and comes out
blind: page images (PNG bytes, which carry no metadata), extracted text, and a scrubbed
copy for download stored under a content-hash name. Errors from the document layer name
the file's path, and the path names the run, so they are logged on the server and the
reviewer sees only a neutral sentence ("the preview of this docx file failed").

Work on one file is serialised by a per-file lock, so the page and the background
pre-render of the next pair never render the same file twice at once; the renderer's own
cache makes the second call cheap.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from core.config import cache_dir
from core.documents import DocumentError, extract_text, get_renderer, scrub_copy
from core.documents import self_identification as find_self_identification
from core.documents.self_id import terms_file
from core.files import sha256_file

log = logging.getLogger("occubench.review")

MAX_PAGES = 30
PREVIEW_DPI = 100
MAX_TEXT_CHARS = 60_000

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(key: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


@dataclass(frozen=True)
class Preview:
    """What the browser may see of one file. ``pages`` and ``download`` are server paths
    whose names are content hashes; only their bytes are ever sent."""

    file_type: str
    pages: tuple[Path, ...]
    render_error: str | None
    text: str
    text_truncated: bool
    text_error: str | None
    download: Path | None
    download_error: str | None


def render_pages(path: Path, file_type: str) -> tuple[tuple[Path, ...], str | None]:
    """Page images, or a neutral reason why there are none (a failure, never 'empty')."""
    try:
        pages = get_renderer().to_pngs(path, dpi=PREVIEW_DPI, max_pages=MAX_PAGES)
    except DocumentError as exc:
        log.warning("render failed for %s: %s", path, exc)
        return (), f"The preview of this {file_type} file failed: it could not be rendered."
    except Exception:  # a bug or a hostile file must not take the page down
        log.exception("render crashed for %s", path)
        return (), f"The preview of this {file_type} file failed."
    if not pages:
        return (), f"The preview of this {file_type} file failed: no page was produced."
    return tuple(Path(p) for p in pages), None


def text_of(path: Path, file_type: str) -> tuple[str, bool, str | None]:
    try:
        ext = extract_text(path, max_chars=MAX_TEXT_CHARS)
    except DocumentError as exc:
        log.warning("text extraction failed for %s: %s", path, exc)
        return "", False, f"The text of this {file_type} file could not be read."
    except Exception:
        log.exception("text extraction crashed for %s", path)
        return "", False, f"The text of this {file_type} file could not be read."
    if ext.error:
        log.warning("text extraction failed for %s: %s", path, ext.error)
        return ext.text or "", bool(ext.truncated), (
            f"The text of this {file_type} file could not be fully read.")
    return ext.text or "", bool(ext.truncated), None


def scrubbed_copy(path: Path, file_type: str, digest: str) -> tuple[Path | None, str | None]:
    """A metadata-free copy named by content hash (cached), or why there is none."""
    out_dir = cache_dir() / "review" / "scrubbed"
    out_dir.mkdir(parents=True, exist_ok=True)
    dest = out_dir / f"{digest[:32]}.{file_type}"
    if dest.exists():
        return dest, None
    try:
        scrub_copy(path, dest)
    except DocumentError as exc:
        log.warning("scrubbing failed for %s: %s", path, exc)
        return None, ("Download unavailable: the file's metadata could not be removed, so it "
                      "is not offered.")
    except Exception:
        log.exception("scrubbing crashed for %s", path)
        return None, ("Download unavailable: the file's metadata could not be removed, so it "
                      "is not offered.")
    return dest, None


_previews: OrderedDict[tuple[str, str], Preview] = OrderedDict()
_PREVIEW_CACHE = 256


def preview(path: Path, file_type: str, digest: str | None = None) -> Preview:
    """Pages, text and scrubbed download of one file, kept in memory by content hash so
    the reruns of a page (one per click) cost nothing."""
    digest = digest or sha256_file(path)
    key = (digest, file_type)
    with _lock_for(digest):
        if key in _previews:
            _previews.move_to_end(key)
            return _previews[key]
        pages, render_error = render_pages(path, file_type)
        text, truncated, text_error = text_of(path, file_type)
        download, download_error = scrubbed_copy(path, file_type, digest)
        result = Preview(file_type, pages, render_error, text, truncated, text_error,
                         download, download_error)
        with _locks_guard:
            _previews[key] = result
            while len(_previews) > _PREVIEW_CACHE:
                _previews.popitem(last=False)
    return result


def self_identification(path: Path, names: tuple[str, ...] = ()) -> list:
    """Phrases in the file's text by which a model might name itself (for admins):
    the built-in patterns, the admin's terms file, and ``names`` (the models and runs
    under review, which a deliverable may well spell out)."""
    terms = terms_file()
    extra = terms.read_text(errors="replace").splitlines() if terms.is_file() else []
    ext = extract_text(path, max_chars=MAX_TEXT_CHARS)
    return list(find_self_identification(ext.text or "", extra=[*extra, *names]))
