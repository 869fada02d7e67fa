"""build_report on small hand-built databases: every figure against a hand computation,
and the rules about which judgments count."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from app.report import ReportOptions, build_report
from core.errors import UserError
from core.stats.winrates import POOLED

OPTS = ReportOptions(bootstrap=0, min_n=2)


def _small(db):
    """run-a (model a/m): t1 win, t2 tie, t3 loss (a first win on t3 superseded); an
    ungraded autograder verdict on t1; an attention check; run-b (model b/m): one win."""
    db.task("t1", "Sector A", "Occ 1", ("docx",), hours=2, wage=50)
    db.task("t2", "Sector A", "Occ 2", ("xlsx", "docx", "docx"), hours=4, wage=100)
    db.task("t3", "Sector B", "Occ 1", ("pptx",))
    db.run("run-a", "a/m")
    db.run("run-b", "b/m")
    db.vs_expert("run-a", "t1", [1.0], judges=["rev-1"])
    db.vs_expert("run-a", "t2", [0.5], judges=["rev-2"])
    first = db.vs_expert("run-a", "t3", [1.0], judges=["rev-1"])[0]
    db.judge(db.comparison("t3", ("run-a", 0)), 0.0, judge="rev-1", supersedes=first)
    db.vs_expert("run-a", "t1", [None], kind="auto", judges=["judge/x"], batch="auto")
    db.judge(db.comparison("t1", ("run-a", 0), batch="att", attention=True), 0.0, judge="rev-1")
    db.vs_expert("run-b", "t1", [1.0], judges=["rev-3"])
    db.sample("run-a", "t1", cost=0.10, latency=120)
    db.sample("run-a", "t2", cost=None, latency=240)
    db.sample("run-a", "t3", cost=0.20, latency=60)
    db.sample("run-b", "t1", cost=0.05, latency=30)
    db.rubric("run-a", "t1", 0.5, judge_model="judge/r1")
    db.rubric("run-a", "t1", 0.7, judge_model="judge/r2")
    db.rubric("run-a", "t2", None, status="ungraded")
    return db.commit()


def _row(report, dim, category, model):
    t = report.win_rates
    r = t[(t["dimension"] == dim) & (t["category"] == category) & (t["model"] == model)]
    assert len(r) == 1, (dim, category, model)
    return r.iloc[0]


def test_win_rates_by_model_from_hand_counts(db):
    rep = build_report(_small(db).store, OPTS)
    a = _row(rep, "model", "all", "a/m")
    assert (a["n"], a["wins"], a["ties"], a["losses"]) == (3, 1, 1, 1)   # superseded win gone
    assert a["n_ungraded"] == 1                     # the autograder failure, counted apart
    assert (a["n_tasks"], a["n_judges"]) == (3, 2)  # the ungraded judge is not counted
    assert a["interval"] == "wilson"
    assert (a["wins_or_ties"], a["wins_only"], a["score"], a["tie_rate"]) == pytest.approx(
        (2 / 3, 1 / 3, 0.5, 1 / 3))
    lo, hi = proportion_confint(2, 3, method="wilson")
    assert (a["wins_or_ties_lo"], a["wins_or_ties_hi"]) == pytest.approx((lo, hi))
    assert a["rank"] == 1


def test_a_category_with_one_judgment_is_flagged_and_not_ranked(db):
    rep = build_report(_small(db).store, OPTS)
    b = _row(rep, "model", "all", "b/m")
    assert b["n"] == 1 and b["wins_or_ties"] == 1.0
    assert bool(b["low_n"]) and pd.isna(b["rank"])
    sector_b = _row(rep, "sector", "Sector B", "a/m")
    assert sector_b["n"] == 1 and bool(sector_b["low_n"]) and pd.isna(sector_b["rank"])


def test_breakdowns_by_sector_occupation_filetype_and_judge_kind(db):
    rep = build_report(_small(db).store, OPTS)
    assert _row(rep, "sector", "Sector A", "a/m")["n"] == 2
    pooled = _row(rep, "sector", "Sector A", POOLED)
    assert (pooled["n"], pooled["wins"], pooled["ties"]) == (3, 2, 1)   # a: W, T; b: W
    assert _row(rep, "occupation", "Occ 1", "a/m")["wins_or_ties"] == pytest.approx(0.5)
    # t2 lists docx twice and xlsx once: counted once under each type
    assert _row(rep, "filetype", "docx", "a/m")["n"] == 2
    assert _row(rep, "filetype", "xlsx", "a/m")["n"] == 1
    assert _row(rep, "filetype", "pptx", "a/m")["wins_or_ties"] == 0.0
    human = _row(rep, "judge_kind", "human", "a/m")
    auto = _row(rep, "judge_kind", "auto", "a/m")
    assert human["n"] == 3 and (auto["n"], auto["n_ungraded"]) == (0, 1)
    assert math.isnan(auto["wins_or_ties"])          # nothing graded: no rate, not 0


def test_header_counts_superseded_attention_and_ungraded(db):
    rep = build_report(_small(db).store, OPTS)
    m = rep.meta
    assert (m["judgments_graded"], m["judgments_ungraded"]) == (4, 1)
    assert (m["superseded"], m["attention_excluded"]) == (1, 1)
    assert m["judges"] == "all" and m["headline_metric"] == "wins_or_ties"
    assert m["models"] == ["a/m", "b/m"]


def test_judge_and_run_filters(db):
    store = _small(db).store
    human = build_report(store, ReportOptions(bootstrap=0, min_n=2, judges="human"))
    assert _row(human, "model", "all", "a/m")["n_ungraded"] == 0
    assert "judge_kind" not in set(human.win_rates["dimension"])
    only_a = build_report(store, ReportOptions(bootstrap=0, runs=("run-a",)))
    assert set(only_a.win_rates_for("model", pooled=False)["model"]) == {"a/m"}
    assert list(only_a.cost_speed["model"]) == ["a/m"]
    with pytest.raises(UserError, match="run-zz"):
        build_report(store, ReportOptions(runs=("run-zz",)))
    with pytest.raises(UserError, match="--judges"):
        build_report(store, ReportOptions(judges="robots"))


def test_ratings_anchor_the_expert_and_flag_a_perfect_record(db):
    rep = build_report(_small(db).store, OPTS)
    r = rep.ratings.set_index("player")
    assert r.loc["human/expert", "rating"] == 1000.0 and bool(r.loc["human/expert", "anchor"])
    # a/m: a win, a tie and a loss against the expert: level with it
    assert r.loc["a/m", "rating"] == pytest.approx(1000.0, abs=1e-6)
    assert bool(r.loc["b/m", "separated"]) and r.loc["b/m", "rating"] > 1000


def test_cost_and_speed_keep_unknown_prices_unknown(db):
    rep = build_report(_small(db).store, OPTS)
    c = rep.cost_speed.set_index("model").loc["a/m"]
    assert (c["n_cost_known"], c["n_cost_unknown"]) == (2, 1)
    assert c["usd_per_task"] == pytest.approx(0.15) and math.isnan(c["cost_usd_total"])
    assert c["minutes_per_task"] == pytest.approx(7 / 3)
    assert c["minutes_per_win"] == pytest.approx(7 / 3 / (2 / 3))
    assert c["expert_minutes_per_task"] == pytest.approx(180)      # t1 2 h, t2 4 h
    assert c["expert_usd_per_task"] == pytest.approx(250)          # $100 and $400
    assert c["speed_ratio"] == pytest.approx(180 / 3)              # model: 2 and 4 min there
    assert c["cost_ratio"] == pytest.approx(250 / 0.10)            # t2's price is unknown
    b = rep.cost_speed.set_index("model").loc["b/m"]
    assert b["cost_usd_total"] == pytest.approx(0.05)


def test_rubric_means_beside_win_rates(db):
    rep = build_report(_small(db).store, OPTS)
    r = rep.rubric[(rep.rubric["dimension"] == "model") & (rep.rubric["model"] == "a/m")].iloc[0]
    assert r["mean"] == pytest.approx(0.6) and r["n"] == 2
    assert (r["n_ungraded"], r["n_tasks"], r["n_judges"]) == (1, 1, 2)


def test_agreement_meets_batches_and_orientations(db):
    db.task("t1")
    db.run("run-a", "a/m")
    db.run("run-b", "b/m")
    db.vs_expert("run-a", "t1", [1.0, 0.5], judges=["rev-1", "rev-2"], batch="b1")
    db.vs_expert("run-a", "t1", [1.0], kind="auto", judges=["judge/x"])    # no batch
    # the same two submissions, compared both ways round: rev-1 prefers a, rev-2 too
    db.judge(db.comparison("t1", ("run-a", 0), ("run-b", 0), batch="rr"), 1.0, judge="rev-1")
    db.judge(db.comparison("t1", ("run-b", 0), ("run-a", 0), batch="rr"), 0.0, judge="rev-2")
    rep = build_report(db.commit().store, OPTS)
    s = rep.agreement.set_index(["comparison", "judge"])
    hh = s.loc[("human-human", "all")]
    # pairs: (W, T) on the gold pair -> 0.5; (a better, a better) on the model pair -> 1
    assert hh["n_pairs"] == 2 and hh["agreement"] == pytest.approx(0.75)
    assert hh["n_items"] == 2
    ah = s.loc[("autograder-human", "all")]
    assert ah["n_pairs"] == 2 and ah["agreement"] == pytest.approx(0.75)   # (W, W), (W, T)
    # ratings use the model-vs-model games too
    r = rep.ratings.set_index("player")
    assert r.loc["a/m", "n"] == 5 and r.loc["b/m", "n"] == 2


def test_position_bias_from_sides(db):
    db.task("t1")
    db.run("run-a", "a/m")
    for k, (side, o) in enumerate([("A", 1.0), ("A", 1.0), ("B", 0.0), ("B", 1.0),
                                   ("A", 0.5)]):
        db.judge(db.comparison("t1", ("run-a", k)), o, kind="auto", judge="judge/x",
                 side=side, consistent=k != 4)
    rep = build_report(db.commit().store, OPTS)
    r = rep.position_bias.set_index("judge_id").loc["judge/x"]
    # decisive with a side: 4; side A won in 3 (A/1, A/1, B/0)
    assert (r["n_decisive_sided"], r["n_prefer_a"]) == (4, 3)
    assert r["inconsistent_rate"] == pytest.approx(1 / 5)


def test_bad_outcome_is_a_clear_error(db):
    db.task("t1")
    db.run("run-a", "a/m")
    db.vs_expert("run-a", "t1", [0.7])
    with pytest.raises(UserError, match="outcome 0.7"):
        build_report(db.commit().store, OPTS)


def test_empty_database_gives_empty_tables(db):
    rep = build_report(db.commit().store, ReportOptions(bootstrap=50))
    assert rep.meta["judgments_graded"] == 0
    assert rep.win_rates_for("model", pooled=False).empty and rep.ratings.empty


def test_bootstrap_is_reproducible_and_independent_of_breakdowns(tmp_path):
    from tests.report.conftest import random_db
    d = random_db(tmp_path / "r.duckdb", models=3, tasks=12)
    a = build_report(d.store, ReportOptions(bootstrap=200, seed=3))
    b = build_report(d.store, ReportOptions(bootstrap=200, seed=3, by=("sector",)))
    c = build_report(d.store, ReportOptions(bootstrap=200, seed=4))
    cols = ["wins_or_ties_lo", "wins_or_ties_hi"]
    pd.testing.assert_frame_equal(a.win_rates_for("model")[cols].reset_index(drop=True),
                                  b.win_rates_for("model")[cols].reset_index(drop=True))
    assert not a.win_rates_for("model")[cols].equals(c.win_rates_for("model")[cols])
    assert set(b.win_rates["dimension"]) == {"model", "judge_kind", "sector"}


def test_progress_is_reported_per_stage_and_davidson_ties_are_available(tmp_path):
    from tests.report.conftest import random_db
    d = random_db(tmp_path / "r.duckdb", models=2, tasks=8)
    seen: dict[str, tuple[int, int]] = {}
    rep = build_report(d.store, ReportOptions(bootstrap=40, ties="davidson", by=("sector",)),
                       progress=lambda stage, done, total: seen.__setitem__(stage, (done, total)))
    assert seen["ratings"] == (40, 40)
    assert seen["win rates: model"] == (40, 40) and "win rates: sector" in seen
    assert "rubric: sector" in seen
    assert rep.meta["ties"] == "davidson" and rep.meta["ratings_tie_parameter"] > 0
    assert rep.ratings["rating_lo"].notna().all()


def test_a_chain_of_changed_votes_counts_only_its_last_link(db):
    db.task("t1")
    db.run("run-a", "a/m")
    cid = db.comparison("t1", ("run-a", 0))
    first = db.judge(cid, 1.0, judge="rev-1")
    second = db.judge(cid, 0.0, judge="rev-1", supersedes=first)
    db.judge(cid, 0.5, judge="rev-1", supersedes=second)
    rep = build_report(db.commit().store, OPTS)
    a = _row(rep, "model", "all", "a/m")
    assert (a["n"], a["wins"], a["ties"], a["losses"]) == (1, 0, 1, 0)
    assert rep.meta["superseded"] == 2 and rep.meta["judgments_graded"] == 1


def test_one_task_shows_figures_without_made_up_intervals(db):
    """A first demo: one task, one autograder verdict, one rubric score."""
    from app.report.markdown import render_markdown

    db.task("t1", "Sector A", "Occ 1", ("docx",))
    db.run("run-a", "a/m")
    db.vs_expert("run-a", "t1", [0.5], kind="auto", judges=["judge/x"])
    db.rubric("run-a", "t1", 0.36, judge_model="judge/x")
    rep = build_report(db.commit().store, ReportOptions(bootstrap=200, min_n=1))
    md = render_markdown(rep)
    assert "0.36 (n=1)" in md and "nan" not in md.lower()
    model = rep.ratings.set_index("player").loc["a/m"]
    assert math.isnan(model["rating_lo"]) and math.isnan(model["rating_hi"])
    assert "No pair has been judged by two different judges yet." in md
    assert "agreement E[1-" not in md  # the empty agreement table is left out
    assert "Caution" not in md  # no order information on this verdict


def test_an_autograder_that_contradicts_itself_is_called_out(db):
    from app.report.markdown import render_markdown

    for t in ("t1", "t2", "t3"):
        db.task(t, "Sector A", "Occ 1", ("docx",))
    db.run("run-a", "a/m")
    for t, consistent in (("t1", False), ("t2", False), ("t3", True)):
        db.judge(db.comparison(t, ("run-a", 0)), 0.5, kind="auto", judge="judge/x",
                 consistent=consistent)
    md = render_markdown(build_report(db.commit().store, ReportOptions(bootstrap=0, min_n=1)))
    assert "Caution: the autograder judge/x gave opposite verdicts in the two orders on 2 " \
        "of 3 pairs (66.7%)" in md
