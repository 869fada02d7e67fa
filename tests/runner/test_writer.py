"""The background writer: grouped commits, and one bad event never sinks the others."""

from __future__ import annotations

import threading

from core.store import Store
from core.store.writer import BackgroundWriter


def test_group_commit_falls_back_to_one_transaction_per_event(tmp_path):
    store = Store(tmp_path / "w.duckdb")
    gate = threading.Event()

    def apply(con, events):
        if events == ["first"]:
            gate.wait(5)  # hold the writer so the rest queue up into one group
        for e in events:
            if e == "bad":
                raise ValueError("bad event")
            con.execute("INSERT INTO runs (run_id, model) VALUES (?, 'm')", [e])

    writer: BackgroundWriter[str] = BackgroundWriter(store, apply)
    errors: dict[str, BaseException | None] = {}
    writer.submit("first", lambda err: errors.__setitem__("first", err))
    for name in ("a", "bad", "b", "c"):
        writer.submit(name, lambda err, n=name: errors.__setitem__(n, err))
    gate.set()
    writer.close()
    assert errors["first"] is None and errors["a"] is None and errors["c"] is None
    assert isinstance(errors["bad"], ValueError)
    got = sorted(r["run_id"] for r in store.query("SELECT run_id FROM runs"))
    assert got == ["a", "b", "c", "first"]  # each applied once, the bad one not at all
    assert writer.commits == 4  # "first" alone, then the failed group re-applied one by one
    assert isinstance(writer.error, ValueError)
    Store.close_all()
