"""Charts and renderers: well-formed SVG, escaped names, grey low-n marks, and every
figure the review app can ask for."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.report import ReportOptions, build_report
from app.report.charts import GREY, interval_chart
from app.report.figures import FIGURES, figure
from app.report.html import render_html
from app.report.markdown import render_markdown

HOSTILE = 'evil/<script>alert("x")</script>&co'


@pytest.fixture
def report(db):
    db.task("t1", "Sector <A>", "Occ & 1", ("docx",), hours=1, wage=10)
    db.task("t2", "Sector <A>", "Occ 2", ("pdf",))
    db.run("run-x", HOSTILE)
    db.run("run-y", "plain/model")
    for k, task in enumerate(("t1", "t2")):
        db.vs_expert("run-x", task, [1.0, 0.5, 0.0][: k + 2],
                     judges=["rev-1", "rev-2", "rev-3"][: k + 2])
        db.vs_expert("run-x", task, [1.0], kind="auto", judges=["judge/a"], batch="auto")
        db.vs_expert("run-y", task, [0.0, 0.5], judges=["rev-1", "rev-2"])
        db.sample("run-x", task, cost=0.1, latency=60)
    db.judge(db.comparison("t1", ("run-x", 0), ("run-y", 0), batch="rr"), 1.0, judge="rev-1")
    return build_report(db.commit().store, ReportOptions(bootstrap=50, min_n=3))


def test_every_figure_is_well_formed_svg(report):
    drawn = 0
    for key in FIGURES:
        for svg in figure(report, key):
            root = ET.fromstring(svg)
            assert root.tag.endswith("svg") and root.get("role") == "img"
            drawn += 1
    assert drawn >= 7
    with pytest.raises(KeyError):
        figure(report, "pie_chart")


def test_names_are_escaped_everywhere(report):
    html = render_html(report)
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    for key in FIGURES:
        for svg in figure(report, key):
            assert "<script" not in svg
    assert HOSTILE in render_markdown(report)         # Markdown shows it as text


def test_low_n_marks_are_grey_and_labelled():
    import pandas as pd

    rows = pd.DataFrame([
        {"model": "big", "wins_or_ties": 0.6, "wins_or_ties_lo": 0.5, "wins_or_ties_hi": 0.7,
         "n": 100, "n_tasks": 50, "n_judges": 3, "low_n": False},
        {"model": "tiny", "wins_or_ties": 1.0, "wins_or_ties_lo": 0.2, "wins_or_ties_hi": 1.0,
         "n": 1, "n_tasks": 1, "n_judges": 1, "low_n": True},
    ])
    svg = interval_chart(rows)
    root = ET.fromstring(svg)
    circles = root.findall(".//{http://www.w3.org/2000/svg}circle")
    assert [c.get("fill") == GREY for c in circles] == [False, True]
    assert "below minimum n, not ranked" in svg
    assert "n=100, tasks=50, judges=3" in svg


def test_empty_report_draws_nothing(db):
    rep = build_report(db.commit().store, ReportOptions(bootstrap=0))
    assert all(figure(rep, key) == [] for key in FIGURES)
    html = render_html(rep)
    assert html.startswith("<!doctype html>") and "<svg" not in html
