"""Builds a review database for tests and the concurrency bench: tasks, two model runs
with real docx/xlsx/pdf deliverables (whose metadata and file names carry the model and
run names, so the blinding tests have something to find), the gold, reviewers, a batch.

Runs and samples are written with plain SQL here because the runner's store API is not
this area's; everything review-related goes through ``core.store``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.store import Store
from core.store.batches import create_batch
from core.store.reviewers import add_reviewer
from core.store.submissions import describe, register_gold, replace_deliverables_sql
from core.store.tasks import upsert_tasks
from core.suite import LoadedTask
from core.task import Task

OCCUPATION = "Financial Managers"
SECTOR = "Finance and Insurance"
OTHER_OCCUPATION = "Compliance Officers"
OTHER_SECTOR = "Government"

#: distinctive names the blinding search looks for
RUNS = {"zebra-run-41": "openai/zebra-model-7", "okapi-run-93": "local/okapi-model-3"}
#: neutral code words in each submission's text, so a test reading the page can tell
#: which submission it is looking at without any name reaching the browser
MARKERS = {"zebra-run-41": "KESTREL", "okapi-run-93": "MARLIN", "gold": "HERON"}
PASSWORD = "correct-horse-9"


def make_docx(path: Path, title: str, body: str, author: str = "") -> Path:
    import docx

    doc = docx.Document()
    doc.add_heading(title, level=1)
    for para in body.split("\n"):
        doc.add_paragraph(para)
    doc.core_properties.author = author
    doc.core_properties.title = author or title
    doc.core_properties.comments = author
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def make_xlsx(path: Path, rows: list[list], author: str = "") -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Budget"
    for row in rows:
        ws.append(row)
    wb.properties.creator = author
    wb.properties.title = author
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path


def make_pdf(path: Path, lines: list[str], author: str = "") -> Path:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setAuthor(author)
    c.setTitle(author)
    c.setCreator(author)
    y = 720
    for line in lines:
        c.drawString(72, y, line)
        y -= 18
    c.showPage()
    c.save()
    return path


@dataclass
class ReviewDB:
    store: Store
    root: Path
    task_ids: list[str]
    reviewers: dict[str, str] = field(default_factory=dict)   # username -> reviewer_id
    batch_id: str = ""


def _task(task_id: str, occupation: str, sector: str, kind: str, ref_kind: str) -> Task:
    return Task.model_validate({
        "id": task_id, "title": f"Quarterly {kind} report for the board ({task_id})",
        "sector": sector, "occupation": occupation,
        "prompt": f"Prepare the quarterly {kind} report for the board using the attached "
                  "figures. Keep it to one page.",
        "inputs": [{"path": f"inputs/figures.{ref_kind}"}],
        "gold": [{"path": f"gold/expert_report.{kind}"}],
        "deliverables": [{"type": kind}],
    })


def _write_submission(store: Store, run_id: str, model: str, task_id: str, sample: int,
                      files: list[Path]) -> None:
    rows = [describe(run_id, task_id, sample, p) for p in files]

    def write(con) -> None:
        con.execute("INSERT INTO runs (run_id, model) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    [run_id, model])
        con.execute("""INSERT INTO samples (run_id, task_id, sample, status, attempts)
                       VALUES (?, ?, ?, 'done', 1) ON CONFLICT DO NOTHING""",
                    [run_id, task_id, sample])
        replace_deliverables_sql(con, run_id, task_id, sample, rows)

    store.write(write)


def build_review_db(root: Path, *, kinds: tuple[str, ...] = ("docx", "xlsx", "pdf"),
                    reference_kind: str = "xlsx",
                    reviewers: tuple[str, ...] = ("alice", "bob"), admin: str | None = "root",
                    k: int = 2, other_occupation_task: bool = True,
                    batch: bool = True) -> ReviewDB:
    """Tasks (one per entry of ``kinds``, e.g. "docx" or "pdf2", in OCCUPATION, plus one
    elsewhere), both RUNS' submissions of each, gold, reviewers in OCCUPATION, an admin,
    and a batch of both runs vs gold."""
    store = Store(root / "review.duckdb")
    loaded: list[LoadedTask] = []
    specs = [(f"task-{kind}", OCCUPATION, SECTOR, kind.rstrip("0123456789")) for kind in kinds]
    if other_occupation_task:
        specs.append(("task-elsewhere", OTHER_OCCUPATION, OTHER_SECTOR, specs[0][3]))
    for task_id, occ, sector, kind in specs:
        tdir = root / "suite" / task_id
        _make(reference_kind, tdir / "inputs" / f"figures.{reference_kind}",
              "Figures", "Q1 120, Q2 135", "Client Finance Team")
        gold = tdir / "gold" / f"expert_report.{kind}"
        _make(kind, gold, "Board report", f"Revenue rose 12% on Q1. Code {MARKERS['gold']}.",
              "Dana Expert")
        loaded.append(LoadedTask(_task(task_id, occ, sector, kind, reference_kind), tdir))
    upsert_tasks(store, loaded)
    register_gold(store, loaded)
    for run_id, model in RUNS.items():
        for lt in loaded:
            kind = lt.task.deliverables[0].type
            out = root / "runs" / run_id / lt.id / "0" / f"{run_id}_{model.split('/')[1]}.{kind}"
            _make(kind, out, "Board report",
                  f"Revenue grew in the second quarter. Code {MARKERS[run_id]}.", model)
            _write_submission(store, run_id, model, lt.id, 0, [out])
    db = ReviewDB(store, root, [lt.id for lt in loaded])
    for name in reviewers:
        db.reviewers[name] = add_reviewer(store, name, password=PASSWORD,
                                          occupations=[OCCUPATION]).reviewer_id
    if admin:
        db.reviewers[admin] = add_reviewer(store, admin, password=PASSWORD, occupations=["*"],
                                           role="admin").reviewer_id
    if batch:
        db.batch_id = create_batch(store, runs=list(RUNS), against="gold", k=k,
                                   name="test batch").batch.batch_id
    return db


def _make(kind: str, path: Path, title: str, body: str, author: str) -> Path:
    if kind == "docx":
        return make_docx(path, title, body, author)
    if kind == "xlsx":
        return make_xlsx(path, [[title], ["Metric", "Value"], ["Revenue", 135], [body]], author)
    if kind == "pdf":
        return make_pdf(path, [title, body], author)
    raise ValueError(kind)
