"""Four (or --reviewers N) reviewers voting concurrently for a minute through the review
store API; prints throughput, latencies and the integrity check (lost / duplicated votes,
pairs over k). Usage: .venv/bin/python bench/review_concurrency.py [--seconds 60]"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.review.review_load import build_load_db, check, run_load  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--reviewers", type=int, default=4)
    ap.add_argument("--tasks", type=int, default=600)
    ap.add_argument("--k", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store, reviewers, _ = build_load_db(Path(tmp), tasks=args.tasks, runs=3,
                                            reviewers=args.reviewers, k=args.k)
        print(f"{args.reviewers} reviewers, {args.tasks * 3} pairs, k={args.k}, "
              f"{args.seconds:.0f} s")
        result = run_load(store, reviewers, args.seconds)
        for name, value in result.summary().items():
            print(f"  {name:26s} {value}")
        problems = check(store, result, args.k)
        print("integrity:", "ok (no vote lost, none duplicated, no pair over k)"
              if not problems else f"{len(problems)} PROBLEMS")
        for p in problems[:20]:
            print("  ", p)
        return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
