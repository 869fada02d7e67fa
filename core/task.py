"""The task spec: what one occupational task is, as stored in ``task.yaml``.

A task is a client's request (``prompt``) written for one occupation, the reference files
handed to the worker (``inputs``), the professional's own deliverable (``gold``) and a
GDPval-style rubric of signed-point items. The models are strict (unknown keys are errors)
because a typo in a hand-written task.yaml should be caught by ``suite validate``, not
silently ignored at grading time.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.checks import Check

#: File types a deliverable or reference file may have. Office documents and PDF are the
#: core; the rest appear in GDPval's reference files and some deliverables.
DOCUMENT_TYPES = ("docx", "xlsx", "pptx", "pdf")
FILE_TYPES = DOCUMENT_TYPES + (
    "csv", "txt", "md", "json", "html", "png", "jpg", "jpeg", "gif", "wav", "mp3", "mp4",
    "mov", "zip", "xls", "xlsm", "doc", "ppt", "other",
)

TASK_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def file_type_of(name: str) -> str:
    """The deliverable type of a file name, by extension (``other`` when unknown)."""
    ext = PurePosixPath(name).suffix.lower().lstrip(".")
    return ext if ext in FILE_TYPES else "other"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class FileRef(_Strict):
    """A file belonging to a task, by path relative to the task folder.

    ``missing`` records a file the task needs but that is not on disk (a GDPval row whose
    files were not downloaded): the task is kept, marked not runnable, never dropped.
    """

    path: str
    url: str | None = None
    missing: bool = False

    @field_validator("path")
    @classmethod
    def _relative_inside(cls, v: str) -> str:
        if not v or v.strip() != v:
            raise ValueError("path must be a non-empty relative path without surrounding spaces")
        p = PurePosixPath(v.replace("\\", "/"))
        if p.is_absolute() or v.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", v):
            raise ValueError(f"path {v!r} is absolute; use a path inside the task folder")
        if ".." in p.parts:
            raise ValueError(f"path {v!r} escapes the task folder")
        return v

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    @property
    def file_type(self) -> str:
        return file_type_of(self.path)


class Deliverable(_Strict):
    """An expected output file: its name when the prompt fixes one, and its type."""

    type: Literal[FILE_TYPES]  # type: ignore[valid-type]
    name: str | None = None
    description: str | None = None

    @field_validator("name")
    @classmethod
    def _plain_name(cls, v: str | None) -> str | None:
        if v is not None and ("/" in v or "\\" in v or v in (".", "..") or not v.strip()):
            raise ValueError(f"deliverable name {v!r} must be a plain file name")
        return v


class RubricItem(_Strict):
    """One GDPval ``rubric_json`` item: a criterion worth signed points.

    Positive points are earned when the criterion is met; a negative item is a penalty
    that counts when its undesirable condition holds. ``check`` is an optional
    deterministic check (see :mod:`core.checks`) that decides the item from the file
    alone instead of asking a judge.
    """

    rubric_item_id: str = Field(min_length=1)
    criterion: str = Field(min_length=1)
    score: int
    tags: list[str] = Field(default_factory=list)
    required: bool | None = None
    author_type: str | None = None
    check: Check | None = None

    @field_validator("score", mode="before")
    @classmethod
    def _integer_points(cls, v: object) -> object:
        if isinstance(v, bool) or v is None:
            raise ValueError("score must be a signed integer number of points")
        if isinstance(v, float):
            if not v.is_integer():
                raise ValueError(f"score must be a whole number of points, got {v}")
            return int(v)
        return v

    @field_validator("score")
    @classmethod
    def _nonzero(cls, v: int) -> int:
        if v == 0:
            raise ValueError("score must not be 0: an item worth no points is not an item")
        return v


class Source(_Strict):
    """Where a task came from: ``occubench`` (hand-written) or ``gdpval`` (imported)."""

    kind: Literal["occubench", "gdpval", "other"] = "occubench"
    revision: str | None = None
    url: str | None = None


class Task(_Strict):
    """One occupational task as written in ``task.yaml``."""

    id: Annotated[str, Field(pattern=TASK_ID_RE.pattern)]
    title: str = Field(min_length=1)
    sector: str
    occupation: str
    prompt: str = Field(min_length=1)
    inputs: list[FileRef] = Field(default_factory=list)
    deliverables: list[Deliverable] = Field(default_factory=list)
    rubric: list[RubricItem] = Field(default_factory=list)
    expert_hours: float | None = Field(default=None, ge=0)
    expert_hourly_wage_usd: float | None = Field(default=None, ge=0)
    gold: list[FileRef] = Field(default_factory=list)
    source: Source = Field(default_factory=Source)
    not_runnable: str | None = None

    @model_validator(mode="after")
    def _unique_rubric_ids(self) -> Task:
        seen: set[str] = set()
        for item in self.rubric:
            if item.rubric_item_id in seen:
                raise ValueError(f"rubric_item_id {item.rubric_item_id!r} appears twice")
            seen.add(item.rubric_item_id)
        return self

    @property
    def deliverable_types(self) -> list[str]:
        """Expected deliverable types; from the gold files when none are declared."""
        types = [d.type for d in self.deliverables] or [g.file_type for g in self.gold]
        return sorted(set(types))

    @property
    def runnable(self) -> bool:
        return not self.blockers

    @property
    def blockers(self) -> list[str]:
        """Why this task cannot be run as is (empty when it can)."""
        reasons = [self.not_runnable] if self.not_runnable else []
        reasons += [f"reference file {f.path} is not available locally"
                    for f in self.inputs if f.missing]
        return reasons

    @property
    def positive_points(self) -> int:
        return sum(i.score for i in self.rubric if i.score > 0)
