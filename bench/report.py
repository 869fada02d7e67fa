"""Benchmark: the full report over 1,000,000 judgments, 50 models and 1,320 tasks.

Builds the database in bulk (numpy -> pandas -> DuckDB; reused when it already holds
the data), then times ``build_report`` twice: aggregates only (no bootstrap: analytic
intervals) and with 1,000 task-bootstrap replicates (win-rate and rubric intervals,
Bradley-Terry ratings and ranks). Targets: under 5 s and under 30 s. ``--repeat N`` runs
the pair N times in the same process (the first run also pays for first-touch memory).

Stages: ``sql`` (the one connection: effective judgments as integer codes, rubric grades,
usage), ``tallies`` (every count and breakdown, numpy), then the statistics. Wall time
depends on what else the machine runs (the load average is printed); CPU time is ours.

    .venv/bin/python bench/report.py [--db PATH] [--rebuild] [--bootstrap 1000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synth import Scale, build  # noqa: E402

from app.report.build import ReportOptions, build_report  # noqa: E402
from app.report.html import render_html  # noqa: E402
from core.store import Store  # noqa: E402

# 50 models x 1,320 tasks x 3 samples vs gold, plus model-vs-model pairs, 4 judgments each
# (3 reviewers + the autograder), plus about 1% superseding re-votes: just over 1,000,000.
SCALE = Scale(models=50, tasks=1320, samples=3, run_vs_run_share=0.254)


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("bench/out/report-1m.duckdb"))
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    if args.rebuild and args.db.exists():
        args.db.unlink()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    store = Store(args.db)
    n = store.query("SELECT count(*) AS n FROM judgments")[0]["n"]
    if n == 0:
        t = time.perf_counter()
        counts = build(store, SCALE)
        print(f"built {args.db} in {time.perf_counter() - t:.1f}s: "
              + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        n = counts["judgments"]
    Store.close_all()
    print(f"judgments: {n:,}; models: {SCALE.models}; tasks: {SCALE.tasks}")

    ro = Store(args.db, read_only=True)
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(other work on the machine inflates wall time; CPU time is ours alone)")
    for run in range(args.repeat):
        for label, boot in (("aggregates (no bootstrap)", 0),
                            (f"full report with {args.bootstrap} bootstrap resamples",
                             args.bootstrap)):
            t, cpu = time.perf_counter(), _cpu()
            rep = build_report(ro, ReportOptions(bootstrap=boot))
            total, used = time.perf_counter() - t, _cpu() - cpu
            parts = ", ".join(f"{k} {v:.2f}s" for k, v in rep.timings.items() if k != "total")
            tag = f"[{run + 1}] " if args.repeat > 1 else ""
            print(f"{tag}{label}: {total:.2f}s wall, {used:.2f}s CPU  ({parts}); "
                  f"load {os.getloadavg()[0]:.1f}")
    t = time.perf_counter()
    html = render_html(rep)
    print(f"HTML render: {time.perf_counter() - t:.2f}s ({len(html) / 1e6:.1f} MB)")
    print(f"win-rate rows {len(rep.win_rates):,}; rated players {len(rep.ratings)}; "
          f"judge pairs {len(rep.agreement_pairs):,}")


if __name__ == "__main__":
    main()
