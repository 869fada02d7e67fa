"""`occubench suite validate` through the real CLI: it names the file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.suite import load_suite

GOOD = """\
id: {id}
title: Quarterly compliance memo
sector: Government
occupation: Compliance Officers
prompt: |
  You are a compliance officer. Write a memo.
inputs:
  - path: inputs/policy.pdf
deliverables:
  - type: docx
    name: memo.docx
rubric:
  - rubric_item_id: r1
    criterion: The memo is a Word document.
    score: 2
    check: {{kind: file_type, types: [docx]}}
  - rubric_item_id: r2
    criterion: Placeholder text appears.
    score: -5
"""


def make_task(root: Path, task_id: str, text: str | None = None, *, with_input=True) -> Path:
    d = root / "government" / "compliance-officers" / task_id
    (d / "inputs").mkdir(parents=True, exist_ok=True)
    if with_input:
        (d / "inputs" / "policy.pdf").write_bytes(b"%PDF-1.4 test")
    (d / "task.yaml").write_text(text if text is not None else GOOD.format(id=task_id))
    return d / "task.yaml"


def test_valid_suite_prints_counts(tmp_path, cli):
    make_task(tmp_path, "a")
    make_task(tmp_path, "b")
    r = cli("suite", "validate", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "2 tasks valid" in r.stdout
    assert "2  Government" in r.stdout and "2  Compliance Officers" in r.stdout


@pytest.mark.parametrize(
    "name, mutate, field, words",
    [
        ("bad-yaml", lambda s: s.replace("title: Quarterly", "title: [Quarterly"),
         "yaml(line", "bad YAML"),
        ("unknown-occupation", lambda s: s.replace("Compliance Officers", "Astronauts"),
         "occupation", "unknown occupation 'Astronauts'"),
        ("wrong-sector", lambda s: s.replace("Compliance Officers", "Pharmacists"),
         "occupation", "belongs to sector 'Retail Trade'"),
        ("escape", lambda s: s.replace("inputs/policy.pdf", "../../etc/passwd"),
         "inputs[0].path", "escapes the task folder"),
        ("no-points", lambda s: s.replace("    score: -5\n", ""),
         "rubric[1].score", "required field is missing"),
        ("zero-points", lambda s: s.replace("score: -5", "score: 0"),
         "rubric[1].score", "must not be 0"),
        ("bad-check", lambda s: s.replace("kind: file_type, types: [docx]", "kind: file_type"),
         "rubric[0].check.file_type.types", "required field is missing"),
    ],
)
def test_each_problem_names_file_and_field(tmp_path, cli, name, mutate, field, words):
    path = make_task(tmp_path, name, mutate(GOOD.format(id=name)))
    r = cli("suite", "validate", str(tmp_path))
    assert r.returncode == 1
    line = next(ln for ln in r.stderr.splitlines() if ln.startswith(str(path)))
    assert line.startswith(f"{path}:{field}"), line
    assert words in line


def test_missing_input_file(tmp_path, cli):
    path = make_task(tmp_path, "nofile", with_input=False)
    r = cli("suite", "validate", str(tmp_path))
    assert r.returncode == 1
    assert f"{path}:inputs[0].path: file 'inputs/policy.pdf' does not exist" in r.stderr


def test_symlink_escaping_the_task_folder(tmp_path, cli):
    path = make_task(tmp_path, "link", with_input=False)
    (path.parent / "inputs" / "policy.pdf").symlink_to("/etc/hostname")
    r = cli("suite", "validate", str(tmp_path))
    assert r.returncode == 1
    assert f"{path}:inputs[0].path: 'inputs/policy.pdf' resolves outside the task folder" \
        in r.stderr


def test_duplicate_id_names_both_files(tmp_path, cli):
    first = make_task(tmp_path, "same")
    second_dir = tmp_path / "government" / "compliance-officers" / "copy"
    (second_dir / "inputs").mkdir(parents=True)
    (second_dir / "inputs" / "policy.pdf").write_bytes(b"%PDF")
    (second_dir / "task.yaml").write_text(GOOD.format(id="same"))
    r = cli("suite", "validate", str(tmp_path))
    assert r.returncode == 1
    dup = [ln for ln in r.stderr.splitlines() if ":id: duplicate task id 'same'" in ln]
    assert len(dup) == 1 and str(first) in dup[0]


def test_all_problems_reported_in_one_pass(tmp_path):
    make_task(tmp_path, "ok")
    make_task(tmp_path, "bad1", GOOD.format(id="bad1").replace("Government", "Space"))
    make_task(tmp_path, "bad2", "just a string")
    suite = load_suite(tmp_path)
    assert [t.id for t in suite.tasks] == ["ok"]
    assert {p.field for p in suite.errors} == {"sector", "task"}


def test_missing_suite_path_is_one_sentence(cli, tmp_path):
    r = cli("suite", "validate", str(tmp_path / "nope"))
    assert r.returncode == 1
    assert "does not exist" in r.stderr and "Traceback" not in r.stderr


def test_list_filters(tmp_path, cli):
    make_task(tmp_path, "a")
    r = cli("suite", "list", str(tmp_path), "--type", "docx", "--ids")
    assert r.stdout.split() == ["a"]
    r = cli("suite", "list", str(tmp_path), "--type", "pptx", "--ids")
    assert r.stdout.split() == []
    r = cli("suite", "list", str(tmp_path), "--occupation", "compliance*", "--ids")
    assert r.stdout.split() == ["a"]
