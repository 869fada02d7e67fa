"""Every explicit check holds on the gold where it should, and only there."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import openpyxl
import pytest

from core.checks import CellValue, TextContains
from core.suite import load_suite

from .check_eval import holds
from .conftest import SUITE_DIR

TASKS = load_suite(SUITE_DIR).tasks
CHECKED = [(lt, it) for lt in TASKS for it in lt.task.rubric if it.check is not None]


@pytest.mark.parametrize("lt,it", CHECKED, ids=[it.rubric_item_id for _, it in CHECKED])
def test_check_agrees_with_gold(lt, it):
    """Positive items hold on the professional's deliverable; penalty items do not."""
    met = holds(it.check, lt.gold_paths())
    if it.score > 0:
        assert met, f"gold fails its own check: {it.criterion}"
    else:
        assert not met, f"gold triggers its own penalty: {it.criterion}"


def test_every_task_has_penalty_and_value_checks():
    kinds = {it.check.kind for _, it in CHECKED}
    assert {"file_name", "sheet_present", "cell_value", "slide_count", "page_count",
            "text_contains", "heading_present"} <= kinds
    assert sum(it.score < 0 for _, it in CHECKED) >= 18


def test_checks_reject_other_tasks_gold():
    """The evaluator is not a rubber stamp: another task's gold fails most positive checks."""
    for i, lt in enumerate(TASKS):
        other = TASKS[(i + 1) % len(TASKS)]
        positives = [it.check for it in lt.task.rubric if it.check and it.score > 0]
        passed = sum(holds(c, other.gold_paths()) for c in positives)
        assert passed <= len(positives) // 2, f"{other.id} gold passes {lt.id}'s checks"


def test_cell_check_fails_when_the_gold_number_changes(tmp_path: Path):
    cases = [(lt, it) for lt, it in CHECKED if isinstance(it.check, CellValue) and it.score > 0]
    assert len(cases) >= 6
    for lt, it in cases:
        src = next(p for p in lt.gold_paths() if p.suffix == ".xlsx")
        dst = tmp_path / lt.id / src.name
        dst.parent.mkdir(exist_ok=True)
        wb = openpyxl.load_workbook(src)
        wb[it.check.sheet][it.check.cell].value += 1000
        wb.save(dst)
        assert not holds(it.check, [dst]), it.rubric_item_id


def test_wrong_total_penalties_fire_on_a_wrong_workbook(tmp_path: Path):
    """Cell-value penalties (double counting) hold when the deliverable has that number."""
    cases = [(lt, it) for lt, it in CHECKED if isinstance(it.check, CellValue) and it.score < 0]
    assert len(cases) >= 2
    for lt, it in cases:
        src = next(p for p in lt.gold_paths() if p.suffix == ".xlsx")
        dst = tmp_path / lt.id / src.name
        dst.parent.mkdir(exist_ok=True)
        shutil.copy(src, dst)
        wb = openpyxl.load_workbook(dst)
        wb[it.check.sheet][it.check.cell].value = it.check.equals
        wb.save(dst)
        assert holds(it.check, [dst]), it.rubric_item_id


def test_placeholder_penalty_fires_on_template_text(tmp_path: Path):
    it = next(i for i in TASKS[0].task.rubric if i.rubric_item_id.endswith(":placeholder-text"))
    assert isinstance(it.check, TextContains)
    cases = (("Dear [Client Name], thank you.", True), ("Lorem ipsum dolor", True),
             ("Total due: TBD", True), ("Dated [Insert date]", True),
             ("Dear Ms. Marsh, thank you.", False), ("Room [B] is TBDX", False))
    for n, (text, expect) in enumerate(cases):
        d = docx.Document()
        d.add_paragraph(text)
        path = tmp_path / f"memo{n}.docx"
        d.save(str(path))
        assert holds(it.check, [path]) is expect, text
