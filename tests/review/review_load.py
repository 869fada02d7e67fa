"""Reviewers voting at the same time, through the store API the app uses: shared by the
concurrency test (a few seconds) and ``bench/review_concurrency.py`` (a minute).

Each reviewer thread loops: take the next pair, start the clock, save a draft, vote;
now and then it double-submits (the same idempotency key from two threads at once, like
a double click racing itself), changes an earlier vote, or skips a pair. Every vote the
store confirms is logged on the client side; ``check`` then compares that log with the
database: nothing lost, nothing duplicated, no pair over its k.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from core.store import Store
from core.store.batches import create_batch
from core.store.reviewers import add_reviewer
from core.store.reviews import ReviewError, claim_next, mark_first_render, release, save_draft
from core.store.submissions import describe
from core.store.tasks import upsert_tasks
from core.store.votes import record_vote, vote_key
from core.suite import LoadedTask
from core.task import Task

OCCUPATION = "Financial Managers"


def build_load_db(root: Path, *, tasks: int, runs: int = 3, reviewers: int = 4,
                  k: int = 3) -> tuple[Store, list[str], str]:
    """``tasks`` x ``runs`` pairs against gold in one occupation, and reviewer ids."""
    store = Store(root / "load.duckdb")
    doc = root / "files" / "deliverable.txt"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text("a deliverable\n")
    loaded = [LoadedTask(Task.model_validate({
        "id": f"load-{i:04d}", "title": f"Task {i}", "sector": "Finance and Insurance",
        "occupation": OCCUPATION, "prompt": "Do the work."}), root) for i in range(tasks)]
    upsert_tasks(store, loaded)
    run_ids = ["gold", *[f"run-{r}" for r in range(runs)]]

    files = [describe(run, lt.id, 0, doc) for run in run_ids for lt in loaded]

    def write(con) -> None:
        _bulk(con, "runs (run_id, model)", [(run, f"m/{run}") for run in run_ids])
        _bulk(con, "samples (run_id, task_id, sample, status, attempts)",
              [(f.run_id, f.task_id, 0, "done", 1) for f in files])
        _bulk(con, "deliverables (deliverable_id, run_id, task_id, sample, name, path, "
              "file_type, sha256, bytes)",
              [(f.deliverable_id, f.run_id, f.task_id, f.sample, f.name, str(f.path),
                f.file_type, f.sha256, f.bytes) for f in files])

    store.write(write)
    # accounts without a password (as for single sign-on): scrypt would only slow setup
    ids = [add_reviewer(store, f"rev{i}", password=None, occupations=[OCCUPATION]).reviewer_id
           for i in range(reviewers)]
    batch = create_batch(store, runs=run_ids[1:], against="gold", k=k, name="load")
    return store, ids, batch.batch.batch_id


def _bulk(con, target: str, rows: list[tuple]) -> None:
    """Multi-row INSERTs (DuckDB's executemany costs a statement per row)."""
    for start in range(0, len(rows), 200):
        chunk = rows[start:start + 200]
        marks = ", ".join(["(" + ", ".join("?" * len(chunk[0])) + ")"] * len(chunk))
        con.execute(f"INSERT INTO {target} VALUES {marks}", [v for r in chunk for v in r])


@dataclass
class LoadResult:
    duration_s: float = 0.0
    confirmed: dict[str, tuple[str, str]] = field(default_factory=dict)  # jid -> (rev, cmp)
    duplicates_absorbed: int = 0
    changes: int = 0
    skips: int = 0
    errors: list[str] = field(default_factory=list)
    claim_s: list[float] = field(default_factory=list)
    vote_s: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def summary(self) -> dict[str, float]:
        def pct(values: list[float], q: float) -> float:
            return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else 0.0

        votes = len(self.confirmed)
        return {
            "seconds": round(self.duration_s, 1), "votes stored": votes,
            "votes/s": round(votes / self.duration_s, 1) if self.duration_s else 0.0,
            "double submits absorbed": self.duplicates_absorbed,
            "changed votes": self.changes, "skips": self.skips,
            "errors": len(self.errors),
            "claim p50 ms": round(pct(self.claim_s, 50) * 1000, 1),
            "claim p95 ms": round(pct(self.claim_s, 95) * 1000, 1),
            "vote p50 ms": round(pct(self.vote_s, 50) * 1000, 1),
            "vote p95 ms": round(pct(self.vote_s, 95) * 1000, 1),
        }


def _reviewer(store: Store, rid: str, deadline: float, result: LoadResult,
              rng: random.Random) -> None:
    mine: list[str] = []  # pairs this reviewer voted on
    while time.monotonic() < deadline:
        try:
            t0 = time.monotonic()
            asg = claim_next(store, rid)
            result.claim_s.append(time.monotonic() - t0)
            if asg is None:
                return
            cid = asg.comparison_id
            mark_first_render(store, rid, cid)
            if rng.random() < 0.05:
                release(store, rid, cid)
                with result.lock:
                    result.skips += 1
                continue
            choice = rng.choice(["A", "tie", "B"])
            save_draft(store, rid, cid, {"choice": choice})
            key = vote_key(rid, cid, 1)
            double = rng.random() < 0.2
            outs: list = []

            def submit(outs=outs, cid=cid, choice=choice, key=key) -> None:
                t1 = time.monotonic()
                outs.append(record_vote(store, rid, cid, choice, "load test rationale",
                                        idempotency_key=key))
                result.vote_s.append(time.monotonic() - t1)

            if double:
                twin = threading.Thread(target=submit)
                twin.start()
                submit()
                twin.join()
            else:
                submit()
            with result.lock:
                for out in outs:
                    if out.duplicate:
                        result.duplicates_absorbed += 1
                    else:
                        result.confirmed[out.judgment_id] = (rid, cid)
            mine.append(cid)
            if rng.random() < 0.1 and mine:
                old = rng.choice(mine)
                mine.remove(old)
                out = record_vote(store, rid, old, "tie", "changed my mind",
                                  idempotency_key=vote_key(rid, old, 2), revise=True)
                with result.lock:
                    result.confirmed[out.judgment_id] = (rid, old)
                    result.changes += 1
        except ReviewError as exc:  # a rule refusing is a bug here: every step is legal
            with result.lock:
                result.errors.append(f"{rid}: {exc}")
        except Exception as exc:
            with result.lock:
                result.errors.append(f"{rid}: {type(exc).__name__}: {exc}")
            return


def run_load(store: Store, reviewer_ids: list[str], seconds: float,
             seed: int = 7) -> LoadResult:
    result = LoadResult()
    deadline = time.monotonic() + seconds
    start = time.monotonic()
    threads = [threading.Thread(target=_reviewer, args=(store, rid, deadline, result,
                                                        random.Random(seed + i)))
               for i, rid in enumerate(reviewer_ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.duration_s = time.monotonic() - start
    return result


def check(store: Store, result: LoadResult, k: int) -> list[str]:
    """Problems found comparing the clients' confirmed votes with the database."""
    rows = store.query(
        """SELECT judgment_id, judge_id, comparison_id, supersedes, idempotency_key
           FROM judgments WHERE judge_kind = 'human'""")
    problems = list(result.errors)
    stored = {r["judgment_id"]: (r["judge_id"], r["comparison_id"]) for r in rows}
    if stored != result.confirmed:
        lost = set(result.confirmed) - set(stored)
        extra = set(stored) - set(result.confirmed)
        problems.append(f"{len(lost)} confirmed votes missing, {len(extra)} unconfirmed rows")
    keys = Counter(r["idempotency_key"] for r in rows)
    problems += [f"idempotency key {k_} stored {n} times" for k_, n in keys.items() if n > 1]
    superseded = {r["supersedes"] for r in rows if r["supersedes"]}
    current = Counter((r["judge_id"], r["comparison_id"]) for r in rows
                      if r["judgment_id"] not in superseded)
    problems += [f"{pair} has {n} current votes" for pair, n in current.items() if n > 1]
    judges: dict[str, set[str]] = {}
    for r in rows:
        judges.setdefault(r["comparison_id"], set()).add(r["judge_id"])
    problems += [f"{cid} has {len(j)} judges > k={k}" for cid, j in judges.items()
                 if len(j) > k]
    return problems
