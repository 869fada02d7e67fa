"""Rates from win/tie/loss counts, and the Wilson score interval.

A judgment scores the candidate 1 (better), 0.5 (as good as) or 0 (worse). GDPval's
headline is *wins or ties*; we also report wins only, the mean score (wins + ½ ties) / n
and the tie rate, so a reader can see how much of a headline is ties.

Wilson is used when each task in a group carries one judgment (independent Bernoulli
trials). For the mean score it is applied to the mean of a 0/½/1 variable: such a
variable's variance is at most p(1-p), so the interval is conservative there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtri

#: The four win-rate definitions, in report order; the first is the headline.
METRICS: tuple[str, ...] = ("wins_or_ties", "wins_only", "score", "tie_rate")

METRIC_LABELS: dict[str, str] = {
    "wins_or_ties": "wins or ties (GDPval headline)",
    "wins_only": "wins only",
    "score": "(wins + ½ ties) / n",
    "tie_rate": "tie rate",
}


def z_for(level: float = 0.95) -> float:
    """The two-sided normal quantile for a confidence level (1.96 for 95%)."""
    return float(ndtri(0.5 + level / 2))


def wilson(successes: ArrayLike, n: ArrayLike, level: float = 0.95
           ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Wilson score interval, vectorised; NaN where n == 0.

    ``successes`` may be fractional (a mean score times n), see the module docstring.
    """
    k = np.asarray(successes, dtype=np.float64)
    m = np.asarray(n, dtype=np.float64)
    z = z_for(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / m
        denom = 1.0 + z * z / m
        centre = (p + z * z / (2 * m)) / denom
        half = z * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / denom
        lo = np.clip(centre - half, 0.0, 1.0)
        hi = np.clip(centre + half, 0.0, 1.0)
    empty = m <= 0
    return np.where(empty, np.nan, lo), np.where(empty, np.nan, hi)


@dataclass(frozen=True)
class Counts:
    """Graded judgments of one group, split by outcome."""

    wins: NDArray[np.float64]
    ties: NDArray[np.float64]
    n: NDArray[np.float64]

    @classmethod
    def of(cls, wins: ArrayLike, ties: ArrayLike, n: ArrayLike) -> Counts:
        return cls(np.asarray(wins, dtype=np.float64), np.asarray(ties, dtype=np.float64),
                   np.asarray(n, dtype=np.float64))

    def numerators(self) -> dict[str, NDArray[np.float64]]:
        """The numerator of each metric in :data:`METRICS` (all share the denominator n)."""
        return {
            "wins_or_ties": self.wins + self.ties,
            "wins_only": self.wins,
            "score": self.wins + 0.5 * self.ties,
            "tie_rate": self.ties,
        }

    def rates(self) -> dict[str, NDArray[np.float64]]:
        with np.errstate(invalid="ignore", divide="ignore"):
            return {k: np.where(self.n > 0, v / self.n, np.nan)
                    for k, v in self.numerators().items()}
