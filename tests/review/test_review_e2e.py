"""End to end: the real ``occubench review`` server driven by headless Chromium.

Two reviewers sign in and judge pairs; each vote must land in DuckDB once, mapped to the
right candidate and reference; a reviewer cannot open the admin page; and nothing the
browsers received (HTTP bodies, headers and URLs, websocket frames, downloads and their
metadata) names a model, a run, or the gold. A screenshot of the review page is saved to
test-artifacts/review-page.png.
"""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from core.store.review_admin import judgments_export
from tests.review.review_fixtures import MARKERS, OCCUPATION, PASSWORD, RUNS, build_review_db

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
OCCUBENCH = Path(sys.executable).parent / "occubench"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"

#: names that must never reach a reviewer's browser, in any form
FORBIDDEN = [*RUNS, *RUNS.values(), *(m.split("/")[1] for m in RUNS.values()),
             "Dana Expert", "expert_report"]
#: checked outside Streamlit's own static bundles (CSS there knows the colour "gold")
FORBIDDEN_DYNAMIC = [re.compile(rb"gold", re.I)]
BY_MARKER = {v: k for k, v in MARKERS.items()}

if not Path(CHROMIUM).exists():
    pytest.skip("Chromium is not installed at /usr/bin/chromium", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(*args: str, env: dict, stdin: str | None = None) -> str:
    res = subprocess.run([str(OCCUBENCH), *args], env=env, input=stdin, text=True,
                         capture_output=True, timeout=120)
    assert res.returncode == 0, res.stderr
    return res.stdout


@dataclass
class Received:
    """Everything one browser context received."""

    items: list[tuple[str, bytes]] = field(default_factory=list)  # (where, bytes)
    frames: int = 0
    downloads: list[str] = field(default_factory=list)

    def attach(self, context) -> None:
        def on_response(resp) -> None:
            head = "\n".join(f"{k}: {v}" for k, v in resp.headers.items())
            self.items.append((f"url {resp.url}", resp.url.encode()))
            self.items.append((f"headers {resp.url}", head.encode()))
            try:
                body = resp.body()
            except Exception:  # redirects and upgrades have no body
                return
            kind = "static" if "/static/" in resp.url else "body"
            self.items.append((f"{kind} {resp.url}", body))

        def on_frame(payload) -> None:
            self.frames += 1
            data = payload if isinstance(payload, bytes) else payload.encode()
            self.items.append(("websocket frame", data))

        context.on("response", on_response)
        context.on("page", lambda page: page.on(
            "websocket", lambda ws: ws.on("framereceived", on_frame)))

    def add_download(self, name: str, data: bytes) -> None:
        self.downloads.append(name)
        self.items.append((f"download name {name}", name.encode()))
        self.items.append((f"download {name}", data))
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for member in zf.namelist():
                    self.items.append((f"download {name}:{member}", zf.read(member)))
        elif data[:4] == b"%PDF":
            from pypdf import PdfReader

            meta = PdfReader(io.BytesIO(data)).metadata or {}
            self.items.append((f"download {name} pdf metadata", repr(dict(meta)).encode()))

    def leaks(self) -> list[str]:
        found = []
        for where, data in self.items:
            low = data.lower()
            found += [f"{name!r} in {where}" for name in FORBIDDEN
                      if name.lower().encode() in low]
            pixels = where.startswith("body") and data[:8] == b"\x89PNG\r\n\x1a\n"
            if not where.startswith("static") and not pixels:
                found += [f"{pat.pattern!r} in {where}" for pat in FORBIDDEN_DYNAMIC
                          if pat.search(data)]
        return found


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("e2e")
    db = build_review_db(root, kinds=("docx", "xlsx", "pdf"), reference_kind="xlsx",
                         reviewers=(), admin=None, batch=False)
    # the originals do carry the names (in file names and metadata): the scrub must work
    original = next((root / "runs" / "zebra-run-41").rglob("*.docx"))
    assert "zebra-run-41" in original.name
    with zipfile.ZipFile(original) as zf:
        assert b"openai/zebra-model-7" in zf.read("docProps/core.xml")
    env = {**os.environ, "OCCUBENCH_DB": str(db.store.path),
           "OCCUBENCH_DATA": str(root / "data")}
    for name in ("alice", "bob"):
        _cli("reviewers", "add", name, "--occupation", OCCUPATION, "--password-stdin",
             env=env, stdin=PASSWORD + "\n")
    _cli("reviewers", "add", "root", "--admin", "--password-stdin", env=env,
         stdin=PASSWORD + "\n")
    out = _cli("review", "batch", "create", "--runs", ",".join(RUNS), "--against", "gold",
               "--k", "2", "--name", "e2e", env=env)
    assert "8 in all" in out  # 4 tasks x 2 runs
    port = _free_port()
    log = (root / "server.log").open("w")
    proc = subprocess.Popen([str(OCCUBENCH), "review", "--port", str(port)], env=env,
                            cwd=root, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            assert proc.poll() is None, (root / "server.log").read_text()
            assert time.monotonic() < deadline, "review server did not come up in 60 s"
            time.sleep(0.3)
    yield url, db
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


def sign_in(browser, url: str, user: str, received: Received | None):
    context = browser.new_context(viewport={"width": 1440, "height": 1000},
                                  accept_downloads=True)
    if received is not None:
        received.attach(context)
    page = context.new_page()
    page.goto(url)
    page.get_by_role("textbox", name="Username").fill(user)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return context, page


def idle(page) -> None:
    """Wait until the script run is over: while it runs, the previous pair's elements
    stay on screen (stale) and a key press would go to them."""
    page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=90_000)


def _side_text(page, side: str) -> str:
    page.get_by_role("tab", name=f"Text {side}1").click()
    column = page.locator('[data-testid="stColumn"]').filter(
        has=page.get_by_role("heading", name=f"Deliverable {side}"))
    column.get_by_text("Code ").first.wait_for(timeout=30_000)
    return column.inner_text()


@dataclass
class Seen:
    task_id: str
    candidate_run: str
    candidate_side: str
    choice: str


def judge(page, decide, received: Received, *, download: bool = True) -> Seen:
    """Judge the pair on screen; ``decide(candidate_side)`` returns "A", "tie" or "B"."""
    page.get_by_text("Your judgment").wait_for(timeout=90_000)
    idle(page)
    title = page.get_by_role("heading", level=4).first.inner_text()
    task_id = re.search(r"\((task-[\w-]+)\)", title).group(1)
    sides = {}
    for side in ("A", "B"):
        text = _side_text(page, side)
        markers = [m for m in BY_MARKER if f"Code {m}" in text]
        assert len(markers) == 1, text
        sides[side] = BY_MARKER[markers[0]]
    assert sorted(sides.values()).count("gold") == 1
    cand_side = "A" if sides["A"] != "gold" else "B"
    if download:
        for side in ("A", "B"):
            with page.expect_download() as info:
                page.get_by_role("button", name=f"Download deliverable-{side}1").click()
            dl = info.value
            received.add_download(dl.suggested_filename, Path(dl.path()).read_bytes())
    choice = decide(cand_side)
    before = page.get_by_test_id("stProgress").inner_text()
    page.keyboard.press({"A": "1", "tie": "2", "B": "3"}[choice])
    page.get_by_text("Your choice:").filter(has_text={"A": "A is better", "tie": "As good",
                                                      "B": "B is better"}[choice]).wait_for()
    page.get_by_label("Why? A sentence or two").fill(f"decided by the figures ({choice})")
    page.keyboard.press("Control+Enter")
    page.get_by_text("Saved: your vote").wait_for(timeout=30_000)
    page.wait_for_function(
        "before => !document.querySelector('[data-testid=\"stProgress\"]') || "
        "document.querySelector('[data-testid=\"stProgress\"]').innerText !== before",
        arg=before, timeout=30_000)
    idle(page)
    return Seen(task_id, sides[cand_side], cand_side, choice)


def other(side: str) -> str:
    return "B" if side == "A" else "A"


def test_two_reviewers_vote_blind_and_every_vote_lands_once(server, browser) -> None:
    url, db = server
    received = Received()
    seen: dict[str, list[Seen]] = {"alice": [], "bob": []}

    ctx_a, alice = sign_in(browser, url, "alice", received)
    alice.get_by_text("Your judgment").wait_for(timeout=90_000)
    ARTIFACTS.mkdir(exist_ok=True)
    alice.get_by_text("0 of 6 done").wait_for()
    alice.screenshot(path=str(ARTIFACTS / "review-page.png"), full_page=False)
    seen["alice"].append(judge(alice, lambda c: other(c), received))  # the gold
    seen["alice"].append(judge(alice, lambda c: "tie", received))

    ctx_b, bob = sign_in(browser, url, "bob", received)
    seen["bob"].append(judge(bob, lambda c: c, received))          # the candidate
    seen["bob"].append(judge(bob, lambda c: other(c), received))   # the gold

    # a reviewer cannot open the admin page, even with her session in the URL
    token = re.search(r"[?&]s=([^&]+)", alice.url).group(1)
    alice.goto(f"{url}/admin?s={token}")
    alice.get_by_text("Your judgment").wait_for(timeout=60_000)
    assert alice.get_by_role("heading", name="Coverage").count() == 0
    assert alice.get_by_text("pairs have").count() == 0
    assert alice.get_by_role("link", name="Coverage").count() == 0
    # while an admin can (so the check above is not vacuous)
    ctx_r, admin = sign_in(browser, url, "root", None)
    admin.get_by_text("Your judgment").wait_for(timeout=90_000)
    admin.goto(admin.url.replace(url + "/", url + "/admin"))
    admin.get_by_role("heading", name="Coverage").wait_for(timeout=30_000)
    ctx_r.close()

    # every vote is in DuckDB exactly once, mapped to the right candidate and reference
    rows = judgments_export(db.store)
    assert len(rows) == 4
    assert len({r["idempotency_key"] for r in rows}) == 4
    assert len({(r["reviewer"], r["comparison_id"]) for r in rows}) == 4
    for who, votes in seen.items():
        for v in votes:
            [row] = [r for r in rows if r["reviewer"] == who and r["task_id"] == v.task_id
                     and r["candidate_run_id"] == v.candidate_run]
            assert row["reference_run_id"] == "gold"
            assert row["candidate_side"] == v.candidate_side
            assert row["choice"] == v.choice
            expected = {"tie": 0.5}.get(v.choice, 1.0 if v.choice == v.candidate_side else 0.0)
            assert row["outcome"] == expected
            assert row["candidate_model"] == RUNS[v.candidate_run]
            assert row["time_on_task_s"] is not None and row["time_on_task_s"] > 0

    ctx_a.close()
    ctx_b.close()

    # the blinding search covered real traffic (else it proves nothing) and found nothing
    assert received.frames > 10
    everything = b"\n".join(data for _, data in received.items)
    assert all(m.encode() in everything for m in ("KESTREL", "HERON")) or \
        all(m.encode() in everything for m in ("MARLIN", "HERON"))
    assert len(received.downloads) == 8
    assert all(re.fullmatch(r"deliverable-[AB]1\.(docx|xlsx|pdf)", n) for n in received.downloads)
    # at most two of the four pairs are PDFs, so office metadata was searched too
    assert any(w.endswith(":docProps/core.xml") for w, _ in received.items)
    leaks = received.leaks()
    assert not leaks, "\n".join(leaks)
