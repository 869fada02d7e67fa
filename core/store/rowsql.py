"""Set-based statements from Python rows: the rows go in as one JSON parameter.

DuckDB's ``executemany`` runs one statement per row (about 4 ms a row into ``tasks``
here, 15 ms on a busy machine: 200 task snapshots took 0.8 s); registering an Arrow
table or a DataFrame makes DuckDB import pandas on first use (0.25 s, holding the GIL);
and a multi-row ``VALUES`` list costs tens of microseconds per bound parameter (80 ms
for 200 task rows). Binding the whole set as one JSON text, which DuckDB parses into
typed rows itself (``from_json`` with the column types), costs a third of that, so the
writes on a run's path (task snapshots, sample events, model calls) go through here.

Column types are given explicitly (``{"task_id": "VARCHAR", "sample": "INTEGER"}``):
they are what the JSON is read as, so a value must be JSON-serialisable into that type
(``datetime`` values are sent as their ``str``, naive UTC as the store keeps them).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import duckdb


def _relation(types: dict[str, str]) -> str:
    spec = json.dumps(types)
    if "'" in spec:
        raise ValueError(f"column names and types may not contain quotes: {spec}")
    return f"(SELECT unnest(from_json(?::JSON, '[{spec}]'), recursive := true)) AS b"


def _payload(names: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    return json.dumps([dict(zip(names, row, strict=True)) for row in rows], default=str)


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, types: dict[str, str],
                rows: Sequence[Sequence[Any]], tail: str = "") -> None:
    """``INSERT INTO table (columns) SELECT ... {tail}`` for ``rows`` (tuples in the
    order of ``types``); ``tail`` is e.g. an ``ON CONFLICT`` clause.

    Within one statement DuckDB applies only the first of two rows with the same key, so
    callers upserting possibly repeated keys dedupe first (:func:`last_by_key`).
    """
    if not rows:
        return
    cols = ", ".join(f'"{c}"' for c in types)
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {_relation(types)} {tail}",
                [_payload(list(types), rows)])


def with_rows(con: duckdb.DuckDBPyConnection, types: dict[str, str],
              rows: Sequence[Sequence[Any]], sql: str) -> None:
    """Run ``sql`` with ``{b}`` standing for the relation ``b`` of ``rows`` (tuples in
    the order of ``types``), e.g. ``UPDATE t SET x = b.x FROM {b} WHERE t.id = b.id``.
    A value every row shares goes in as a column too: the JSON is the statement's only
    parameter."""
    if rows:
        con.execute(sql.format(b=_relation(types)), [_payload(list(types), rows)])


def last_by_key(rows: Sequence[Sequence[Any]], key: int = 0) -> list[Sequence[Any]]:
    """``rows`` with only the last of each key (column ``key``), in first-seen order."""
    out: dict[Any, Sequence[Any]] = {}
    for row in rows:
        out[row[key]] = row
    return list(out.values())


def first_by_key(rows: Sequence[Sequence[Any]], key: int = 0) -> list[Sequence[Any]]:
    """``rows`` with only the first of each key (column ``key``)."""
    out: dict[Any, Sequence[Any]] = {}
    for row in rows:
        out.setdefault(row[key], row)
    return list(out.values())
