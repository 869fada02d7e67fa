"""scrub_copy removes who-made-it metadata and keeps the content; verified by reopening."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from core.documents import extract_text, scrub_copy
from core.errors import UserError

IDENTITY = ("Alice Author", "Mallory Modifier", "Acme Consulting", "Microsoft Office Word",
            "Bob Boss", "occubench-agent", "alice")


def _all_text(path: Path) -> str:
    """Every byte of the file (zip members decompressed), for 'is it gone' checks."""
    raw = path.read_bytes()
    if raw.startswith(b"PK"):
        with zipfile.ZipFile(path) as zf:
            raw = b"".join(zf.read(n) for n in zf.namelist())
    return raw.decode("latin-1")


def _leaks(path: Path) -> list[str]:
    text = _all_text(path)
    return [word for word in IDENTITY if word in text]


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pptx"])
def test_ooxml_metadata_removed_content_kept(docs, tmp_path, kind):
    src = docs[kind]
    assert _leaks(src)  # the fixture really carries identity to remove
    out = scrub_copy(src, tmp_path / f"deliverable-A.{kind}")
    assert out.name == f"deliverable-A.{kind}"
    assert _leaks(out) == []
    if kind == "docx":
        from docx import Document

        props = Document(str(out)).core_properties
    elif kind == "pptx":
        from pptx import Presentation

        props = Presentation(str(out)).core_properties
    if kind in ("docx", "pptx"):
        assert not props.author and not props.last_modified_by and not props.title
    else:  # openpyxl reports a missing creator as "openpyxl": look at the part itself
        from openpyxl import load_workbook

        assert load_workbook(out)["Costs"]["A1"].value == "Rent"
    with zipfile.ZipFile(out) as zf:
        core = zf.read("docProps/core.xml").decode()
    for element in ("creator", "lastModifiedBy", "title", "revision"):
        assert f":{element}" not in core
    assert "2000-01-01T00:00:00Z" in core
    with zipfile.ZipFile(out) as zf:
        app = zf.read("docProps/app.xml").decode()
        assert "<Application>" not in app and "<Company>" not in app
        assert "<Manager>" not in app and "<Template>" not in app
        assert "GeneratedBy" not in zf.read("docProps/custom.xml").decode()
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert extract_text(out, recalc=False).text == extract_text(src, recalc=False).text


def test_docx_comment_and_tracked_change_authors(tmp_path):
    from docx import Document

    doc = Document()
    para = doc.add_paragraph("Budget is final.")
    doc.add_comment(para.runs, text="Check this figure", author="Alice Author", initials="AA")
    path = tmp_path / "reviewed.docx"
    doc.save(path)
    # a tracked insertion, as Word writes it
    tracked = tmp_path / "tracked.docx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tracked, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"</w:body>", b'<w:p><w:ins w:id="9" w:author="Alice Author"'
                                    b' w:date="2025-03-01T10:00:00Z"><w:r><w:t>Added later'
                                    b"</w:t></w:r></w:ins></w:p></w:body>", 1)
            zout.writestr(info, data)
    out = scrub_copy(tracked, tmp_path / "A.docx")
    text = _all_text(out)
    assert "Alice" not in text and 'w:initials="AA"' not in text
    assert 'w:author="Reviewer"' in text and "2025-03-01" not in text
    assert "Check this figure" in text and "Added later" in text
    reopened = Document(str(out))
    assert [c.author for c in reopened.comments] == ["Reviewer"]


def test_xlsx_comment_author(tmp_path):
    from openpyxl import Workbook, load_workbook
    from openpyxl.comments import Comment

    wb = Workbook()
    wb.active["A1"] = "Total"
    wb.active["A1"].comment = Comment("Double-check", "Alice Author")
    path = tmp_path / "commented.xlsx"
    wb.save(path)
    out = scrub_copy(path, tmp_path / "B.xlsx")
    assert "Alice" not in _all_text(out)
    comment = load_workbook(out).active["A1"].comment
    assert comment.text.endswith("Double-check") and comment.author == "Reviewer"


def test_pptx_comment_authors_part(tmp_path, docs):
    path = tmp_path / "deck.pptx"
    with zipfile.ZipFile(docs["pptx"]) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        zout.writestr("ppt/commentAuthors.xml",
                      '<p:cmAuthorLst xmlns:p="http://schemas.openxmlformats.org/presentationml/'
                      '2006/main"><p:cmAuthor id="1" name="Alice Author" initials="AA" lastIdx="1"'
                      ' clrIdx="0"/></p:cmAuthorLst>')
    out = scrub_copy(path, tmp_path / "C.pptx")
    assert _leaks(out) == []
    with zipfile.ZipFile(out) as zf:
        assert b'name="Reviewer"' in zf.read("ppt/commentAuthors.xml")


def test_pdf_info_and_xmp_removed(docs, tmp_path):
    from pypdf import PdfReader

    src = docs["pdf"]
    before = PdfReader(src)
    assert before.metadata.author == "Alice Author" and before.xmp_metadata is not None
    out = scrub_copy(src, tmp_path / "A.pdf")
    after = PdfReader(out)
    assert not after.metadata or not (after.metadata.author or after.metadata.title
                                       or after.metadata.creator or after.metadata.subject)
    assert after.xmp_metadata is None
    assert "Alice" not in _all_text(out) and "Acme Writer" not in _all_text(out)
    assert extract_text(out).text == extract_text(src).text


def test_png_text_and_jpeg_exif_removed(tmp_path):
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    png = tmp_path / "chart.png"
    info = PngInfo()
    info.add_text("Author", "Alice Author")
    info.add_text("Software", "matplotlib via gpt-agent")
    Image.new("RGBA", (20, 10), (255, 0, 0, 128)).save(png, pnginfo=info)
    jpg = tmp_path / "photo.jpg"
    exif = Image.Exif()
    exif[0x013B] = "Alice Author"  # Artist
    exif[0x0131] = "Claude Desktop"  # Software
    Image.new("RGB", (20, 10), "blue").save(jpg, exif=exif)

    out_png = scrub_copy(png, tmp_path / "A.png")
    out_jpg = scrub_copy(jpg, tmp_path / "A.jpg")
    for out in (out_png, out_jpg):
        assert b"Alice" not in out.read_bytes()
    with Image.open(out_png) as img:
        assert img.text == {} and img.size == (20, 10) and img.getpixel((0, 0)) == (255, 0, 0, 128)
    with Image.open(out_jpg) as img:
        assert not img.getexif() and img.size == (20, 10)


def test_other_files_are_copied_as_they_are(docs, tmp_path):
    out = scrub_copy(docs["csv"], tmp_path / "A.csv")
    assert out.read_bytes() == docs["csv"].read_bytes()


def test_dest_must_differ_from_src(docs, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(docs["csv"].read_bytes())
    with pytest.raises(UserError, match="destination other than its source"):
        scrub_copy(path, path)
