"""`occubench doctor`: one line per part of the machine, the fix for what is missing, and
an exit code that says whether `occubench demo` can run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import doctor
from tests.cli.conftest import occubench

ITEMS = ["python", "libreoffice", "uno helper", "fonts", "chromium", "sandbox",
         "llama-cpp-python", "smollm2 model", "database", "providers"]
LINE = re.compile(r"^(OK|MISSING|LOCKED|BROKEN|INFO) +(\S.*?)  +(.*)$")


def parse(stdout: str) -> dict[str, tuple[str, str]]:
    """{item: (status, rest of the line)}; every line must have the doctor's shape."""
    out = {}
    for line in stdout.splitlines():
        if line == "ready for `occubench demo`":
            continue
        m = LINE.match(line)
        assert m, f"not a doctor line: {line!r}"
        out[m.group(2).strip()] = (m.group(1), m.group(3))
    return out


def test_every_item_once_and_the_exit_code_follows_what_demo_needs(newcomer, tmp_path):
    proc = occubench("doctor", "--db", str(tmp_path / "o.duckdb"), env=newcomer, cwd=tmp_path)
    items = parse(proc.stdout)
    assert list(items) == ITEMS
    assert items["python"][0] == "OK"
    assert items["database"] == ("OK", f"{tmp_path / 'o.duckdb'} (will be created on first "
                                       "use, writable, not locked)")
    assert not (tmp_path / "o.duckdb").exists()  # the doctor only looks
    blocking = [name for name, (status, rest) in items.items()
                if status not in ("OK", "INFO") and "(optional)" not in rest]
    for name, (status, rest) in items.items():
        if status not in ("OK", "INFO"):
            assert "-> fix: " in rest, name  # every problem comes with its fix
    if blocking:
        assert proc.returncode == 1
        assert f"not ready for `occubench demo`: fix {', '.join(blocking)}" in proc.stderr
    else:
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.splitlines()[-1] == "ready for `occubench demo`"


def test_missing_libreoffice_is_named_with_its_fix(newcomer, tmp_path):
    env = {**newcomer, "OCCUBENCH_SOFFICE": str(tmp_path / "no-soffice")}
    proc = occubench("doctor", "--db", str(tmp_path / "o.duckdb"), env=env, cwd=tmp_path)
    assert proc.returncode == 1
    status, rest = parse(proc.stdout)["libreoffice"]
    assert status == "MISSING"
    assert f"OCCUBENCH_SOFFICE={tmp_path / 'no-soffice'} not found" in rest
    assert "-> fix: install it with `make setup`" in rest
    assert "sudo apt-get install --no-install-recommends libreoffice-writer-nogui" in rest
    assert "not ready for `occubench demo`: fix libreoffice" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_locked_database_and_provider_names_without_values(newcomer, tmp_path, lock_holder):
    db = tmp_path / "busy.duckdb"
    holder = lock_holder(db)
    env = {**newcomer, "VLLM_BASE_URL": "http://127.0.0.1:9/v1",
           "OPENAI_API_KEY": "sk-secret-value-123", "OCCUBENCH_DB": str(db)}
    proc = occubench("doctor", env=env, cwd=tmp_path)
    items = parse(proc.stdout)
    status, rest = items["database"]
    assert status == "LOCKED" and f"is held by PID {holder.pid}" in rest
    assert "-> fix: wait for that process to finish or stop it" in rest
    assert proc.returncode == 1 and "database" in proc.stderr
    assert items["providers"] == ("INFO", "set: OPENAI_API_KEY, VLLM_BASE_URL")
    assert "sk-secret-value-123" not in proc.stdout + proc.stderr
    assert "127.0.0.1:9" not in proc.stdout + proc.stderr


def test_database_that_is_not_duckdb_is_broken(tmp_path):
    bad = tmp_path / "notes.duckdb"
    bad.write_text("not a database\n" * 200)
    finding = doctor.check_database(bad)
    assert finding.status == "BROKEN" and finding.needed and finding.blocks_demo
    assert "not a valid DuckDB database file" in finding.detail


@pytest.mark.parametrize("level", ["rlimits", "netns"])
def test_sandbox_level_forced_is_reported_as_such(monkeypatch, level):
    from runner.sandbox import detect_level

    detect_level.cache_clear()
    monkeypatch.setenv("OCCUBENCH_SANDBOX", level)
    try:
        finding = doctor.check_sandbox()
    finally:
        detect_level.cache_clear()
    assert finding.status == "OK" and "forced by OCCUBENCH_SANDBOX" in finding.detail
    assert level in finding.detail and not finding.needed


def test_unknown_sandbox_setting_is_broken_not_a_crash(monkeypatch):
    from runner.sandbox import detect_level

    detect_level.cache_clear()
    monkeypatch.setenv("OCCUBENCH_SANDBOX", "jail")
    try:
        finding = doctor.check_sandbox()
    finally:
        detect_level.cache_clear()
    assert finding.status == "BROKEN" and "OCCUBENCH_SANDBOX='jail'" in finding.detail
    assert not finding.blocks_demo


def test_missing_fonts_name_their_packages(monkeypatch):
    monkeypatch.setattr(doctor, "_font_families", lambda: "DejaVu Sans\nLiberation Sans\n")
    finding = doctor.check_fonts()
    assert finding.status == "MISSING" and not finding.needed
    assert finding.fix == ("sudo apt-get install --no-install-recommends "
                           "fonts-crosextra-caladea fonts-crosextra-carlito")


def test_diagnose_in_process_matches_the_items():
    assert [f.name for f in doctor.diagnose(Path("/tmp/occubench-doctor-none.duckdb"))] == ITEMS
