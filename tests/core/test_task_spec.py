"""The task spec models: what task.yaml accepts and rejects."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.task import FileRef, RubricItem, Task, file_type_of


def _task(**over):
    base = dict(id="t-1", title="T", sector="Government",
                occupation="Compliance Officers", prompt="Do it.",
                rubric=[{"rubric_item_id": "r1", "criterion": "c", "score": 2}])
    base.update(over)
    return Task.model_validate(base)


def test_minimal_task_is_valid_and_runnable():
    t = _task()
    assert t.runnable and t.blockers == []
    assert t.positive_points == 2


@pytest.mark.parametrize("path", ["../x.pdf", "inputs/../../etc/passwd", "/etc/passwd",
                                  "C:\\x.docx", " inputs/a.pdf"])
def test_file_paths_must_stay_inside_the_task_folder(path):
    with pytest.raises(ValidationError):
        FileRef(path=path)


def test_rubric_score_must_be_a_nonzero_whole_number():
    for bad in (0, 1.5, None, True, "two"):
        with pytest.raises(ValidationError):
            RubricItem(rubric_item_id="r", criterion="c", score=bad)
    assert RubricItem(rubric_item_id="r", criterion="c", score=-60).score == -60
    assert RubricItem(rubric_item_id="r", criterion="c", score=5.0).score == 5


def test_unknown_fields_are_errors_not_ignored():
    with pytest.raises(ValidationError) as exc:
        _task(prompts="typo")
    assert "prompts" in str(exc.value)


def test_duplicate_rubric_item_ids_rejected():
    with pytest.raises(ValidationError, match="appears twice"):
        _task(rubric=[{"rubric_item_id": "a", "criterion": "x", "score": 1},
                      {"rubric_item_id": "a", "criterion": "y", "score": 1}])


def test_missing_files_make_task_not_runnable_with_reason():
    t = _task(inputs=[{"path": "inputs/a.xlsx", "missing": True}])
    assert not t.runnable
    assert "inputs/a.xlsx" in t.blockers[0]


def test_checks_are_validated():
    with pytest.raises(ValidationError):
        _task(rubric=[{"rubric_item_id": "a", "criterion": "x", "score": 1,
                       "check": {"kind": "cell_value", "cell": "B7"}}])  # no expectation
    with pytest.raises(ValidationError):
        _task(rubric=[{"rubric_item_id": "a", "criterion": "x", "score": 1,
                       "check": {"kind": "no_such_check"}}])
    t = _task(rubric=[{"rubric_item_id": "a", "criterion": "x", "score": 1,
                       "check": {"kind": "slide_count", "min": 5}}])
    assert t.rubric[0].check.kind == "slide_count"


def test_deliverable_types_fall_back_to_gold_files():
    t = _task(gold=[{"path": "gold/Sample.xlsx"}, {"path": "gold/memo.docx"}])
    assert t.deliverable_types == ["docx", "xlsx"]
    assert file_type_of("Report.PDF") == "pdf"
    assert file_type_of("weird.zzz") == "other"
