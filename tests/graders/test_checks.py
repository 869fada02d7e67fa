"""Every check kind against real documents made by python-docx, openpyxl, python-pptx and
reportlab."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from core.checks import Check
from core.task import file_type_of
from graders.checks import Submission, as_number, evaluate, evaluate_all
from tests.graders.makers import make_docx, make_pdf, make_pptx, make_xlsx

CHECK = TypeAdapter(Check)


@dataclass(frozen=True)
class F:
    name: str
    path: Path
    file_type: str


def sub(*paths: Path) -> Submission:
    return Submission([F(p.name, p, file_type_of(p.name)) for p in paths])


def check(**spec: object):
    return CHECK.validate_python(spec)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("docs")
    return {
        "xlsx": make_xlsx(d / "Sample.xlsx", {
            "Sample": {"A1": "Item", "B1": "Amount", "B2": 120.5, "B3": 79.5,
                       "B4": "=SUM(B2:B3)", "C2": "$1,234.50", "C3": "(12)",
                       "D2": "Approved by finance"},
            " Sample Size Calculation ": {"A1": "Confidence", "B1": 0.9}}),
        "docx": make_docx(d / "Memo.docx", title="Quarterly Review", tables=2,
                          paragraphs=["Revenue rose 7% year over year."]),
        "pptx": make_pptx(d / "Deck.pptx", ["Market Overview", "Recommendations"],
                          table=True),
        "pdf": make_pdf(d / "Form.pdf", ["Form 1040 page one", "Schedule A page two",
                                         "Schedule B page three"]),
        "broken": _broken(d / "Broken.xlsx"),
    }


def _broken(p: Path) -> Path:
    p.write_bytes(b"PK\x03\x04 this is not really a workbook")
    return p


def test_file_type_and_name(files) -> None:
    s = sub(files["xlsx"], files["docx"])
    assert evaluate(check(kind="file_type", types=["xlsm", ".XLSX"]), s).met is True
    out = evaluate(check(kind="file_type", types=["pptx"]), s)
    assert out.met is False and "Sample.xlsx (xlsx)" in out.evidence
    assert evaluate(check(kind="file_name", stem="sample", types=["xlsx"]), s).met is True
    assert evaluate(check(kind="file_name", stem="Sample", types=["docx"]), s).met is False
    assert evaluate(check(kind="file_name", stem="memo", file="*.docx"), s).met is True
    assert evaluate(check(kind="file_name", stem="memo", file="*.xlsx"), s).met is False


def test_sheet_present_exact_and_loose(files) -> None:
    s = sub(files["xlsx"])
    loose = evaluate(check(kind="sheet_present", sheet="sample size calculation",
                           exact=False), s)
    assert loose.met is True and "Sample Size Calculation" in loose.evidence
    assert evaluate(check(kind="sheet_present", sheet="Sample Size Calculation"), s).met \
        is False  # the real name has surrounding spaces: exact means exact
    assert evaluate(check(kind="sheet_present", sheet="Sample"), s).met is True
    missing = evaluate(check(kind="sheet_present", sheet="Summary"), sub(files["docx"]))
    assert missing.met is False and "no deliverable of type" in missing.evidence


def test_cell_values_numbers_text_and_recalculated_formulas(files) -> None:
    s = sub(files["xlsx"])
    total = evaluate(check(kind="cell_value", sheet="Sample", cell="B4", equals=200), s)
    assert total.met is True, total.evidence  # openpyxl left no cached value: recalculated
    assert "B4 = 200" in total.evidence
    assert evaluate(check(kind="cell_value", cell="b2", equals=120, tolerance=0.5), s).met
    assert not evaluate(check(kind="cell_value", cell="B2", equals=120, tolerance=0.1), s).met
    assert evaluate(check(kind="cell_value", cell="C2", equals=1234.5), s).met  # "$1,234.50"
    assert evaluate(check(kind="cell_value", cell="C3", equals=-12), s).met  # "(12)"
    assert evaluate(check(kind="cell_value", cell="D2", contains="FINANCE"), s).met
    assert evaluate(check(kind="cell_value", cell="A1", equals="item"), s).met
    nosheet = evaluate(check(kind="cell_value", sheet="Summary", cell="A1", equals=1), s)
    assert nosheet.met is False and "no sheet 'Summary'" in nosheet.evidence


def test_counts(files) -> None:
    assert evaluate(check(kind="slide_count", min=3, max=3), sub(files["pptx"])).met
    assert not evaluate(check(kind="slide_count", max=2), sub(files["pptx"])).met
    assert evaluate(check(kind="page_count", min=3, max=3), sub(files["pdf"])).met
    assert evaluate(check(kind="sheet_count", min=2), sub(files["xlsx"])).met
    words = evaluate(check(kind="word_count", min=10), sub(files["docx"]))
    assert words.met and "words" in words.evidence
    assert not evaluate(check(kind="word_count", max=5), sub(files["docx"])).met
    assert evaluate(check(kind="table_count", min=2, max=2), sub(files["docx"])).met
    assert evaluate(check(kind="table_count", min=1), sub(files["pptx"])).met
    out = evaluate(check(kind="slide_count", min=1), sub(files["docx"]))
    assert out.met is False and "no deliverable of type pptx" in out.evidence


@pytest.mark.soffice
def test_docx_page_count_renders(files) -> None:
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    out = evaluate(check(kind="page_count", max=1), sub(files["docx"]))
    assert out.met is True, out.evidence


def test_text_contains_and_headings(files) -> None:
    s = sub(files["docx"], files["pdf"], files["pptx"], files["xlsx"])
    hit = evaluate(check(kind="text_contains", text="revenue rose 7%"), s)
    assert hit.met and "Memo.docx" in hit.evidence
    assert not evaluate(check(kind="text_contains", text="Revenue Rose", case_sensitive=True),
                        s).met
    assert evaluate(check(kind="text_contains", pattern=r"Schedule [AB] page t\w+"), s).met
    assert not evaluate(check(kind="text_contains", text="Form 1040", file="*.docx"), s).met
    assert evaluate(check(kind="heading_present", text="quarterly review"), s).met
    assert evaluate(check(kind="heading_present", text="Recommendations"), s).met  # slide
    assert evaluate(check(kind="heading_present", text="size calc", file="*.xls*"), s).met
    assert not evaluate(check(kind="heading_present", text="Appendix"), s).met


def test_unreadable_file_is_not_met_with_a_reason(files) -> None:
    out = evaluate(check(kind="sheet_present", sheet="Sample"), sub(files["broken"]))
    assert out.met is False and "unreadable" in out.evidence
    # another readable file in scope still satisfies the check
    both = sub(files["broken"], files["xlsx"])
    assert evaluate(check(kind="sheet_present", sheet="Sample"), both).met is True


def test_all_of_several_checks(files) -> None:
    s = sub(files["xlsx"])
    ok = evaluate_all([check(kind="file_type", types=["xlsx"]),
                       check(kind="file_name", stem="Sample")], s)
    assert ok.met is True and ";" in ok.evidence
    assert evaluate_all([check(kind="file_type", types=["xlsx"]),
                         check(kind="file_name", stem="Other")], s).met is False


def test_empty_submission_meets_nothing() -> None:
    assert evaluate(check(kind="file_type", types=["pdf"]), sub()).met is False
    assert evaluate(check(kind="text_contains", text="x"), sub()).met is False


def test_as_number() -> None:
    assert as_number("$1,234.50") == 1234.5
    assert as_number("(12)") == -12
    assert as_number("7%") == pytest.approx(0.07)
    assert as_number("−3") == -3
    assert as_number("12 apples") is None and as_number(True) is None
