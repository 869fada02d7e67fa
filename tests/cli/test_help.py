"""Every command and subcommand explains itself: `--help` exits 0 with a description, and
every option and argument says what it is for."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from app.cli import app


def _walk(cmd: Any, path: tuple[str, ...] = ()):
    """(path, command) for the root and every command under it. (Typer may vendor its
    own click, so groups are recognised by their ``commands``, not by class.)"""
    yield path, cmd
    if isinstance(getattr(cmd, "commands", None), dict):
        for name, sub in sorted(cmd.commands.items()):
            yield from _walk(sub, (*path, name))


COMMANDS = list(_walk(typer.main.get_command(app)))


def test_the_tree_has_every_command_group() -> None:
    paths = {" ".join(p) for p, _ in COMMANDS}
    assert {"run", "demo", "doctor", "report", "suite validate", "grade rubric",
            "grade pairwise", "review", "review batch create", "reviewers add"} <= paths


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[" ".join(p) or "occubench"
                                                         for p, _ in COMMANDS])
def test_help(path: tuple[str, ...], cmd: Any) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], prog_name="occubench",
                                env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    assert "Usage: occubench" in result.output
    description = (cmd.help or cmd.short_help or "").strip()
    assert len(description) > 15, f"`occubench {' '.join(path)}` has no description"
    assert description.split("\n")[0][:40] in " ".join(result.output.split())
    undocumented = [p.name for p in cmd.params
                    if p.name != "help" and not (getattr(p, "help", None) or "").strip()]
    assert not undocumented, f"`occubench {' '.join(path)}`: no help for {undocumented}"


def test_grade_commands_name_the_real_default_judge() -> None:
    """app.commands.grade spells the default judge out to keep the openai SDK out of
    every command's start-up; it must stay the graders' default."""
    from app.commands.grade import DEFAULT_JUDGE
    from graders.judge import DEFAULT_JUDGE as GRADERS_DEFAULT

    assert DEFAULT_JUDGE == GRADERS_DEFAULT
