"""Fix OOXML quirks that trip LibreOffice (and Word), in a copy handed to the renderer.

The quirk met so far: XML parts re-serialised by Python's ElementTree, as in GDPval's
own docx files, whose ``word/settings.xml`` uses ``ns0:``, ``ns1:`` ... prefixes. The
XML is still valid, but ``mc:Ignorable="w14 w15"`` then names prefixes that are no longer
declared, which strict readers reject. Such parts are rewritten with the canonical
prefixes (``w:``, ``mc:``, ``w14:`` ...), and every prefix that ``mc:Ignorable`` lists is
declared (or dropped from the list when its namespace is unknown). Other parts are
copied byte for byte; files without the quirk are copied unchanged.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from defusedxml.ElementTree import fromstring as safe_fromstring

from core.documents.safety import OOXML_TYPES, file_type

CANONICAL = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "o": "urn:schemas-microsoft-com:office:office",
    "v": "urn:schemas-microsoft-com:vml",
    "w10": "urn:schemas-microsoft-com:office:word",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "sl": "http://schemas.openxmlformats.org/schemaLibrary/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "w15": "http://schemas.microsoft.com/office/word/2012/wordml",
    "w16": "http://schemas.microsoft.com/office/word/2018/wordml",
    "w16se": "http://schemas.microsoft.com/office/word/2015/wordml/symex",
    "w16cid": "http://schemas.microsoft.com/office/word/2016/wordml/cid",
    "w16cex": "http://schemas.microsoft.com/office/word/2018/wordml/cex",
    "w16sdtdh": "http://schemas.microsoft.com/office/word/2020/wordml/sdtdatahash",
    "wne": "http://schemas.microsoft.com/office/word/2006/wordml",
    "wp14": "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",
    "wpc": "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "wpi": "http://schemas.microsoft.com/office/word/2010/wordprocessingInk",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "x14ac": "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac",
    "xr": "http://schemas.microsoft.com/office/spreadsheetml/2014/revision",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "p14": "http://schemas.microsoft.com/office/powerpoint/2010/main",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
_GENERATED_PREFIX = re.compile(rb"<ns\d+:")
_TAG = re.compile(r"<[^!?][^>]*>")
_DECL = re.compile(r'xmlns:([\w.-]+)="([^"]*)"')
_PREFIX_USE = re.compile(r"(?<=[<\s/])(ns\d+):")
_PREFIX_DECL = re.compile(r"xmlns:(ns\d+)=")
_IGNORABLE = re.compile(r'(\s[\w.-]+:Ignorable=")([^"]*)(")')


def normalised_copy(src: Path, dest: Path) -> Path:
    """Copy ``src`` to ``dest``, rewriting generated-prefix XML parts of OOXML packages.
    The source must already have passed :func:`core.documents.safety.check_file`."""
    if file_type(src) not in OOXML_TYPES or not _needs_fix(src):
        shutil.copyfile(src, dest)
        return dest
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.lower().endswith(".xml") and _GENERATED_PREFIX.search(data[:4096]):
                data = canonical_prefixes(data)
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return dest


def _needs_fix(path: Path) -> bool:
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.filename.lower().endswith(".xml"):
                with zf.open(info) as member:
                    if _GENERATED_PREFIX.search(member.read(4096)):
                        return True
    return False


def canonical_prefixes(data: bytes) -> bytes:
    """One XML part with ``nsN:`` prefixes renamed to the canonical ones and every prefix
    listed in ``mc:Ignorable`` declared (unknown ones dropped from the list).

    Works on the markup text (tags only, never text content), so nothing else in the
    part changes; the result is checked to parse, else the part is left as it was."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    declared = dict(_DECL.findall(text))  # prefix -> uri, across the part
    taken = set(declared)
    by_uri = {uri: p for p, uri in CANONICAL.items()}
    rename: dict[str, str] = {}
    for prefix, uri in declared.items():
        wanted = by_uri.get(uri)
        if re.fullmatch(r"ns\d+", prefix) and wanted and wanted not in taken:
            rename[prefix] = wanted
            taken.add(wanted)

    def fix_tag(m: re.Match[str]) -> str:
        tag = _PREFIX_USE.sub(lambda p: rename.get(p.group(1), p.group(1)) + ":", m.group(0))
        return _PREFIX_DECL.sub(lambda p: f"xmlns:{rename.get(p.group(1), p.group(1))}=", tag)

    text = _TAG.sub(fix_tag, text)
    root = _TAG.search(text)
    if root is None:
        return data
    start_tag = root.group(0)
    in_scope = dict(_DECL.findall(start_tag))
    ignorable = _IGNORABLE.search(start_tag)
    if ignorable:
        keep = [p for p in ignorable.group(2).split() if p in in_scope or p in CANONICAL]
        extra = "".join(f' xmlns:{p}="{CANONICAL[p]}"' for p in keep if p not in in_scope)
        fixed = _IGNORABLE.sub(lambda m: m.group(1) + " ".join(keep) + m.group(3), start_tag)
        end = len(fixed) - (2 if fixed.endswith("/>") else 1)
        fixed = fixed[:end] + extra + fixed[end:]
        text = text[: root.start()] + fixed + text[root.end() :]
    out = text.encode("utf-8")
    try:
        safe_fromstring(out)
    except Exception:
        return data
    return out
