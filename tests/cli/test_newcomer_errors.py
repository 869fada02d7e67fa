"""The errors a newcomer meets, through the real `occubench` command: each one is a
single sentence on stderr that says what to do, a non-zero exit and no traceback; with
--debug the traceback is there too.

Model endpoints are real HTTP servers on 127.0.0.1 (the scripted server in a thread) or
a closed port; the database lock is held by another real process.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from core.store.db import Store
from tests.cli.conftest import occubench, one_sentence, shows_traceback
from tests.conftest import REPO, occubench_exe
from tests.graders.conftest import add_submission, add_task
from tests.graders.makers import make_xlsx
from tests.support.scripted_server import Reply, ScriptedServer

pytestmark = pytest.mark.e2e

SUITE = str(REPO / "occupations")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on exit: nothing listens there


# -- model endpoints ------------------------------------------------------------------


def test_no_api_key(newcomer, tmp_path: Path) -> None:
    args = ("run", "--model", "openai/gpt-5.4", "--suite", SUITE, "--db",
            str(tmp_path / "o.duckdb"))
    line = one_sentence(occubench(*args, env=newcomer, cwd=tmp_path))
    assert "OPENAI_API_KEY is not set" in line and ".env" in line and "export" in line
    # --debug works after the subcommand too, where a newcomer would add it
    shows_traceback(occubench(*args, "--debug", env=newcomer, cwd=tmp_path), "UserError")


def test_wrong_base_url_says_so_at_once(newcomer, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/v1"
    env = {**newcomer, "VLLM_BASE_URL": url}
    args = ("run", "--model", "vllm/foo", "--suite", SUITE, "--db", str(tmp_path / "o.duckdb"))
    line = one_sentence(occubench(*args, env=env, cwd=tmp_path))
    assert f"cannot connect to {url}" in line and "connection refused" in line
    assert "check VLLM_BASE_URL" in line
    shows_traceback(occubench("--debug", *args, env=env, cwd=tmp_path), "ModelError")


def test_unreachable_server_is_not_retried_for_minutes(newcomer, tmp_path: Path) -> None:
    """A server that drops every connection before any call worked: one retry, then the
    sentence (five retries with back-off used to keep a newcomer waiting)."""
    with ScriptedServer(default=Reply.dropped()) as srv:
        proc = occubench("run", "--model", "scripted/m", "--suite", SUITE,
                         "--max-connections", "1", "--db", str(tmp_path / "o.duckdb"),
                         env={**newcomer, "SCRIPTED_BASE_URL": srv.base_url},
                         cwd=tmp_path)
        attempts = len(srv.bodies())
    assert f"cannot connect to {srv.base_url}" in one_sentence(proc)
    assert attempts == 2


def test_model_name_typo_suggests_the_real_name(newcomer, tmp_path: Path) -> None:
    with ScriptedServer(models=["qwen2.5-7b-instruct", "llama-3.1-8b"]) as srv:
        env = {**newcomer, "VLLM_BASE_URL": srv.base_url}
        args = ("run", "--model", "vllm/qwen2.5-7b-instrcut", "--suite", SUITE, "--db",
                str(tmp_path / "o.duckdb"))
        line = one_sentence(occubench(*args, env=env, cwd=tmp_path))
        debug = occubench("--debug", *args, env=env, cwd=tmp_path)
    assert "'qwen2.5-7b-instrcut' was not found" in line
    assert "did you mean 'qwen2.5-7b-instruct'?" in line
    shows_traceback(debug, "ModelError")


# -- grading: the judge endpoint and LibreOffice ---------------------------------------


JUDGED = {"rubric_item_id": "clear", "score": 2, "criterion": "The summary is clear."}
NEEDS_RECALC = {"rubric_item_id": "total", "score": 2, "criterion": "Total is 200.",
                "check": {"kind": "cell_value", "sheet": "Sample", "cell": "B4",
                          "equals": 200}}


def seeded_run(tmp_path: Path, rubric: list[dict]) -> Path:
    """A store with one task and one finished submission (a workbook whose total is an
    openpyxl formula, so its value exists only after LibreOffice recalculates it)."""
    store = Store(tmp_path / "graded.duckdb")
    add_task(store, tmp_path / "suite", {"id": "t1", "prompt": "Make a workbook.",
                                         "rubric": rubric},
             gold={"gold.xlsx": make_xlsx})
    (tmp_path / "made").mkdir()
    add_submission(store, "r1", "vllm/some-model", "t1", 0,
                   [make_xlsx(tmp_path / "made" / "a.xlsx")])
    Store.close_all()  # let the CLI process take the file
    return store.path


def test_libreoffice_missing_when_grading_needs_it(newcomer, tmp_path: Path) -> None:
    db = seeded_run(tmp_path, [NEEDS_RECALC, JUDGED])
    with ScriptedServer(default=Reply.json({"evidence": "clear", "met": True})) as srv:
        env = {**newcomer, "JUDGE_BASE_URL": srv.base_url,
               "OCCUBENCH_SOFFICE": str(tmp_path / "no-such-soffice")}
        args = ("grade", "rubric", "--run", "r1", "--judge", "judge/j", "--db", str(db))
        line = one_sentence(occubench(*args, env=env, cwd=tmp_path))
        debug = occubench("--debug", *args, env=env, cwd=tmp_path)
    assert "1 submission(s) could not be fully graded because LibreOffice is not " \
           "installed" in line
    assert "make setup" in line and "apt-get install" in line and "libreoffice-calc" in line
    assert "run the same command again" in line
    shows_traceback(debug, "UserError")


def test_libreoffice_missing_stops_the_demo_before_it_starts(newcomer, tmp_path: Path) -> None:
    env = {**newcomer, "PATH": "/nonexistent-bin"}  # no soffice anywhere on PATH
    proc = occubench("demo", "--suite", SUITE, "--db", str(tmp_path / "o.duckdb"), env=env,
                     cwd=tmp_path)
    line = one_sentence(proc)
    assert "LibreOffice is not installed (no soffice on PATH)" in line
    assert "make setup" in line and "apt-get install" in line
    assert not (tmp_path / "o.duckdb").exists()  # nothing started


def test_wrong_judge_url_stops_grading_instead_of_failing_every_item(newcomer,
                                                                    tmp_path: Path) -> None:
    db = seeded_run(tmp_path, [JUDGED])
    url = f"http://127.0.0.1:{closed_port()}/v1"
    proc = occubench("grade", "rubric", "--run", "r1", "--judge", "judge/j", "--db", str(db),
                     env={**newcomer, "JUDGE_BASE_URL": url}, cwd=tmp_path)
    line = one_sentence(proc)
    assert f"cannot connect to {url}" in line and "JUDGE_BASE_URL" in line
    assert "ungraded" not in proc.stdout  # no summary of a session that never started


# -- the database ---------------------------------------------------------------------


def test_database_locked_by_another_process(newcomer, tmp_path: Path, lock_holder) -> None:
    db = tmp_path / "busy.duckdb"
    holder = lock_holder(db)
    env = {**newcomer, "OCCUBENCH_LOCK_TIMEOUT": "1"}
    with ScriptedServer() as srv:
        env["SCRIPTED_BASE_URL"] = srv.base_url
        args = ("run", "--model", "scripted/m", "--suite", SUITE, "--db", str(db))
        line = one_sentence(occubench(*args, env=env, cwd=tmp_path))
        debug = occubench(*args, "--debug", env=env, cwd=tmp_path)
        assert srv.bodies() == []  # nothing was run that could not be recorded
    assert f"the database {db} stayed locked by another process, PID {holder.pid}" in line
    assert "for 1s" in line and "wait for it to finish or stop it" in line and "--db" in line
    shows_traceback(debug, "StoreLockedError")


# -- the suite ------------------------------------------------------------------------


@pytest.mark.parametrize("command", [("run", "--suite"), ("suite", "validate"),
                                     ("demo", "--suite")])
def test_suite_path_that_does_not_exist(newcomer, tmp_path: Path, command) -> None:
    missing = tmp_path / "ocupations"
    db = () if command[0] == "suite" else ("--db", str(tmp_path / "o.duckdb"))
    line = one_sentence(occubench(*command, str(missing), *db, env=newcomer, cwd=tmp_path))
    assert f"suite path {missing} does not exist" in line
    assert "occupations" in line or "--suite" in line  # where the suite is, or how to say


def test_suite_path_with_debug_shows_the_traceback(newcomer, tmp_path: Path) -> None:
    shows_traceback(occubench("--debug", "suite", "validate", str(tmp_path / "nope"),
                              env=newcomer, cwd=tmp_path), "UserError")


# -- Ctrl-C and bugs ------------------------------------------------------------------


def test_ctrl_c_while_grading_is_one_line(newcomer, tmp_path: Path) -> None:
    db = seeded_run(tmp_path, [JUDGED])
    with ScriptedServer(default=Reply.hang(30)) as srv:
        cmd = [*occubench_exe(), "grade", "rubric", "--run", "r1", "--judge", "judge/j",
               "--db", str(db)]
        # a shell that runs us in the background may have SIGINT ignored: undo that
        proc = subprocess.Popen(cmd, cwd=tmp_path, env={**newcomer,
                                                        "JUDGE_BASE_URL": srv.base_url},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT,
                                                                 signal.SIG_DFL))
        deadline = time.monotonic() + 60
        while not srv.bodies() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        assert srv.bodies(), "the judge was never asked"
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "Traceback" not in stderr
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert lines[-1] == ("interrupted: finished work is saved; run the same command again "
                         "to resume")


def test_a_bug_is_one_line_pointing_at_debug(monkeypatch, capsys) -> None:
    """Anything that is not a UserError is a bug: still no traceback without --debug."""
    from app import cli
    from app.commands import suite

    def broken(*_a, **_k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(suite, "load_suite", broken)
    # --debug sets OCCUBENCH_DEBUG=1 in this process; setenv makes teardown remove it
    monkeypatch.setenv("OCCUBENCH_DEBUG", "0")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["suite", "validate", str(REPO / "occupations")])
    err = capsys.readouterr().err
    assert exit_info.value.code == 1 and "Traceback" not in err
    assert err.strip() == ("error: unexpected ZeroDivisionError: division by zero; this is a "
                           "bug in occubench: run the command again with --debug for the "
                           "traceback and report it")
    with pytest.raises(ZeroDivisionError):
        cli.main(["suite", "validate", str(REPO / "occupations"), "--debug"])
