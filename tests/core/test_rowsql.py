"""Set-based writes through one JSON parameter: types, NULLs, quotes and conflicts."""

from __future__ import annotations

from datetime import datetime

from core.store import Store
from core.store.rowsql import first_by_key, insert_rows, last_by_key, with_rows


def test_rows_keep_their_types_nulls_and_text(tmp_path):
    store = Store(tmp_path / "r.duckdb")
    at = datetime(2026, 3, 4, 5, 6, 7, 891011)
    types = {"task_id": "VARCHAR", "sector": "VARCHAR", "occupation": "VARCHAR",
             "title": "VARCHAR", "deliverable_types": "VARCHAR[]", "expert_hours": "DOUBLE",
             "spec": "VARCHAR", "spec_sha256": "VARCHAR"}
    rows = [("t1", "Fin", "O'Brien's \"desk\"", "Ünïcode ✓", ["docx", "xlsx"], 1.25,
             '{"a": [1, 2]}', "x"),
            ("t2", "Fin", "Occ", "T", [], None, "{}", "y")]
    store.write(lambda con: insert_rows(con, "tasks", types, rows))
    got = store.query("SELECT task_id, occupation, title, deliverable_types, expert_hours, "
                      "spec::VARCHAR AS spec FROM tasks ORDER BY task_id")
    assert [tuple(r.values()) for r in got] == [
        ("t1", "O'Brien's \"desk\"", "Ünïcode ✓", ["docx", "xlsx"], 1.25, '{"a": [1, 2]}'),
        ("t2", "Occ", "T", [], None, "{}")]
    store.write(lambda con: con.execute(
        "INSERT INTO runs (run_id, model) VALUES ('r', 'm');"
        "INSERT INTO samples (run_id, task_id, sample, status) "
        "VALUES ('r', 't1', 0, 'pending'), ('r', 't2', 0, 'pending')"))
    store.write(lambda con: with_rows(
        con, {"task_id": "VARCHAR", "at": "TIMESTAMP", "n": "BIGINT"},
        [("t1", at, 2**40), ("t2", None, None)],
        "UPDATE samples SET started_at = b.at, input_tokens = b.n FROM {b} "
        "WHERE samples.task_id = b.task_id"))
    got = store.query("SELECT task_id, started_at, input_tokens FROM samples ORDER BY task_id")
    assert [tuple(r.values()) for r in got] == [("t1", at, 2**40), ("t2", None, None)]
    store.write(lambda con: with_rows(con, {"task_id": "VARCHAR"}, [], "nonsense {b}"))
    Store.close_all()


def test_repeated_keys_are_resolved_before_one_statement():
    rows = [("a", 1), ("b", 2), ("a", 3)]
    assert last_by_key(rows) == [("a", 3), ("b", 2)]
    assert first_by_key(rows) == [("a", 1), ("b", 2)]
