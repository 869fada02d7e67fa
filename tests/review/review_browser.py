"""Driving the review app in a real browser (playwright): sign in, read both sides, vote
with the keyboard. Shared by the e2e test and ``bench/review_next_pair.py``."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.review.review_fixtures import MARKERS, PASSWORD

BY_MARKER = {v: k for k, v in MARKERS.items()}
KEYS = {"A": "1", "tie": "2", "B": "3"}
SHOWN = {"A": "A is better", "tie": "As good", "B": "B is better"}


def sign_in(browser, url: str, user: str, on_context: Callable | None = None):
    context = browser.new_context(viewport={"width": 1440, "height": 1000},
                                  accept_downloads=True)
    if on_context is not None:
        on_context(context)
    page = context.new_page()
    page.goto(url)
    page.get_by_role("textbox", name="Username").fill(user)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return context, page


def idle(page, timeout_ms: int = 90_000) -> None:
    """Wait until the script run is over: while it runs, the previous pair's elements
    stay on screen (stale) and a key press would go to them."""
    page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=timeout_ms)


def side_text(page, side: str) -> str:
    page.get_by_role("tab", name=f"Text {side}1").click()
    column = page.locator('[data-testid="stColumn"]').filter(
        has=page.get_by_role("heading", name=f"Deliverable {side}"))
    column.get_by_text("Code ").first.wait_for(timeout=30_000)
    return column.inner_text()


@dataclass
class Seen:
    task_id: str
    candidate_run: str      # read from the documents' code words, not from the page
    candidate_side: str
    choice: str
    next_pair_s: float      # from submitting to the next pair drawn in full


def judge(page, decide: Callable[[str], str],
          on_download: Callable[[str, bytes], None] | None = None) -> Seen:
    """Judge the pair on screen; ``decide(candidate_side)`` returns "A", "tie" or "B"."""
    page.get_by_text("Your judgment").wait_for(timeout=90_000)
    idle(page)
    title = page.get_by_role("heading", level=4).first.inner_text()
    task_id = re.search(r"\((task-[\w-]+)\)", title).group(1)
    sides = {}
    for side in ("A", "B"):
        text = side_text(page, side)
        markers = [m for m in BY_MARKER if f"Code {m}" in text]
        assert len(markers) == 1, text
        sides[side] = BY_MARKER[markers[0]]
    assert list(sides.values()).count("gold") == 1
    cand_side = "A" if sides["A"] != "gold" else "B"
    if on_download is not None:
        for side in ("A", "B"):
            with page.expect_download() as info:
                page.get_by_role("button", name=f"Download deliverable-{side}1").click()
            dl = info.value
            on_download(dl.suggested_filename, Path(dl.path()).read_bytes())
    choice = decide(cand_side)
    before = page.get_by_test_id("stProgress").inner_text()
    page.keyboard.press(KEYS[choice])
    page.get_by_text("Your choice:").filter(has_text=SHOWN[choice]).wait_for()
    page.get_by_label("Why? A sentence or two").fill(f"decided by the figures ({choice})")
    t0 = time.monotonic()
    page.keyboard.press("Control+Enter")
    page.get_by_text("Saved: your vote").wait_for(timeout=60_000)
    page.wait_for_function(
        "before => !document.querySelector('[data-testid=\"stProgress\"]') || "
        "document.querySelector('[data-testid=\"stProgress\"]').innerText !== before",
        arg=before, timeout=60_000)
    idle(page)
    return Seen(task_id, sides[cand_side], cand_side, choice, time.monotonic() - t0)


def other(side: str) -> str:
    return "B" if side == "A" else "A"
