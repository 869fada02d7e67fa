"""A background writer: one thread applying queued events to the store, in order.

A run finishes samples faster than the event loop could afford to wait for DuckDB: a
commit that writes costs 5-10 ms (the WAL is synced) and every statement a few more. So
events are queued and one thread applies them with a caller-given, set-based
``apply(con, events)``. Events waiting together are applied in one transaction (group
commit, as databases do with their logs), a few statements for the whole group; with
``linger`` the writer waits that long after an event for others to join its group. Every
event is still all-or-nothing. If a group fails, each of its events is re-applied in its
own transaction, so one bad event never takes others down with it.

A queued event is lost only if the process dies before the writer commits it, which is
the "in flight" work a killed run may lose.
"""

from __future__ import annotations

import queue
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import duckdb

from core.store.db import Store, _is_conflict

E = TypeVar("E")


@dataclass
class _Item(Generic[E]):
    event: E
    on_done: Callable[[BaseException | None], None] | None = None
    done: threading.Event = field(default_factory=threading.Event)


_STOP = object()
_FLUSH = object()


class BackgroundWriter(Generic[E]):
    def __init__(self, store: Store, apply: Callable[[duckdb.DuckDBPyConnection, list[E]], None],
                 *, max_batch: int = 256, retries: int = 20, linger: float = 0.0) -> None:
        self.store = store
        self.apply = apply
        self.max_batch = max_batch
        self.retries = retries
        # seconds to wait after the first queued event for others to join its group:
        # DuckDB spends milliseconds per statement whatever its rows, so fewer, bigger
        # groups cost the process (and the event loop sharing its GIL) less CPU
        self.linger = linger
        self.error: BaseException | None = None
        self.committed = 0
        self.commits = 0
        self._q: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="occubench-writer",
                                        daemon=True)
        self._thread.start()

    def submit(self, event: E,
               on_done: Callable[[BaseException | None], None] | None = None) -> threading.Event:
        """Queue ``event``; ``on_done(error)`` is called from the writer thread once it
        is applied (or has failed). Returns an event set at that point."""
        item = _Item(event, on_done)
        if not self._thread.is_alive():  # stopped on an error: fail fast, never hang
            self._finish(item, self.error or RuntimeError("the store writer has stopped"))
            return item.done
        self._q.put(item)
        return item.done

    def close(self, timeout: float | None = 120.0) -> None:
        """Apply everything queued, then stop the thread."""
        self._q.put(_STOP)
        self._thread.join(timeout)

    # -- thread ------------------------------------------------------------------------

    def _next_batch(self) -> tuple[list[_Item], bool]:
        first = self._q.get()
        if first is _STOP:
            return [], True
        batch = [first]
        deadline = time.monotonic() + self.linger
        while len(batch) < self.max_batch:
            try:
                wait = deadline - time.monotonic()
                item = self._q.get(timeout=wait) if wait > 0 else self._q.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                return batch, True
            batch.append(item)
        return batch, False

    def _loop(self) -> None:
        stopping = False
        while not stopping:
            batch, stopping = self._next_batch()
            if not batch:
                return
            try:
                with self.store.connect() as con:
                    self._apply_batch(con, batch)
            except BaseException as exc:  # the file cannot be opened (locked too long)
                self.error = exc
                for item in batch:
                    if not item.done.is_set():
                        self._finish(item, exc)
                self._drain(exc)
                return

    def _apply_batch(self, con: duckdb.DuckDBPyConnection, batch: list[_Item]) -> None:
        if len(batch) > 1:
            con.begin()
            try:
                self.apply(con, [item.event for item in batch])
                con.commit()
            except Exception:
                con.rollback()
            else:
                self.commits += 1
                self.committed += len(batch)
                for item in batch:
                    self._finish(item, None)
                return
        for item in batch:  # one event, or a group that failed: each on its own
            self._apply_one(con, item)

    def _apply_one(self, con: duckdb.DuckDBPyConnection, item: _Item) -> None:
        error: BaseException | None = None
        for attempt in range(self.retries + 1):
            con.begin()
            try:
                self.apply(con, [item.event])
                con.commit()
                error = None
                break
            except duckdb.Error as exc:
                con.rollback()
                error = exc
                if not _is_conflict(exc) or attempt == self.retries:
                    break
            except Exception as exc:
                con.rollback()
                error = exc
                break
            time.sleep(0.01 * (attempt + 1) * (0.5 + random.random()))
        if error is None:
            self.committed += 1
            self.commits += 1
        elif self.error is None:
            self.error = error
        self._finish(item, error)

    @staticmethod
    def _finish(item: _Item, error: BaseException | None) -> None:
        try:
            if item.on_done:
                item.on_done(error)
        finally:
            item.done.set()

    def _drain(self, exc: BaseException) -> None:
        while True:
            try:
                item = self._q.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, _Item):
                self._finish(item, exc)
