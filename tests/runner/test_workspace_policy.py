"""Safe file names in the work dir, and the per-suite tool policy."""

from __future__ import annotations

import os

import pytest

from core.errors import UserError
from runner.policy import ToolPolicy, load_policy
from runner.workspace import Workspace, WorkspaceError


@pytest.fixture
def ws(tmp_path):
    src = tmp_path / "src.txt"
    src.write_text("input")
    return Workspace(tmp_path / "work", [src]).prepare()


def test_names_are_reduced_to_plain_names_inside(ws):
    assert ws.output_path("/etc/report.docx", extension="docx") == ws.root / "report.docx"
    assert ws.output_path("../../../x.docx", extension="docx") == ws.root / "x.docx"
    assert ws.output_path("..\\..\\y", extension="docx") == ws.root / "y.docx"
    assert ws.output_path("my report?.pdf", extension="pdf") == ws.root / "my report_.pdf"
    with pytest.raises(WorkspaceError, match="extension .xlsx"):
        ws.output_path("book.xlsx", extension="docx")
    with pytest.raises(WorkspaceError):
        ws.output_path("..", extension="docx")


def test_symlinks_out_are_refused(ws, tmp_path):
    outside = tmp_path / "secret.docx"
    outside.write_text("secret")
    os.symlink(outside, ws.root / "link.docx")
    with pytest.raises(WorkspaceError, match="symbolic link"):
        ws.output_path("link.docx", extension="docx")
    with pytest.raises(WorkspaceError, match="symbolic link"):
        ws.existing_file("link.docx")
    os.symlink(tmp_path, ws.root / "dirlink")
    with pytest.raises(WorkspaceError):
        ws.existing_file("dirlink/secret.docx")
    for bad in ("/etc/passwd", "../secret.docx", "inputs/../../secret.docx"):
        with pytest.raises(WorkspaceError):
            ws.existing_file(bad)
    assert "link.docx" not in ws.output_names()


def test_inputs_are_copied_and_found_by_name(ws):
    f = ws.input_file("inputs/src.txt")
    assert ws.input_path(f).read_text() == "input" and ws.input_file("SRC.TXT") == f
    with pytest.raises(WorkspaceError, match="inputs: src.txt"):
        ws.input_file("nope.txt")


def test_policy_from_suite_root_and_decisions(tmp_path):
    assert load_policy(tmp_path) == ToolPolicy()  # default: everything, no confirmation
    (tmp_path / "policy.yaml").write_text(
        "allow: [read_input, write_docx, run_python]\nconfirm: [run_python]\n"
        "sandbox: {cpu_s: 5}\n")
    policy = load_policy(tmp_path)
    assert policy.offered_tools == ["read_input", "write_docx", "run_python", "finish"]
    assert policy.decide("finish", {}).allowed
    assert not policy.decide("write_xlsx", {}).allowed
    denied = policy.decide("run_python", {"code": "1"})
    assert not denied.allowed and "confirmation" in denied.reason
    assert policy.decide("run_python", {}, confirmer=lambda tool, args: True).allowed
    assert policy.with_approvals(["run_python"]).decide("run_python", {}).allowed
    assert policy.sandbox_limits().cpu_s == 5


@pytest.mark.parametrize("text,needle", [
    ("allow: [write_docx, launch_rockets]\n", "launch_rockets"),
    ("confirm: run_python\n", "confirm"),
    ("sandbox: {cpu_s: -1}\n", "sandbox.cpu_s"),
    ("colour: blue\n", "colour"),
    ("- just a list\n", "mapping"),
])
def test_bad_policy_files_name_file_and_field(tmp_path, text, needle):
    path = tmp_path / "p.yaml"
    path.write_text(text)
    with pytest.raises(UserError) as info:
        load_policy(None, path)
    assert "p.yaml" in str(info.value) and needle in str(info.value)
