"""The DuckDB store: migrations, and two processes sharing one file without losing writes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from core.store import Store, StoreLockedError
from core.store import migrations as mig
from core.store.comparisons import ensure_comparison
from core.store.submissions import GOLD_RUN, register_gold, submission_files
from core.store.tasks import get_task, upsert_tasks
from core.suite import load_suite
from tests.conftest import REPO


def test_new_file_gets_latest_schema(tmp_db):
    store = Store(tmp_db)
    assert store.schema_version() == mig.LATEST
    tables = {r["table_name"] for r in store.query(
        "SELECT table_name FROM information_schema.tables")}
    assert {"tasks", "runs", "samples", "deliverables", "model_calls", "rubric_grades",
            "comparisons", "judgments", "reviewers", "assignments", "batches"} <= tables
    Store(tmp_db)  # reopening is a no-op
    assert store.query("SELECT count(*) AS n FROM schema_version")[0]["n"] == mig.LATEST


def test_older_file_is_upgraded_in_place_keeping_data(tmp_db, monkeypatch):
    store = Store(tmp_db)
    store.write(lambda con: con.execute("INSERT INTO runs (run_id, model) VALUES ('r', 'a/b')"))
    newer = [*mig.MIGRATIONS,
             (mig.LATEST + 1, "add a column", "ALTER TABLE runs ADD COLUMN label VARCHAR")]
    monkeypatch.setattr(mig, "MIGRATIONS", newer)
    monkeypatch.setattr("core.store.db.MIGRATIONS", newer)
    monkeypatch.setattr("core.store.db.LATEST", mig.LATEST + 1)
    upgraded = Store(tmp_db)
    assert upgraded.schema_version() == mig.LATEST + 1
    assert upgraded.query("SELECT run_id, label FROM runs") == [{"run_id": "r", "label": None}]


def test_file_from_a_newer_occubench_is_refused(tmp_db):
    Store(tmp_db)
    Store.close_all()
    con = duckdb.connect(str(tmp_db))
    con.execute("INSERT INTO schema_version (version, description) VALUES (999, 'future')")
    con.close()
    with pytest.raises(RuntimeError, match="newer than this occubench"):
        Store(tmp_db)


HOLDER = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    con.execute("INSERT INTO runs (run_id, model) VALUES ('holder', 'x/y')")
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
    con.close()
""")


def _hold(db: Path, seconds: float) -> subprocess.Popen:
    Store.close_all()  # let go of the file so the other process can take it
    p = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(seconds)],
                         stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "holding"
    return p


def test_second_process_waits_for_the_lock_then_writes(tmp_db):
    store = Store(tmp_db)
    holder = _hold(tmp_db, 1.5)
    t0 = time.monotonic()
    store.write(lambda con: con.execute("INSERT INTO runs (run_id, model) VALUES ('me', 'a/b')"))
    waited = time.monotonic() - t0
    holder.wait(10)
    assert waited > 0.5  # it really had to wait for the other process
    assert {r["run_id"] for r in store.query("SELECT run_id FROM runs")} == {"holder", "me"}


def test_lock_held_too_long_is_a_clear_error(tmp_db):
    store = Store(tmp_db, lock_timeout=0.5)
    holder = _hold(tmp_db, 3)
    try:
        with pytest.raises(StoreLockedError, match="locked by another process"):
            store.query("SELECT 1")
    finally:
        holder.kill()
        holder.wait()


WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[3])
    from core.store import Store
    s = Store(sys.argv[1])
    for i in range(int(sys.argv[2])):
        s.write(lambda con: con.execute(
            "INSERT INTO runs (run_id, model) VALUES (?, 'p/m')", [f"{sys.argv[4]}-{i}"]))
""")


def test_two_processes_writing_at_once_lose_nothing(tmp_db):
    Store(tmp_db)
    Store.close_all()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_db), "60", str(REPO), name])
             for name in ("a", "b")]
    for p in procs:
        assert p.wait(120) == 0
    rows = Store(tmp_db).query("SELECT run_id FROM runs")
    assert len(rows) == 120 and len({r["run_id"] for r in rows}) == 120


def test_tasks_gold_and_comparisons_are_idempotent(tmp_path, tmp_db):
    d = tmp_path / "suite" / "government" / "compliance-officers" / "t1"
    (d / "gold").mkdir(parents=True)
    (d / "gold" / "memo.docx").write_bytes(b"PK fake docx")
    (d / "task.yaml").write_text(
        "id: t1\ntitle: T\nsector: Government\noccupation: Compliance Officers\n"
        "prompt: Do it.\ngold: [{path: gold/memo.docx}]\n"
        "rubric: [{rubric_item_id: r1, criterion: c, score: 1}]\n")
    suite = load_suite(tmp_path / "suite")
    store = Store(tmp_db)
    for _ in range(2):
        upsert_tasks(store, suite.tasks)
        register_gold(store, suite.tasks)
        ensure_comparison(store, "t1", ("run-1", 0), (GOLD_RUN, 0))
    counts = store.query("""SELECT (SELECT count(*) FROM tasks) t, (SELECT count(*) FROM
        deliverables) d, (SELECT count(*) FROM comparisons) c, (SELECT count(*) FROM samples) s""")
    assert counts == [{"t": 1, "d": 1, "c": 1, "s": 1}]
    files = submission_files(store, GOLD_RUN, "t1", 0)
    assert [(f.name, f.file_type, f.bytes) for f in files] == [("memo.docx", "docx", 12)]
    task, task_dir = get_task(store, "t1")
    assert task.rubric[0].rubric_item_id == "r1" and task_dir == str(d)
