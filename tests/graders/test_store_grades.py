"""The grades store API and autograder judgments, on a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

from core.store.comparisons import (
    AutoJudgment,
    auto_judgments_of_run,
    ensure_comparison,
    latest_auto_judgment,
    record_auto_judgment,
)
from core.store.db import Store
from core.store.grades import (
    Grade,
    ItemResult,
    get_grade,
    grade_id_for,
    grades_of_run,
    run_model,
    save_grade,
    submissions_of_run,
)


def _grade(status: str = "partial", score: float | None = 0.5) -> Grade:
    gid = grade_id_for("r1", "t1", 0, "local/judge", "v1")
    return Grade(gid, "r1", "t1", 0, "local/judge", "v1", status, score, 2.0, 4.0, 1,
                 raw={"warnings": ["same family"]})


def test_save_replaces_items_and_round_trips(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.duckdb")
    items = [ItemResult("a", 2, True, "check", evidence="x.xlsx is xlsx"),
             ItemResult("b", 2, None, "judge", error="timeout", call_id="c1")]
    save_grade(store, _grade(), items)
    items[1] = ItemResult("b", 2, False, "judge", evidence="missing", raw_response="{}",
                          call_id="c2")
    save_grade(store, _grade("graded", 0.5), items)
    grade, got = get_grade(store, "r1", "t1", 0, "local/judge", "v1")
    assert grade.status == "graded" and grade.raw == {"warnings": ["same family"]}
    assert got == sorted(items, key=lambda i: i.rubric_item_id)
    assert len(grades_of_run(store, "r1")) == 1
    assert grades_of_run(store, "r1", judge_model="other") == []
    assert get_grade(store, "r1", "t1", 0, "local/judge", "v2") is None


def test_submissions_include_finished_empty_samples(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.duckdb")

    def seed(con) -> None:  # a run's rows as the runner writes them
        con.execute("INSERT INTO runs (run_id, model) VALUES ('r1', 'openai/gpt-x')")
        con.execute("""INSERT INTO samples (run_id, task_id, sample, status) VALUES
                       ('r1', 't1', 0, 'done'), ('r1', 't2', 0, 'done'),
                       ('r1', 't3', 0, 'failed')""")
        con.execute("""INSERT INTO deliverables (deliverable_id, run_id, task_id, sample, name,
                       path, file_type, sha256, bytes)
                       VALUES ('d1', 'r1', 't1', 0, 'a.docx', '/x/a.docx', 'docx', 'h', 1)""")
    store.write(seed)
    assert run_model(store, "r1") == "openai/gpt-x" and run_model(store, "nope") is None
    assert submissions_of_run(store, "r1") == [("t1", 0), ("t2", 0)]
    assert submissions_of_run(store, "r1", ["t2"]) == [("t2", 0)]


def test_graded_judgment_lands_once_and_supersedes_ungraded(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.duckdb")
    comp = ensure_comparison(store, "t1", ("r1", 0), ("gold", 0))
    failed = AutoJudgment("j1", comp.comparison_id, "judge/m", "v1", "ungraded", None, None,
                          "judge failed", {"orders": []})
    assert record_auto_judgment(store, failed)
    assert latest_auto_judgment(store, comp.comparison_id, "judge/m", "v1").judgment_id == "j1"
    ok = AutoJudgment("j2", comp.comparison_id, "judge/m", "v1", "graded", 1.0, True, "A wins",
                      {"orders": [1, 2]}, supersedes="j1")
    twin = AutoJudgment("j3", comp.comparison_id, "judge/m", "v1", "graded", 0.0, True, "B",
                        {}, supersedes="j1")
    assert record_auto_judgment(store, ok)
    assert not record_auto_judgment(store, twin)  # same pair, judge, version: stored once
    latest = latest_auto_judgment(store, comp.comparison_id, "judge/m", "v1")
    assert latest.judgment_id == "j2" and latest.outcome == 1.0 and latest.raw == {"orders": [1, 2]}
    assert [(t, s, j.judgment_id) for t, s, j in
            auto_judgments_of_run(store, "r1", "gold", "judge/m", "v1")] == [("t1", 0, "j2")]
    rows = store.query("SELECT count(*) AS n FROM judgments")
    assert rows[0]["n"] == 2  # append-only: the failed attempt is kept, superseded
