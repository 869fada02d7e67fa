"""A sample's work dir: its inputs, the files the agent writes, and safe names.

Layout: ``<runs>/<run>/<task>/<sample>/`` holds the agent's files; the task's reference
files are copied into its ``inputs/`` (read-only inside the sandbox). Every name the agent
chooses goes through :meth:`Workspace.output_path`: directories are dropped, odd
characters replaced (``core.files.safe_name``), and a path that is or passes through a
symlink is refused, so nothing can be written or handed in outside the work dir.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from core.files import safe_name
from core.task import file_type_of
from runner.confinement import INPUTS_DIR, TMP_DIR


class WorkspaceError(Exception):
    """A name or path the agent gave cannot be used; the message is shown to the model."""


@dataclass(frozen=True)
class InputFile:
    name: str  # as the agent sees it: inputs/<name>
    source: Path
    file_type: str
    size: int


class Workspace:
    def __init__(self, root: Path, inputs: list[Path] | None = None) -> None:
        self.root = root
        self._sources = list(inputs or [])
        self.inputs: list[InputFile] = []

    def prepare(self, *, clean: bool = True) -> Workspace:
        """Create the dir (emptied first: a retried sample starts from scratch) and copy
        the inputs in."""
        if clean and self.root.exists():
            shutil.rmtree(self.root)
        (self.root / INPUTS_DIR).mkdir(parents=True, exist_ok=True)
        used: set[str] = set()
        for src in self._sources:
            name = safe_name(src.name)
            stem, dot, ext = name.rpartition(".")
            n = 2
            while name.lower() in used:
                name = f"{stem} ({n}).{ext}" if dot else f"{ext} ({n})"
                n += 1
            used.add(name.lower())
            dest = self.root / INPUTS_DIR / name
            shutil.copyfile(src, dest)
            self.inputs.append(InputFile(name=name, source=src, file_type=file_type_of(name),
                                         size=dest.stat().st_size))
        return self

    # -- names -------------------------------------------------------------------------

    def output_path(self, requested: str, *, extension: str | None = None) -> Path:
        """Where a file the agent names is written: a plain name inside the work dir."""
        if not requested or not requested.strip():
            raise WorkspaceError("a file name is required, e.g. report.docx")
        name = safe_name(PurePosixPath(requested.replace("\\", "/")).name, default="")
        if not name:
            raise WorkspaceError(f"{requested!r} is not a usable file name; use a plain name "
                                 "such as report.docx")
        if extension:
            ext = "." + extension.lower()
            if not name.lower().endswith(ext):
                current = PurePosixPath(name).suffix.lower()
                if current and current.lstrip(".") in ("docx", "xlsx", "pptx", "pdf"):
                    raise WorkspaceError(f"{requested!r} has the extension {current}; this tool "
                                         f"writes {ext} files")
                name += ext
        path = self.root / name
        self._check_inside(path)
        return path

    def existing_file(self, requested: str) -> Path:
        """A file the agent refers to (to hand in or read back): must exist inside."""
        rel = PurePosixPath(requested.strip().replace("\\", "/"))
        if not requested.strip() or rel.is_absolute() or ".." in rel.parts:
            raise WorkspaceError(f"{requested!r}: give a file name inside the work dir, not a "
                                 "path outside it")
        path = self.root / rel
        self._check_inside(path)
        if not path.is_file():
            raise WorkspaceError(f"no file named {requested!r} in the work dir; files there: "
                                 f"{', '.join(self.output_names()) or 'none'}")
        return path

    def _check_inside(self, path: Path) -> None:
        root = self.root.resolve()
        probe = path
        while probe != self.root and probe != probe.parent:
            if probe.is_symlink():
                raise WorkspaceError(f"{probe.name} is a symbolic link; links are not allowed")
            probe = probe.parent
        if not path.resolve().is_relative_to(root):
            raise WorkspaceError(f"{path.name} resolves outside the work dir")

    # -- listings ----------------------------------------------------------------------

    def input_file(self, name: str) -> InputFile:
        wanted = name.replace("\\", "/").removeprefix("./").removeprefix(f"{INPUTS_DIR}/")
        for f in self.inputs:
            if f.name == wanted or f.source.name == wanted:
                return f
        for f in self.inputs:
            if f.name.lower() == wanted.lower():
                return f
        raise WorkspaceError(f"no input named {name!r}; inputs: "
                             f"{', '.join(f.name for f in self.inputs) or 'none'}")

    def input_path(self, f: InputFile) -> Path:
        return self.root / INPUTS_DIR / f.name

    def output_names(self) -> list[str]:
        """Regular files the agent has produced (top level, not inputs or scratch)."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir()
                      if p.is_file() and not p.is_symlink() and not p.name.startswith(".")
                      and p.name not in (INPUTS_DIR, TMP_DIR))
