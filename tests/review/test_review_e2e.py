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
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from core.store import Store
from core.store.review_admin import judgments_export
from tests.review.review_browser import Seen, judge, other, sign_in
from tests.review.review_fixtures import (
    OCCUPATION,
    OTHER_OCCUPATION,
    PASSWORD,
    RUNS,
    build_review_db,
)
from tests.review.review_server import CHROMIUM, CHROMIUM_ARGS, cli, start_server, stop_server

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"

#: names that must never reach a reviewer's browser, in any form
FORBIDDEN = [*RUNS, *RUNS.values(), *(m.split("/")[1] for m in RUNS.values()),
             "Dana Expert", "expert_report"]
#: checked outside Streamlit's own static bundles (CSS there knows the colour "gold")
FORBIDDEN_DYNAMIC = [re.compile(rb"gold", re.I)]

if not Path(CHROMIUM).exists():
    pytest.skip("Chromium is not installed at /usr/bin/chromium", allow_module_level=True)


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
    Store.close_all()
    for name in ("alice", "bob"):
        cli("reviewers", "add", name, "--occupation", OCCUPATION, "--password-stdin",
            env=env, stdin=PASSWORD + "\n")
    cli("reviewers", "add", "root", "--admin", "--password-stdin", env=env,
        stdin=PASSWORD + "\n")
    out = cli("review", "batch", "create", "--runs", ",".join(RUNS), "--against", "gold",
              "--k", "2", "--name", "e2e", env=env)
    assert "8 in all" in out  # 4 tasks x 2 runs
    proc, url = start_server(root, env)
    yield url, db, env
    stop_server(proc)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_two_reviewers_vote_blind_and_every_vote_lands_once(server, browser) -> None:
    url, db, env = server
    received = Received()
    seen: dict[str, list[Seen]] = {"alice": [], "bob": []}

    ctx_a, alice = sign_in(browser, url, "alice", received.attach)
    alice.get_by_text("Your judgment").wait_for(timeout=90_000)
    ARTIFACTS.mkdir(exist_ok=True)
    alice.get_by_text("0 of 6 done").wait_for()
    alice.screenshot(path=str(ARTIFACTS / "review-page.png"), full_page=False)
    seen["alice"].append(judge(alice, other, received.add_download))  # the gold
    seen["alice"].append(judge(alice, lambda c: "tie", received.add_download))

    # another process writes to the database while the server is up (as a CLI run would)
    out = cli("review", "batch", "create", "--runs", "okapi-run-93", "--against",
              "zebra-run-41", "--k", "1", "--occupation", OTHER_OCCUPATION, "--name",
              "side batch", env=env)
    assert "1 pairs added" in out
    ctx_b, bob = sign_in(browser, url, "bob", received.attach)
    seen["bob"].append(judge(bob, lambda c: c, received.add_download))     # candidate
    seen["bob"].append(judge(bob, other, received.add_download))           # the gold

    # a reviewer cannot open the admin page, even with her session in the URL
    token = re.search(r"[?&]s=([^&]+)", alice.url).group(1)
    alice.goto(f"{url}/admin?s={token}")
    alice.get_by_text("Your judgment").wait_for(timeout=60_000)
    assert alice.get_by_role("heading", name="Coverage").count() == 0
    assert alice.get_by_text("pairs have").count() == 0
    assert alice.get_by_role("link", name="Coverage").count() == 0
    # while an admin can (so the check above is not vacuous)
    ctx_r, admin = sign_in(browser, url, "root")
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
