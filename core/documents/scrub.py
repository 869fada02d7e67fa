"""Copies of deliverables for blind review, with the metadata that reveals who made them
removed; the caller picks the neutral destination name.

What goes, per format:

- docx/xlsx/pptx: ``docProps/core.xml`` is replaced by a neutral one (no creator,
  lastModifiedBy, title, subject, keywords, description, category, revision; created
  and modified set to 2000-01-01). The title is dropped too: it is invisible in the
  rendered document, and tools fill it with file names or author names ("Microsoft Word
  - jdoe_memo.docx"), so no rule can tell a neutral title from a revealing one.
  ``docProps/app.xml`` loses Application, AppVersion, Company, Manager, Template,
  HyperlinkBase (Application alone separates "Microsoft Office Word" from
  "python-docx"). Custom properties are emptied. Comment, tracked-change and people
  authors, initials and ids become "Reviewer"/"R"; revision dates become 2000-01-01. An
  attached template's file path (``C:\\Users\\name\\...``) is cut. Zip entry timestamps
  are normalised.
- PDF: the Info dictionary and the XMP metadata stream are removed (pypdf rewrites the
  file; the page content is untouched).
- PNG/JPEG and other images: re-encoded by Pillow without text chunks or EXIF.
- anything else (csv, txt, md, ...): copied as it is; its content is its content.

Content is never altered: a deliverable that names its maker in the text is flagged by
:func:`core.documents.self_id.self_identification`, not rewritten.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from defusedxml.ElementTree import fromstring as safe_fromstring

from core.documents.extract import IMAGE_TYPES
from core.documents.safety import OOXML_TYPES, Limits, check_file, guarded, label
from core.documents.self_id import Finding, self_identification
from core.errors import UserError

__all__ = ["Finding", "scrub_copy", "self_identification"]

NEUTRAL_DATE = "2000-01-01T00:00:00Z"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
NEUTRAL_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    f'<dcterms:created xsi:type="dcterms:W3CDTF">{NEUTRAL_DATE}</dcterms:created>'
    f'<dcterms:modified xsi:type="dcterms:W3CDTF">{NEUTRAL_DATE}</dcterms:modified>'
    "</cp:coreProperties>"
).encode()
EMPTY_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
)
APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
APP_DROP = {"Application", "AppVersion", "Company", "Manager", "Template", "HyperlinkBase"}

# attributes naming people in comments, tracked changes and people/author parts
_PERSON_ATTR = re.compile(
    rb'(\s(?:[\w.-]+:)?(?:author|displayName|userId|providerId|name))="[^"]*"')
_INITIALS_ATTR = re.compile(rb'(\s(?:[\w.-]+:)?initials)="[^"]*"')
_DATE_ATTR = re.compile(rb'(\s(?:[\w.-]+:)?(?:date|dateUtc|dt|created))="[^"]*"')
_AUTHOR_ELEMENT = re.compile(rb"(<(?:[\w.-]+:)?author>)[^<]*(</(?:[\w.-]+:)?author>)")
_TEMPLATE_REL = re.compile(
    rb'(<Relationship\b[^>]*Type="[^"]*/attachedTemplate"[^>]*Target=")[^"]*(")')
_TEMPLATE_REL_REV = re.compile(
    rb'(<Relationship\b[^>]*Target=")[^"]*("[^>]*Type="[^"]*/attachedTemplate")')
# parts where person attributes are rewritten; "name" is only touched in author lists
_PEOPLE_PARTS = re.compile(r"(?:people|persons?/person|authors|commentAuthors)\.xml$",
                           re.IGNORECASE)
_REVIEW_PARTS = re.compile(r"^(?:word|xl|ppt)/.+\.xml$", re.IGNORECASE)


def scrub_copy(src: Path, dest: Path, *, limits: Limits | None = None) -> Path:
    """Write a metadata-free copy of ``src`` to ``dest`` (see the module docstring)."""
    src, dest = Path(src), Path(dest)
    kind = check_file(src, limits=limits)
    if src.resolve() == dest.resolve():
        raise UserError(f"scrub_copy needs a destination other than its source {label(src)}.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.scrubbing")
    try:
        with guarded(src, "scrubbed", limits=limits):
            if kind in OOXML_TYPES:
                _scrub_ooxml(src, tmp)
            elif kind == "pdf":
                _scrub_pdf(src, tmp)
            elif kind in IMAGE_TYPES:
                _scrub_image(src, tmp)
            else:
                shutil.copyfile(src, tmp)
        tmp.replace(dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def _scrub_ooxml(src: Path, dest: Path) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = scrub_part(info.filename, zin.read(info))
            out = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            out.compress_type = zipfile.ZIP_DEFLATED
            out.external_attr = info.external_attr
            zout.writestr(out, data)


def scrub_part(name: str, data: bytes) -> bytes:
    """The scrubbed bytes of one package part (unchanged when nothing in it identifies)."""
    lower = name.lower()
    if lower == "docprops/core.xml":
        return NEUTRAL_CORE
    if lower == "docprops/custom.xml":
        return EMPTY_CUSTOM
    if lower == "docprops/app.xml":
        return _scrub_app(data)
    if lower.endswith(".rels") and b"attachedTemplate" in data:
        data = _TEMPLATE_REL.sub(rb"\1Normal.dotm\2", data)
        return _TEMPLATE_REL_REV.sub(rb"\1Normal.dotm\2", data)
    if not _REVIEW_PARTS.match(name):
        return data
    if _PEOPLE_PARTS.search(lower):
        data = _PERSON_ATTR.sub(rb'\1="Reviewer"', data)
    elif b"author" in data or b"Author" in data:
        data = re.sub(rb'(\s(?:[\w.-]+:)?author)="[^"]*"', rb'\1="Reviewer"', data)
        data = _DATE_ATTR.sub(rb'\1="' + NEUTRAL_DATE.encode() + rb'"', data)
    if b"initials" in data:
        data = _INITIALS_ATTR.sub(rb'\1="R"', data)
    if lower.startswith("xl/comments") and (b"<author>" in data or b":author>" in data):
        data = _AUTHOR_ELEMENT.sub(rb"\1Reviewer\2", data)
    return data


def _scrub_app(data: bytes) -> bytes:
    """app.xml without the elements naming the application, company, people, template."""
    root = safe_fromstring(data)
    for child in list(root):
        if child.tag.rsplit("}", 1)[-1] in APP_DROP:
            root.remove(child)
    ET.register_namespace("vt", VT_NS)
    try:
        body = ET.tostring(root, encoding="unicode", default_namespace=APP_NS)
    except ValueError:  # elements outside the expected namespace: keep nothing
        body = f'<Properties xmlns="{APP_NS}" xmlns:vt="{VT_NS}"/>'
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' + body.encode()


def _scrub_pdf(src: Path, dest: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(src)
    if reader.is_encrypted:
        reader.decrypt("")
    writer = PdfWriter(clone_from=reader)
    writer.metadata = None
    writer.xmp_metadata = None
    for page in writer.pages:  # page-level XMP and application data
        for key in ("/Metadata", "/PieceInfo"):
            if key in page:
                del page[key]
    # clone_from copied every object; drop the ones nothing refers to any more (the old
    # Info dictionary and XMP stream would otherwise still sit in the file). The keyword
    # names changed across pypdf versions, so both defaults (dedupe, drop orphans) are used.
    writer.compress_identical_objects()
    with dest.open("wb") as fh:
        writer.write(fh)


def _scrub_image(src: Path, dest: Path) -> None:
    from PIL import Image

    with Image.open(src) as img:
        img.load()
        fmt = img.format or "PNG"
        clean = img.copy()
        # text chunks, EXIF, XMP, ICC and comments all live in .info; only transparency
        # is needed to draw the same picture
        clean.info = {k: v for k, v in img.info.items() if k == "transparency"}
        options: dict[str, object] = {"format": fmt}
        if fmt == "JPEG":
            options["quality"] = 95
        clean.save(dest, **options)
