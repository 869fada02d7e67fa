"""The starter suite validates and has the shape the foundation issue asks for."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from core.task import DOCUMENT_TYPES
from core.taxonomy import load_taxonomy

from .conftest import SUITE_DIR

TAXONOMY = load_taxonomy(SUITE_DIR / "taxonomy.yaml")


def test_suite_validates_with_no_problems(suite):
    assert [str(p) for p in suite.problems] == []
    assert len(suite.tasks) >= 18


def test_cli_validate_is_clean_even_strict(cli):
    res = cli("suite", "validate", "occupations", "--strict")
    assert res.returncode == 0, res.stderr
    assert "18 tasks valid (18 runnable)" in res.stdout
    assert res.stderr == ""


def test_two_runnable_tasks_in_every_sector(suite):
    runnable = [t.task for t in suite.tasks if t.task.runnable]
    assert len(runnable) >= 18
    per_sector = Counter(t.sector for t in runnable)
    assert set(per_sector) == set(TAXONOMY.sectors)
    assert min(per_sector.values()) >= 2


def test_occupations_and_deliverable_types(suite):
    tasks = [t.task for t in suite.tasks]
    assert len({t.occupation for t in tasks}) >= 12
    by_type = Counter(d.type for t in tasks for d in t.deliverables)
    for kind in DOCUMENT_TYPES:
        assert by_type[kind] >= 3, f"{kind} is a deliverable in only {by_type[kind]} tasks"
    assert sum(len(t.deliverables) >= 2 for t in tasks) >= 2


def test_task_folders_follow_the_taxonomy_slugs(suite):
    import yaml

    data = yaml.safe_load((SUITE_DIR / "taxonomy.yaml").read_text(encoding="utf-8"))
    slug = {s["name"]: s["slug"] for s in data["sectors"]}
    oslug = {o["name"]: o["slug"] for s in data["sectors"] for o in s["occupations"]}
    for lt in suite.tasks:
        t = lt.task
        assert lt.dir.relative_to(SUITE_DIR) == Path(slug[t.sector], oslug[t.occupation], t.id)


def test_every_task_is_complete_and_small(suite):
    for lt in suite.tasks:
        t = lt.task
        assert t.source.kind == "occubench" and t.source.revision == "2026.11", t.id
        assert t.expert_hours and 0.5 <= t.expert_hours <= 20, t.id
        assert len(t.prompt) < 1500, f"{t.id}: prompt is {len(t.prompt)} characters"
        assert t.inputs, f"{t.id} has no reference files"
        for ref in t.inputs:
            assert ref.name in t.prompt, f"{t.id}: prompt never names input {ref.name}"
        names = [d.name for d in t.deliverables]
        assert all(names) and sorted(names) == sorted(g.name for g in t.gold), t.id
        for name in names:
            assert name in t.prompt, f"{t.id}: prompt never names deliverable {name}"


def test_rubrics_are_gdpval_shaped(suite):
    for lt in suite.tasks:
        t = lt.task
        scores = [i.score for i in t.rubric]
        assert 10 <= len(t.rubric) <= 30, t.id
        assert scores.count(5) == 1, f"{t.id}: needs exactly one +5 overall item"
        assert any(s < 0 for s in scores), f"{t.id}: no penalty item"
        assert all(s in (-5, -2, -1, 1, 2, 5) for s in scores), t.id
        assert any(i.check for i in t.rubric), f"{t.id}: no deterministic check"
        assert sum(i.check is None for i in t.rubric) >= 3, f"{t.id}: too few judged items"
        assert all(i.rubric_item_id.startswith(t.id + ":") for i in t.rubric), t.id
        assert any(i.rubric_item_id.endswith(":placeholder-text") for i in t.rubric), t.id


def test_page_count_checks_only_target_pdfs(suite):
    for lt in suite.tasks:
        for it in lt.task.rubric:
            if it.check and it.check.kind == "page_count":
                import fnmatch

                scope = [d.name for d in lt.task.deliverables
                         if not it.check.file or fnmatch.fnmatch(d.name.lower(),
                                                                  it.check.file.lower())]
                assert scope and all(n.lower().endswith(".pdf") for n in scope), \
                    f"{it.rubric_item_id}: page_count on {scope}"


def test_suite_stays_under_five_megabytes():
    total = sum(p.stat().st_size for p in SUITE_DIR.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts)
    assert total < 5_000_000, f"suite is {total / 1e6:.1f} MB"
