"""Drawing one pair, blind: the task, its reference files, and deliverables A and B.

Blinding rules kept here: a side is named only "A" or "B"; files are labelled by side and
position ("A1"); page images go out as PNG bytes with neutral captions; downloads are
scrubbed copies named ``deliverable-A1.docx``; widget keys use the per-reviewer pair
token. Run ids, model names, original deliverable file names and paths stay on the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app.review import docs
from core.files import safe_name
from core.store import Store
from core.store.reviews import Assignment
from core.store.submissions import submission_files
from core.store.tasks import get_task
from core.task import Task

MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf", "csv": "text/csv", "txt": "text/plain", "md": "text/markdown",
    "json": "application/json", "png": "image/png", "jpg": "image/jpeg",
}


@dataclass(frozen=True)
class BlindFile:
    label: str            # "A1", "B2"
    preview: docs.Preview

    @property
    def download_name(self) -> str:
        return f"deliverable-{self.label}.{self.preview.file_type}"


@dataclass(frozen=True)
class Reference:
    number: int
    name: str             # the task's own reference file name (the client's, not a run's)
    path: Path
    file_type: str


@dataclass(frozen=True)
class PairContent:
    task: Task
    references: list[Reference]
    sides: dict[str, list[BlindFile]]


def side_files(store: Store, asg: Assignment, side: str):
    run, sample = asg.submission_on(side)
    return submission_files(store, run, asg.task_id, sample)


def task_references(store: Store, task_id: str) -> tuple[Task, list[Reference]]:
    found = get_task(store, task_id)
    if found is None:
        raise LookupError(f"task {task_id} is not in the store")
    task, task_dir = found
    refs = []
    for i, ref in enumerate([r for r in task.inputs if not r.missing], 1):
        path = Path(task_dir or ".") / ref.path
        refs.append(Reference(i, safe_name(ref.name), path, ref.file_type))
    return task, refs


def load_pair(store: Store, asg: Assignment) -> PairContent:
    """Everything needed to draw the pair; renders (or takes from cache) every file.
    Kept in the session for the pair's reruns (each store call opens the database)."""
    key = f"content_{asg.reviewer_id}_{asg.comparison_id}"
    cached = st.session_state.get(key)
    if cached is None:
        cached = st.session_state[key] = _load_pair(store, asg)
    return cached


def forget_pair(asg: Assignment) -> None:
    st.session_state.pop(f"content_{asg.reviewer_id}_{asg.comparison_id}", None)


def _load_pair(store: Store, asg: Assignment) -> PairContent:
    task, refs = task_references(store, asg.task_id)
    sides: dict[str, list[BlindFile]] = {}
    for side in ("A", "B"):
        files = side_files(store, asg, side)
        sides[side] = [BlindFile(f"{side}{i}", docs.preview(f.path, f.file_type, f.sha256))
                       for i, f in enumerate(files, 1)]
    return PairContent(task, refs, sides)


def warm_pair(store: Store, asg_task_id: str, submissions: list[tuple[str, int]]) -> None:
    """Render ahead (background thread): the files of the given submissions and the
    task's references, so the pair opens at once when its turn comes."""
    _, refs = task_references(store, asg_task_id)
    for ref in refs:
        if ref.path.is_file():
            docs.preview(ref.path, ref.file_type)
    for run, sample in submissions:
        for f in submission_files(store, run, asg_task_id, sample):
            docs.preview(f.path, f.file_type, f.sha256)


# -- drawing -------------------------------------------------------------------------


def draw_task(content: PairContent, token: str) -> None:
    task = content.task
    st.markdown(f"#### {task.title}")
    st.caption(f"{task.occupation} · {task.sector}")
    with st.container(border=True):
        st.markdown(task.prompt)
    if not content.references:
        return
    st.markdown("**Reference files given with the request**")
    for ref in content.references:
        with st.expander(f"Reference {ref.number}: {ref.name}"):
            if not ref.path.is_file():
                st.error("This reference file is missing on the server.")
                continue
            if st.toggle("Show pages", key=f"refpages_{token}_{ref.number}"):
                prev = docs.preview(ref.path, ref.file_type)
                _pages(prev, f"Reference {ref.number}", height=500)
            st.download_button(f"Download {ref.name}", data=ref.path.read_bytes(),
                               file_name=ref.name, mime=MIME.get(ref.file_type),
                               key=f"ref_{token}_{ref.number}", on_click="ignore")


def _pages(prev: docs.Preview, label: str, height: int) -> None:
    if prev.render_error:
        st.error(prev.render_error, icon=":material/broken_image:")
        return
    with st.container(height=height):
        for n, png in enumerate(prev.pages, 1):
            st.image(png.read_bytes(), caption=f"{label} · page {n}", width="stretch",
                     alt=f"{label}, page {n}")
    if len(prev.pages) >= docs.MAX_PAGES:
        st.caption(f"Only the first {docs.MAX_PAGES} pages are shown; download the file "
                   "for the rest.")


def _text(prev: docs.Preview) -> None:
    if prev.text_error:
        st.warning(prev.text_error)
    if prev.text.strip():
        with st.container(height=800):
            st.code(prev.text, language=None, wrap_lines=True)
        if prev.text_truncated:
            st.caption("The text is cut short here; download the file for all of it.")
    elif not prev.text_error:
        st.info("This file has no extractable text.")


def draw_side(side: str, files: list[BlindFile], token: str) -> None:
    st.markdown(f"### Deliverable {side}")
    if not files:
        st.error(f"Deliverable {side} has no files.")
        return
    for bf in files:
        if len(files) > 1:
            st.markdown(f"**File {bf.label}** ({bf.preview.file_type})")
        pages_tab, text_tab = st.tabs([f"Pages {bf.label}", f"Text {bf.label}"])
        with pages_tab:
            _pages(bf.preview, f"Deliverable {bf.label}", height=720)
        with text_tab:
            _text(bf.preview)
        if bf.preview.download is not None:
            st.download_button(
                f"Download {bf.download_name}", data=bf.preview.download.read_bytes(),
                file_name=bf.download_name, mime=MIME.get(bf.preview.file_type),
                key=f"dl_{token}_{bf.label}", on_click="ignore",
                icon=":material/download:")
        else:
            st.caption(bf.preview.download_error or "Download unavailable.")


def draw_pair(content: PairContent, token: str) -> None:
    draw_task(content, token)
    st.divider()
    left, right = st.columns(2, gap="medium")
    with left:
        draw_side("A", content.sides["A"], token)
    with right:
        draw_side("B", content.sides["B"], token)
