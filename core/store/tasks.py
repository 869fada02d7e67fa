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
from core.suite import LoadedTask
from core.task import Task


def spec_sha256(task: Task) -> str:
    payload = json.dumps(task.model_dump(mode="json"), sort_keys=True).encode()
    return hashlib.sha256(payload).hexdigest()


def upsert_tasks(store: Store, tasks: Iterable[LoadedTask]) -> int:
    """Record (or refresh) the given tasks; returns how many rows were written."""
    rows = [
        (
            lt.task.id, lt.task.sector, lt.task.occupation, lt.task.title,
            lt.task.deliverable_types, lt.task.expert_hours, lt.task.expert_hourly_wage_usd,
            json.dumps(lt.task.model_dump(mode="json")), spec_sha256(lt.task), str(lt.dir),
        )
        for lt in tasks
    ]

    def write(con: duckdb.DuckDBPyConnection) -> int:
        if rows:
            con.executemany(
                """INSERT INTO tasks (task_id, sector, occupation, title, deliverable_types,
                       expert_hours, expert_hourly_wage_usd, spec, spec_sha256, task_dir)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (task_id) DO UPDATE SET
                       sector = excluded.sector, occupation = excluded.occupation,
                       title = excluded.title, deliverable_types = excluded.deliverable_types,
                       expert_hours = excluded.expert_hours,
                       expert_hourly_wage_usd = excluded.expert_hourly_wage_usd,
                       spec = excluded.spec, spec_sha256 = excluded.spec_sha256,
                       task_dir = excluded.task_dir, updated_at = now()""",
                rows,
            )
        return len(rows)

    return store.write(write)


def get_task(store: Store, task_id: str) -> tuple[Task, str | None] | None:
    """The stored spec of a task and the folder it was loaded from, or None."""
    rows = store.query("SELECT spec, task_dir FROM tasks WHERE task_id = ?", [task_id])
    if not rows:
        return None
    return Task.model_validate(json.loads(rows[0]["spec"])), rows[0]["task_dir"]
