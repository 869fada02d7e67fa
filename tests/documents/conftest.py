"""Real documents made by the tests: python-docx, openpyxl, python-pptx, reportlab, csv,
each carrying identifying metadata so scrubbing has something to remove."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Template>C:\\Users\\alice\\Normal.dotm</Template><TotalTime>42</TotalTime>"
    "<Application>Microsoft Office Word</Application><Company>Acme Consulting LLC</Company>"
    "<Manager>Bob Boss</Manager><AppVersion>16.0000</AppVersion></Properties>"
)
CUSTOM_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="GeneratedBy">'
    "<vt:lpwstr>occubench-agent gpt-5</vt:lpwstr></property></Properties>"
)
IDENTITY = ("Alice Author", "Mallory Modifier", "Acme Consulting LLC", "Microsoft Office Word",
            "Bob Boss", "occubench-agent")


def add_identity(path: Path) -> Path:
    """Give an OOXML file an app.xml naming application, company and manager, and a
    custom property, as Word or an agent's toolchain would."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        names = zin.namelist()
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "docProps/app.xml":
                data = APP_XML.encode()
            elif info.filename == "[Content_Types].xml" and b"custom.xml" not in data:
                data = data.replace(b"</Types>", b'<Override PartName="/docProps/custom.xml" '
                                    b'ContentType="application/vnd.openxmlformats-officedocument.'
                                    b'custom-properties+xml"/></Types>')
            elif info.filename == "_rels/.rels" and b"custom.xml" not in data:
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdCustom" '
                                    b'Type="http://schemas.openxmlformats.org/officeDocument/'
                                    b'2006/relationships/custom-properties" '
                                    b'Target="docProps/custom.xml"/></Relationships>')
            zout.writestr(info, data)
        if "docProps/app.xml" not in names:
            zout.writestr("docProps/app.xml", APP_XML)
        zout.writestr("docProps/custom.xml", CUSTOM_XML)
    tmp.replace(path)
    return path


def make_docx(path: Path) -> Path:
    from docx import Document

    doc = Document()
    doc.core_properties.author = "Alice Author"
    doc.core_properties.last_modified_by = "Mallory Modifier"
    doc.core_properties.title = "Quarterly plan by Alice"
    doc.add_heading("Quarterly Plan", level=1)
    doc.add_paragraph("Revenue grew strongly in the third quarter.")
    doc.add_heading("Actions", level=2)
    doc.add_paragraph("Hire two analysts", style="List Bullet")
    doc.add_paragraph("Open the Lyon office", style="List Number")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Region", "Sales"
    table.cell(1, 0).text, table.cell(1, 1).text = "North", "1200"
    doc.add_paragraph("Closing remarks after the table.")
    doc.save(path)
    return add_identity(path)


def make_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Costs"
    ws["A1"], ws["B1"] = "Rent", 500
    ws["A2"], ws["B2"] = "Staff", 600
    ws["A3"], ws["B3"] = "Travel", 100
    ws["A4"], ws["B4"] = "Total", "=SUM(B1:B3)"
    other = wb.create_sheet("Summary")
    other["A1"], other["B1"] = "Double", "=Costs!B4*2"
    wb.properties.creator = "Alice Author"
    wb.properties.lastModifiedBy = "Mallory Modifier"
    wb.save(path)
    return add_identity(path)


def make_pptx(path: Path) -> Path:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.core_properties.author = "Alice Author"
    prs.core_properties.last_modified_by = "Mallory Modifier"
    s1 = prs.slides.add_slide(prs.slide_layouts[1])
    s1.shapes.title.text = "Market Overview"
    s1.placeholders[1].text_frame.text = "Demand is rising in Europe"
    s1.notes_slide.notes_text_frame.text = "Mention the Lyon pilot."
    s2 = prs.slides.add_slide(prs.slide_layouts[5])
    s2.shapes.title.text = "Budget"
    shape = s2.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(6), Inches(1.5))
    cells = shape.table
    cells.cell(0, 0).text, cells.cell(0, 1).text = "Item", "Cost"
    cells.cell(1, 0).text, cells.cell(1, 1).text = "Ads", "900"
    prs.save(path)
    return add_identity(path)


def make_pdf(path: Path, *, pages: int = 2) -> Path:
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    doc = SimpleDocTemplate(str(path), pagesize=letter, author="Alice Author",
                            title="Plan by Alice", creator="Acme Writer", subject="secret")
    style = getSampleStyleSheet()
    story = [Paragraph("Annual Report", style["Title"]),
             Paragraph("Operating income rose to 4.2 million.", style["BodyText"])]
    table = Table([["Region", "Sales"], ["North", "1200"], ["South", "800"]])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    story.append(table)
    for n in range(2, pages + 1):
        story += [PageBreak(), Paragraph(f"Page {n} text.", style["BodyText"])]
    doc.build(story)
    return path


def add_xmp(path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(path))
    writer.xmp_metadata = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b"<dc:creator><rdf:Seq><rdf:li>Alice Author</rdf:li></rdf:Seq></dc:creator>"
        b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    writer.add_metadata({"/Author": "Alice Author", "/Title": "Plan by Alice"})
    with path.open("wb") as fh:
        writer.write(fh)
    return path


@pytest.fixture(scope="session")
def docs(tmp_path_factory) -> dict[str, Path]:
    """One of each kind, made once per session; tests that change files copy them."""
    d = tmp_path_factory.mktemp("docs")
    csv = d / "table.csv"
    csv.write_text("region,sales\nNorth,1200\nSouth,800\n")
    return {
        "docx": make_docx(d / "plan.docx"),
        "xlsx": make_xlsx(d / "costs.xlsx"),
        "pptx": make_pptx(d / "deck.pptx"),
        "pdf": add_xmp(make_pdf(d / "report.pdf")),
        "csv": csv,
    }


@pytest.fixture
def copy_of(tmp_path, docs):
    def copy(kind: str, name: str | None = None) -> Path:
        dest = tmp_path / (name or docs[kind].name)
        shutil.copyfile(docs[kind], dest)
        return dest

    return copy


@pytest.fixture(scope="session")
def renderer(tmp_path_factory):
    """One warm LibreOffice for the session's rendering tests, with a private cache."""
    from core.documents.office import soffice_path
    from core.documents.render import Renderer

    if not soffice_path():
        pytest.skip("LibreOffice (soffice) is not installed")
    from core.documents.render import set_default_renderer

    r = Renderer(cache_root=tmp_path_factory.mktemp("render-cache"), timeout_s=60)
    set_default_renderer(r)  # extract_text and inspect_document recalculate through it
    yield r
    set_default_renderer(None)
    r.close()


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path, monkeypatch):
    """Keep the default renderer's cache and admin files out of the repo's data/."""
    monkeypatch.setenv("OCCUBENCH_DATA", str(tmp_path / "data"))
