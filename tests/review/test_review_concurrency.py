"""Four reviewers voting at once (threads through the store API, as the app's sessions
do) lose no vote and store none twice. The duration is OCCUBENCH_REVIEW_LOAD_SECONDS
(default 12); bench/review_concurrency.py runs the same load for a minute."""

from __future__ import annotations

import os
from pathlib import Path

from tests.review.review_load import build_load_db, check, run_load

K = 3


def test_four_reviewers_voting_concurrently_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    seconds = float(os.environ.get("OCCUBENCH_REVIEW_LOAD_SECONDS", "12"))
    store, reviewers, _ = build_load_db(tmp_path, tasks=80, runs=3, reviewers=4, k=K)
    result = run_load(store, reviewers, seconds)
    assert len(result.confirmed) > 20, result.summary()      # the load really ran
    assert result.duplicates_absorbed > 0, result.summary()  # and raced double submits
    assert check(store, result, K) == []
