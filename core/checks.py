"""The deterministic check vocabulary a rubric item may carry.

A check decides a rubric criterion from the deliverable files alone, with no judge: the
file type and name, a sheet or slide being there, a value in a cell, a page or slide
count, a phrase in the text. Task authors write them in ``task.yaml`` next to the
criterion; the rubric grader (``graders.checks``) evaluates them. A check states the
condition that makes the item *hold*: for a penalty item (negative points) that is the
undesirable condition.

Each check looks at the deliverable set of one sample; ``file`` (a glob on the file name,
case-insensitive) narrows it to the matching files, and the check holds when any file in
scope satisfies it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Check(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: str | None = Field(default=None, description="glob on deliverable file names")


class FileType(_Check):
    """A deliverable of one of these types exists (``types: [xlsx, xlsm]``)."""

    kind: Literal["file_type"]
    types: list[str] = Field(min_length=1)


class FileName(_Check):
    """A deliverable's base name (without extension) equals ``stem`` (case-insensitive)."""

    kind: Literal["file_name"]
    stem: str = Field(min_length=1)
    types: list[str] | None = None


class SheetPresent(_Check):
    """A workbook has a sheet named ``sheet`` (exact, or case-insensitive if ``exact`` is off)."""

    kind: Literal["sheet_present"]
    sheet: str = Field(min_length=1)
    exact: bool = True


class CellValue(_Check):
    """The value at ``sheet``!``cell`` equals a number (within ``tolerance``) or contains text."""

    kind: Literal["cell_value"]
    sheet: str | None = None
    cell: str = Field(pattern=r"^[A-Za-z]{1,3}[0-9]{1,7}$")
    equals: float | str | None = None
    contains: str | None = None
    tolerance: float = 0.0

    @model_validator(mode="after")
    def _one_expectation(self) -> CellValue:
        if (self.equals is None) == (self.contains is None):
            raise ValueError("cell_value needs exactly one of 'equals' or 'contains'")
        return self


class Count(_Check):
    """A page (pdf, docx rendered), slide (pptx) or sheet (xlsx) count within bounds."""

    kind: Literal["slide_count", "page_count", "sheet_count", "word_count", "table_count"]
    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _some_bound(self) -> Count:
        if self.min is None and self.max is None:
            raise ValueError(f"{self.kind} needs 'min', 'max' or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"{self.kind}: min {self.min} is greater than max {self.max}")
        return self


class TextContains(_Check):
    """The extracted text contains ``text`` or matches the regular expression ``pattern``."""

    kind: Literal["text_contains"]
    text: str | None = None
    pattern: str | None = None
    case_sensitive: bool = False

    @model_validator(mode="after")
    def _one_needle(self) -> TextContains:
        if (self.text is None) == (self.pattern is None):
            raise ValueError("text_contains needs exactly one of 'text' or 'pattern'")
        if self.pattern is not None:
            import re

            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern is not a valid regular expression: {exc}") from exc
        return self


class HeadingPresent(_Check):
    """A docx heading, pptx slide title or sheet name contains ``text`` (case-insensitive)."""

    kind: Literal["heading_present"]
    text: str = Field(min_length=1)


Check = Annotated[
    FileType | FileName | SheetPresent | CellValue | Count | TextContains | HeadingPresent,
    Field(discriminator="kind"),
]

CHECK_KINDS = (
    "file_type", "file_name", "sheet_present", "cell_value", "slide_count", "page_count",
    "sheet_count", "word_count", "table_count", "text_contains", "heading_present",
)
