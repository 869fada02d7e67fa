"""The structured document spec: what the agent (or a document plan) asks us to write.

One vocabulary for all four formats, validated by pydantic before anything touches disk,
so a model's mistake becomes a precise error message it can fix ("blocks[3].items: ...")
rather than a half-written file. The writers in :mod:`runner.docwriter` turn a spec into
a document with a consistent, professional house style; the agent never picks fonts.

Inline markup in any text: ``**bold**`` and ``*italic*``. Table cells and xlsx cells may
be numbers; an xlsx string starting with ``=`` is a formula.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# Generous bounds: they stop a looping model from producing a 50 MB document, not a
# professional from writing a long report.
MAX_TEXT = 20_000
MAX_ITEMS = 500
MAX_ROWS = 5_000
MAX_COLS = 100

ShortText = Annotated[str, Field(max_length=500)]
LongText = Annotated[str, Field(max_length=MAX_TEXT)]
CellValue = str | int | float | bool | None


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BulletItem(_Spec):
    """A list item with an indent level (0 = top level)."""

    text: LongText
    level: int = Field(default=0, ge=0, le=4)


ListItem = LongText | BulletItem


def item_text_level(item: ListItem) -> tuple[str, int]:
    return (item, 0) if isinstance(item, str) else (item.text, item.level)


class Heading(_Spec):
    type: Literal["heading"]
    text: ShortText
    level: int = Field(default=1, ge=1, le=3)


class Paragraph(_Spec):
    type: Literal["paragraph"]
    text: LongText


class Bullets(_Spec):
    type: Literal["bullets"]
    items: list[ListItem] = Field(min_length=1, max_length=MAX_ITEMS)


class Numbered(_Spec):
    type: Literal["numbered"]
    items: list[ListItem] = Field(min_length=1, max_length=MAX_ITEMS)


class TableSpec(_Spec):
    """A table: an optional header row (shown bold) and data rows of text or numbers."""

    header: list[ShortText] = Field(default_factory=list, max_length=MAX_COLS)
    rows: list[list[CellValue]] = Field(default_factory=list, max_length=MAX_ROWS)
    caption: ShortText | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> TableSpec:
        if not self.header and not self.rows:
            raise ValueError("a table needs a header or at least one row")
        if any(len(r) > MAX_COLS for r in self.rows):
            raise ValueError(f"a table row has more than {MAX_COLS} cells")
        return self

    @property
    def width(self) -> int:
        return max([len(self.header)] + [len(r) for r in self.rows])


class Table(TableSpec):
    type: Literal["table"]


class PageBreak(_Spec):
    type: Literal["page_break"]


Block = Annotated[
    Heading | Paragraph | Bullets | Numbered | Table | PageBreak, Field(discriminator="type")
]


class TextDocumentSpec(_Spec):
    """A flowing document (docx or pdf): a title, then blocks in reading order."""

    title: ShortText | None = None
    subtitle: ShortText | None = None
    blocks: list[Block] = Field(default_factory=list, max_length=2_000)

    @model_validator(mode="after")
    def _has_content(self) -> TextDocumentSpec:
        if not self.title and not self.blocks:
            raise ValueError("the document is empty: give a title and some blocks")
        return self


DocxSpec = TextDocumentSpec
PdfSpec = TextDocumentSpec

_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_CELL_REF = re.compile(r"^[A-Z]{1,3}[1-9][0-9]{0,6}$")
_COL_OR_RANGE = re.compile(r"^[A-Z]{1,3}([1-9][0-9]{0,6})?(:[A-Z]{1,3}([1-9][0-9]{0,6})?)?$")


class SheetSpec(_Spec):
    """One worksheet. ``rows[0]`` is a header row (bold, shaded, frozen) unless
    ``header`` is false. ``number_formats`` maps a column ("B"), a range ("B2:D20") or a
    cell to an Excel format such as ``#,##0.00``, ``0.0%`` or ``yyyy-mm-dd``;
    ``column_widths`` maps column letters to widths in characters (auto-fit otherwise)."""

    name: Annotated[str, Field(min_length=1, max_length=31)]
    rows: list[list[CellValue]] = Field(default_factory=list, max_length=MAX_ROWS)
    header: bool = True
    number_formats: dict[str, Annotated[str, Field(max_length=60)]] = Field(default_factory=dict)
    column_widths: dict[str, Annotated[float, Field(gt=0, le=255)]] = Field(default_factory=dict)
    freeze: str | None = Field(default=None, description="top-left unfrozen cell, e.g. A2")

    @field_validator("name")
    @classmethod
    def _sheet_name(cls, v: str) -> str:
        if _SHEET_BAD.search(v) or v.startswith("'") or v.endswith("'"):
            raise ValueError(f"sheet name {v!r} may not contain [ ] : * ? / \\ or edge quotes")
        return v

    @field_validator("number_formats", "column_widths")
    @classmethod
    def _refs(cls, v: dict) -> dict:
        for key in v:
            if not _COL_OR_RANGE.match(key.upper()):
                raise ValueError(f"{key!r} is not a column letter, cell or range like B2:D9")
        return {k.upper(): f for k, f in v.items()}

    @field_validator("freeze")
    @classmethod
    def _freeze(cls, v: str | None) -> str | None:
        if v is not None and not _CELL_REF.match(v.upper()):
            raise ValueError(f"freeze {v!r} must be a cell reference such as A2")
        return v.upper() if v else v

    @model_validator(mode="after")
    def _row_width(self) -> SheetSpec:
        if any(len(r) > MAX_COLS * 2 for r in self.rows):
            raise ValueError(f"a row has more than {MAX_COLS * 2} cells")
        return self


class XlsxSpec(_Spec):
    """A workbook: one or more sheets with unique names."""

    sheets: list[SheetSpec] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _unique(self) -> XlsxSpec:
        names = [s.name.lower() for s in self.sheets]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"sheet names must be unique (case-insensitive): {dupes}")
        return self


class SlideSpec(_Spec):
    """One slide: a title, bullets and/or a table, and speaker notes."""

    title: ShortText
    bullets: list[ListItem] = Field(default_factory=list, max_length=40)
    table: TableSpec | None = None
    notes: LongText | None = None


class PptxSpec(_Spec):
    """A deck: a title slide when ``title`` is given, then the content slides."""

    title: ShortText | None = None
    subtitle: ShortText | None = None
    slides: list[SlideSpec] = Field(default_factory=list, max_length=200)

    @model_validator(mode="after")
    def _has_content(self) -> PptxSpec:
        if not self.title and not self.slides:
            raise ValueError("the deck is empty: give a title and some slides")
        return self


SPEC_BY_TYPE: dict[str, type[_Spec]] = {
    "docx": TextDocumentSpec,
    "pdf": TextDocumentSpec,
    "xlsx": XlsxSpec,
    "pptx": PptxSpec,
}
