"""Importing the real GDPval rows: nothing lost, every rubric item kept with its points."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from core.gdpval import GDPvalImportError, as_list, import_gdpval, read_rows
from core.suite import load_suite
from tests.conftest import gdpval_file

V1 = "gdpval_v1_220_tasks.json"
V2 = "gdpval_v2_sample_5_tasks_with_rubrics.jsonl"


def _yaml_by_id(out: Path) -> dict[str, dict]:
    return {d["id"]: d for d in (yaml.safe_load(p.read_text()) for p in out.rglob("task.yaml"))}


def test_all_220_v1_rows_import_and_validate(tmp_path):
    src = gdpval_file(V1)
    rows = json.loads(src.read_text())
    result = import_gdpval(src, tmp_path)
    assert result.errors == []
    assert len(result.written) == len(rows) == 220
    tasks = _yaml_by_id(tmp_path)
    for row in rows:
        t = tasks[row["task_id"]]  # UUIDs kept as they are
        assert (t["sector"], t["occupation"], t["prompt"]) == (
            row["sector"], row["occupation"], row["prompt"])
        assert len(t["inputs"]) == len(row["reference_files"])
        assert all(f["missing"] for f in t["inputs"])  # no --files: recorded, not dropped
    with_refs = sum(1 for r in rows if r["reference_files"])
    assert len(result.not_runnable) == with_refs
    suite = load_suite(tmp_path)
    assert suite.ok, suite.errors[:3]
    assert len(suite.tasks) == 220
    assert len(suite.counts()["sector"]) == 9 and len(suite.counts()["occupation"]) == 44


def test_v2_rows_keep_every_rubric_item_and_signed_score(tmp_path):
    src = gdpval_file(V2)
    rows = [json.loads(line) for line in src.read_text().splitlines() if line.strip()]
    result = import_gdpval(src, tmp_path)
    assert result.errors == [] and len(result.written) == 5
    tasks = _yaml_by_id(tmp_path)
    total = 0
    for row in rows:
        items = json.loads(row["rubric_json"])
        got = tasks[row["task_id"]]["rubric"]
        assert [(i["rubric_item_id"], i["criterion"], i["score"], i["tags"]) for i in items] == \
            [(g["rubric_item_id"], g["criterion"], g["score"], g["tags"]) for g in got]
        total += len(items)
    assert result.rubric_items == total
    assert tasks[rows[0]["task_id"]]["source"]["revision"] == "v2"
    assert load_suite(tmp_path).ok


def test_parquet_with_repr_string_lists_and_local_files(tmp_path):
    """An exporter that wrote list columns as Python reprs, plus a partial --files copy."""
    rows = [
        {"task_id": "11111111-2222-3333-4444-555555555555", "sector": "Government",
         "occupation": "Compliance Officers", "prompt": "Review the policy. Then report.",
         "reference_files": "['reference_files/abc/Policy.pdf', 'reference_files/def/Gone.xlsx']",
         "reference_file_urls": "['https://example/Policy.pdf', 'https://example/Gone.xlsx']",
         "reference_file_hf_uris": "[]",
         "deliverable_files": "['deliverable_files/x/Report.docx']",
         "rubric_json": json.dumps([{"rubric_item_id": "r1", "criterion": "Has a title",
                                     "score": 2, "tags": ["true"]},
                                    {"rubric_item_id": "r2", "criterion": "Wrong total",
                                     "score": -60, "tags": ["false"]}]),
         "rubric_pretty": "[+2] Has a title"},
    ]
    src = tmp_path / "gdpval.parquet"
    pq.write_table(pa.Table.from_pylist(rows), src)
    files = tmp_path / "hf"
    (files / "reference_files" / "abc").mkdir(parents=True)
    (files / "reference_files" / "abc" / "Policy.pdf").write_bytes(b"%PDF-1.4 x")
    (files / "deliverable_files" / "x").mkdir(parents=True)
    (files / "deliverable_files" / "x" / "Report.docx").write_bytes(b"PK docx")
    out = tmp_path / "suite"
    result = import_gdpval(src, out, files)
    assert result.errors == []
    suite = load_suite(out)
    assert suite.ok, suite.errors
    t = suite.tasks[0]
    assert [(f.path, f.missing) for f in t.task.inputs] == [
        ("inputs/Policy.pdf", False), ("inputs/Gone.xlsx", True)]
    assert (t.dir / "inputs" / "Policy.pdf").read_bytes() == b"%PDF-1.4 x"
    assert [g.path for g in t.task.gold] == ["gold/Report.docx"]
    assert [i.score for i in t.task.rubric] == [2, -60]
    assert not t.task.runnable and "Gone.xlsx" in t.task.blockers[0]
    assert t.task.deliverable_types == ["docx"]


def test_hostile_rows_are_reported_not_written(tmp_path):
    src = tmp_path / "rows.jsonl"
    good = {"task_id": "ok-1", "sector": "Government", "occupation": "Compliance Officers",
            "prompt": "x", "reference_files": ["../../../etc/passwd"]}
    bad_id = {**good, "task_id": "../escape"}
    no_prompt = {k: v for k, v in good.items() if k != "prompt"} | {"task_id": "np"}
    src.write_text("\n".join(json.dumps(r) for r in (good, bad_id, no_prompt)))
    files = tmp_path / "files"
    files.mkdir()
    result = import_gdpval(src, tmp_path / "out", files)
    assert len(result.written) == 1 and len(result.errors) == 2
    assert "escape" in result.errors[0] and "prompt" in result.errors[1]
    t = load_suite(tmp_path / "out").tasks[0].task
    assert t.inputs[0].path == "inputs/passwd" and t.inputs[0].missing  # never read /etc/passwd
    assert not (tmp_path / "escape").exists()


def test_unreadable_sources_give_clear_errors(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text("{not json")
    with pytest.raises(GDPvalImportError, match="cannot read"):
        read_rows(bad)
    other = tmp_path / "y.json"
    other.write_text(json.dumps([{"a": 1}]))
    with pytest.raises(GDPvalImportError, match="lack GDPval columns"):
        read_rows(other)
    with pytest.raises(GDPvalImportError, match="no such file"):
        read_rows(tmp_path / "missing.parquet")


def test_list_column_forms():
    assert as_list("['a', 'b']") == ["a", "b"]
    assert as_list('["a"]') == ["a"]
    assert as_list(None) == [] and as_list("") == [] and as_list(float("nan")) == []
    assert as_list("single.pdf") == ["single.pdf"]


def test_cli_import_reports_not_runnable(tmp_path, cli):
    src = gdpval_file(V2)
    r = cli("suite", "import-gdpval", str(src), "--out", str(tmp_path / "s"))
    assert r.returncode == 0, r.stderr
    assert "imported 5 tasks with" in r.stdout and "not runnable" in r.stdout
