"""Builds the occubench starter suite: every ``inputs/`` and ``gold/`` file and every
``task.yaml`` under ``occupations/``, deterministically.

Run from the repository root: ``python -m occupations._build [--out DIR] [--task ID ...]``.
One module per GDPval sector holds that sector's tasks (``TASKS``: builder functions that
write their files into a :class:`~occupations._build.spec.Context` and return a
:class:`~occupations._build.spec.TaskSpec`); ``style`` and the ``*_kit`` modules hold the
shared look of the documents.
"""

from __future__ import annotations

import importlib
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from .spec import Context, TaskBuilder, render_yaml, task_document

SUITE_ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = SUITE_ROOT / "taxonomy.yaml"

#: Sector modules, in taxonomy order; each defines SECTOR (verbatim name) and TASKS.
SECTOR_MODULES = (
    "finance", "government", "health", "information", "manufacturing", "professional",
    "real_estate", "retail", "wholesale",
)


@dataclass(frozen=True)
class Built:
    id: str
    dir: Path
    files: int


def _slugs() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    data = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    sectors, occupations = {}, {}
    for s in data["sectors"]:
        sectors[s["name"]] = s["slug"]
        for o in s["occupations"]:
            occupations[(s["name"], o["name"])] = o["slug"]
    return sectors, occupations


def builders() -> list[tuple[str, str, TaskBuilder]]:
    """(module name, sector, builder) for every task, in suite order."""
    out = []
    for name in SECTOR_MODULES:
        mod = importlib.import_module(f"{__name__}.{name}")
        out += [(name, mod.SECTOR, fn) for fn in mod.TASKS]
    return out


def build(out_root: Path = SUITE_ROOT, only: set[str] | None = None) -> list[Built]:
    """Regenerate the suite under ``out_root``; ``only`` limits it to some task ids.

    Each task's ``inputs/`` and ``gold/`` folders are emptied first so a renamed file
    does not linger.
    """
    sector_slugs, occ_slugs = _slugs()
    staging = Context(out_root / ".staging")
    try:
        return _build_all(out_root, only, staging, sector_slugs, occ_slugs)
    finally:
        shutil.rmtree(staging.dir, ignore_errors=True)


def _build_all(out_root: Path, only: set[str] | None, staging: Context,
               sector_slugs: dict[str, str], occ_slugs: dict[tuple[str, str], str]
               ) -> list[Built]:
    done: list[Built] = []
    seen: set[str] = set()
    for _module, sector, fn in builders():
        task_id = sys.modules[fn.__module__].ID  # every task module names its id
        if task_id in seen:
            raise ValueError(f"duplicate task id {task_id}")
        seen.add(task_id)
        if only and task_id not in only:
            continue
        shutil.rmtree(staging.dir, ignore_errors=True)
        staging.inputs.mkdir(parents=True)
        staging.gold.mkdir(parents=True)
        spec = fn(staging)
        spec.sector = sector
        if spec.id != task_id:
            raise ValueError(f"{fn.__module__}: ID {task_id!r} but the spec says {spec.id!r}")
        key = (sector, spec.occupation)
        if key not in occ_slugs:
            raise ValueError(f"{spec.id}: {spec.occupation!r} is not an occupation of {sector!r}")
        task_dir = out_root / sector_slugs[sector] / occ_slugs[key] / spec.id
        task_dir.mkdir(parents=True, exist_ok=True)
        for sub in ("inputs", "gold"):
            shutil.rmtree(task_dir / sub, ignore_errors=True)
            shutil.move(str(staging.dir / sub), str(task_dir / sub))
        doc = task_document(spec, task_dir)
        (task_dir / "task.yaml").write_text(render_yaml(doc, fn.__module__), encoding="utf-8")
        done.append(Built(spec.id, task_dir, len(doc["inputs"]) + len(doc["gold"])))
    return done
