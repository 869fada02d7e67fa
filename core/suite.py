"""Loading and validating a suite: a folder tree of ``task.yaml`` files.

``load_suite`` never raises on a bad task: it collects every problem as
``path:field: message`` so an author fixes a whole suite in one pass. A task with an
error is left out of ``Suite.tasks`` (it cannot be run or graded) but is always reported.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from core.task import Task, file_type_of
from core.taxonomy import Taxonomy, taxonomy_for
from core.yamlio import load_yaml

TASK_FILE = "task.yaml"
MAX_TASK_YAML_BYTES = 2_000_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one task file; ``severity`` is ``error`` or ``warning``."""

    path: Path
    field: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else "warning: "
        return f"{self.path}:{self.field}: {tag}{self.message}"


@dataclass(frozen=True)
class LoadedTask:
    """A valid task and the folder it lives in (input and gold paths are relative to it)."""

    task: Task
    dir: Path

    @property
    def id(self) -> str:
        return self.task.id

    def input_paths(self) -> list[Path]:
        return [self.dir / f.path for f in self.task.inputs if not f.missing]

    def gold_paths(self) -> list[Path]:
        return [self.dir / f.path for f in self.task.gold if not f.missing]


@dataclass
class Suite:
    root: Path
    tasks: list[LoadedTask] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def get(self, task_id: str) -> LoadedTask:
        for t in self.tasks:
            if t.id == task_id:
                return t
        raise KeyError(task_id)

    def counts(self) -> dict[str, Counter[str]]:
        """Task counts by sector and by occupation."""
        return {
            "sector": Counter(t.task.sector for t in self.tasks),
            "occupation": Counter(t.task.occupation for t in self.tasks),
        }

    def select(
        self,
        *,
        task_ids: list[str] | None = None,
        sectors: list[str] | None = None,
        occupations: list[str] | None = None,
        deliverable_types: list[str] | None = None,
        runnable_only: bool = False,
    ) -> list[LoadedTask]:
        """Tasks matching every given filter (names match case-insensitively, globs allowed)."""

        def hit(value: str, patterns: list[str] | None) -> bool:
            return not patterns or any(fnmatch.fnmatch(value.lower(), p.lower()) for p in patterns)

        out = []
        for lt in self.tasks:
            t = lt.task
            if task_ids and t.id not in task_ids:
                continue
            if not (hit(t.sector, sectors) and hit(t.occupation, occupations)):
                continue
            if deliverable_types and not set(t.deliverable_types) & {
                d.lower().lstrip(".") for d in deliverable_types
            }:
                continue
            if runnable_only and not t.runnable:
                continue
            out.append(lt)
        return out


def _loc(loc: tuple[object, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            # discriminated unions put the tag name in the location; keep the field path readable
            out += ("." if out else "") + str(part)
    return out or "task"


def _file_problems(path: Path, task: Task, task_dir: Path) -> list[Problem]:
    problems = []
    root = task_dir.resolve()
    for group in ("inputs", "gold"):
        for i, ref in enumerate(getattr(task, group)):
            fld = f"{group}[{i}].path"
            target = (task_dir / ref.path)
            try:
                resolved = target.resolve()
            except (OSError, RuntimeError) as exc:  # symlink loops
                problems.append(Problem(path, fld, f"cannot resolve {ref.path!r}: {exc}"))
                continue
            if not resolved.is_relative_to(root):
                problems.append(
                    Problem(path, fld, f"{ref.path!r} resolves outside the task folder"))
                continue
            if ref.missing:
                if resolved.exists():
                    problems.append(Problem(path, fld, f"{ref.path!r} is marked missing but exists",
                                            "warning"))
                continue
            if not resolved.is_file():
                problems.append(Problem(path, fld, f"file {ref.path!r} does not exist"))
    return problems


def _rubric_problems(path: Path, task: Task) -> list[Problem]:
    if not task.rubric:
        return [Problem(path, "rubric", "no rubric items: rubric grading will skip this task",
                        "warning")]
    if task.positive_points <= 0:
        return [Problem(path, "rubric", "rubric has no item with positive points, so no score "
                        "can be computed")]
    return []


def load_task_file(path: Path, taxonomy: Taxonomy) -> tuple[Task | None, list[Problem]]:
    """Parse and check one ``task.yaml``; the task is None when it has errors."""
    try:
        if path.stat().st_size > MAX_TASK_YAML_BYTES:
            return None, [Problem(path, "task", f"task.yaml is larger than "
                                  f"{MAX_TASK_YAML_BYTES:,} bytes")]
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(path, "task", f"cannot read file: {exc}")]
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"yaml(line {mark.line + 1})" if mark else "yaml"
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(path, where, f"bad YAML: {reason}")]
    if not isinstance(data, dict):
        return None, [Problem(path, "task", "task.yaml must be a mapping of fields")]
    try:
        task = Task.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            msg = err["msg"]
            if err["type"] == "missing":
                msg = "required field is missing"
            problems.append(Problem(path, _loc(err["loc"]), msg))
        return None, problems
    problems: list[Problem] = []
    tax = taxonomy.problem(task.sector, task.occupation)
    if tax:
        problems.append(Problem(path, *tax))
    problems += _file_problems(path, task, path.parent)
    problems += _rubric_problems(path, task)
    for i, d in enumerate(task.deliverables):
        if d.name and file_type_of(d.name) not in (d.type, "other"):
            problems.append(Problem(path, f"deliverables[{i}].name",
                                    f"name {d.name!r} does not match type {d.type!r}"))
    has_errors = any(p.severity == "error" for p in problems)
    return (None if has_errors else task), problems


def find_task_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(
        p for p in root.rglob(TASK_FILE)
        if not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def load_suite(root: Path | str) -> Suite:
    """Load every task under ``root`` (a suite folder, a task folder or a task.yaml)."""
    root = Path(root)
    suite = Suite(root=root)
    if not root.exists():
        suite.problems.append(Problem(root, "suite", "no such file or folder"))
        return suite
    suite_root = root if root.is_dir() else root.parent
    taxonomy = taxonomy_for(suite_root)
    files = find_task_files(root)
    if not files:
        suite.problems.append(Problem(root, "suite", f"no {TASK_FILE} found"))
        return suite
    first_seen: dict[str, Path] = {}
    for f in files:
        task, problems = load_task_file(f, taxonomy)
        suite.problems += problems
        if task is None:
            continue
        if task.id in first_seen:
            suite.problems.append(Problem(f, "id", f"duplicate task id {task.id!r} "
                                          f"(also in {first_seen[task.id]})"))
            continue
        first_seen[task.id] = f
        suite.tasks.append(LoadedTask(task, f.parent))
    return suite
