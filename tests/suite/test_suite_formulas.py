"""Gold workbooks' formulas, recalculated by LibreOffice, agree with the values checks read.

openpyxl writes formulas without cached results, so a wrong reference in a gold workbook
would only show when someone opens it. One soffice run recalculates every gold workbook;
the tie-outs below are the ones a reviewer would look at.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from core.suite import load_suite

from .conftest import SUITE_DIR

pytestmark = pytest.mark.soffice

# workbook name -> [(sheet, cell or "label@column", expected: number, "=Sheet!Cell" or text)]
TIE_OUTS = {
    "Lease_vs_Buy_Analysis.xlsx": [("Summary", "C4", "=Summary!B4"), ("Summary", "C5",
                                                                      "=Summary!B5"),
                                   ("Summary", "C6", "=Summary!B6")],
    "Northwind_Video_Budget_Schedule.xlsx": [("Budget", "GRAND TOTAL@F", "=Summary!B4")],
    "Q3_Accruals_Schedule.xlsx": [("Summary", "B9", 0), ("Journal Entry", "E11", "Balanced"),
                                  ("Accrual Detail", "Total@E", "=Summary!B4")],
    "Oakmont_CAM_Reconciliation_FY2026.xlsx": [("Summary", "B15", 0),
                                               ("Expense Pool", "Total CAM@E", "=Summary!B5"),
                                               ("Expense Pool", "Total Taxes@E", "=Summary!B7")],
    "Q3_Commission_Calculation.xlsx": [("Rep Summary", "Total@H", "=Rep Summary!B3")],
}
ERRORS = ("#REF!", "#NAME?", "#DIV/0!", "#VALUE!", "#N/A", "Err:")


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> dict[str, Path]:
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed")
    golds = [p for lt in load_suite(SUITE_DIR).tasks for p in lt.gold_paths()
             if p.suffix == ".xlsx"]
    out = tmp_path_factory.mktemp("recalc")
    profile = tmp_path_factory.mktemp("lo-profile")
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), *map(str, golds)],
                   check=True, capture_output=True, timeout=180)
    done = {p.name: out / p.name for p in golds}
    missing = [n for n, p in done.items() if not p.exists()]
    assert not missing, f"LibreOffice did not convert {missing}"
    return done


def _value(wb, sheet: str, ref: str):
    ws = wb[sheet]
    if "@" not in ref:
        return ws[ref].value
    label, col = ref.split("@")
    for row in ws.iter_rows():
        if any(c.value == label for c in row):
            return ws[f"{col}{row[0].row}"].value
    raise AssertionError(f"no row labelled {label!r} on {sheet}")


def test_no_formula_errors_in_any_gold_workbook(recalculated):
    for name, path in recalculated.items():
        wb = openpyxl.load_workbook(path, data_only=True)
        bad = [f"{ws.title}!{c.coordinate}={c.value}" for ws in wb for row in ws.iter_rows()
               for c in row if isinstance(c.value, str) and c.value.startswith(ERRORS)]
        assert not bad, f"{name}: {bad[:5]}"


def test_formula_tie_outs_match_checked_values(recalculated):
    assert set(TIE_OUTS) <= set(recalculated)
    for name, ties in TIE_OUTS.items():
        wb = openpyxl.load_workbook(recalculated[name], data_only=True)
        for sheet, ref, expected in ties:
            got = _value(wb, sheet, ref)
            if isinstance(expected, str) and expected.startswith("="):
                other_sheet, cell = expected[1:].rsplit("!", 1)
                expected = wb[other_sheet][cell].value
            if isinstance(expected, str):
                assert got == expected, f"{name} {sheet}!{ref}"
            else:
                assert got == pytest.approx(expected, abs=0.01), f"{name} {sheet}!{ref}"
