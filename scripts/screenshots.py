"""Refresh the README's screenshots (docs/review-page.png, docs/report.png) from a demo.

Run `make demo` first, then `.venv/bin/python scripts/screenshots.py`. It starts the
review app on the demo database, signs in with the demo reviewer account in headless
Chromium, and photographs the review page and the demo's HTML report.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("OCCUBENCH_DATA", ROOT / "data"))
DOCS = ROOT / "docs"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    accounts = dict(line.split(" ", 1) for line in
                    (DATA / "demo-accounts.txt").read_text().splitlines() if line)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = os.environ.get("OCCUBENCH_DB", str(DATA / "occubench.duckdb"))
    server = subprocess.Popen([str(Path(sys.executable).parent / "occubench"), "review",
                               "--port", str(port), "--db", db], cwd=ROOT,
                              start_new_session=True, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        DOCS.mkdir(exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1900})
            page.goto(url)
            page.get_by_role("textbox", name="Username").fill("demo")
            page.get_by_role("textbox", name="Password").fill(accounts["demo"].strip())
            page.get_by_role("button", name="Sign in").click()
            page.get_by_text("Your judgment").wait_for(timeout=180_000)
            page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=180_000)
            time.sleep(2)
            page.screenshot(path=str(DOCS / "review-page.png"))
            page.goto((DATA / "reports" / "demo.html").resolve().as_uri())
            page.screenshot(path=str(DOCS / "report.png"))
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(15)
    print(f"wrote {DOCS / 'review-page.png'} and {DOCS / 'report.png'}")


if __name__ == "__main__":
    main()
