"""A synthetic occubench database at any scale, built in bulk (numpy -> pandas -> DuckDB).

Models have a latent strength, tasks a difficulty; each comparison's judgments draw
win / tie / loss from those, so the report has real signal to find. Human reviewers
(three per comparison by default) and an autograder (one verdict, both orders) judge
every pair; a few human votes are superseded by a later vote, a few verdicts are
ungraded; some comparisons are model-vs-model (they feed Bradley-Terry only).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.store import Store
from core.store.bulk import insert_frames

TYPES = np.array(["docx", "xlsx", "pptx", "pdf"])


@dataclass(frozen=True)
class Scale:
    models: int = 50
    tasks: int = 1320
    samples: int = 3
    humans_per_comparison: int = 3
    autos_per_comparison: int = 1
    reviewers: int = 40
    auto_judges: int = 2
    run_vs_run_share: float = 0.25      # extra model-vs-model comparisons, per gold comparison
    superseded_share: float = 0.01
    ungraded_share: float = 0.02
    tie_share: float = 0.2
    sectors: int = 9
    occupations: int = 44
    seed: int = 7


def _outcomes(rng: np.random.Generator, diff: np.ndarray, tie: float) -> np.ndarray:
    p_win = (1 - tie) / (1 + np.exp(-diff))
    u = rng.random(len(diff))
    return np.where(u < p_win, 1.0, np.where(u < p_win + tie, 0.5, 0.0))


def _ids(prefix: str, n: int) -> np.ndarray:
    return np.char.add(prefix, np.arange(n).astype(str)).astype(object)


def build(store: Store, sc: Scale) -> dict[str, int]:
    """Fill ``store`` (an empty database) and return the row counts written."""
    rng = np.random.default_rng(sc.seed)
    t_ids = np.array([f"task-{k:05d}" for k in range(sc.tasks)], dtype=object)
    occ = np.arange(sc.tasks) % sc.occupations
    n_types = rng.integers(1, 3, sc.tasks)
    types = [list(dict.fromkeys(rng.choice(TYPES, k).tolist())) for k in n_types]
    tasks = pd.DataFrame({
        "task_id": t_ids, "sector": [f"Sector {o % sc.sectors:02d}" for o in occ],
        "occupation": [f"Occupation {o:02d}" for o in occ], "title": t_ids,
        "deliverable_types": types,
        "expert_hours": np.where(rng.random(sc.tasks) < 0.9,
                                 np.round(rng.lognormal(1.6, 0.6, sc.tasks), 1), np.nan),
        "expert_hourly_wage_usd": np.round(rng.uniform(30, 90, sc.tasks), 2),
        "spec": "{}", "spec_sha256": "0" * 64,
    })
    models = np.array([f"vendor{m % 5}/model-{m:02d}" for m in range(sc.models)], dtype=object)
    run_ids = np.array([f"run-{m:02d}" for m in range(sc.models)], dtype=object)
    runs = pd.DataFrame({"run_id": np.append(run_ids, "gold"),
                         "model": np.append(models, "human/expert")})
    strength = rng.normal(-0.3, 0.7, sc.models)
    difficulty = rng.normal(0, 0.6, sc.tasks)

    # samples: every (model, task, sample)
    m_idx = np.repeat(np.arange(sc.models), sc.tasks * sc.samples)
    t_idx = np.tile(np.repeat(np.arange(sc.tasks), sc.samples), sc.models)
    s_idx = np.tile(np.arange(sc.samples), sc.models * sc.tasks)
    n_s = len(m_idx)
    tokens_in = rng.integers(2_000, 60_000, n_s)
    samples = pd.DataFrame({
        "run_id": run_ids[m_idx], "task_id": t_ids[t_idx], "sample": s_idx,
        "status": np.where(rng.random(n_s) < 0.97, "done", "failed"), "attempts": 1,
        "input_tokens": tokens_in, "output_tokens": rng.integers(500, 20_000, n_s),
        "cost_usd": np.where(rng.random(n_s) < 0.05, np.nan, tokens_in * 2.5e-6),
        "latency_s": np.round(rng.lognormal(5.0, 0.5, n_s), 1),
    })
    gold = pd.DataFrame({"run_id": "gold", "task_id": t_ids, "sample": 0, "status": "done",
                         "attempts": 1})

    # comparisons vs gold (one per sample) and model-vs-model
    n_rr = int(n_s * sc.run_vs_run_share)
    rr_a = rng.integers(0, sc.models, n_rr)
    rr_b = (rr_a + rng.integers(1, sc.models, n_rr)) % sc.models
    rr_t = rng.integers(0, sc.tasks, n_rr)
    comp_m = np.concatenate([m_idx, rr_a])
    comp_t = np.concatenate([t_idx, rr_t])
    comp_s = np.concatenate([s_idx, rng.integers(0, sc.samples, n_rr)])
    is_gold = np.arange(n_s + n_rr) < n_s
    ref_run = np.concatenate([np.full(n_s, "gold", dtype=object), run_ids[rr_b]])
    ref_sample = np.concatenate([np.zeros(n_s, dtype=np.int64),
                                 rng.integers(0, sc.samples, n_rr)])
    n_c = len(comp_m)
    comp_ids = _ids("cmp-", n_c)
    comparisons = pd.DataFrame({
        "comparison_id": comp_ids, "task_id": t_ids[comp_t],
        "candidate_run_id": run_ids[comp_m], "candidate_sample": comp_s,
        "reference_run_id": ref_run, "reference_sample": ref_sample,
        # one batch per model-vs-model pair so repeated draws of a pair stay unique
        "batch_id": np.where(is_gold, "batch-1", _ids("batch-rr-", n_c)),
    })
    opp = np.concatenate([np.zeros(n_s), strength[rr_b]])
    diff = strength[comp_m] - np.where(is_gold, difficulty[comp_t], opp)

    # judgments: humans (distinct reviewers per comparison), then autograders
    k_h, k_a = sc.humans_per_comparison, sc.autos_per_comparison
    jc = np.repeat(np.arange(n_c), k_h + k_a)
    slot = np.tile(np.arange(k_h + k_a), n_c)
    human = slot < k_h
    start = rng.integers(0, sc.reviewers, n_c)
    reviewer = np.char.add("rev-", ((start[jc] + slot) % sc.reviewers).astype(str))
    auto = np.char.add("judge/auto-", rng.integers(0, sc.auto_judges, len(jc)).astype(str))
    judge = np.where(human, reviewer, auto).astype(object)
    outcome = _outcomes(rng, diff[jc] + rng.normal(0, 0.5, len(jc)), sc.tie_share)
    n_j = len(jc)
    ungraded = rng.random(n_j) < sc.ungraded_share
    jid = _ids("j-", n_j)
    judgments = pd.DataFrame({
        "judgment_id": jid, "comparison_id": comp_ids[jc],
        "judge_kind": np.where(human, "human", "auto").astype(object), "judge_id": judge,
        "outcome": np.where(ungraded, np.nan, outcome),
        "status": np.where(ungraded, "ungraded", "graded").astype(object),
        "candidate_side": np.where(human, np.where(rng.random(n_j) < 0.5, "A", "B"),
                                   None).astype(object),
        "position_consistent": pd.array(np.where(human, None, rng.random(n_j) < 0.85),
                                        dtype="boolean"),
        "supersedes": pd.array([None] * n_j, dtype="string"),
    })
    redo = np.flatnonzero(human & (rng.random(n_j) < sc.superseded_share))
    later = judgments.iloc[redo].copy()
    later["judgment_id"] = _ids("j-redo-", len(redo))
    later["supersedes"] = jid[redo]
    later["outcome"] = _outcomes(rng, diff[jc[redo]], sc.tie_share)
    later["status"] = "graded"
    judgments = pd.concat([judgments, later], ignore_index=True)

    done = (samples["status"] == "done").to_numpy()
    rub = samples.loc[done, ["run_id", "task_id", "sample"]].copy()
    rub_m = m_idx[done]
    rub["grade_id"] = _ids("g-", len(rub))
    rub["judge_model"] = "judge/auto-0"
    rub["grader_version"] = "1"
    rub_ok = rng.random(len(rub)) < 0.98
    rub["status"] = np.where(rub_ok, "graded", "ungraded").astype(object)
    latent = strength[rub_m] + rng.normal(0, 0.8, len(rub))
    rub["score"] = np.where(rub_ok, 1 / (1 + np.exp(-latent)), np.nan)
    frames = {"tasks": tasks, "runs": runs, "samples": pd.concat([samples, gold]),
              "comparisons": comparisons, "judgments": judgments, "rubric_grades": rub}
    insert_frames(store, frames)
    return {name: len(f) for name, f in frames.items()}
