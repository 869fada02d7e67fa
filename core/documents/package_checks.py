"""Checks of OOXML packages (docx/xlsx/pptx) before any library opens them: see
:mod:`core.documents.safety` for the why; :func:`check_ooxml` is called by
:func:`core.documents.safety.check_file`.

- the zip's central directory: member count, total uncompressed size, per-member
  compression ratio, ``..`` or absolute member names, zips nested more than one level;
- the prolog of every XML part, parsed by defusedxml with DTDs forbidden: a DTD is never
  legitimate in OOXML, and refusing it stops entity bombs and external entities;
- the cells of every worksheet, counted by streaming its XML (a ``<dimension>`` may lie);
- password-protected packages: a CFB container holding an ``EncryptedPackage`` stream.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from core.documents.safety import (
    MB,
    DocumentError,
    Limits,
    default_limits,
    file_type,
    label,
    short,
    time_limit,
)

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


def check_ooxml(path: Path, *, limits: Limits | None = None) -> None:
    """Zip structure, XML prologs and worksheet sizes of a docx/xlsx/pptx package."""
    limits = limits or default_limits()
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(CFB_MAGIC):
        if _is_encrypted_cfb(path):
            raise DocumentError(
                f"Document {label(path)} is password-protected (encrypted); "
                "provide an unprotected copy."
            )
        raise DocumentError(
            f"Document {label(path)} is an old binary Office file, not an OOXML "
            f".{file_type(path)} package; save it in the current format."
        )
    if not head.startswith(ZIP_MAGIC):
        raise DocumentError(
            f"Document {label(path)} is not a valid .{file_type(path)} file "
            "(it is not a zip package)."
        )
    with _open_zip(path) as zf:
        check_zip(zf, path, limits=limits, depth=0)
        with time_limit(limits.time_limit_s, path):
            for info in zf.infolist():
                lower = info.filename.lower()
                if lower.endswith(_XML_SUFFIXES):
                    _check_xml_prolog(zf, info, path)
                if _SHEET_PART.match(info.filename):
                    _check_sheet_cells(zf, info, path, limits)


@contextlib.contextmanager
def _open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise DocumentError(
            f"Document {label(path)} is corrupt or truncated (unreadable zip package: "
            f"{short(exc, 80)})."
        ) from None
    try:
        yield zf
    finally:
        zf.close()


def check_zip(zf: zipfile.ZipFile, path: Path, *, limits: Limits, depth: int) -> None:
    """Member count, names, sizes and ratios from the central directory, then nested zips."""
    infos = zf.infolist()
    where = f"Document {label(path)}" + (" contains an embedded package that" if depth else "")
    if len(infos) > limits.max_members:
        raise DocumentError(
            f"{where} has too many parts ({len(infos):,}; the limit is {limits.max_members:,})."
        )
    total = 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in name.split("/"):
            raise DocumentError(f"{where} has an unsafe part name ({name[:60]!r}).")
        total += info.file_size
        if (
            info.file_size > limits.ratio_floor_bytes
            and info.file_size > limits.max_ratio * max(info.compress_size, 1)
        ):
            raise DocumentError(
                f"{where} looks like a zip bomb (part {name[:60]!r} expands "
                f"{info.file_size / max(info.compress_size, 1):,.0f}-fold)."
            )
    if total > limits.max_uncompressed_bytes:
        raise DocumentError(
            f"{where} expands to {total / MB:,.0f} MB, over the "
            f"{limits.max_uncompressed_bytes / MB:,.0f} MB limit."
        )
    for info in infos:
        if info.file_size < 4 or info.is_dir():
            continue
        try:
            with zf.open(info) as member:
                magic = member.read(4)
        except Exception as exc:
            raise DocumentError(
                f"Document {label(path)} is corrupt (part {info.filename[:60]!r}: "
                f"{short(exc, 80)})."
            ) from None
        if magic != ZIP_MAGIC:
            continue
        if depth >= 1:
            raise DocumentError(
                f"Document {label(path)} has zip archives nested more than one level deep."
            )
        data = zf.read(info)
        try:
            inner = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            continue  # an opaque blob that happens to start with PK: never opened by us
        with inner:
            check_zip(inner, path, limits=limits, depth=depth + 1)


class _PrologDone(Exception):
    """Raised at the root element: the prolog (where a DTD would be) is over."""


class _StopAtRoot:
    def start(self, tag: str, attrib: dict) -> None:
        raise _PrologDone

    def end(self, tag: str) -> None: ...
    def data(self, data: str) -> None: ...
    def close(self) -> None: ...


def _check_xml_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    """Parse an XML part up to its root element with DTDs and entities forbidden."""
    parser = DefusedXMLParser(
        target=_StopAtRoot(), forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    read = 0
    try:
        with zf.open(info) as member:
            while chunk := member.read(64 * 1024):
                read += len(chunk)
                parser.feed(chunk)
                if read > 4 * MB:  # a prolog this long is itself hostile
                    raise DocumentError(
                        f"Document {label(path)} has an XML part ({info.filename[:60]!r}) "
                        "with an oversized prolog."
                    )
    except _PrologDone:
        return
    except DefusedXmlException:
        raise DocumentError(
            f"Document {label(path)} has an XML part ({info.filename[:60]!r}) declaring a "
            "DTD or entities (possible entity bomb), which Office files never need."
        ) from None
    except DocumentError:
        raise
    except Exception as exc:
        raise DocumentError(
            f"Document {label(path)} has a malformed XML part ({info.filename[:60]!r}: "
            f"{short(exc, 80)})."
        ) from None


def _check_sheet_cells(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, limits: Limits
) -> None:
    """Count the ``<c>`` elements of a worksheet by streaming its XML (cheap, and exact
    where a ``<dimension>`` element may lie or be missing)."""
    cells = 0
    carry = b""
    with zf.open(info) as member:
        while chunk := member.read(1 * MB):
            buf = carry + chunk
            cut = buf.rfind(b"<")
            body, carry = (buf[:cut], buf[cut:]) if cut > 0 else (buf, b"")
            cells += len(_CELL_TAG.findall(body))
            if cells > limits.max_sheet_cells:
                raise DocumentError(
                    f"Document {label(path)} has a sheet with more than "
                    f"{limits.max_sheet_cells:,} cells (the limit); split or trim it."
                )
    cells += len(_CELL_TAG.findall(carry))
    if cells > limits.max_sheet_cells:
        raise DocumentError(
            f"Document {label(path)} has a sheet with more than "
            f"{limits.max_sheet_cells:,} cells (the limit); split or trim it."
        )


def _is_encrypted_cfb(path: Path) -> bool:
    """An encrypted OOXML file is a CFB container with an ``EncryptedPackage`` stream
    (directory entry names are UTF-16LE)."""
    marker = "EncryptedPackage".encode("utf-16-le")
    with path.open("rb") as fh:
        return marker in fh.read()
