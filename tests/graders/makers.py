"""Real office documents for grader tests, written with the libraries users' files come from."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
from pptx import Presentation
from pptx.util import Inches
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas


def make_docx(path: Path, *, title: str = "Quarterly Review", sections: int = 2,
              paragraphs: list[str] | None = None, tables: int = 1) -> Path:
    d = docx.Document()
    d.add_heading(title, level=1)
    for i in range(sections):
        d.add_heading(f"Section {i + 1}: Findings", level=2)
        d.add_paragraph(f"Paragraph for section {i + 1} with revenue of 1,250 dollars.")
    for p in paragraphs or []:
        d.add_paragraph(p)
    for t in range(tables):
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).text = f"Metric {t}"
        table.cell(0, 1).text = "Value"
        table.cell(1, 0).text = "Margin"
        table.cell(1, 1).text = "12%"
    d.save(path)
    return path


def make_xlsx(path: Path, sheets: dict[str, dict[str, object]] | None = None) -> Path:
    """A workbook; ``sheets`` maps sheet names to {cell: value or '=formula'}."""
    sheets = sheets or {"Sample": {"A1": "Item", "B1": "Amount", "A2": "Fees", "B2": 120.5,
                                   "B3": 79.5, "B4": "=SUM(B2:B3)"},
                        "Sample Size Calculation": {"A1": "Confidence", "B1": 0.9,
                                                    "A2": "Required sample", "B2": 68}}
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, cells in sheets.items():
        ws = wb.create_sheet(name)
        for ref, value in cells.items():
            ws[ref] = value
    wb.save(path)
    return path


def make_pptx(path: Path, titles: list[str] | None = None, *, table: bool = False) -> Path:
    prs = Presentation()
    for t in titles or ["Market Overview", "Recommendations", "Next Steps"]:
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = t
        slide.placeholders[1].text = f"Points about {t.lower()}"
    if table:
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = "Figures"
        shape = slide.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(4), Inches(1))
        shape.table.cell(0, 0).text = "Year"
        shape.table.cell(0, 1).text = "Sales"
    prs.save(path)
    return path


def make_pdf(path: Path, pages: list[str] | None = None) -> Path:
    c = canvas.Canvas(str(path), pagesize=letter)
    for text in pages or ["Form 1040 summary page one", "Schedule A page two"]:
        y = 720
        for line in text.split("\n"):
            c.drawString(72, y, line)
            y -= 16
        c.showPage()
    c.save()
    return path


def make_text(body: str):
    """A maker writing ``body`` to a plain-text file (for references and simple answers)."""
    def make(path: Path) -> Path:
        path.write_text(body)
        return path
    return make
