"""Reading a task's input files for the agent: text for documents, a description (name,
size, pixels) for images, through ``core.documents.extract_text``, the extractor the
graders use too. A file that cannot be read becomes a message for the model, never an
exception: the agent can carry on with the other inputs."""

from __future__ import annotations

from pathlib import Path

from core.documents import extract_text
from core.documents.extract import IMAGE_TYPES


def read_text(path: Path, max_chars: int = 60_000) -> tuple[str, bool]:
    """``(text, truncated)``; an unreadable file gives a bracketed explanation."""
    try:
        ex = extract_text(path, max_chars=max_chars)
    except Exception as exc:  # DocumentError, and anything a hostile file provokes
        return f"[cannot read {path.name}: {exc}]", False
    text = ex.text
    if ex.file_type in IMAGE_TYPES:
        text = f"[{path.name}: {text}, {path.stat().st_size:,} bytes]"
    if ex.error:
        text += f"\n[note: {ex.error}]"
    return text, ex.truncated
