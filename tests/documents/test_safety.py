"""Hostile files: each must raise DocumentError quickly, naming the file."""

from __future__ import annotations

import shutil
import signal
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from core.documents import DocumentError, Limits, check_file, extract_text, scrub_copy
from core.documents.safety import time_limit
from core.errors import UserError

pytestmark = pytest.mark.timeout(60)


def _raw_deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _write_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip written by hand from pre-deflated members: (name, deflated, crc, size)."""
    out, central = bytearray(), bytearray()
    for name, comp, crc, size in members:
        encoded, offset = name.encode(), len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(comp),
                           size, len(encoded), 0) + encoded + comp
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc,
                               len(comp), size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    start = len(out)
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                                 len(central), start, 0)
    path.write_bytes(bytes(out))
    return path


def _members_of(path: Path) -> list[tuple[str, bytes, int, int]]:
    with zipfile.ZipFile(path) as zf:
        return [(n, _raw_deflate(d), zlib.crc32(d), len(d))
                for n in zf.namelist() for d in [zf.read(n)]]


def _replace_member(src: Path, dest: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, data if info.filename == name else zin.read(info))
    return dest


def _fails(path: Path, *words: str) -> str:
    started = time.monotonic()
    with pytest.raises(DocumentError) as err:
        extract_text(path)
    message = str(err.value)
    assert path.name in message
    for word in words:
        assert word in message.lower(), message
    assert len(message) < 300 and message.count("\n") == 0
    assert time.monotonic() - started < 20  # fails fast, not after parsing everything
    return message


def test_zip_bomb_docx(tmp_path, docs):
    """A docx with a 1 GiB zero-filled member (1 MB on disk), built from one deflated
    megabyte repeated with full flushes, so the test costs about a second."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(b"\0" * (1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)
    stream = block * 1024 + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc, zeros = 0, b"\0" * (1 << 24)
    for _ in range(64):
        crc = zlib.crc32(zeros, crc)
    members = _members_of(docs["docx"]) + [("word/media/zeros.bin", stream, crc, 1 << 30)]
    bomb = _write_zip(tmp_path / "bomb.docx", members)
    assert bomb.stat().st_size < 5 << 20
    _fails(bomb, "zip bomb")


def test_total_uncompressed_cap(tmp_path, docs):
    members = _members_of(docs["docx"])
    limits = Limits(max_uncompressed_bytes=1000)
    path = _write_zip(tmp_path / "big.docx", members)
    with pytest.raises(DocumentError, match="expands to"):
        check_file(path, limits=limits)


def test_billion_laughs_in_a_docx_part(tmp_path, docs):
    lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else
                                                      b"&lol;") * 10) for i in range(1, 10))
           + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
           b'main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    path = _replace_member(docs["docx"], tmp_path / "laughs.docx", "word/document.xml", lol)
    _fails(path, "dtd")


def test_external_entity_in_an_xlsx_part(tmp_path, docs):
    xxe = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&e;'
           b"</workbook>")
    path = _replace_member(docs["xlsx"], tmp_path / "xxe.xlsx", "xl/workbook.xml", xxe)
    _fails(path, "dtd")


def test_parent_directory_member_name(tmp_path, docs):
    path = tmp_path / "evil.docx"
    shutil.copyfile(docs["docx"], path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("../../evil", b"owned")
    _fails(path, "unsafe part name")


def test_absolute_member_name(tmp_path, docs):
    members = _members_of(docs["pptx"]) + [("/etc/cron.d/x", _raw_deflate(b"x"),
                                            zlib.crc32(b"x"), 1)]
    _fails(_write_zip(tmp_path / "abs.pptx", members), "unsafe part name")


def test_zip_nested_two_levels(tmp_path, docs):
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("data.txt", b"x")
    middle = tmp_path / "middle.zip"
    with zipfile.ZipFile(middle, "w") as zf:
        zf.write(inner, "inner.zip")
    path = tmp_path / "nested.docx"
    shutil.copyfile(docs["docx"], path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.write(middle, "word/embeddings/middle.zip")
    _fails(path, "nested")


def test_one_embedded_package_is_fine(tmp_path, docs):
    path = tmp_path / "embedded.docx"
    shutil.copyfile(docs["docx"], path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.write(docs["xlsx"], "word/embeddings/Microsoft_Excel_Worksheet.xlsx")
    assert "Quarterly Plan" in extract_text(path).text


def test_truncated_zip(tmp_path, docs):
    data = docs["docx"].read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    _fails(path, "corrupt or truncated")


def test_not_a_zip_at_all(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("just text pretending")
    _fails(path, "not a valid .xlsx")


def test_encrypted_ooxml_container(tmp_path):
    """Password-protected Office files are CFB containers holding an EncryptedPackage
    stream; the detection reads the directory names (a synthetic container suffices)."""
    path = tmp_path / "locked.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
                     + "EncryptionInfo".encode("utf-16-le") + b"\0" * 50
                     + "EncryptedPackage".encode("utf-16-le") + b"\0" * 1000)
    _fails(path, "password-protected")


def test_encrypted_pdf(tmp_path, docs):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(docs["pdf"]))
    writer.encrypt(user_password="s3cret", owner_password="owner")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    _fails(path, "encrypted pdf")


def test_owner_only_encrypted_pdf_is_readable(tmp_path, docs):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(docs["pdf"]))
    writer.encrypt(user_password="", owner_password="owner")
    path = tmp_path / "restricted.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    assert "Operating income" in extract_text(path).text


def test_six_hundred_page_pdf(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(600):
        writer.add_blank_page(612, 792)
    path = tmp_path / "long.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    _fails(path, "600 pages", "300-page limit")


def test_truncated_and_garbage_pdf(tmp_path, docs):
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(docs["pdf"].read_bytes()[:400])
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    for path in (cut, garbage):
        _fails(path)


def test_million_cell_sheet(tmp_path, docs):
    """1000 x 1000 cells written straight into the sheet XML (varied values, so it is
    the cell cap that fires, not the compression-ratio check)."""
    rows = b"".join(
        b'<row r="%d">' % (r + 1)
        + b"".join(b"<c><v>%d</v></c>" % (r * 1000 + j) for j in range(1000)) + b"</row>"
        for r in range(1000)
    )
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b"<sheetData>" + rows + b"</sheetData></worksheet>")
    path = _replace_member(docs["xlsx"], tmp_path / "huge.xlsx", "xl/worksheets/sheet1.xml",
                           sheet)
    _fails(path, "200,000 cells")


def test_file_size_cap_from_env(tmp_path, monkeypatch, docs):
    monkeypatch.setenv("OCCUBENCH_MAX_FILE_MB", "0.001")
    _fails(docs["docx"], "too large", "limit is 1 kb")
    with pytest.raises(DocumentError, match="too large"):
        scrub_copy(docs["pdf"], tmp_path / "out.pdf")


def test_bad_env_value_is_a_user_error(monkeypatch, docs):
    monkeypatch.setenv("OCCUBENCH_MAX_PDF_PAGES", "many")
    with pytest.raises(UserError, match="OCCUBENCH_MAX_PDF_PAGES"):
        check_file(docs["pdf"])


def test_missing_file(tmp_path):
    with pytest.raises(DocumentError, match="does not exist"):
        extract_text(tmp_path / "nope.docx")


def test_time_limit_interrupts_python_code_and_restores_outer_alarm():
    outer_before = signal.getitimer(signal.ITIMER_REAL)[0]
    with pytest.raises(DocumentError, match="took longer than"), time_limit(0.2, Path("x.pdf")):
        while True:
            pass
    outer_after = signal.getitimer(signal.ITIMER_REAL)[0]
    if outer_before:  # pytest-timeout's own alarm is back, minus the time spent
        assert 0 < outer_after <= outer_before
