"""Rendering bench: median seconds per document, cold soffice per file vs warm LibreOffice.

    .venv/bin/python bench/render.py [--docs N]

Makes N distinct documents of each kind (docx, xlsx, pptx; default 10) in a temp dir and
renders each to PDF twice over, with empty caches: once with the command-line backend (a
fresh ``soffice --convert-to`` process per file, on an already initialised profile, as
measured in STACK.md) and once with the warm backend (one soffice kept running, driven
over UNO). Start-up of the warm process is reported on its own line and not counted per
document. Target: warm at least 3x faster than cold.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.documents.office import uno_python  # noqa: E402
from core.documents.render import Renderer  # noqa: E402


def make_documents(folder: Path, n: int) -> dict[str, list[Path]]:
    from docx import Document
    from openpyxl import Workbook
    from pptx import Presentation

    out: dict[str, list[Path]] = {"docx": [], "xlsx": [], "pptx": []}
    for i in range(n):
        doc = Document()
        doc.add_heading(f"Memo {i}", 1)
        for p in range(12):
            doc.add_paragraph(f"Paragraph {p} of memo {i}. " + "Operations update. " * 20)
        table = doc.add_table(rows=6, cols=4)
        for r in range(6):
            for c in range(4):
                table.cell(r, c).text = f"{r * c + i}"
        out["docx"].append(folder / f"memo{i}.docx")
        doc.save(out["docx"][-1])

        wb = Workbook()
        ws = wb.active
        for r in range(1, 61):
            ws.cell(r, 1, f"Item {r}")
            ws.cell(r, 2, r * (i + 1))
            ws.cell(r, 3, f"=B{r}*1.2")
        ws["B62"] = "=SUM(B1:B60)"
        out["xlsx"].append(folder / f"book{i}.xlsx")
        wb.save(out["xlsx"][-1])

        prs = Presentation()
        for s in range(6):
            slide = prs.slides.add_slide(prs.slide_layouts[1])
            slide.shapes.title.text = f"Deck {i} slide {s}"
            slide.placeholders[1].text_frame.text = "Key point\nSecond point\nThird point"
        out["pptx"].append(folder / f"deck{i}.pptx")
        prs.save(out["pptx"][-1])
    return out


def time_backend(backend: str, docs: dict[str, list[Path]], work: Path) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    with Renderer(cache_root=work / f"cache-{backend}", backend=backend, timeout_s=120) as r:
        if backend == "uno":
            started = time.perf_counter()
            r._ensure_started()
            print(f"warm backend start-up (once per worker): {time.perf_counter() - started:.2f} s")
        else:  # initialise the profile once, as a long-lived machine would have it
            r.to_pdf(docs["docx"][0])
            r.cache_root = work / "cache-cli-measured"
        for kind, paths in docs.items():
            for path in paths:
                started = time.perf_counter()
                r.to_pdf(path)
                times.setdefault(kind, []).append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10, help="documents per kind")
    args = parser.parse_args()
    if not uno_python():
        print("python3-uno is not installed: only the cold backend is available")
        return 1
    with tempfile.TemporaryDirectory(prefix="occubench-bench-") as tmp:
        work = Path(tmp)
        docs = make_documents(work, args.docs)
        cold = time_backend("cli", docs, work)
        warm = time_backend("uno", docs, work)
    print(f"{'kind':6} {'cold s/doc':>11} {'warm s/doc':>11} {'ratio':>7}")
    for kind in docs:
        c, w = statistics.median(cold[kind]), statistics.median(warm[kind])
        print(f"{kind:6} {c:11.3f} {w:11.3f} {c / w:6.1f}x")
    c_all = statistics.median([t for ts in cold.values() for t in ts])
    w_all = statistics.median([t for ts in warm.values() for t in ts])
    ratio = c_all / w_all
    print(f"{'all':6} {c_all:11.3f} {w_all:11.3f} {ratio:6.1f}x  "
          f"(target >= 3x: {'met' if ratio >= 3 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
