"""Rubric grades: one row per (submission, judge, grader version), one row per rubric item.

A grade is rewritten in place while it is incomplete: re-grading keeps the items already
decided and retries only the ungraded ones, so ``rubric_item_results`` always holds the
latest verdict per item and nothing decided is ever asked twice. Also here: which
submissions of a run exist to be graded, and which model made a run (for the judge-family
warning), because graders need them and they are read-only questions about runs.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import duckdb

from core.store.db import Store


@dataclass(frozen=True)
class ItemResult:
    """One rubric item's verdict; ``met`` None means ungraded (the judge failed)."""

    rubric_item_id: str
    points: int
    met: bool | None
    method: str  # check | judge
    evidence: str | None = None
    raw_response: str | None = None
    call_id: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Grade:
    grade_id: str
    run_id: str
    task_id: str
    sample: int
    judge_model: str
    grader_version: str
    status: str  # graded | partial | ungraded
    score: float | None
    points_met: float | None
    points_possible: float | None
    items_ungraded: int = 0
    error: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def grade_id_for(run_id: str, task_id: str, sample: int, judge_model: str,
                 grader_version: str) -> str:
    key = f"{run_id}\0{task_id}\0{sample}\0{judge_model}\0{grader_version}"
    return "grd_" + hashlib.sha256(key.encode()).hexdigest()[:20]


_GRADE_COLS = ("grade_id, run_id, task_id, sample, judge_model, grader_version, status, score, "
               "points_met, points_possible, items_ungraded, error, raw")
_ITEM_COLS = ("rubric_item_id, points, met, method, evidence, raw_response, call_id, error")


def _grade(row: dict) -> Grade:
    raw = row.pop("raw")
    return Grade(**row, raw=json.loads(raw) if raw else {})


def get_grade(store: Store, run_id: str, task_id: str, sample: int, judge_model: str,
              grader_version: str) -> tuple[Grade, list[ItemResult]] | None:
    """The stored grade and its item results, or None if never graded."""
    gid = grade_id_for(run_id, task_id, sample, judge_model, grader_version)

    def read(con: duckdb.DuckDBPyConnection) -> tuple[Grade, list[ItemResult]] | None:
        cur = con.execute(f"SELECT {_GRADE_COLS} FROM rubric_grades WHERE grade_id = ?", [gid])
        row = cur.fetchone()
        if row is None:
            return None
        grade = _grade(dict(zip([d[0] for d in cur.description], row, strict=True)))
        cur = con.execute(f"SELECT {_ITEM_COLS} FROM rubric_item_results WHERE grade_id = ? "
                          "ORDER BY rubric_item_id", [gid])
        cols = [d[0] for d in cur.description]
        items = [ItemResult(**dict(zip(cols, r, strict=True))) for r in cur.fetchall()]
        return grade, items

    return store.read(read)


def save_grade(store: Store, grade: Grade, items: list[ItemResult]) -> None:
    """Write the grade and make ``items`` its whole item list, in one transaction."""
    def write(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("DELETE FROM rubric_item_results WHERE grade_id = ?", [grade.grade_id])
        con.execute("DELETE FROM rubric_grades WHERE grade_id = ?", [grade.grade_id])
        con.execute(
            f"INSERT INTO rubric_grades ({_GRADE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?)",
            [grade.grade_id, grade.run_id, grade.task_id, grade.sample, grade.judge_model,
             grade.grader_version, grade.status, grade.score, grade.points_met,
             grade.points_possible, grade.items_ungraded, grade.error,
             json.dumps(grade.raw)])
        if items:
            con.executemany(
                f"INSERT INTO rubric_item_results (grade_id, {_ITEM_COLS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(grade.grade_id, i.rubric_item_id, i.points, i.met, i.method, i.evidence,
                  i.raw_response, i.call_id, i.error) for i in items])

    store.write(write)


def grades_of_run(store: Store, run_id: str, *, judge_model: str | None = None,
                  grader_version: str | None = None) -> list[Grade]:
    """Grades of a run, optionally for one judge and grader version."""
    sql = f"SELECT {_GRADE_COLS} FROM rubric_grades WHERE run_id = ?"
    params: list[Any] = [run_id]
    if judge_model is not None:
        sql += " AND judge_model = ?"
        params.append(judge_model)
    if grader_version is not None:
        sql += " AND grader_version = ?"
        params.append(grader_version)
    return [_grade(r) for r in store.query(sql + " ORDER BY task_id, sample", params)]


def run_model(store: Store, run_id: str) -> str | None:
    """The model a run used, or None when the run is unknown."""
    rows = store.query("SELECT model FROM runs WHERE run_id = ?", [run_id])
    return rows[0]["model"] if rows else None


def submissions_of_run(store: Store, run_id: str,
                       task_ids: list[str] | None = None) -> list[tuple[str, int]]:
    """(task, sample) pairs of a run that handed something in, or finished with nothing.

    A sample that finished (``done``) without files is a real, gradable submission: an
    empty one. Failed or unfinished samples without files are not submissions.
    """
    rows = store.query(
        """SELECT task_id, sample FROM deliverables WHERE run_id = ?
           UNION SELECT task_id, sample FROM samples WHERE run_id = ? AND status = 'done'
           ORDER BY task_id, sample""", [run_id, run_id])
    wanted = set(task_ids) if task_ids else None
    return [(r["task_id"], r["sample"]) for r in rows
            if wanted is None or r["task_id"] in wanted]
