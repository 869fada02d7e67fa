"""Submissions: the files one (run, task, sample) handed in, and the gold "run".

The professional's deliverable is stored as the submission of the reserved run ``gold``
(sample 0, model ``human/expert``), so that a comparison is always between two
submissions and reports can treat the expert as one more player.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from core.files import sha256_file
from core.store.db import Store
from core.suite import LoadedTask
from core.task import file_type_of

GOLD_RUN = "gold"
GOLD_MODEL = "human/expert"


@dataclass(frozen=True)
class DeliverableFile:
    deliverable_id: str
    run_id: str
    task_id: str
    sample: int
    name: str
    path: Path
    file_type: str
    sha256: str
    bytes: int


def _deliverable_id(run_id: str, task_id: str, sample: int, name: str) -> str:
    return hashlib.sha256(f"{run_id}\0{task_id}\0{sample}\0{name}".encode()).hexdigest()[:24]


def describe(run_id: str, task_id: str, sample: int, path: Path) -> DeliverableFile:
    """The row for one file on disk (hash and size read now)."""
    return DeliverableFile(
        deliverable_id=_deliverable_id(run_id, task_id, sample, path.name),
        run_id=run_id, task_id=task_id, sample=sample, name=path.name, path=path,
        file_type=file_type_of(path.name), sha256=sha256_file(path),
        bytes=path.stat().st_size,
    )


def replace_deliverables_sql(con: duckdb.DuckDBPyConnection, run_id: str, task_id: str,
                             sample: int, files: list[DeliverableFile]) -> None:
    """Inside a caller's transaction: make ``files`` the submission's whole file list."""
    con.execute("DELETE FROM deliverables WHERE run_id=? AND task_id=? AND sample=?",
                [run_id, task_id, sample])
    if files:
        con.executemany(
            """INSERT INTO deliverables (deliverable_id, run_id, task_id, sample, name, path,
                   file_type, sha256, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [(f.deliverable_id, f.run_id, f.task_id, f.sample, f.name, str(f.path),
              f.file_type, f.sha256, f.bytes) for f in files],
        )


def submission_files(store: Store, run_id: str, task_id: str, sample: int) -> list[DeliverableFile]:
    rows = store.query(
        """SELECT deliverable_id, run_id, task_id, sample, name, path, file_type, sha256, bytes
           FROM deliverables WHERE run_id=? AND task_id=? AND sample=? ORDER BY name""",
        [run_id, task_id, sample],
    )
    return [DeliverableFile(**{**r, "path": Path(r["path"])}) for r in rows]


def register_gold(store: Store, tasks: list[LoadedTask]) -> int:
    """Record each task's gold files as the submission (gold, task, 0). Idempotent."""
    described = {
        lt.id: [describe(GOLD_RUN, lt.id, 0, p.resolve()) for p in lt.gold_paths()]
        for lt in tasks
    }

    def write(con: duckdb.DuckDBPyConnection) -> int:
        con.execute("INSERT INTO runs (run_id, model, notes) VALUES (?, ?, ?) "
                    "ON CONFLICT (run_id) DO NOTHING",
                    [GOLD_RUN, GOLD_MODEL, "the professional's deliverables"])
        n = 0
        for task_id, files in described.items():
            if not files:
                continue
            con.execute(
                """INSERT INTO samples (run_id, task_id, sample, status, attempts)
                   VALUES (?, ?, 0, 'done', 1) ON CONFLICT DO NOTHING""",
                [GOLD_RUN, task_id])
            replace_deliverables_sql(con, GOLD_RUN, task_id, 0, files)
            n += len(files)
        return n

    return store.write(write)
