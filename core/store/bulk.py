"""Bulk inserts from DataFrames: for imports, benchmarks and test fixtures.

Single-row inserts cost about a millisecond each in DuckDB; a DataFrame goes in as one
scan. Only the frame's columns are written (the rest take their defaults), and they are
checked against the table first, so a typo names the column instead of failing deep in
DuckDB.
"""

from __future__ import annotations

import contextlib

import duckdb
import pandas as pd

from core.store.db import Store

TABLES = frozenset({"tasks", "runs", "samples", "deliverables", "model_calls", "rubric_grades",
                    "rubric_item_results", "batches", "comparisons", "reviewers", "assignments",
                    "judgments"})


def insert_frame_sql(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> int:
    """Inside a caller's transaction: append ``frame``'s rows to ``table``."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    cols = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
        [table]).fetchall()}
    extra = [c for c in frame.columns if c not in cols]
    if extra:
        raise ValueError(f"table {table} has no column {extra[0]!r}")
    if frame.empty:
        return 0
    con.register("_bulk_frame", frame)
    try:
        names = ", ".join(f'"{c}"' for c in frame.columns)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _bulk_frame")
    finally:
        with contextlib.suppress(duckdb.Error):   # an aborted transaction: keep its error
            con.unregister("_bulk_frame")
    return len(frame)


def insert_frames(store: Store, frames: dict[str, pd.DataFrame]) -> int:
    """Append several tables' rows in one transaction; returns the rows written."""
    return store.write(lambda con: sum(insert_frame_sql(con, t, f) for t, f in frames.items()))
