"""An interpreter installed under /tmp (a clone or a venv there) still gets bubblewrap.

/tmp inside the sandbox is normally a symlink into the work dir; with the interpreter
under /tmp that symlink would hide it and the probe would silently fall back to a weaker
level. The argv must mount the work dir's tmp on /tmp and the interpreter on top.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from runner import confinement
from runner.confinement import TMP_DIR


def test_python_under_tmp_is_mounted_over_the_work_dirs_tmp(tmp_path, monkeypatch):
    venv = Path("/tmp/some-clone/.venv")
    monkeypatch.setattr(confinement, "_python_roots", lambda: [Path("/opt/py"), venv])
    argv, inner = confinement._bwrap_argv(tmp_path)
    tmp_mount = argv.index("/tmp")
    assert argv[tmp_mount - 2:tmp_mount + 1] == ["--bind", str(tmp_path / TMP_DIR), "/tmp"]
    assert (tmp_path / TMP_DIR).is_dir()
    venv_mount = argv.index(str(venv), tmp_mount + 1)
    assert argv[venv_mount - 1] == "--ro-bind" and venv_mount > tmp_mount
    assert "--symlink" not in [argv[i - 1] for i, a in enumerate(argv) if a == "/tmp"]


def test_python_elsewhere_keeps_tmp_a_symlink_into_the_work_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(confinement, "_python_roots", lambda: [Path("/opt/py")])
    argv, inner = confinement._bwrap_argv(tmp_path)
    i = argv.index("/tmp")
    assert argv[i - 2:i + 1] == ["--symlink", f"{inner}/{TMP_DIR}", "/tmp"]


@pytest.mark.skipif(not Path("/usr/bin/bwrap").exists(), reason="needs bubblewrap")
def test_probe_from_a_venv_under_tmp_finds_bwrap(tmp_path):
    """The real thing: a venv under /tmp, probed by its own interpreter."""
    import site
    import subprocess
    import sys

    venv = Path("/tmp") / f"occubench-venv-{tmp_path.name}"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    try:
        repo = Path(__file__).resolve().parents[2]
        # the new venv sees our packages (docx, openpyxl, ...) through a .pth file
        site_dir = next((venv / "lib").glob("python*/site-packages"))
        (site_dir / "ours.pth").write_text("\n".join([*site.getsitepackages(), str(repo)]))
        code = "from runner.confinement import detect_level; print(detect_level())"
        out = subprocess.run([str(venv / "bin" / "python"), "-c", code], cwd=repo,
                             capture_output=True, text=True, timeout=120)
        expected = subprocess.run([sys.executable, "-c", code], cwd=repo,
                                  capture_output=True, text=True, timeout=120)
        assert out.stdout.strip() == expected.stdout.strip(), out.stderr
    finally:
        import shutil

        shutil.rmtree(venv, ignore_errors=True)
