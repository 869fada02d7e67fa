"""Rendering through one warm LibreOffice: PDFs, PNGs, the cache, failures."""

from __future__ import annotations

import shutil
import zipfile
from xml.etree import ElementTree as ET

import pytest
from PIL import Image

from core.documents import Renderer, RenderError
from core.documents.normalise import normalised_copy
from core.documents.office import soffice_path, uno_python
from core.documents.pdf_images import pdf_pages

pytestmark = [
    pytest.mark.soffice,
    pytest.mark.timeout(180),
    pytest.mark.skipif(not soffice_path(), reason="LibreOffice (soffice) is not installed"),
]


# python-docx pages are US letter, LibreOffice gives a new sheet A4, python-pptx slides
# are 10 x 7.5 in; at 50 dpi that is 425x550, 414x585, 500x375 pixels
@pytest.mark.parametrize(("kind", "pages", "size"), [
    ("docx", 1, (425, 550)), ("xlsx", 2, (414, 585)), ("pptx", 2, (500, 375))])
def test_office_to_pdf_to_pngs(renderer, docs, kind, pages, size):
    pdf = renderer.to_pdf(docs[kind])
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf_pages(pdf) == pages
    pngs = renderer.to_pngs(docs[kind], dpi=50)
    assert len(pngs) == pages
    for png in pngs:
        with Image.open(png) as img:
            assert img.format == "PNG"
            assert img.size == size


def test_pdf_and_image_inputs(renderer, docs, tmp_path):
    assert renderer.to_pdf(docs["pdf"]) == docs["pdf"]
    assert len(renderer.to_pngs(docs["pdf"], max_pages=1)) == 1
    jpg = tmp_path / "photo.jpg"
    Image.new("RGB", (64, 48), "red").save(jpg)
    (png,) = renderer.to_pngs(jpg)
    with Image.open(png) as img:
        assert (img.format, img.size) == ("PNG", (64, 48))


def test_cache_hit_runs_no_libreoffice_job(renderer, docs, tmp_path):
    first = renderer.to_pngs(docs["pptx"], dpi=40)
    done = renderer.conversions
    renamed = tmp_path / "other name.pptx"  # same bytes, different name: same cache entry
    shutil.copyfile(docs["pptx"], renamed)
    assert renderer.to_pngs(renamed, dpi=40) == first
    assert renderer.to_pdf(renamed) == renderer.to_pdf(docs["pptx"])
    assert renderer.conversions == done


def test_cache_survives_a_new_renderer(renderer, docs):
    pdf = renderer.to_pdf(docs["docx"])
    with Renderer(cache_root=renderer.cache_root) as fresh:
        assert fresh.to_pdf(docs["docx"]) == pdf
        assert fresh.conversions == 0 and fresh.starts == 0


def test_same_stem_files_do_not_collide(renderer, tmp_path):
    from docx import Document

    outputs = []
    for folder, words in (("a", "Alpha memo text"), ("b", "Bravo memo text")):
        (tmp_path / folder).mkdir()
        doc = Document()
        doc.add_paragraph(words)
        doc.save(tmp_path / folder / "report.docx")
        outputs.append(renderer.to_pdf(tmp_path / folder / "report.docx"))
    import pdfplumber

    texts = []
    for pdf in outputs:
        with pdfplumber.open(pdf) as doc:
            texts.append(doc.pages[0].extract_text())
    assert "Alpha" in texts[0] and "Bravo" in texts[1]


def test_recalculate_xlsx(renderer, docs):
    from openpyxl import load_workbook

    wb = load_workbook(renderer.recalculate_xlsx(docs["xlsx"]), data_only=True)
    assert wb["Costs"]["B4"].value == 1200 and wb["Summary"]["B1"].value == 2400


def test_unreadable_document_raises_and_is_not_cached(renderer, tmp_path):
    """A package LibreOffice cannot open as a document fails with RenderError, and a
    second attempt tries again rather than finding an empty cached result."""
    bad = tmp_path / "hollow.pptx"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types xmlns='http://schemas.openxmlformats.org/"
                                           "package/2006/content-types'/>")
    for _ in range(2):
        with pytest.raises(RenderError, match="hollow.pptx"):
            renderer.to_pdf(bad)


def test_non_office_file_cannot_be_rendered(renderer, tmp_path):
    wav = tmp_path / "call.wav"
    wav.write_bytes(b"RIFF")
    with pytest.raises(RenderError, match="cannot be rendered"):
        renderer.to_pdf(wav)


@pytest.mark.skipif(not uno_python(), reason="the warm backend needs python3-uno")
def test_timeout_kills_and_restarts(docs, tmp_path):
    with Renderer(cache_root=tmp_path / "cache", timeout_s=0.01) as r:
        with pytest.raises(RenderError, match="took longer than"):
            r.to_pdf(docs["docx"])
        assert r._lo.office is None and r._lo.worker is None  # both process groups killed
        r.timeout_s = 60
        assert pdf_pages(r.to_pdf(docs["docx"])) == 1
        assert r.starts == 2


def test_ns0_prefixes_are_normalised_and_render(renderer, docs, tmp_path):
    """GDPval's docx files carry ElementTree-style ns0: prefixes in word/settings.xml."""
    quirky = tmp_path / "gdpval.docx"
    with zipfile.ZipFile(docs["docx"]) as zin, zipfile.ZipFile(quirky, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/settings.xml":
                data = ET.tostring(ET.fromstring(data), encoding="UTF-8")
                assert b"<ns0:settings" in data
            zout.writestr(info, data)
    fixed = normalised_copy(quirky, tmp_path / "fixed.docx")
    with zipfile.ZipFile(fixed) as zf:
        settings = zf.read("word/settings.xml")
    assert settings.count(b"<w:settings") == 1 and b"ns0:" not in settings
    for prefix in ET.fromstring(settings).get(
            "{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable").split():
        assert f"xmlns:{prefix}=".encode() in settings
    assert pdf_pages(renderer.to_pdf(quirky)) == 1


def test_externally_linked_images_are_not_fetched(renderer, docs, tmp_path):
    """A deliverable must not make the renderer call a URL of its choosing."""
    import http.server
    import threading

    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/track.png"
    rel = (f'<Relationship Id="rIdExt" Type="http://schemas.openxmlformats.org/officeDocument/'
           f'2006/relationships/image" Target="{url}" TargetMode="External"/>').encode()
    picture = (
        b'<w:p><w:r><w:drawing><wp:inline><wp:extent cx="952500" cy="952500"/><wp:docPr id="1"'
        b' name="Picture 1"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/'
        b'2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/'
        b'picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/'
        b'picture"><pic:nvPicPr><pic:cNvPr id="1" name="x.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        b'<pic:blipFill><a:blip r:link="rIdExt"/><a:stretch><a:fillRect/></a:stretch>'
        b'</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="952500" cy="952500"/>'
        b'</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        b"</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>")
    linked = tmp_path / "linked.docx"
    with zipfile.ZipFile(docs["docx"]) as zin, zipfile.ZipFile(linked, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", rel + b"</Relationships>")
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:sectPr", picture + b"<w:sectPr", 1)
            zout.writestr(info, data)
    try:
        assert pdf_pages(renderer.to_pdf(linked)) == 1
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []
