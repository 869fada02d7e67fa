"""Model calls: one row per logical call (agent turn, plan, judge), success or failure.

Rows come from ``core.llm.CallRecord`` (the client reports one per call through its
``on_call`` hook). Provenance (``run_id``, ``task_id``, ``sample``) is read from the
record's ``context``; other context keys are kept in the request JSON under
``"context"``. Very long strings (documents pasted into prompts, base64 images) are
truncated so the table stays queryable; the token counts and cost are exact.
Recording is idempotent: a call id already stored is left as it is.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import duckdb

from core.llm.base import CallRecord
from core.store.db import Store
from core.store.rowsql import first_by_key, insert_rows

MAX_STRING = 20_000  # characters kept of any single string in a request/response


def truncate_strings(value: Any, limit: int = MAX_STRING) -> Any:
    """A copy of a JSON value with every string longer than ``limit`` cut, saying so."""
    if isinstance(value, str):
        if len(value) <= limit:
            return value
        return value[:limit] + f"...[truncated {len(value) - limit} chars]"
    if isinstance(value, dict):
        return {k: truncate_strings(v, limit) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [truncate_strings(v, limit) for v in value]
    return value


def _utc_naive(ts: datetime) -> datetime:
    return ts.astimezone(UTC).replace(tzinfo=None) if ts.tzinfo else ts


def _row(rec: CallRecord) -> list[Any]:
    ctx = dict(rec.context or {})
    run_id, task_id, sample = ctx.pop("run_id", None), ctx.pop("task_id", None), \
        ctx.pop("sample", None)
    request = dict(rec.request)
    if ctx:
        request["context"] = ctx
    u = rec.usage
    return [
        rec.call_id, rec.purpose, rec.model, run_id, task_id,
        None if sample is None else int(sample), _utc_naive(rec.started_at), rec.latency_s,
        u.input_tokens if u else None, u.output_tokens if u else None,
        u.cached_tokens if u else None, rec.cost_usd, rec.status, rec.error, rec.attempts,
        json.dumps(truncate_strings(request), default=str),
        None if rec.response is None else json.dumps(truncate_strings(rec.response),
                                                     default=str),
    ]


# the columns as read from the bound JSON (request and response are sent as JSON text)
_CALL_COLUMNS = {
    "call_id": "VARCHAR", "purpose": "VARCHAR", "model": "VARCHAR", "run_id": "VARCHAR",
    "task_id": "VARCHAR", "sample": "INTEGER", "started_at": "TIMESTAMP", "latency_s": "DOUBLE",
    "input_tokens": "BIGINT", "output_tokens": "BIGINT", "cached_tokens": "BIGINT",
    "cost_usd": "DOUBLE", "status": "VARCHAR", "error": "VARCHAR", "attempts": "INTEGER",
    "request": "VARCHAR", "response": "VARCHAR"}


def record_calls_sql(con: duckdb.DuckDBPyConnection, records: list[CallRecord]) -> None:
    """Inside a caller's transaction (e.g. with a sample's outcome): insert ``records``
    (a call id already stored, or repeated in ``records``, is kept as first recorded)."""
    insert_rows(con, "model_calls", _CALL_COLUMNS, first_by_key([_row(r) for r in records]),
                "ON CONFLICT (call_id) DO NOTHING")


def record_calls(store: Store, records: list[CallRecord]) -> None:
    """Insert ``records`` in one transaction."""
    if records:
        store.write(lambda con: record_calls_sql(con, records))


def calls_of_run(store: Store, run_id: str) -> list[dict]:
    """The calls of a run, oldest first, as dicts (request/response parsed)."""
    rows = store.query("SELECT * FROM model_calls WHERE run_id = ? ORDER BY started_at, call_id",
                       [run_id])
    for row in rows:
        for key in ("request", "response"):
            if isinstance(row.get(key), str):
                row[key] = json.loads(row[key])
    return rows
