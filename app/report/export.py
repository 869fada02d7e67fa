"""Tidy tables for analysis: CSV or Parquet (a folder, one file per table, plus
``meta.json``) or JSON (one document: ``{"meta": ..., "tables": {name: [rows]}}``).
Missing values are empty (CSV) or null (JSON, Parquet), never 0."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from app.report.build import Report


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return json.loads(df.to_json(orient="records", double_precision=10))


def report_json(report: Report) -> str:
    doc = {"meta": report.meta,
           "tables": {name: _records(df) for name, df in report.tables().items()}}
    return json.dumps(doc, indent=1, default=str, allow_nan=False) + "\n"


def write_tables(report: Report, folder: Path, fmt: str) -> list[Path]:
    """Write each table as ``<name>.csv`` or ``<name>.parquet`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in report.tables().items():
        path = folder / f"{name}.{fmt}"
        if fmt == "csv":
            df.to_csv(path, index=False)
        else:
            df.to_parquet(path, index=False)
        written.append(path)
    meta = folder / "meta.json"
    meta.write_text(json.dumps(report.meta, indent=1, default=str) + "\n")
    return [*written, meta]
