"""A background writer: one thread applying transactions to the store in order.

A run finishes samples faster than opening the DuckDB file for each would allow (opening
and closing costs ~25 ms; a transaction on an open connection ~2 ms), and a blocked
event loop would stall every sample in flight. So writes are queued: the writer opens a
connection while there is work, runs each queued function in its own transaction (a
write conflict re-runs it), and closes the file when idle, and at least every
``hold_s`` seconds for a moment, so the review app and other processes get their turn.

A queued write is lost only if the process dies before the writer reaches it; that is
the "in flight" work a killed run may lose.
"""

from __future__ import annotations

import queue
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from core.store.db import Store, _is_conflict

Write = Callable[[duckdb.DuckDBPyConnection], object]


@dataclass
class _Item:
    fn: Write
    on_done: Callable[[BaseException | None], None] | None = None
    done: threading.Event = field(default_factory=threading.Event)


_STOP = object()


class BackgroundWriter:
    def __init__(self, store: Store, *, linger_s: float = 0.05, hold_s: float = 3.0,
                 yield_s: float = 0.3, retries: int = 20) -> None:
        self.store = store
        self.linger_s = linger_s
        self.hold_s = hold_s
        self.yield_s = yield_s
        self.retries = retries
        self.error: BaseException | None = None
        self.committed = 0
        self._q: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="occubench-writer",
                                        daemon=True)
        self._thread.start()

    def submit(self, fn: Write,
               on_done: Callable[[BaseException | None], None] | None = None) -> threading.Event:
        """Queue ``fn`` to run in its own transaction; ``on_done(error)`` is called from
        the writer thread afterwards. Returns an event set when it has been applied."""
        item = _Item(fn, on_done)
        if not self._thread.is_alive():  # stopped on an error: fail fast, never hang
            self._fail(item, self.error or RuntimeError("the store writer has stopped"))
            return item.done
        self._q.put(item)
        return item.done

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything queued so far is applied."""
        return self.submit(lambda con: None).wait(timeout)

    def close(self, timeout: float | None = 60.0) -> None:
        self._q.put(_STOP)
        self._thread.join(timeout)

    # -- thread ------------------------------------------------------------------------

    def _loop(self) -> None:
        stopping = False
        while not stopping:
            item = self._q.get()
            if item is _STOP:
                return
            try:
                with self.store.connect() as con:
                    opened = time.monotonic()
                    while True:
                        self._apply(con, item)
                        if time.monotonic() - opened > self.hold_s:
                            break
                        try:
                            item = self._q.get(timeout=self.linger_s)
                        except queue.Empty:
                            break
                        if item is _STOP:
                            stopping = True
                            break
            except BaseException as exc:  # the store cannot be opened (locked too long)
                self.error = exc
                self._fail(item, exc)
                self._drain(exc)
                return
            if not stopping and time.monotonic() - opened > self.hold_s:
                time.sleep(self.yield_s)  # let another process take the lock

    def _apply(self, con: duckdb.DuckDBPyConnection, item: _Item) -> None:
        error: BaseException | None = None
        for attempt in range(self.retries + 1):
            con.begin()
            try:
                item.fn(con)
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
        elif self.error is None:
            self.error = error
        self._finish(item, error)

    def _finish(self, item: _Item, error: BaseException | None) -> None:
        try:
            if item.on_done:
                item.on_done(error)
        finally:
            item.done.set()

    def _fail(self, item: object, exc: BaseException) -> None:
        if isinstance(item, _Item) and not item.done.is_set():
            self._finish(item, exc)

    def _drain(self, exc: BaseException) -> None:
        while True:
            try:
                item = self._q.get_nowait()
            except queue.Empty:
                return
            self._fail(item, exc)
