"""How quickly the review app shows the next pair, with and without rendering ahead.

Starts the real ``occubench review`` server on a fresh database (docx and xlsx pairs,
cold render cache) and drives one reviewer in headless Chromium: the time from signing
in to the first pair drawn, then, for each vote, from pressing Ctrl+Enter to the next
pair drawn in full, after ``--read`` seconds spent "reading" each pair. Runs once with
the pre-render of the next pair on and once with it off (OCCUBENCH_REVIEW_PREFETCH=0).
Usage: .venv/bin/python bench/review_next_pair.py [--pairs 4] [--read 4]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.store import Store  # noqa: E402
from tests.review.review_browser import idle, judge, sign_in  # noqa: E402
from tests.review.review_fixtures import build_review_db  # noqa: E402
from tests.review.review_server import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    start_server,
    stop_server,
)


def one(prefetch: bool, pairs: int, read_s: float) -> tuple[float, list[float]]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = build_review_db(root, kinds=("docx", "xlsx", "docx2", "xlsx2"),
                             reference_kind="pdf", reviewers=("alice",), admin=None, k=1,
                             other_occupation_task=False)
        Store.close_all()
        env = {**os.environ, "OCCUBENCH_DB": str(db.store.path),
               "OCCUBENCH_DATA": str(root / "data"),
               "OCCUBENCH_REVIEW_PREFETCH": "1" if prefetch else "0"}
        proc, url = start_server(root, env)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                            args=CHROMIUM_ARGS)
                t0 = time.monotonic()
                _, page = sign_in(browser, url, "alice")
                page.get_by_text("Your judgment").wait_for(timeout=120_000)
                idle(page)
                first = time.monotonic() - t0
                nexts = []
                for _ in range(pairs):
                    page.wait_for_timeout(read_s * 1000)
                    nexts.append(judge(page, lambda c: "tie").next_pair_s)
                browser.close()
        finally:
            stop_server(proc)
    return first, nexts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pairs", type=int, default=4)
    ap.add_argument("--read", type=float, default=4.0, help="seconds spent on each pair")
    args = ap.parse_args()
    for prefetch in (True, False):
        first, nexts = one(prefetch, args.pairs, args.read)
        print(f"pre-render {'on ' if prefetch else 'off'}: first pair {first:5.1f} s; next "
              f"pair median {statistics.median(nexts):4.1f} s, max {max(nexts):4.1f} s "
              f"({', '.join(f'{n:.1f}' for n in nexts)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
