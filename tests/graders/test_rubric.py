"""The rubric grader reproduces hand-computed scores, with a judge over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.store.grades import ItemResult, get_grade
from graders import rubric
from graders.batch import grade_run_rubric
from graders.rubric import score_items
from tests.graders.conftest import (
    JUDGE,
    add_submission,
    add_task,
    chat_requests,
    fenced_blocks,
)
from tests.graders.makers import make_docx, make_text, make_xlsx
from tests.support.scripted_server import Reply, Rule, last_user_text

RUBRIC = [
    {"rubric_item_id": "type-name", "score": 2, "criterion":
     "The submitted deliverable is an Excel workbook file whose basename is 'Budget' "
     "(accept .xlsx, .xls, or .xlsm)."},  # auto-mapped to file_type + file_name
    {"rubric_item_id": "summary-sheet", "score": 2, "criterion": "Has a Summary sheet.",
     "check": {"kind": "sheet_present", "sheet": "Summary"}},
    {"rubric_item_id": "total", "score": 3, "criterion": "Total budget is 200.",
     "check": {"kind": "cell_value", "sheet": "Summary", "cell": "B4", "equals": 200,
               "tolerance": 0.01}},
    {"rubric_item_id": "assumptions", "score": 2,
     "criterion": "The summary explains the assumptions behind the totals."},
    {"rubric_item_id": "formatting", "score": 1,
     "criterion": "Overall formatting and style of the deliverable is professional."},
    {"rubric_item_id": "placeholder", "score": -3,
     "criterion": "The workbook contains placeholder text (e.g. TBD or lorem ipsum)."},
    {"rubric_item_id": "tbd-check", "score": -2, "criterion": "Contains 'TBD'.",
     "check": {"kind": "text_contains", "text": "TBD"}},
]
PROMPT = "Prepare Budget.xlsx with a Summary sheet totalling rent and staff costs."


def _summary(extra: dict[str, object]) -> dict:
    return {"Summary": {"A1": "Budget summary", "A2": "Rent", "B2": 120, "A3": "Staff",
                        "B3": 80, "A4": "Total", **extra}}


def gold_xlsx(p: Path) -> Path:
    return make_xlsx(p, _summary({"B4": "=SUM(B2:B3)",
                                  "A6": "Assumptions: 3% inflation on every line"}))


def weak_xlsx(p: Path) -> Path:
    return make_xlsx(p, _summary({"B4": 150, "A6": "Assumptions: flat costs",
                                  "A7": "Notes: TBD"}))


def responder(request: dict) -> Reply:
    """A judge that reads only the fenced deliverable (what a careful model would do)."""
    text = fenced_blocks(request).get("DELIVERABLE", "")
    criterion = last_user_text(request)
    if "assumptions behind" in criterion:
        met = "assumption" in text.lower()
    elif "formatting" in criterion:
        met = "[no files were submitted]" not in text
    elif "placeholder" in criterion:
        met = "tbd" in text.lower()
    else:
        raise AssertionError(f"unexpected judge question: {criterion[-300:]}")
    return Reply.json({"evidence": f"looked at {len(text)} characters", "met": met})


@pytest.fixture
def seeded(store, tmp_path: Path):
    add_task(store, tmp_path / "suite", {"id": "budget", "prompt": PROMPT, "rubric": RUBRIC},
             gold={"Budget.xlsx": gold_xlsx})
    made = tmp_path / "made"
    made.mkdir()
    add_submission(store, "r1", "openai/gpt-test", "budget", 0,
                   [gold_xlsx(made / "Budget.xlsx")])
    (made / "w").mkdir()
    add_submission(store, "r1", "openai/gpt-test", "budget", 1,
                   [weak_xlsx(made / "w" / "Budget.xlsx")])
    add_submission(store, "r1", "openai/gpt-test", "budget", 2,
                   [make_docx(made / "notes.docx", title="Budget notes", tables=0)])
    add_submission(store, "r1", "openai/gpt-test", "budget", 3, [])  # finished, no files
    return store


def _grades(store, judge: str = JUDGE) -> dict[int, tuple]:
    out = {}
    for sample in range(4):
        got = get_grade(store, "r1", "budget", sample, judge, rubric.GRADER_VERSION)
        if got:
            out[sample] = got
    return out


def test_hand_computed_scores_including_penalties(seeded, server, grade) -> None:
    server.responder = responder
    summary = grade(grade_run_rubric, "r1")
    grades = _grades(seeded)
    scores = {s: (g.status, g.score, g.points_met, g.points_possible)
              for s, (g, _) in grades.items()}
    # gold: every positive item met, no penalty          -> 10/10
    # weak: type 2 + sheet 2 + assumptions 2 + format 1 - placeholder 3 - TBD 2 = 2 -> 0.2
    # docx: only "formatting" (1)                        -> 0.1
    # empty: nothing                                     -> 0.0
    assert scores == {0: ("graded", 1.0, 10, 10), 1: ("graded", 0.2, 2, 10),
                      2: ("graded", 0.1, 1, 10), 3: ("graded", 0.0, 0, 10)}
    weak = {i.rubric_item_id: i for i in grades[1][1]}
    assert weak["total"].met is False and "B4 = 150" in weak["total"].evidence
    assert weak["placeholder"].met is True and weak["placeholder"].method == "judge"
    assert weak["tbd-check"].met is True and weak["tbd-check"].method == "check"
    assert weak["type-name"].evidence.startswith("[auto check: type+basename]")
    gold_total = {i.rubric_item_id: i for i in grades[0][1]}["total"]
    assert gold_total.met is True, gold_total.evidence  # recalculated formula value
    judged = weak["assumptions"]
    assert judged.call_id and '"met": true' in judged.raw_response
    calls = seeded.query("SELECT call_id, purpose, run_id, task_id FROM model_calls")
    assert {c["purpose"] for c in calls} == {"judge-rubric"}
    assert judged.call_id in {c["call_id"] for c in calls}
    assert len(calls) == chat_requests(server) == 4 * 3  # 3 judge items per submission
    assert summary.graded == 4 and summary.mean_score == pytest.approx(0.325)


def test_judge_failure_is_ungraded_then_retried_alone(seeded, server, grade) -> None:
    server.responder = responder
    server.add_rule(Rule(Reply.error(500), last_user_contains="assumptions behind"))
    grade(grade_run_rubric, "r1", task_ids=["budget"])
    gold, items = _grades(seeded)[0]
    failed = {i.rubric_item_id: i for i in items}["assumptions"]
    assert failed.met is None and failed.error and "server" in failed.error
    # partial: the score covers decided items only (8 positive points), never "not met"
    assert (gold.status, gold.score, gold.points_possible, gold.items_ungraded) == \
        ("partial", 1.0, 8, 1)
    first = chat_requests(server)

    server.rules.clear()
    grade(grade_run_rubric, "r1")
    assert chat_requests(server) - first == 4  # only the ungraded item, once per submission
    gold, _ = _grades(seeded)[0]
    assert (gold.status, gold.score, gold.items_ungraded) == ("graded", 1.0, 0)

    before = chat_requests(server)
    summary = grade(grade_run_rubric, "r1")
    assert chat_requests(server) == before  # idempotent: nothing left to ask
    assert summary.worked == 0 and summary.graded == 4


def test_same_family_judge_is_warned_and_recorded(seeded, server, grade) -> None:
    server.responder = responder
    # a GPT judging a GPT run
    summary = grade(grade_run_rubric, "r1", task_ids=["budget"], judge="test/gpt-judge")
    assert summary.warnings and "same family" in summary.warnings[0]
    gold, _ = _grades(seeded, "test/gpt-judge")[0]
    assert gold.raw["warnings"] == summary.warnings


def test_score_rule_never_counts_failures_as_not_met() -> None:
    items = [ItemResult("a", 4, True, "judge"), ItemResult("b", 4, None, "judge"),
             ItemResult("c", -2, True, "check"), ItemResult("d", 2, False, "judge")]
    s = score_items(items)
    assert (s.status, s.score, s.points_possible, s.items_ungraded) == \
        ("partial", pytest.approx(2 / 6), 6, 1)
    assert score_items([ItemResult("a", -5, True, "judge")]).status == "ungraded"
    assert score_items([ItemResult("a", 2, None, "judge")]).score is None
    # penalties can push below zero: clipped
    assert score_items([ItemResult("a", 1, True, "j"), ItemResult("b", -9, True, "j")]).score == 0


def test_reference_files_go_only_to_items_that_cite_them(store, server, grade,
                                                          tmp_path: Path) -> None:
    rubric_items = [
        {"rubric_item_id": "rows", "score": 1,
         "criterion": "N equals the number of data rows in the Population reference."},
        {"rubric_item_id": "coa", "score": 1,
         "criterion": "Accounts are consistent with accounts_chart.txt."},
        {"rubric_item_id": "tone", "score": 1, "criterion": "The tone is professional."},
    ]
    add_task(store, tmp_path / "suite", {"id": "ref", "prompt": "Count the rows.",
                                         "rubric": rubric_items},
             inputs={"population.txt": make_text("row1\nrow2\nPOP-MARKER"),
                     "accounts_chart.txt": make_text("1250 Prepaid")})
    (tmp_path / "c").mkdir()
    out = tmp_path / "c" / "answer.txt"
    out.write_text("N = 2")
    add_submission(store, "r1", "openai/gpt-test", "ref", 0, [out])
    seen: dict[str, str] = {}

    def respond(request: dict) -> Reply:
        user = last_user_text(request)
        key = next(i["rubric_item_id"] for i in rubric_items if i["criterion"] in user)
        seen[key] = fenced_blocks(request).get("REFERENCE FILES", "")
        return Reply.json({"evidence": "n/a", "met": True})

    server.responder = respond
    grade(grade_run_rubric, "r1")
    assert "POP-MARKER" in seen["rows"] and "1250 Prepaid" in seen["coa"]
    assert seen["tone"] == ""  # no reference files for an item that does not cite them


def test_page_images_only_for_criteria_about_looks(seeded, server, grade, monkeypatch) -> None:
    monkeypatch.setenv("TEST_CAPABILITIES", "json_schema,images")
    server.responder = responder
    grade(grade_run_rubric, "r1", task_ids=["budget"])
    with_images = {}
    for body in server.bodies():
        content = body["messages"][1]["content"]
        parts = content if isinstance(content, list) else [{"type": "text", "text": content}]
        criterion = next(i["rubric_item_id"] for i in RUBRIC
                         if i["criterion"] in parts[0]["text"])
        with_images.setdefault(criterion, set()).add(
            sum(p["type"] == "image_url" for p in parts))
    # formatting is judged with the pages (1 for the single-sheet workbooks; 0 for the
    # empty submission), the content criteria without
    assert with_images["formatting"] >= {1} and with_images["assumptions"] == {0}
    assert with_images["placeholder"] == {0}
