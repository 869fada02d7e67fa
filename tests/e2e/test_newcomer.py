"""A newcomer's first hour, from a clean clone: the README's demo command, the reports it
leaves, the review app in a real browser with the demo account, one vote, and the report
regenerated with that vote counted.

Slow (a fresh virtualenv, then the embedded model writing, graded and judged): run it
alone with ``pytest -m newcomer``. It reads the quick-start command from README.md
itself, so the README cannot drift from what is tested.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO
from tests.review.review_server import CHROMIUM, CHROMIUM_ARGS, free_port, stop_server

pytestmark = [pytest.mark.newcomer, pytest.mark.e2e, pytest.mark.browser,
              pytest.mark.local_model, pytest.mark.timeout(1800)]


def quick_start() -> list[str]:
    """The commands of the README's quick-start block, in order."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line.split("#", 1)[0].strip() for line in block.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def newcomer_env(home: Path) -> dict[str, str]:
    """A shell with nothing of ours set: no keys, no occubench settings, no venv."""
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("OCCUBENCH_", "OPENAI_", "VIRTUAL_ENV", "PYTEST"))
            and not k.endswith(("_BASE_URL", "_API_KEY"))}
    keep["PATH"] = os.pathsep.join(p for p in keep.get("PATH", "").split(os.pathsep)
                                   if ".venv" not in p)
    return keep


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("git and make are needed to follow the README from a clone")
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    root = tmp_path_factory.mktemp("newcomer")
    subprocess.run(["git", "clone", "-q", str(REPO), str(root / "occubench")], check=True)
    return root / "occubench"


@pytest.fixture(scope="module")
def demo(clone: Path) -> dict[str, str]:
    """Run the README's first quick-start command (the demo) in the clone."""
    first = quick_start()[0]
    assert first.startswith("make demo"), f"quick start begins with {first!r}"
    env = newcomer_env(clone)
    res = subprocess.run(first, shell=True, cwd=clone, env=env, capture_output=True,
                         text=True, timeout=1500)
    (clone / "demo.log").write_text(res.stdout + "\n--- stderr ---\n" + res.stderr)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    out = res.stdout
    report = re.search(r"report:\s+(\S+\.html)", out).group(1)
    review = re.search(r"review:\s+(.+?occubench review[^\n]*?)\s+then open", out).group(1)
    user, password = re.search(r"sign in as '(\S+)' with password '(\S+)'", out).groups()
    return {"report": report, "review": review, "user": user, "password": password,
            "env": json.dumps(env)}


def test_quick_start_is_two_commands():
    assert quick_start() == ["make demo", "make test"]


def test_demo_leaves_documents_reports_and_a_run(clone: Path, demo: dict[str, str]):
    html = clone / demo["report"] if not Path(demo["report"]).is_absolute() \
        else Path(demo["report"])
    text = html.read_text(encoding="utf-8")
    parser = _Html()
    parser.feed(text)
    assert {"html", "svg", "table"} <= set(parser.tags)
    assert "Win rate against the expert" in text and "local/smollm2-135m" in text
    md = html.with_suffix(".md").read_text(encoding="utf-8")
    assert md.startswith("# occubench report") and "| local/smollm2-135m |" in md

    con = duckdb.connect(str(clone / "data" / "occubench.duckdb"), read_only=True)
    try:
        samples = con.execute("SELECT status, count(*) FROM samples WHERE run_id = "
                              "'demo-smollm2' GROUP BY status").fetchall()
        files = con.execute("SELECT path, file_type FROM deliverables WHERE run_id = "
                            "'demo-smollm2'").fetchall()
        grades = con.execute("SELECT count(*) FROM rubric_grades WHERE run_id = "
                             "'demo-smollm2' AND status <> 'ungraded'").fetchone()[0]
        auto = con.execute("SELECT count(*) FROM judgments WHERE judge_kind = 'auto' "
                           "AND status = 'graded'").fetchone()[0]
    finally:
        con.close()
    assert dict(samples) == {"done": 3}
    assert grades == 3 and auto >= 1
    types = {t for _, t in files}
    assert {"docx", "xlsx", "pptx", "pdf"} <= types  # the tour covers every type
    for path, kind in files:  # real documents that their libraries open
        p = Path(path) if Path(path).is_absolute() else clone / path
        if kind == "docx":
            import docx
            docx.Document(str(p))
        elif kind == "xlsx":
            import openpyxl
            openpyxl.load_workbook(p).close()
        elif kind == "pptx":
            import pptx
            pptx.Presentation(str(p))
        elif kind == "pdf":
            import pdfplumber
            with pdfplumber.open(p) as pdf:
                assert len(pdf.pages) >= 1


def test_review_app_vote_and_report_again(clone: Path, demo: dict[str, str]):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    env = json.loads(demo["env"])
    port = free_port()
    cmd = demo["review"].split() + ["--port", str(port)]
    log = (clone / "review.log").open("w")
    server = subprocess.Popen(cmd, cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    log.close()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server, clone)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(url)
            page.get_by_role("textbox", name="Username").fill(demo["user"])
            page.get_by_role("textbox", name="Password").fill(demo["password"])
            page.get_by_role("button", name="Sign in").click()
            page.get_by_text("Your judgment").wait_for(timeout=180_000)
            page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=120_000)
            page.keyboard.press("2")  # as good as
            page.get_by_text("Your choice:").wait_for()
            page.get_by_label("Why? A sentence or two").fill("Both miss the brief equally.")
            page.keyboard.press("Control+Enter")
            page.get_by_text("Saved: your vote").wait_for(timeout=60_000)
            browser.close()
    finally:
        stop_server(server)

    con = duckdb.connect(str(clone / "data" / "occubench.duckdb"), read_only=True)
    try:
        votes = con.execute("SELECT outcome FROM judgments WHERE judge_kind = 'human'"
                            ).fetchall()
    finally:
        con.close()
    assert votes == [(0.5,)]

    venv_bin = clone / ".venv" / "bin"
    res = subprocess.run([str(venv_bin / "occubench"), "report", "--judges", "human",
                          "--format", "json", "--min-n", "1", "--bootstrap", "0", "--quiet"],
                         cwd=clone, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["meta"]["judgments_graded"] == 1
    rows = [r for r in data["tables"]["win_rates"] if r.get("model") == "local/smollm2-135m"]
    assert rows and rows[0]["n"] == 1


def _wait_healthy(url: str, proc: subprocess.Popen, clone: Path, timeout: float = 90) -> None:
    import time
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("review app did not start:\n"
                                   + (clone / "review.log").read_text()[-3000:]) from None
            time.sleep(0.5)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-m", "newcomer", "-v"]))
