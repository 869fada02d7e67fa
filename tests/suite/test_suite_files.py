"""Every input and gold file opens with its library, has real content and neutral metadata."""

from __future__ import annotations

import datetime as dt

import docx
import openpyxl
import pdfplumber
import pptx
import pytest

from core.suite import load_suite
from core.task import file_type_of

from .check_eval import csv_rows, text_of
from .conftest import SUITE_DIR

FILES = [(lt.id, role, p) for lt in load_suite(SUITE_DIR).tasks
         for role, paths in (("input", lt.input_paths()), ("gold", lt.gold_paths()))
         for p in paths]
BUILD_TIME = dt.datetime(2026, 11, 2, 9, 0, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("task_id,role,path", FILES,
                         ids=[f"{t}/{r}/{p.name}" for t, r, p in FILES])
def test_file_opens_and_is_substantial(task_id, role, path):
    kind = file_type_of(path.name)
    words = len(text_of(path).split())
    if kind == "docx":
        d = docx.Document(str(path))
        assert d.core_properties.author == "occubench"
        assert d.core_properties.created == BUILD_TIME
        assert words >= 120
    elif kind == "xlsx":
        wb = openpyxl.load_workbook(path)
        assert wb.properties.creator == "occubench"
        cells = sum(1 for ws in wb for row in ws.iter_rows(values_only=True)
                    for v in row if v is not None)
        assert cells >= (40 if role == "gold" else 25), f"only {cells} cells"
    elif kind == "pptx":
        deck = pptx.Presentation(str(path))
        assert deck.core_properties.author == "occubench"
        assert len(deck.slides) >= 6
        assert all(s.shapes.title is not None and s.shapes.title.text for s in deck.slides)
        assert words >= 200
    elif kind == "pdf":
        with pdfplumber.open(path) as pdf:
            assert 1 <= len(pdf.pages) <= 4
            assert pdf.metadata.get("Author") == "occubench"
        assert words >= 80
    elif kind == "csv":
        rows = csv_rows(path)
        assert len(rows) >= 7 and len({len(r) for r in rows}) == 1, "ragged or tiny CSV"
    elif kind == "txt":
        assert words >= 100
    else:
        pytest.fail(f"unexpected file type {kind} for {path.name}")


def test_gold_workbooks_keep_values_where_checks_read():
    """A cell a rubric check reads must hold a value, not a formula (no cached results)."""
    for lt in load_suite(SUITE_DIR).tasks:
        for it in lt.task.rubric:
            c = it.check
            if c is None or c.kind != "cell_value":
                continue
            for path in lt.gold_paths():
                if path.suffix == ".xlsx":
                    v = openpyxl.load_workbook(path)[c.sheet][c.cell].value
                    assert not (isinstance(v, str) and v.startswith("=")), it.rubric_item_id
