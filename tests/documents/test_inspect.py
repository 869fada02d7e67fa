"""inspect_document: the facts deterministic rubric checks are decided on."""

from __future__ import annotations

import pytest

from core.documents import DocumentError, inspect_document


def test_docx_structure(docs):
    info = inspect_document(docs["docx"])
    assert info.file_type == "docx"
    assert info.headings == ["Quarterly Plan", "Actions"]
    assert info.table_count == 1
    # Quarterly Plan (2) Revenue...quarter (7) Actions (1) Hire two analysts (3)
    # Open the Lyon office (4) Region Sales North 1200 (4) Closing...table (5)
    assert info.word_count == 26
    assert info.page_count is None  # only known once rendered
    assert "Revenue grew" in info.text and not info.truncated


def test_pptx_structure(docs):
    info = inspect_document(docs["pptx"])
    assert info.slide_count == 2
    assert info.slide_titles == ["Market Overview", "Budget"]
    assert info.table_count == 1


def test_pdf_structure(docs):
    info = inspect_document(docs["pdf"])
    assert (info.file_type, info.page_count) == ("pdf", 2)
    assert info.table_count == 1


def test_markdown_headings(tmp_path):
    md = tmp_path / "brief.md"
    md.write_text("# Brief\n\nText\n\n## Scope\nMore\n#not a heading\n")
    assert inspect_document(md).headings == ["Brief", "Scope"]


def test_cell_on_a_non_workbook_is_an_error(docs):
    with pytest.raises(DocumentError, match="not a workbook"):
        inspect_document(docs["docx"]).cell(None, "A1")


def test_bad_reference(docs):
    info = inspect_document(docs["xlsx"], recalc=False)
    assert info.sheet_names == ["Costs", "Summary"]
    assert info.cell("Costs", "B2") == 600 and info.cell("Costs", "B4") is None  # no cache
    with pytest.raises(ValueError, match="not a cell reference"):
        info.cell("Costs", "B")


@pytest.mark.soffice
def test_xlsx_cells_are_recalculated(docs, renderer):
    info = inspect_document(docs["xlsx"])
    assert info.sheet_names == ["Costs", "Summary"]
    assert info.cell("Costs", "B4") == 1200
    assert info.cell("summary", "$B$1") == 2400  # sheet names match case-insensitively
    assert info.cell(None, "Summary!B1") == 2400
    assert info.cell(None, "A1") == "Rent"  # first sheet
    assert info.cell("Costs", "Z99") is None
    assert info.cell("Missing", "A1") is None
    assert info.error is None


@pytest.mark.soffice
def test_page_count_of_office_files_when_rendered(docs, renderer):
    assert inspect_document(docs["docx"], render_pages=True).page_count == 1
    assert inspect_document(docs["pptx"], render_pages=True).page_count == 2


def test_render_failure_leaves_page_count_unknown(docs, monkeypatch):
    import core.documents.render as render
    from core.documents.office import RenderError

    class Broken:
        def to_pdf(self, path):
            raise RenderError("LibreOffice could not render it.")

    monkeypatch.setattr(render, "get_renderer", lambda: Broken())
    info = inspect_document(docs["docx"], render_pages=True)
    assert info.page_count is None
    assert "page count unavailable" in info.error
