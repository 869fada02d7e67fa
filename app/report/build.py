"""Assemble a report: tallies of the store's judgments, then the statistics.

The database is read in one short connection (``app.report.inputs``: the judgments once,
as integer codes; about a second for a million); the tallies, the bootstrap and the
Bradley-Terry fits run afterwards, on arrays, so the file is not held while they do.
Each stage draws from its own random stream derived from ``seed`` and the stage name, and
resamples tasks in their sorted order: the same seed gives the same intervals whatever
other breakdowns are asked for, and however the database returned its rows.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from app.report.inputs import ReportInputs, read_inputs
from core.errors import UserError
from core.stats.agreement import pair_table, position_bias, summary_table
from core.stats.costs import cost_speed
from core.stats.means import group_means
from core.stats.proportions import METRIC_LABELS
from core.stats.ratings import RatingOptions, bradley_terry
from core.stats.winrates import IntervalOptions, win_rates
from core.store import Store
from core.store.submissions import GOLD_MODEL

#: ``progress(stage, done, total)``: stages are "win rates: <dimension>",
#: "rubric: <dimension>" and "ratings".
ProgressFn = Callable[[str, int, int], None]

JUDGES = {"human": ["human"], "auto": ["auto"], "all": None}
BREAKDOWNS = ("sector", "occupation", "filetype")


@dataclass(frozen=True)
class ReportOptions:
    runs: tuple[str, ...] | None = None       # candidate runs; None = every run
    judges: str = "all"                        # human | auto | all
    by: tuple[str, ...] = BREAKDOWNS           # breakdowns beside the per-model figures
    min_n: int = 10                            # below this, greyed and never ranked
    bootstrap: int = 1000                      # task-bootstrap replicates (0 = analytic)
    seed: int = 0
    level: float = 0.95
    ties: str = "half"                         # Bradley-Terry ties: half | davidson

    def check(self) -> None:
        if self.judges not in JUDGES:
            raise UserError(f"--judges {self.judges!r}: choose human, auto or all")
        bad = [b for b in self.by if b not in BREAKDOWNS]
        if bad:
            raise UserError(f"--by {bad[0]!r}: choose from {', '.join(BREAKDOWNS)}")
        if self.min_n < 1:
            raise UserError("--min-n must be at least 1")
        if self.bootstrap < 0:
            raise UserError("--bootstrap must be 0 (analytic intervals) or more")
        if self.ties not in ("half", "davidson"):
            raise UserError(f"--ties {self.ties!r}: choose half or davidson")
        if not 0.5 <= self.level < 1:
            raise UserError("the confidence level must be between 0.5 and 1")


@dataclass
class Report:
    """All figures of one report, as tidy tables plus a header (``meta``).

    Tables: ``win_rates`` (one row per breakdown dimension, category and model, the
    pooled "(all models)" row included), ``ratings`` (Bradley-Terry), ``agreement``
    (headline agreement rows), ``agreement_pairs`` (per judge pair), ``position_bias``
    (per judge), ``rubric`` (mean rubric score per breakdown and model) and
    ``cost_speed`` (per model). Judge ids are reviewer ids or judge model ids; nothing
    from the reviewers table (names, password hashes) is ever read.
    """

    meta: dict[str, Any]
    win_rates: pd.DataFrame
    ratings: pd.DataFrame
    agreement: pd.DataFrame
    agreement_pairs: pd.DataFrame
    position_bias: pd.DataFrame
    rubric: pd.DataFrame
    cost_speed: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)

    TABLES = ("win_rates", "ratings", "agreement", "agreement_pairs", "position_bias",
              "rubric", "cost_speed")

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in self.TABLES}

    def win_rates_for(self, dimension: str, *, pooled: bool = True) -> pd.DataFrame:
        t = self.win_rates[self.win_rates["dimension"] == dimension]
        return t if pooled else t[t["model"] != "(all models)"]


def _rng(seed: int, stage: str) -> np.random.Generator:
    salt = int.from_bytes(hashlib.sha256(stage.encode()).digest()[:4], "little")
    return np.random.default_rng([seed, salt])


def _dimensions(opts: ReportOptions) -> list[str]:
    dims = ["model"]
    if opts.judges == "all":
        dims.append("judge_kind")
    return dims + list(opts.by)


def build_report(store: Store, options: ReportOptions | None = None,
                 progress: ProgressFn | None = None) -> Report:
    """Compute every figure of the report from ``store``."""
    opts = options or ReportOptions()
    opts.check()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    raw = read_inputs(store, list(opts.runs) if opts.runs else None, JUDGES[opts.judges],
                      _dimensions(opts), ["model", *opts.by], timings)
    iopts = IntervalOptions(bootstrap=opts.bootstrap, level=opts.level, min_n=opts.min_n)

    def stage_progress(stage: str) -> Callable[[int, int], None] | None:
        return (lambda done, total: progress(stage, done, total)) if progress else None

    t1 = time.perf_counter()
    wr_parts = []
    for dim, groups in raw.wr_groups.items():
        stage = f"win rates: {dim}"
        part = win_rates(groups, raw.wr_cells[dim], iopts, _rng(opts.seed, stage),
                         stage_progress(stage))
        part.insert(0, "dimension", dim)
        wr_parts.append(part)
    wr = pd.concat(wr_parts, ignore_index=True) if wr_parts else pd.DataFrame()
    timings["win_rates"] = time.perf_counter() - t1

    t1 = time.perf_counter()
    ratings = bradley_terry(raw.games, GOLD_MODEL,
                            RatingOptions(ties=opts.ties, bootstrap=opts.bootstrap,
                                          level=opts.level),
                            _rng(opts.seed, "ratings"), stage_progress("ratings"))
    timings["ratings"] = time.perf_counter() - t1

    t1 = time.perf_counter()
    agreement = summary_table(raw.agree_pairs, raw.human_counts)
    pairs_tab = pair_table(raw.agree_pairs)
    bias = position_bias(raw.sides, opts.level)
    rub_parts = []
    for dim, groups in raw.rub_groups.items():
        stage = f"rubric: {dim}"
        part = group_means(groups, raw.rub_cells[dim], iopts, _rng(opts.seed, stage),
                           stage_progress(stage))
        part.insert(0, "dimension", dim)
        rub_parts.append(part)
    rubric = pd.concat(rub_parts, ignore_index=True)
    headline = wr[wr["dimension"] == "model"] if len(wr) else \
        pd.DataFrame(columns=["model", "wins_or_ties"])
    costs = cost_speed(raw.usage, headline)
    timings["agreement_rubric_cost"] = time.perf_counter() - t1
    timings["total"] = time.perf_counter() - t0

    meta = _meta(store, opts, raw, ratings)
    return Report(meta=meta, win_rates=wr, ratings=ratings.table, agreement=agreement,
                  agreement_pairs=pairs_tab, position_bias=bias, rubric=rubric,
                  cost_speed=costs, timings=timings)


def _meta(store: Store, opts: ReportOptions, raw: ReportInputs, ratings: Any
          ) -> dict[str, Any]:
    c = raw.counts
    kinds = JUDGES[opts.judges]
    used = {k: v for k, v in c.by_kind.items() if kinds is None or k in kinds}
    judges_text = {"human": "human expert reviewers only",
                   "auto": "the LLM autograder only",
                   "all": "human reviewers and the autograder, pooled"}[opts.judges]
    return {
        "title": "occubench report",
        "created_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "database": store.path.name,
        "runs": list(opts.runs) if opts.runs else "all",
        "models": raw.models,
        "judges": opts.judges,
        "judges_text": judges_text,
        "headline_metric": "wins_or_ties",
        "headline_definition": "share of graded judgments in which the model's deliverable "
                               "was rated better than or as good as the expert's",
        "metric_labels": METRIC_LABELS,
        "judgments_graded": sum(v["graded"] for v in used.values()),
        "judgments_ungraded": sum(v["ungraded"] for v in used.values()),
        "judgments_by_kind": c.by_kind,
        "superseded": c.superseded,
        "attention_excluded": c.attention_excluded,
        "min_n": opts.min_n,
        "bootstrap": opts.bootstrap,
        "seed": opts.seed,
        "level": opts.level,
        "ties": opts.ties,
        "ratings_anchor": ratings.anchor,
        "ratings_tie_parameter": ratings.tie_parameter,
        "ratings_disconnected": ratings.disconnected,
        "breakdowns": list(opts.by),
        "options": asdict(opts),
        "notes": [
            "Win rates count graded judgments against the expert's deliverable; ungraded "
            "judgments (judge failures) are counted separately, never as wins or losses.",
            "Intervals: Wilson when each task carries one judgment; otherwise whole tasks "
            "are resampled (task bootstrap), because judgments of one task are correlated.",
            "Agreement and position bias use every judge kind on the selected runs, "
            "whatever --judges says.",
            f"Categories with fewer than {opts.min_n} graded judgments are greyed and "
            "not ranked.",
        ],
    }
