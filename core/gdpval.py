"""Import GDPval rows (Hugging Face ``openai/gdpval``) into suite folders.

Reads the dataset as parquet, JSONL or JSON, in the v1 (7 columns) or v2 (12 columns,
with ``rubric_json`` and ``deliverable_files``) schema. List columns arrive as lists, numpy
arrays, JSON strings or Python-repr strings depending on who exported the file; all are
accepted. Files named by a row are copied from ``--files`` (a local copy of the dataset's
file tree) when present; otherwise the task records them as missing and is not runnable.
No row is ever dropped silently: a row that cannot be imported is returned as an error.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from core.task import TASK_ID_RE, Deliverable, FileRef, RubricItem, Source, Task, file_type_of
from core.taxonomy import slugify
from core.yamlio import write_yaml

DATASET_URL = "https://huggingface.co/datasets/openai/gdpval"
V1_COLUMNS = {"task_id", "sector", "occupation", "prompt", "reference_files"}


class GDPvalImportError(ValueError):
    """The source cannot be read as GDPval rows at all."""


@dataclass
class ImportResult:
    written: list[Path] = field(default_factory=list)
    not_runnable: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rubric_items: int = 0


def as_list(value: Any) -> list[str]:
    """A list column as a list of strings, whatever form the exporter gave it."""
    if value is None:
        return []
    if hasattr(value, "tolist"):  # numpy / pyarrow arrays from parquet
        value = value.tolist()
    if isinstance(value, float) and value != value:  # NaN from pandas
        return []
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        if text[0] == "[":
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                try:
                    value = ast.literal_eval(text)
                except (ValueError, SyntaxError) as exc:
                    raise ValueError(f"cannot parse list column {text[:80]!r}") from exc
        else:
            value = [text]
    if not isinstance(value, list | tuple):
        raise ValueError(f"expected a list, got {type(value).__name__}")
    return [str(v) for v in value if v is not None and str(v).strip()]


def as_rubric(value: Any) -> list[dict[str, Any]]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else []
    if hasattr(value, "tolist"):
        value = value.tolist()
    if not isinstance(value, list):
        raise ValueError("rubric_json is not a list of items")
    return [dict(v) for v in value]


def read_rows(source: Path) -> list[dict[str, Any]]:
    """Rows of a GDPval export (``.parquet``, ``.jsonl``, ``.json``)."""
    if not source.is_file():
        raise GDPvalImportError(f"{source}: no such file")
    suffix = source.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            rows = pq.read_table(source).to_pylist()
        elif suffix in (".jsonl", ".ndjson"):
            rows = []
            with source.open(encoding="utf-8") as fh:
                for n, line in enumerate(fh, 1):
                    if line.strip():
                        try:
                            rows.append(json.loads(line))
                        except json.JSONDecodeError as exc:
                            raise GDPvalImportError(f"{source}:{n}: not JSON: {exc}") from exc
        elif suffix == ".json":
            data = json.loads(source.read_text(encoding="utf-8"))
            rows = _unwrap_json(data)
        else:
            raise GDPvalImportError(f"{source}: expected .parquet, .jsonl or .json")
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GDPvalImportError(f"{source}: cannot read: {exc}") from exc
    except Exception as exc:  # pyarrow raises its own types for corrupt files
        if isinstance(exc, GDPvalImportError):
            raise
        raise GDPvalImportError(f"{source}: cannot read: {exc}") from exc
    if not rows or not isinstance(rows[0], dict) or not set(rows[0]) >= V1_COLUMNS:
        raise GDPvalImportError(
            f"{source}: rows lack GDPval columns (need {', '.join(sorted(V1_COLUMNS))})")
    return rows


def _unwrap_json(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        for key in ("rows", "data", "train"):
            if key in data:
                data = data[key]
                break
    if not isinstance(data, list):
        raise GDPvalImportError("JSON must be a list of rows (or {'rows': [...]})")
    # the datasets-server API wraps each row as {"row_idx": n, "row": {...}}
    return [r["row"] if isinstance(r, dict) and "row" in r and "task_id" not in r else r
            for r in data]


def _title(prompt: str, occupation: str) -> str:
    first = re.split(r"(?<=[.!?])\s|\n", prompt.strip(), maxsplit=1)[0].strip()
    first = re.sub(r"\s+", " ", first)
    if len(first) > 90:
        first = first[:87].rsplit(" ", 1)[0] + "..."
    return first or f"{occupation} task"


def _copy_files(paths: list[str], urls: list[str], files_dir: Path | None, task_dir: Path,
                sub: str) -> list[FileRef]:
    refs: list[FileRef] = []
    used: set[str] = set()
    for i, rel in enumerate(paths):
        name = PurePosixPath(rel.replace("\\", "/")).name or f"file{i}"
        name = re.sub(r"[\x00-\x1f/\\]", "_", name).lstrip(".") or f"file{i}"
        stem, suffix = PurePosixPath(name).stem, PurePosixPath(name).suffix
        n = 2
        while name.lower() in used:
            name = f"{stem} ({n}){suffix}"
            n += 1
        used.add(name.lower())
        url = urls[i] if i < len(urls) else None
        dest = task_dir / sub / name
        src = _find_source(files_dir, rel) if files_dir else None
        if src is not None:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
            refs.append(FileRef(path=f"{sub}/{name}", url=url))
        else:
            refs.append(FileRef(path=f"{sub}/{name}", url=url, missing=True))
    return refs


def _find_source(files_dir: Path, rel: str) -> Path | None:
    """The local copy of a dataset file, refusing paths that climb out of ``files_dir``."""
    root = files_dir.resolve()
    rel_path = PurePosixPath(rel.replace("\\", "/"))
    if rel_path.is_absolute() or ".." in rel_path.parts:
        return None
    for candidate in (root / rel_path, root / rel_path.name):
        try:
            resolved = candidate.resolve()
        except OSError:
            continue
        if resolved.is_relative_to(root) and resolved.is_file():
            return resolved
    return None


def row_to_task(row: dict[str, Any], files_dir: Path | None, out: Path,
                revision: str) -> tuple[Task, Path]:
    """Build the task for one row and copy its files; the task folder is returned too."""
    task_id = str(row.get("task_id", "")).strip()
    if not TASK_ID_RE.match(task_id):
        raise ValueError(f"task_id {task_id!r} is not a usable id")
    sector, occupation = str(row["sector"]).strip(), str(row["occupation"]).strip()
    task_dir = out / slugify(sector) / slugify(occupation) / task_id
    inputs = _copy_files(as_list(row.get("reference_files")),
                         as_list(row.get("reference_file_urls")), files_dir, task_dir, "inputs")
    gold_paths = as_list(row.get("deliverable_files"))
    gold = _copy_files(gold_paths, as_list(row.get("deliverable_file_urls")), files_dir,
                       task_dir, "gold")
    rubric = [
        RubricItem(
            rubric_item_id=str(item.get("rubric_item_id") or f"item-{n + 1}"),
            criterion=str(item["criterion"]),
            score=item["score"],
            tags=[str(t) for t in (item.get("tags") or [])],
            required=item.get("required"),
            author_type=item.get("author_type"),
        )
        for n, item in enumerate(as_rubric(row.get("rubric_json")))
    ]
    deliverables = [Deliverable(type=file_type_of(g.path), name=g.name) for g in gold]
    task = Task(
        id=task_id,
        title=_title(str(row["prompt"]), occupation),
        sector=sector,
        occupation=occupation,
        prompt=str(row["prompt"]),
        inputs=inputs,
        deliverables=deliverables,
        rubric=rubric,
        gold=gold,
        source=Source(kind="gdpval", revision=revision, url=DATASET_URL),
    )
    return task, task_dir


def task_to_yaml_dict(task: Task) -> dict[str, Any]:
    return task.model_dump(mode="json", exclude_none=True, exclude_defaults=False)


def revision_of(rows: list[dict[str, Any]]) -> str:
    return "v2" if any("rubric_json" in r for r in rows) else "v1"


def import_rows(rows: Iterable[dict[str, Any]], out: Path, files_dir: Path | None = None,
                revision: str = "v1") -> ImportResult:
    result = ImportResult()
    for n, row in enumerate(rows):
        ident = row.get("task_id", f"row {n}")
        try:
            task, task_dir = row_to_task(row, files_dir, out, revision)
        except (KeyError, ValueError, ValidationError, TypeError) as exc:
            missing = f"missing column {exc}" if isinstance(exc, KeyError) else str(exc)
            result.errors.append(f"row {n} ({ident}): {missing}")
            continue
        write_yaml(task_dir / "task.yaml", task_to_yaml_dict(task))
        result.written.append(task_dir / "task.yaml")
        result.rubric_items += len(task.rubric)
        if not task.runnable:
            result.not_runnable.append(f"{task.id}: {'; '.join(task.blockers)}")
    return result


def import_gdpval(source: Path, out: Path, files_dir: Path | None = None) -> ImportResult:
    """Read ``source`` and write one suite folder per row under ``out``."""
    rows = read_rows(source)
    return import_rows(rows, out, files_dir, revision_of(rows))
