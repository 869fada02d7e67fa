"""Agreement between human reviewers, as simple as the admin page needs.

For two votes ``a`` and ``b`` on one pair (candidate's score 1, 0.5 or 0), agreement is
``1 - |a - b|``: 1 when they agree, 0.5 when one says "as good as" and the other picks a
side, 0 when they pick opposite sides. Averaged over every pair of reviewers who judged
the same pair. Full statistics (confidence intervals, human-autograder agreement) belong
to the reports code in ``core/stats``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class Agreement:
    overall: float | None
    comparisons: int          # vote pairs averaged
    pairs: int                # judged pairs with two or more reviewers
    by_reviewers: dict[tuple[str, str], tuple[float, int]]  # (r1, r2) -> (mean, n)


def agreement(votes: list[dict]) -> Agreement:
    """``votes``: current human votes as dicts with comparison_id, reviewer, outcome."""
    by_pair: dict[str, dict[str, float]] = defaultdict(dict)
    for v in votes:
        if v.get("outcome") is not None:
            by_pair[v["comparison_id"]][v["reviewer"]] = float(v["outcome"])
    total, n, shared = 0.0, 0, 0
    per: dict[tuple[str, str], list[float]] = defaultdict(list)
    for judged in by_pair.values():
        if len(judged) < 2:
            continue
        shared += 1
        for (r1, a), (r2, b) in combinations(sorted(judged.items()), 2):
            score = 1.0 - abs(a - b)
            total += score
            n += 1
            per[(r1, r2)].append(score)
    return Agreement(total / n if n else None, n, shared,
                     {k: (sum(s) / len(s), len(s)) for k, s in sorted(per.items())})
