"""Every extractor on real files made by the tests."""

from __future__ import annotations

import json
import re

import pytest

from core.documents import extract_text


def _order(text: str, *parts: str) -> None:
    positions = [text.index(p) for p in parts]
    assert positions == sorted(positions), positions


def test_docx_headings_lists_tables_in_order(docs):
    ex = extract_text(docs["docx"])
    assert (ex.file_type, ex.truncated, ex.error) == ("docx", False, None)
    text = ex.text
    assert "# Quarterly Plan" in text and "## Actions" in text
    assert "- Hire two analysts" in text
    assert "1. Open the Lyon office" in text
    assert "| Region | Sales |" in text and "| North | 1200 |" in text
    _order(text, "# Quarterly Plan", "Revenue grew", "## Actions", "- Hire", "| Region",
           "Closing remarks")


def test_xlsx_without_recalculation_shows_formulas(docs):
    text = extract_text(docs["xlsx"], recalc=False).text
    assert "## Sheet: Costs" in text and "## Sheet: Summary" in text
    assert "A1 = Rent" in text and "B2 = 600" in text
    assert "B4 = (not calculated)  [=SUM(B1:B3)]" in text
    _order(text, "## Sheet: Costs", "B4 =", "## Sheet: Summary", "B1 = (not calculated)")


@pytest.mark.soffice
def test_xlsx_formulas_recalculated_through_libreoffice(docs, renderer):
    ex = extract_text(docs["xlsx"])
    assert ex.error is None
    assert "B4 = 1200  [=SUM(B1:B3)]" in ex.text
    assert "B1 = 2400  [=Costs!B4*2]" in ex.text


def test_xlsx_with_cached_values_needs_no_libreoffice(tmp_path, docs, monkeypatch):
    """A workbook whose formulas carry cached values (as Excel saves them) is read
    without recalculation: the recalc hook must not be called."""
    import zipfile

    import core.documents.extract as extract

    src, path = docs["xlsx"], tmp_path / "cached.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>SUM(B1:B3)</f><v></v>", b"<f>SUM(B1:B3)</f><v>1200</v>")
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"<f>Costs!B4*2</f><v></v>", b"<f>Costs!B4*2</f><v>2400</v>")
            zout.writestr(info, data)

    def no_recalc(path):
        raise AssertionError("recalculation was not needed")

    monkeypatch.setattr(extract, "default_recalc", no_recalc)
    text = extract_text(path).text
    assert "B4 = 1200  [=SUM(B1:B3)]" in text and "B1 = 2400  [=Costs!B4*2]" in text


def test_xlsx_recalc_failure_is_reported_not_hidden(docs, monkeypatch):
    import core.documents.extract as extract
    from core.documents.office import RenderError

    def broken(path):
        raise RenderError("LibreOffice is not installed")

    monkeypatch.setattr(extract, "default_recalc", broken)
    ex = extract_text(docs["xlsx"])
    assert ex.error and "not recalculated" in ex.error
    assert "B4 = (not calculated)  [=SUM(B1:B3)]" in ex.text


def test_pptx_titles_text_tables_notes(docs):
    ex = extract_text(docs["pptx"])
    text = ex.text
    assert "## Slide 1: Market Overview" in text
    assert "Demand is rising in Europe" in text
    assert "Notes: Mention the Lyon pilot." in text
    assert "## Slide 2: Budget" in text and "| Ads | 900 |" in text
    _order(text, "Slide 1", "Demand", "Notes:", "Slide 2", "| Item | Cost |")


def test_pdf_text_and_tables(docs):
    ex = extract_text(docs["pdf"])
    assert ex.file_type == "pdf"
    assert "## Page 1" in ex.text and "## Page 2" in ex.text
    assert "Operating income rose to 4.2 million." in ex.text
    assert "| North | 1200 |" in ex.text


def test_csv_text_md_json(tmp_path, docs):
    assert "North,1200" in extract_text(docs["csv"]).text
    md = tmp_path / "notes.md"
    md.write_text("# Title\n\nBody text é\n")
    assert extract_text(md).text == "# Title\n\nBody text é\n"
    js = tmp_path / "data.json"
    js.write_text(json.dumps({"a": [1, 2]}))
    assert extract_text(js).text == '{\n  "a": [\n    1,\n    2\n  ]\n}\n'
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("café".encode("cp1252"))
    assert extract_text(legacy).text == "café"


def test_image_and_unknown(tmp_path):
    from PIL import Image

    png = tmp_path / "chart.png"
    Image.new("RGB", (40, 30), "white").save(png)
    assert extract_text(png).text == "image 40x30 PNG"
    wav = tmp_path / "call.wav"
    wav.write_bytes(b"RIFF....WAVEfmt ")
    ex = extract_text(wav)
    assert ex.text == "" and ex.error == "no text extractor for .wav files"


def test_binary_posing_as_text(tmp_path):
    from core.documents import DocumentError

    fake = tmp_path / "notes.txt"
    fake.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(DocumentError, match="binary"):
        extract_text(fake)


def test_truncation_counts_what_was_cut(docs):
    full = extract_text(docs["docx"]).text
    ex = extract_text(docs["docx"], max_chars=60)
    assert ex.truncated
    kept, marker = ex.text.rsplit("\n\n", 1)
    assert len(kept) <= 60 and full.startswith(kept)
    cut, total = (int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", marker)[:2])
    assert total == len(full)
    shown = total - cut  # characters kept before trailing newlines were trimmed
    assert 0 <= shown - len(kept) <= 2
    assert "characters not shown" in marker


def test_truncation_of_pdf_stops_reading_and_says_where(docs):
    ex = extract_text(docs["pdf"], max_chars=40)
    assert ex.truncated
    assert "truncated at 40 characters" in ex.text and "page 1 of 2" in ex.text
    assert "## Page 2" not in ex.text


def test_not_truncated_when_it_fits(docs):
    ex = extract_text(docs["pptx"], max_chars=100_000)
    assert not ex.truncated and "truncated" not in ex.text


def test_pptx_chart_title_and_numbers_and_groups(tmp_path):
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    data = CategoryChartData()
    data.categories = ["Q1", "Q2"]
    data.add_series("Sales", (1.5, 2))
    frame = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(1),
                                   Inches(4), Inches(3), data)
    frame.chart.has_title = True
    frame.chart.chart_title.text_frame.text = "Sales by quarter"
    group = slide.shapes.add_group_shape()
    group.shapes.add_textbox(Inches(5), Inches(5), Inches(2), Inches(1)).text_frame.text = "inner"
    path = tmp_path / "chart.pptx"
    prs.save(path)
    text = extract_text(path).text
    assert "[chart: Sales by quarter | Sales: Q1=1.5, Q2=2]" in text
    _order(text, "[chart", "inner")
