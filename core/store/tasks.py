"""Task snapshots in the store: what each task said when it was run or graded.

Reports group by sector and occupation, and graders need the rubric, long after the suite
on disk may have changed; so the store keeps each task's spec, keyed by id, with a hash
that tells when the spec changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

import duckdb

from core.store.db import Store
from core.store.rowsql import insert_rows, last_by_key
from core.suite import LoadedTask
from core.task import Task


def _sha256_of(spec: dict) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()


# the columns as read from the bound JSON (``spec`` is sent as its JSON text)
_TASK_COLUMNS = {
    "task_id": "VARCHAR", "sector": "VARCHAR", "occupation": "VARCHAR", "title": "VARCHAR",
    "deliverable_types": "VARCHAR[]", "expert_hours": "DOUBLE",
    "expert_hourly_wage_usd": "DOUBLE", "spec": "VARCHAR", "spec_sha256": "VARCHAR",
    "task_dir": "VARCHAR"}


def upsert_tasks(store: Store, tasks: Iterable[LoadedTask]) -> int:
    """Record (or refresh) the given tasks; returns how many rows were written (a task
    given twice counts once, its last spec kept)."""
    rows = last_by_key([
        (
            lt.task.id, lt.task.sector, lt.task.occupation, lt.task.title,
            lt.task.deliverable_types, lt.task.expert_hours, lt.task.expert_hourly_wage_usd,
            json.dumps(spec := lt.task.model_dump(mode="json")), _sha256_of(spec), str(lt.dir),
        )
        for lt in tasks
    ])

    def write(con: duckdb.DuckDBPyConnection) -> int:
        insert_rows(
            con, "tasks", _TASK_COLUMNS, rows,
            """ON CONFLICT (task_id) DO UPDATE SET
                   sector = excluded.sector, occupation = excluded.occupation,
                   title = excluded.title, deliverable_types = excluded.deliverable_types,
                   expert_hours = excluded.expert_hours,
                   expert_hourly_wage_usd = excluded.expert_hourly_wage_usd,
                   spec = excluded.spec, spec_sha256 = excluded.spec_sha256,
                   task_dir = excluded.task_dir, updated_at = now()""")
        return len(rows)

    return store.write(write)


def get_task(store: Store, task_id: str) -> tuple[Task, str | None] | None:
    """The stored spec of a task and the folder it was loaded from, or None."""
    rows = store.query("SELECT spec, task_dir FROM tasks WHERE task_id = ?", [task_id])
    if not rows:
        return None
    return Task.model_validate(json.loads(rows[0]["spec"])), rows[0]["task_dir"]
