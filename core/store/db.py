"""Opening the DuckDB file safely from several processes.

DuckDB lets one process hold a database file at a time: while a CLI run holds it, the
review app cannot open it at all, not even read-only. So the store never keeps the file
open for long: operations borrow a cursor on the process's connection, which is closed
after a quarter second without use, and an open that meets another process's lock waits
and retries with jittered backoff (up to ``lock_timeout`` seconds, default
``$OCCUBENCH_LOCK_TIMEOUT`` or 60) instead of failing.
Threads of one process share the connection through cursors (one connection object used
from two threads at once raises "connection is busy").

A transaction that hits a write-write conflict ("Conflict on update") is rolled back and
re-run from the start, which is why writes are passed in as functions.
"""

from __future__ import annotations

import atexit
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from core.errors import UserError
from core.store.migrations import LATEST, MIGRATIONS

T = TypeVar("T")

DEFAULT_DB = Path("data") / "occubench.duckdb"
DEFAULT_LOCK_TIMEOUT_S = 60.0


class StoreLockedError(UserError):
    """Another process kept the database file locked for longer than we were willing to wait."""


class SchemaError(UserError, RuntimeError):
    """The file's schema does not match this occubench (a RuntimeError for old callers)."""


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


def default_lock_timeout() -> float:
    """Seconds to wait for another process's lock: ``$OCCUBENCH_LOCK_TIMEOUT`` or 60."""
    raw = os.environ.get("OCCUBENCH_LOCK_TIMEOUT")
    if not raw:
        return DEFAULT_LOCK_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        raise UserError(f"OCCUBENCH_LOCK_TIMEOUT must be a number of seconds, not {raw!r}") \
            from None
    if value < 0:
        raise UserError(f"OCCUBENCH_LOCK_TIMEOUT must not be negative (got {raw!r})")
    return value


def _holder(exc: Exception) -> str:
    """``, PID 123 (python3.11),`` from DuckDB's lock message, when it names the holder."""
    m = re.search(r"held in (\S+) \(PID (\d+)\)", str(exc))
    return f", PID {m.group(2)} ({Path(m.group(1)).name})," if m else ""


def _open(path: Path, read_only: bool, lock_timeout: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + lock_timeout
    delay = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                if isinstance(exc, duckdb.IOException):  # not a database, no permission...
                    detail = " ".join(str(exc).removeprefix("IO Error: ").split())[:300]
                    raise UserError(f"cannot open the database {path}: {detail}; point --db "
                                    "(or OCCUBENCH_DB) at a DuckDB file you can write") \
                        from exc
                raise
            if time.monotonic() >= deadline:
                raise StoreLockedError(
                    f"the database {path} stayed locked by another process{_holder(exc)} "
                    f"for {lock_timeout:g}s (a run, a grading or the review app?): wait for "
                    "it to finish or stop it, or point --db at another file") from exc
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.5)


class _Holder:
    """This process's connection to one file, shared by its threads through cursors and
    closed after ``LINGER`` idle seconds so that other processes get their turn.

    Opening a DuckDB file costs tens of milliseconds (catalog load, WAL replay, and a
    checkpoint on close); lingering briefly turns a burst of operations into one open,
    while an idle process never holds the lock for long.
    """

    LINGER = 0.25
    _all: dict[tuple[str, bool], _Holder] = {}
    _registry_lock = threading.Lock()
    _reaper: threading.Thread | None = None

    def __init__(self, path: Path, read_only: bool) -> None:
        self.path, self.read_only = path, read_only
        self.lock = threading.Lock()
        self.con: duckdb.DuckDBPyConnection | None = None
        self.users = 0
        self.idle_since = 0.0

    @classmethod
    def get(cls, path: Path, read_only: bool) -> _Holder:
        key = (str(path.absolute()), read_only)
        with cls._registry_lock:
            if key not in cls._all:
                cls._all[key] = _Holder(path, read_only)
            if cls._reaper is None:
                cls._reaper = threading.Thread(target=cls._reap, name="occubench-db-reaper",
                                               daemon=True)
                cls._reaper.start()
                atexit.register(cls.close_all)
            return cls._all[key]

    def acquire(self, lock_timeout: float) -> duckdb.DuckDBPyConnection:
        with self.lock:
            if self.con is None:
                self.con = _open(self.path, self.read_only, lock_timeout)
            self.users += 1
            try:
                return self.con.cursor()
            except BaseException:
                self.users -= 1
                raise

    def release(self, cur: duckdb.DuckDBPyConnection) -> None:
        try:
            cur.close()
        finally:
            with self.lock:
                self.users -= 1
                self.idle_since = time.monotonic()

    def close_if_idle(self, min_idle: float) -> None:
        with self.lock:
            if self.con is not None and self.users == 0 and \
                    time.monotonic() - self.idle_since >= min_idle:
                self.con.close()
                self.con = None

    @classmethod
    def _reap(cls) -> None:
        while True:
            time.sleep(cls.LINGER / 2)
            with cls._registry_lock:
                holders = list(cls._all.values())
            for h in holders:
                h.close_if_idle(cls.LINGER)

    @classmethod
    def close_all(cls) -> None:
        with cls._registry_lock:
            holders = list(cls._all.values())
        for h in holders:
            h.close_if_idle(0.0)


class Store:
    """A DuckDB file with short-lived connections, retries and migrations.

    Domain APIs (``core.store.runs``, ``core.store.reviews``, ...) take a ``Store`` and
    call :meth:`read` and :meth:`write`; SQL lives in those modules and nowhere else.
    """

    _migrate_lock = threading.Lock()

    def __init__(self, path: str | Path | None = None, *, lock_timeout: float | None = None,
                 read_only: bool = False) -> None:
        self.path = default_db_path(path)
        self.lock_timeout = default_lock_timeout() if lock_timeout is None else lock_timeout
        self.read_only = read_only
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._ensure_schema()

    # -- connections -------------------------------------------------------------

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on this process's connection to the file, opened (waiting for another
        process's lock to go away) if it is not open now."""
        holder = _Holder.get(self.path, self.read_only)
        cur = holder.acquire(self.lock_timeout)
        try:
            yield cur
        finally:
            holder.release(cur)

    @classmethod
    def close_all(cls) -> None:
        """Release the file now rather than after the linger (tests, and before exec)."""
        _Holder.close_all()

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
                    raise SchemaError(f"{self.path} has an old schema; open it read-write once "
                                      "(any occubench command that writes, e.g. `occubench "
                                      "run`) to upgrade it")
            else:
                self.write(self._migrate)

    @staticmethod
    def _migrate(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("""CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER PRIMARY KEY, description VARCHAR NOT NULL,
            applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)""")
        current = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
        if current > LATEST:
            raise SchemaError(
                f"database schema version {current} is newer than this occubench ({LATEST}); "
                "upgrade occubench (git pull, then make setup)")
        for version, description, sql in MIGRATIONS:
            if version > current:
                con.execute(sql)
                con.execute("INSERT INTO schema_version (version, description) VALUES (?, ?)",
                            [version, description])


# -- a look without touching: for `occubench doctor` --------------------------------------


@dataclass(frozen=True)
class DbStatus:
    """What ``occubench doctor`` says about a database path, found without creating,
    migrating or waiting for it."""

    path: Path
    exists: bool
    writable: bool  # the file (or, if absent, the folder that would hold it) is writable
    locked_by: str | None = None  # "PID 123 (python3.11)" when another process holds it
    error: str | None = None  # it exists but cannot be opened (not a DuckDB file, ...)


def probe_db(path: Path) -> DbStatus:
    """Whether ``path`` could be used now: writable, and not locked by another process."""
    path = Path(path)
    if path.exists():
        writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
        try:
            duckdb.connect(str(path), read_only=True).close()
        except duckdb.Error as exc:
            if _is_lock_error(exc):
                holder = _holder(exc).strip(", ") or "another process"
                return DbStatus(path, True, writable, locked_by=holder)
            detail = " ".join(str(exc).removeprefix("IO Error: ").split())[:200]
            return DbStatus(path, True, writable, error=detail)
        return DbStatus(path, True, writable)
    parent = path.absolute().parent
    while not parent.exists():  # the folders Store() would create
        parent = parent.parent
    return DbStatus(path, False, os.access(parent, os.W_OK))
