"""`occubench demo`: the whole journey on the embedded defaults, offline.

Run the starter suite on the embedded model, grade it (rubric, and pairwise against the
professional's deliverable, with the embedded model as judge), open a review batch with a
demo reviewer account, and write the HTML and Markdown reports. Every step is idempotent,
so running the demo again resumes where it stopped instead of starting over.

By default the demo takes a tour of three starter tasks that between them ask for every
deliverable type (docx, xlsx, pptx, pdf): on two CPU cores the embedded model needs about
a minute and a half per task to write, be graded and be judged, so the whole suite
(``--all``) takes about half an hour.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from core.config import data_dir
from core.errors import UserError
from core.store import Store
from core.suite import LoadedTask, Suite, load_suite

#: Three tasks from three sectors that together cover docx, xlsx, pptx and pdf.
TOUR = ("pm-oakmont-cam-reconciliation", "pfa-okafor-annual-review",
        "hc-cardiology-referral-letter")
RUN_ID = "demo-smollm2"
BATCH = "demo: embedded model vs the experts"
REVIEWER, ADMIN = "demo", "demo-admin"


@dataclass
class DemoPlan:
    """What the demo will do, decided before any model is started."""

    suite: Suite
    tasks: list[LoadedTask]
    run_id: str = RUN_ID
    reports: Path = field(default_factory=lambda: data_dir() / "reports")
    accounts_file: Path = field(default_factory=lambda: data_dir() / "demo-accounts.txt")

    @property
    def task_ids(self) -> list[str]:
        return [t.id for t in self.tasks]

    @property
    def occupations(self) -> list[str]:
        return sorted({t.task.occupation for t in self.suite.tasks})


def plan_demo(suite_path: Path, *, all_tasks: bool = False,
              task_ids: list[str] | None = None) -> DemoPlan:
    """Load the suite and pick the demo's tasks (the tour, ``--all`` or ``--task``)."""
    if not suite_path.exists():
        raise UserError(f"suite path {suite_path} does not exist; run the demo from the "
                        "occubench folder or pass --suite")
    suite = load_suite(suite_path)
    if suite.errors:
        raise UserError(f"the suite in {suite_path} has {len(suite.errors)} problem(s); see "
                        f"`occubench suite validate {suite_path}`")
    runnable = [t for t in suite.tasks if t.task.runnable]
    if task_ids:
        unknown = sorted(set(task_ids) - {t.id for t in runnable})
        if unknown:
            raise UserError(f"unknown or not runnable task id(s): {', '.join(unknown)}")
        chosen = [t for t in runnable if t.id in task_ids]
    elif all_tasks:
        chosen = runnable
    else:
        chosen = [t for t in runnable if t.id in TOUR] or runnable[:3]
    if not chosen:
        raise UserError(f"no runnable task in {suite_path}")
    return DemoPlan(suite=suite, tasks=chosen)


def ensure_accounts(store: Store, plan: DemoPlan) -> dict[str, str]:
    """The demo reviewer and admin accounts, with passwords kept in ``data/`` (mode 600).

    Random passwords rather than a well-known one: the review app may be reachable from
    other machines (``--host 0.0.0.0``). Re-running the demo keeps the same passwords.
    """
    from core.store.reviewers import add_reviewer, get_reviewer, set_occupations, set_password

    saved: dict[str, str] = {}
    if plan.accounts_file.is_file():
        for line in plan.accounts_file.read_text(encoding="utf-8").splitlines():
            name, _, pw = line.partition(" ")
            if name and pw:
                saved[name] = pw
    for username, role in ((REVIEWER, "reviewer"), (ADMIN, "admin")):
        password = saved.get(username) or secrets.token_urlsafe(12)
        saved[username] = password
        if get_reviewer(store, username) is None:
            add_reviewer(store, username, password=password, occupations=plan.occupations,
                         role=role, display_name=f"Demo {role}")
        else:
            set_password(store, username, password)
            set_occupations(store, username, plan.occupations)
    plan.accounts_file.parent.mkdir(parents=True, exist_ok=True)
    plan.accounts_file.write_text("".join(f"{n} {p}\n" for n, p in saved.items()),
                                  encoding="utf-8")
    plan.accounts_file.chmod(0o600)
    return saved


def ensure_batch(store: Store, plan: DemoPlan) -> int:
    """The demo's review batch (candidate vs gold, one reviewer per pair); returns how
    many pairs it added now (0 when the demo ran before)."""
    from core.store.batches import create_batch

    result = create_batch(store, runs=[plan.run_id], against="gold", k=1, name=BATCH,
                          task_ids=plan.task_ids, created_by=ADMIN)
    return result.added
