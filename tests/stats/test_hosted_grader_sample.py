"""Our task-clustered intervals on real data: OpenAI's hosted GDPval autograder sample.

The sample (in ../shared/gdpval, never copied here) holds 646 grades of 220 tasks, mostly
three per task, with the hosted grader's own headline: 47.3% over the 219 graded tasks,
plus or minus 6.2 points. Grades of one task are not independent, so an interval that
treats the 646 grades as independent trials is too narrow; resampling whole tasks, as
the report does, should land near the grader's own figure.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.stats.bootstrap import cluster_bootstrap, cluster_normal
from core.stats.proportions import wilson
from tests.conftest import gdpval_file


@pytest.fixture(scope="module")
def hosted() -> dict:
    return json.loads(gdpval_file("hosted_autograder_result_sample.json").read_text())


def per_task(hosted: dict) -> tuple[np.ndarray, np.ndarray]:
    """(sum of scores, number of grades) per graded task."""
    tasks = [t for t in hosted["tasks"] if not t["error"] and t["scores"]]
    return (np.array([sum(t["scores"]) for t in tasks], dtype=float),
            np.array([len(t["scores"]) for t in tasks], dtype=float))


def test_the_failed_task_is_left_out_not_counted_as_a_loss(hosted: dict) -> None:
    num, den = per_task(hosted)
    assert len(num) == hosted["_meta"]["graded"] == 219
    task_means = num / den
    assert round(100 * task_means.mean(), 1) == hosted["_meta"]["avg_score_pct"]


def test_task_clustered_intervals_match_the_hosted_graders_own(hosted: dict) -> None:
    num, den = per_task(hosted)
    reported = hosted["_meta"]["ci_pct"] / 100
    one_group = np.zeros(len(num), dtype=np.int64)
    # the hosted figure weighs every task equally: a ratio of task means over tasks
    means = num / den
    lo, hi = cluster_bootstrap(one_group, means, np.ones_like(means), 1, replicates=2000,
                               rng=np.random.default_rng(7))
    assert abs((hi - lo).item() / 2 - reported) < 0.01
    lo, hi = cluster_normal(one_group, means, np.ones_like(means), 1)
    assert abs((hi - lo).item() / 2 - reported) < 0.01
    # the report's pooled rate (every grade counts once), resampled by task
    lo, hi = cluster_bootstrap(one_group, num, den, 1, replicates=2000,
                               rng=np.random.default_rng(7))
    pooled = num.sum() / den.sum()
    assert lo.item() < pooled < hi.item()
    assert abs((hi - lo).item() / 2 - reported) < 0.01
    # treating the 646 grades as independent would claim far more certainty
    wlo, whi = wilson(num.sum(), den.sum())
    assert (whi - wlo).item() / 2 < 0.7 * reported
