"""Opening the DuckDB file safely from several processes.

DuckDB lets one process hold a database file at a time: while a CLI run holds it, the
review app cannot open it at all, not even read-only. So the store never keeps the file
open: every operation opens a connection, runs one transaction and closes it, and an
open that meets another process's lock waits and retries with jittered backoff (up to
``lock_timeout`` seconds) instead of failing. Within one process, DuckDB shares one
database instance between connections, so threads simply open their own.

A transaction that hits a write-write conflict ("Conflict on update") is rolled back and
re-run from the start, which is why writes are passed in as functions.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from core.errors import UserError
from core.store.migrations import LATEST, MIGRATIONS

T = TypeVar("T")

DEFAULT_DB = Path("data") / "occubench.duckdb"


class StoreLockedError(UserError):
    """Another process kept the database file locked for longer than we were willing to wait."""


def default_db_path(explicit: str | Path | None = None) -> Path:
    """``--db`` if given, else ``$OCCUBENCH_DB``, else ``data/occubench.duckdb``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("OCCUBENCH_DB")
    return Path(env) if env else DEFAULT_DB


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Conflicting" in text or "Could not set lock" in text)


def _is_conflict(exc: Exception) -> bool:
    text = str(exc)
    return "Conflict" in text or "conflict" in text


class Store:
    """A DuckDB file with short-lived connections, retries and migrations.

    Domain APIs (``core.store.runs``, ``core.store.reviews``, ...) take a ``Store`` and
    call :meth:`read` and :meth:`write`; SQL lives in those modules and nowhere else.
    """

    _migrate_lock = threading.Lock()

    def __init__(self, path: str | Path | None = None, *, lock_timeout: float = 60.0,
                 read_only: bool = False) -> None:
        self.path = default_db_path(path)
        self.lock_timeout = lock_timeout
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._ensure_schema()

    # -- connections -------------------------------------------------------------

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """An open connection, waiting for another process's lock to go away."""
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.02
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=self.read_only)
                break
            except duckdb.Error as exc:
                if not _is_lock_error(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise StoreLockedError(
                        f"{self.path} is locked by another process (a run or the review app?) "
                        f"and stayed locked for {self.lock_timeout:.0f}s; wait for it to "
                        "finish or point --db at another file") from exc
                time.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, 0.5)
        try:
            yield con
        finally:
            con.close()

    def write(self, fn: Callable[[duckdb.DuckDBPyConnection], T], *, retries: int = 20) -> T:
        """Run ``fn`` in one transaction; re-run it from scratch on a write conflict."""
        for attempt in range(retries + 1):
            with self.connect() as con:
                con.begin()
                try:
                    result = fn(con)
                    con.commit()
                    return result
                except duckdb.Error as exc:
                    con.rollback()
                    if not _is_conflict(exc) or attempt == retries:
                        raise
                except BaseException:
                    con.rollback()
                    raise
            time.sleep(0.01 * (attempt + 1) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    def read(self, fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        with self.connect() as con:
            return fn(con)

    def query(self, sql: str, params: list[Any] | tuple[Any, ...] | None = None) -> list[dict]:
        """Rows as dicts; for domain modules and reports, not for scattering SQL around."""
        def run(con: duckdb.DuckDBPyConnection) -> list[dict]:
            cur = con.execute(sql, params or [])
            cols = [d[0] for d in cur.description] if cur.description else []
            return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
        return self.read(run)

    # -- schema ------------------------------------------------------------------

    def schema_version(self) -> int:
        def run(con: duckdb.DuckDBPyConnection) -> int:
            exists = con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name='schema_version'"
            ).fetchone()[0]
            if not exists:
                return 0
            return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
        return self.read(run)

    def _ensure_schema(self) -> None:
        """Bring the file up to the latest schema (cheap when it already is)."""
        with Store._migrate_lock:
            if self.read_only:
                if self.schema_version() < LATEST:
                    raise RuntimeError(f"{self.path} has an old schema; open it read-write once")
            else:
                self.write(self._migrate)

    @staticmethod
    def _migrate(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("""CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER PRIMARY KEY, description VARCHAR NOT NULL,
            applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)""")
        current = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
        if current > LATEST:
            raise RuntimeError(
                f"database schema version {current} is newer than this occubench ({LATEST}); "
                "upgrade occubench")
        for version, description, sql in MIGRATIONS:
            if version > current:
                con.execute(sql)
                con.execute("INSERT INTO schema_version (version, description) VALUES (?, ?)",
                            [version, description])
