"""Admin: deliverables under review whose text may reveal the model that wrote them
("As an AI language model...", a vendor name). Such a pair is not blind; the admin can
close its batch or take the run out."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.review import context, docs
from core.store.review_admin import deliverables_under_review


@st.cache_data(show_spinner=False, max_entries=5000)
def _scan(path: str, sha256: str, names: tuple[str, ...]) -> list[dict]:
    findings = docs.self_identification(Path(path), names)
    return [{"phrase": f.phrase, "kind": f.kind, "context": f.context} for f in findings]


def render() -> None:
    context.require_admin()
    st.title("Self-identifying deliverables")
    files = [f for f in deliverables_under_review(context.store()) if f.run_id != "gold"]
    st.caption(f"{len(files)} candidate files are in review batches.")
    if not st.toggle("Scan them now", key="flags_scan",
                     help="Reads every file's text; cached by content."):
        return
    # a deliverable may spell out its own model or run name: look for those too
    names = tuple(sorted({n for f in files for n in (f.run_id, f.model or "",
                                                         (f.model or "").split("/")[-1])
                          if len(n) >= 4}))
    flagged = []
    progress = st.progress(0.0, text="Scanning...")
    for i, f in enumerate(files, 1):
        try:
            hits = _scan(str(f.path), f.sha256, names)
        except Exception as exc:  # unreadable file: say so, don't hide it
            hits = [{"phrase": "", "kind": "unreadable", "context": str(exc)[:200]}]
        for hit in hits:
            flagged.append({"run": f.run_id, "model": f.model, "task": f.task_id,
                            "sample": f.sample, "file": f.name, "pairs": f.pairs, **hit})
        progress.progress(i / len(files), text=f"Scanned {i} of {len(files)}")
    progress.empty()
    if not flagged:
        st.success("No file names its maker.")
    else:
        st.warning(f"{len({(r['run'], r['task'], r['sample']) for r in flagged})} "
                   "submissions may reveal their model.")
        st.dataframe(flagged, hide_index=True)
