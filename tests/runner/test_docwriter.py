"""The document writer: every format from a spec, reopened by its own library."""

from __future__ import annotations

import openpyxl
import pdfplumber
import pytest
from docx import Document
from pptx import Presentation
from pydantic import ValidationError

from runner.docwriter import write_document
from runner.docwriter.check import check_document
from runner.docwriter.markup import parse_runs

TEXT_SPEC = {
    "title": "Quarterly Review", "subtitle": "For the board",
    "blocks": [
        {"type": "heading", "text": "Summary", "level": 1},
        {"type": "paragraph", "text": "Revenue grew **12%** while costs *fell*."},
        {"type": "bullets", "items": ["First point", {"text": "Sub point", "level": 1}]},
        {"type": "numbered", "items": ["Step one", "Step two"]},
        {"type": "numbered", "items": ["Again one"]},
        {"type": "table", "header": ["Item", "Q1", "Q2"],
         "rows": [["Revenue", 1200.5, 1300], ["Cost", 800, None]], "caption": "Table 1"},
        {"type": "page_break"},
        {"type": "heading", "text": "Appendix", "level": 2},
    ],
}


def test_docx_has_styles_runs_lists_and_table(tmp_path):
    path = write_document("docx", TEXT_SPEC, tmp_path / "r.docx")
    doc = Document(str(path))
    styled = [(p.style.name, p.text) for p in doc.paragraphs if p.text]
    assert ("Title", "Quarterly Review") in styled
    assert ("Heading 1", "Summary") in styled and ("Heading 2", "Appendix") in styled
    assert ("List Bullet", "First point") in styled and ("List Bullet 2", "Sub point") in styled
    assert ("List Number", "Step one") in styled
    para = next(p for p in doc.paragraphs if p.text.startswith("Revenue grew"))
    assert [r.text for r in para.runs if r.bold] == ["12%"]
    assert [r.text for r in para.runs if r.italic] == ["fell"]
    # the second numbered list restarts: it has its own numbering instance
    num_ids = {p.text: p._p.pPr.numPr.numId.val for p in doc.paragraphs
               if p.style.name == "List Number" and p._p.pPr.numPr is not None}
    assert num_ids["Step one"] == num_ids["Step two"] != num_ids["Again one"]
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Item", "Q1", "Q2"]
    assert all(r.bold for r in table.rows[0].cells[0].paragraphs[0].runs)
    assert [c.text for c in table.rows[1].cells] == ["Revenue", "1,200.50", "1300"]
    props = doc.core_properties
    assert props.author == "" and props.last_modified_by == "" and props.title == "Quarterly Review"


def test_xlsx_keeps_formulas_formats_widths_and_header(tmp_path):
    spec = {"sheets": [
        {"name": "Data", "rows": [["Item", "Amount", "Share"], ["A", 100, 0.25],
                                  ["B", 300, 0.75], ["Total", "=SUM(B2:B3)", "=SUM(C2:C3)"]],
         "number_formats": {"B": "#,##0.00", "C": "0.0%"}, "column_widths": {"A": 30}},
        {"name": "Notes", "rows": [["free text"]], "header": False, "freeze": "B2"},
    ]}
    wb = openpyxl.load_workbook(str(write_document("xlsx", spec, tmp_path / "w.xlsx")))
    assert wb.sheetnames == ["Data", "Notes"]
    ws = wb["Data"]
    assert ws["B4"].value == "=SUM(B2:B3)"
    assert ws["B2"].number_format == "#,##0.00" and ws["C3"].number_format == "0.0%"
    assert ws["B1"].number_format == "General"  # the header row keeps its text format
    assert ws["A1"].font.bold and not ws["A2"].font.bold
    assert ws.column_dimensions["A"].width == 30
    assert ws.freeze_panes == "A2" and wb["Notes"].freeze_panes == "B2"
    assert wb.properties.creator in ("", None)


def test_pptx_slides_bullets_table_and_notes(tmp_path):
    spec = {"title": "Plan", "subtitle": "Q3", "slides": [
        {"title": "Points", "bullets": ["One", {"text": "Detail", "level": 1}],
         "notes": "Say this aloud"},
        {"title": "Numbers", "table": {"header": ["K", "V"], "rows": [["a", 1], ["b", 2]]}},
    ]}
    prs = Presentation(str(write_document("pptx", spec, tmp_path / "d.pptx")))
    assert prs.slide_width > prs.slide_height  # 16:9
    slides = list(prs.slides)
    assert [s.shapes.title.text for s in slides] == ["Plan", "Points", "Numbers"]
    body = slides[1].placeholders[1].text_frame
    assert [(p.text, p.level) for p in body.paragraphs] == [("One", 0), ("Detail", 1)]
    assert slides[1].notes_slide.notes_text_frame.text == "Say this aloud"
    table = next(s for s in slides[2].shapes if s.has_table).table
    assert table.cell(0, 0).text == "K" and table.cell(2, 1).text == "2"
    assert prs.core_properties.author == ""


def test_pdf_text_lists_and_table(tmp_path):
    path = write_document("pdf", TEXT_SPEC, tmp_path / "r.pdf")
    with pdfplumber.open(str(path)) as pdf:
        assert len(pdf.pages) == 2  # the page break
        text = pdf.pages[0].extract_text()
        table = pdf.pages[0].extract_tables()[0]
        assert not (pdf.metadata.get("Author") or "")
    assert "Quarterly Review" in text and "Revenue grew 12% while costs fell." in text
    assert "First point" in text and "1. Step one" in text
    assert table[0] == ["Item", "Q1", "Q2"] and table[1][0] == "Revenue"


@pytest.mark.parametrize("file_type,spec,where", [
    ("xlsx", {"sheets": [{"name": "a/b", "rows": []}]}, "sheets.0.name"),
    ("xlsx", {"sheets": [{"name": "S", "rows": []}, {"name": "s", "rows": []}]}, "sheets"),
    ("xlsx", {"sheets": [{"name": "S", "number_formats": {"not a ref": "0"}}]}, "number_formats"),
    ("docx", {}, "empty"),
    ("docx", {"blocks": [{"type": "chart"}]}, "blocks.0"),
    ("pptx", {"slides": [{"bullets": ["x"]}]}, "slides.0.title"),
])
def test_bad_specs_are_rejected_with_the_field(tmp_path, file_type, spec, where):
    with pytest.raises(ValidationError) as info:
        write_document(file_type, spec, tmp_path / f"x.{file_type}")
    assert where in str(info.value)
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_check_document_opens_each_type(tmp_path):
    for t, spec in (("docx", TEXT_SPEC), ("pdf", TEXT_SPEC),
                    ("xlsx", {"sheets": [{"name": "S", "rows": [[1]]}]}),
                    ("pptx", {"title": "T"})):
        assert check_document(write_document(t, spec, tmp_path / f"ok.{t}")).ok
    (tmp_path / "fake.xlsx").write_text("just text")
    (tmp_path / "empty.docx").write_bytes(b"")
    (tmp_path / "fake.png").write_text("not an image")
    for name in ("fake.xlsx", "empty.docx", "fake.png", "missing.pdf"):
        assert not check_document(tmp_path / name).ok, name


def test_markup_runs():
    assert [(r.text, r.bold, r.italic) for r in parse_runs("a **b** *c* d*e 2*3")] == [
        ("a ", False, False), ("b", True, False), (" ", False, False), ("c", False, True),
        (" d*e 2*3", False, False)]
