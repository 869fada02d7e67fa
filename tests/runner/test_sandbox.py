"""Agent code in the sandbox: what it can do, and what it is stopped from doing."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import socket
import subprocess
from pathlib import Path

import pytest

from runner.confinement import SandboxLevel, detect_level
from runner.sandbox import Sandbox, SandboxLimits

REPO = Path(__file__).resolve().parents[2]
# a generous wall clock (a loaded test machine is slow), so each test shows the limit it
# is about; SHORT is for the tests about the wall clock itself
LIMITS = SandboxLimits(cpu_s=1, wall_s=60, memory_mb=1024, file_mb=20, disk_mb=60,
                       nproc=32, output_chars=2000)
SHORT = dataclasses.replace(LIMITS, wall_s=2.5)


def run(code: str, work: Path, level: SandboxLevel | None = None, limits=LIMITS):
    work.mkdir(parents=True, exist_ok=True)
    return asyncio.run(Sandbox(limits, level=level).run_python(code, work))


@pytest.fixture(scope="module")
def level() -> SandboxLevel:
    return detect_level()


@pytest.fixture
def bwrap(level):
    if level != SandboxLevel.BWRAP:
        pytest.skip(f"bubblewrap is not usable here (sandbox level {level}); the "
                    "filesystem and network checks need it")


def test_office_libraries_work_inside_and_files_come_back_ours(tmp_path):
    work = tmp_path / "w"
    (work / "inputs").mkdir(parents=True)
    (work / "inputs" / "data.txt").write_text("42")
    r = run("import docx, openpyxl, pptx, reportlab\n"
            "d = docx.Document(); d.add_paragraph(open('inputs/data.txt').read())\n"
            "d.save('out.docx'); print('saved')", work)
    assert r.ok and r.stdout.strip() == "saved", r.stderr
    assert (work / "out.docx").stat().st_uid == os.getuid()
    assert not (work / ".tmp").exists()


def test_filesystem_outside_the_work_dir_is_invisible(tmp_path, bwrap):
    code = ("import sys\nfor p in sys.argv[1:] or {paths}:\n"
            "    try:\n        print(p, len(open(p).read()))\n"
            "    except OSError as e:\n        print(p, 'blocked', type(e).__name__)\n")
    paths = ["/etc/passwd", "/etc/shadow", str(REPO / "pyproject.toml"),
             str(Path.home() / ".bashrc"), str(tmp_path / "secret.txt")]
    (tmp_path / "secret.txt").write_text("do not read")
    r = run(code.format(paths=paths), tmp_path / "w")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == len(paths) and all("blocked" in line for line in lines), lines


def test_inputs_are_read_only(tmp_path, bwrap):
    work = tmp_path / "w"
    (work / "inputs").mkdir(parents=True)
    (work / "inputs" / "a.txt").write_text("orig")
    r = run("open('inputs/a.txt', 'w').write('changed')", work)
    assert r.exit_code != 0 and "Read-only" in r.stderr
    assert (work / "inputs" / "a.txt").read_text() == "orig"


def test_no_network_not_even_the_hosts_loopback(tmp_path, level):
    if level == SandboxLevel.RLIMITS:
        pytest.skip("no network namespace at the rlimits level")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    try:
        r = run("import socket\ntry:\n"
                f"    socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
                "    print('connected')\nexcept OSError as e:\n    print('blocked', e)\n"
                "try:\n    socket.create_connection(('1.1.1.1', 443), timeout=2)\n"
                "    print('connected')\nexcept OSError as e:\n    print('blocked', e)\n",
                tmp_path / "w")
    finally:
        listener.close()
    assert r.stdout.count("blocked") == 2, r.stdout + r.stderr


def test_fork_bomb_is_contained_and_killed(tmp_path, level):
    if level != SandboxLevel.BWRAP and os.geteuid() == 0:
        pytest.skip("as root without bubblewrap the kernel does not apply RLIMIT_NPROC")
    # the bomb names itself (children inherit the name), so that what is left of it can be
    # told apart from other sandboxed code running at the same time (parallel tests)
    r = run("import ctypes, os\nctypes.CDLL(None).prctl(15, b'occubomb', 0, 0, 0)\n"
            "while True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
            tmp_path / "w", limits=SHORT)
    assert r.killed in ("wall_time", "cpu_time") and r.duration_s < SHORT.wall_s + 8
    # the machine still has processes to spare and nothing of the bomb is left
    assert subprocess.run(["true"], check=False).returncode == 0
    names = subprocess.run(["ps", "-eo", "comm="], capture_output=True, text=True).stdout
    assert "occubomb" not in names.split()


@pytest.mark.parametrize("sandbox_level", [None, SandboxLevel.RLIMITS])
def test_writing_10_gb_and_spinning_are_stopped(tmp_path, sandbox_level):
    big = run("f = open('big.bin', 'wb')\nfor _ in range(10 * 1024):\n"
              "    f.write(b'0' * (1 << 20))\n", tmp_path / "w", sandbox_level)
    assert not big.ok and (big.killed == "file_size" or "File too large" in big.stderr)
    assert (tmp_path / "w" / "big.bin").stat().st_size <= LIMITS.file_mb * 1024 * 1024
    spin = run("while True:\n    pass\n", tmp_path / "w", sandbox_level)
    assert spin.killed == "cpu_time"
    if sandbox_level is None:
        sleeper = run("import time\ntime.sleep(60)\n", tmp_path / "w", limits=SHORT)
        assert sleeper.killed == "wall_time" and sleeper.duration_s < SHORT.wall_s + 5


def test_disk_quota_memory_and_output_bounds(tmp_path):
    many = run("i = 0\nwhile True:\n    open(f'f{i}.bin', 'wb').write(b'1' * (10 << 20))\n"
               "    i += 1\n", tmp_path / "w")
    assert many.killed == "disk_quota"
    memory = run("x = bytearray(4 * 1024 ** 3)\n", tmp_path / "m")
    assert not memory.ok and "MemoryError" in memory.stderr
    chatty = run("print('x' * 1_000_000)\n", tmp_path / "c")
    assert chatty.ok and chatty.truncated and len(chatty.stdout) == LIMITS.output_chars
