"""Set-based statements from Python rows: multi-row ``VALUES`` in a few statements.

DuckDB's ``executemany`` runs one statement per row (about 4 ms per row into ``tasks``
here, 15 ms on a busy machine: 200 task snapshots took 0.8 s), and registering an Arrow
table or a DataFrame makes DuckDB import pandas on first use (0.25 s, holding the GIL).
A multi-row ``VALUES`` list bound as parameters costs neither, so the writes on a run's
path (task snapshots, sample events, model calls) go through here. Rows are sent in
chunks of at most :data:`MAX_PARAMS` parameters, each chunk one statement, all inside
the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import duckdb

MAX_PARAMS = 2000  # parameters per statement: binding cost grows with the statement


def chunks(rows: Sequence[Sequence[Any]], width: int) -> Iterator[Sequence[Sequence[Any]]]:
    """``rows`` in slices of at most :data:`MAX_PARAMS` parameters (``width`` per row)."""
    size = max(1, MAX_PARAMS // max(1, width))
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _values(rows: Sequence[Sequence[Any]], width: int) -> tuple[str, list[Any]]:
    one = "(" + ", ".join(["?"] * width) + ")"
    return ", ".join([one] * len(rows)), [v for row in rows for v in row]


def insert_rows(con: duckdb.DuckDBPyConnection, insert: str, rows: Sequence[Sequence[Any]],
                tail: str = "") -> None:
    """Run ``{insert} VALUES (...), (...) {tail}`` for ``rows``.

    ``insert`` names the table and columns (``INSERT INTO t (a, b)``), ``tail`` is e.g.
    an ``ON CONFLICT`` clause. Within one statement DuckDB applies only the first of two
    rows with the same key, so callers upserting possibly repeated keys dedupe first
    (see :func:`last_by_key`).
    """
    if not rows:
        return
    width = len(rows[0])
    for part in chunks(rows, width):
        values, params = _values(part, width)
        con.execute(f"{insert} VALUES {values} {tail}", params)


def with_rows(con: duckdb.DuckDBPyConnection, columns: dict[str, Sequence[Any]],
              sql: str) -> None:
    """Run ``sql`` with ``{b}`` standing for the relation ``b`` holding ``columns``
    (equal-length lists, one per column name), e.g. ``UPDATE t SET x = b.x FROM {b}
    WHERE t.id = b.id``; a value every row shares goes in as a column too."""
    names = list(columns)
    rows = list(zip(*(columns[n] for n in names), strict=True))
    for part in chunks(rows, len(names)):
        values, bound = _values(part, len(names))
        alias = ", ".join(f'"{n}"' for n in names)  # quoted: "at" is a keyword
        con.execute(sql.format(b=f"(VALUES {values}) AS b({alias})"), bound)


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
