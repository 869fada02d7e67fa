"""What a judge reads of a set of files: extracted text within a budget, and page images.

Judges differ hugely in context size: the embedded SmolLM2 has 2,048 tokens, hosted
models hundreds of thousands. :func:`budget_for` picks character budgets per judge so a
prompt always fits; text cut to fit says so ("[truncated: ...]"), and a file whose text
cannot be extracted says that instead of looking empty. Digests are cached by file hash
and budget, so a gold deliverable compared against many candidates is read once.
"""

from __future__ import annotations

import asyncio
import base64
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from core.documents import DocumentError, RenderError, extract_text, get_renderer


class DigestFile(Protocol):
    name: str
    path: Path
    file_type: str


@dataclass(frozen=True)
class Budget:
    """Character and token limits for one judge model."""

    prompt_chars: int  # the client's request
    deliverable_chars: int  # all files of one submission together
    reference_chars: int  # all reference (input) files together
    note_chars: int  # maxLength of the judge's evidence / rationale
    max_tokens: int  # for the judge's answer
    image_pages: int  # page images per deliverable when the judge accepts images
    bounded: bool  # put maxLength in the answer schema (grammar-constrained local models
    #                loop without it; hosted strict modes may reject it, so we cut instead)


LOCAL_BUDGET = Budget(prompt_chars=1_500, deliverable_chars=2_400, reference_chars=600,
                      note_chars=160, max_tokens=160, image_pages=0, bounded=True)
REMOTE_BUDGET = Budget(prompt_chars=20_000, deliverable_chars=60_000, reference_chars=40_000,
                       note_chars=1_200, max_tokens=1_500, image_pages=4,
                       bounded=False)


def budget_for(model_id: str) -> Budget:
    """Small budgets for embedded local models (2k-token context), generous otherwise."""
    return LOCAL_BUDGET if model_id.startswith("local/") else REMOTE_BUDGET


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, saying so when cut."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n[truncated: showed {limit:,} of {len(text):,} characters]"


_cache: OrderedDict[tuple[str, int, int], str] = OrderedDict()
_CACHE_ENTRIES = 256  # a gold file compared against many candidates stays; the rest rotate


def _file_block(f: DigestFile, label: str, limit: int) -> str:
    path = Path(f.path)
    try:
        size = f"{path.stat().st_size:,} bytes"
        key = (str(path.resolve()), path.stat().st_mtime_ns, limit)
    except OSError as exc:
        return f"{label} ({f.file_type}): the file is missing ({exc.strerror})"
    if key not in _cache:
        try:
            ext = extract_text(path, max_chars=limit)
        except (DocumentError, OSError) as exc:
            body = f"[no text could be extracted: {exc}]"
        else:
            if ext.error:
                body = f"[no text could be extracted: {ext.error}]"
            else:
                body = ext.text if ext.text.strip() else "[the file contains no text]"
                if ext.truncated:
                    body += f"\n[truncated: only the first {limit:,} characters are shown]"
        _cache[key] = body
        while len(_cache) > _CACHE_ENTRIES:
            _cache.popitem(last=False)
    else:
        _cache.move_to_end(key)
    return f"{label} ({f.file_type}, {size}):\n{_cache[key]}"


def digest_text(files: Sequence[DigestFile], budget_chars: int, *,
                neutral_names: str | None = None) -> str:
    """The text of all files within ``budget_chars``, one block per file.

    ``neutral_names`` (e.g. "A") labels files "A-1.docx" instead of their real names, so a
    pairwise judge cannot tell gold from candidate by file name.
    """
    if not files:
        return "[no files were submitted]"
    per_file = max(200, budget_chars // len(files))
    blocks = []
    for i, f in enumerate(files, 1):
        label = (f"File {neutral_names}-{i}.{f.file_type}" if neutral_names
                 else f"File {i} of {len(files)}: {f.name}")
        blocks.append(_file_block(f, label, per_file))
    return "\n\n".join(blocks)


async def digest_text_async(files: Sequence[DigestFile], budget_chars: int, *,
                            neutral_names: str | None = None) -> str:
    """:func:`digest_text` off the event loop (extraction may start LibreOffice)."""
    return await asyncio.to_thread(digest_text, files, budget_chars,
                                   neutral_names=neutral_names)


def page_images(files: Sequence[DigestFile], max_pages: int) -> tuple[list[str], list[str]]:
    """PNG data URLs of the first pages of the files, and notes on renders that failed."""
    urls: list[str] = []
    notes: list[str] = []
    if max_pages <= 0:
        return urls, notes
    renderer = get_renderer()  # the process's warm LibreOffice, cached by file hash
    for f in files:
        if f.file_type not in ("pdf", "docx", "pptx", "xlsx", "png", "jpg", "jpeg"):
            continue
        left = max_pages - len(urls)
        if left <= 0:
            break
        try:
            if f.file_type in ("png", "jpg", "jpeg"):
                pngs = [Path(f.path)]
            else:
                pngs = renderer.to_pngs(Path(f.path), dpi=80, max_pages=left)
        except (RenderError, DocumentError, OSError) as exc:
            notes.append(f"page images of {f.file_type} file unavailable: {exc}")
            continue
        for png in pngs[:left]:
            mime = "image/jpeg" if png.suffix.lower() in (".jpg", ".jpeg") else "image/png"
            urls.append(f"data:{mime};base64," + base64.b64encode(png.read_bytes()).decode())
    return urls, notes
