"""Executing the agent's tool calls against one sample's workspace.

Every failure the model can cause (arguments that are not JSON, an unknown tool, a spec
that does not validate, a file that is not a document, a call the policy denies) becomes
a tool result with ``is_error`` set and a message that says how to fix it; nothing the
model sends can crash the run. Blocking work (writing and opening documents) runs in a
worker thread so the event loop keeps serving other samples.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from core.task import file_type_of
from runner.confinement import INPUTS_DIR
from runner.docwriter import describe_spec, parse_spec, write_document
from runner.docwriter.check import check_document
from runner.inputs import read_text
from runner.policy import TOOL_NAMES, Confirmer, ToolPolicy
from runner.sandbox import Sandbox, SandboxLimits
from runner.workspace import Workspace, WorkspaceError

MAX_READ_CHARS = 60_000
DEFAULT_READ_CHARS = 20_000
MAX_FINISH_FILES = 20


@dataclass
class ToolResult:
    content: str
    is_error: bool = False
    kind: str | None = None  # error kind: malformed | unknown_tool | invalid | denied | failed
    finished: list[Path] | None = None  # set by a successful finish
    summary: str | None = None
    written: list[str] = field(default_factory=list)


def _signature(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _error(kind: str, message: str) -> ToolResult:
    return ToolResult(content=f"Error: {message}", is_error=True, kind=kind)


def format_validation_error(exc: ValidationError, limit: int = 8) -> str:
    lines = []
    for err in exc.errors()[:limit]:
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        lines.append(f"- {loc}: {err['msg']}")
    more = len(exc.errors()) - limit
    if more > 0:
        lines.append(f"- ... and {more} more")
    return "\n".join(lines)


class ToolBox:
    """The tools of one sample."""

    def __init__(self, workspace: Workspace, policy: ToolPolicy, sandbox: Sandbox | None,
                 *, sandbox_limits: SandboxLimits | None = None,
                 confirmer: Confirmer | None = None) -> None:
        self.ws = workspace
        self.policy = policy
        self.sandbox = sandbox
        self.sandbox_limits = sandbox_limits
        self.confirmer = confirmer
        self._ours: dict[str, tuple[int, int, int]] = {}

    @property
    def names(self) -> list[str]:
        names = self.policy.offered_tools
        if self.sandbox is None:
            names = [n for n in names if n != "run_python"]
        return names

    async def execute(self, name: str, raw_arguments: str | None) -> ToolResult:
        """Run one call. ``raw_arguments`` is the JSON text exactly as the model sent it."""
        if name not in TOOL_NAMES:
            return _error("unknown_tool", f"there is no tool named {name!r}; the tools are "
                                          f"{', '.join(self.names)}")
        try:
            args = json.loads(raw_arguments or "{}", strict=False)
        except json.JSONDecodeError as exc:
            return _error("malformed", f"the arguments of {name} are not valid JSON ({exc.msg} "
                                       f"at position {exc.pos}); send a single JSON object")
        if not isinstance(args, dict):
            return _error("malformed", f"the arguments of {name} must be a JSON object, got "
                                       f"{type(args).__name__}")
        decision = self.policy.decide(name, args, self.confirmer)
        if not decision.allowed:
            return _error("denied", decision.reason or "denied by policy")
        if name == "run_python" and self.sandbox is None:
            return _error("denied", "run_python is not available in this run")
        try:
            return await getattr(self, f"_{name}")(args)
        except WorkspaceError as exc:
            return _error("invalid", str(exc))
        except ValidationError as exc:
            return _error("invalid", f"the {name} arguments do not match the schema:\n"
                                     f"{format_validation_error(exc)}")
        except (ValueError, TypeError, KeyError, OSError) as exc:
            # e.g. a character a workbook cannot hold, a formula openpyxl rejects
            return _error("failed", f"{name} failed: {type(exc).__name__}: {str(exc)[:300]}")

    # -- tools -------------------------------------------------------------------------

    async def _list_inputs(self, args: dict) -> ToolResult:
        if not self.ws.inputs:
            return ToolResult("This task has no input files.")
        lines = [f"- {f.name} ({f.file_type}, {f.size:,} bytes)" for f in self.ws.inputs]
        return ToolResult(f"{len(lines)} input file(s), also at {INPUTS_DIR}/ for run_python:\n"
                          + "\n".join(lines))

    async def _read_input(self, args: dict) -> ToolResult:
        name = args.get("name") or args.get("filename") or args.get("path")
        if not isinstance(name, str):
            return _error("invalid", "read_input needs a 'name' (see list_inputs)")
        limit = args.get("max_chars", DEFAULT_READ_CHARS)
        limit = max(500, min(int(limit) if isinstance(limit, int | float) else
                             DEFAULT_READ_CHARS, MAX_READ_CHARS))
        try:
            path = self.ws.input_path(self.ws.input_file(name))
        except WorkspaceError:
            path = self.ws.existing_file(name)  # a file the agent wrote itself
        text, truncated = await asyncio.to_thread(read_text, path, limit)
        note = f"\n[truncated at {limit:,} characters; ask for more with max_chars]" \
            if truncated else ""
        return ToolResult(f"=== {path.name} ===\n{text}{note}")

    async def _write(self, file_type: str, args: dict) -> ToolResult:
        args = dict(args)
        filename = args.pop("filename", None) or args.pop("name", None)
        if not isinstance(filename, str):
            return _error("invalid", f"write_{file_type} needs a 'filename' ending in "
                                     f".{file_type}")
        path = self.ws.output_path(filename, extension=file_type)
        spec = parse_spec(file_type, args)
        await asyncio.to_thread(write_document, file_type, spec, path)
        self._ours[path.name] = _signature(path)
        renamed = f" (requested {filename!r})" if path.name != filename else ""
        return ToolResult(f"Wrote {path.name}{renamed}: {describe_spec(spec)}.",
                          written=[path.name])

    async def _write_docx(self, args: dict) -> ToolResult:
        return await self._write("docx", args)

    async def _write_pdf(self, args: dict) -> ToolResult:
        return await self._write("pdf", args)

    async def _write_xlsx(self, args: dict) -> ToolResult:
        return await self._write("xlsx", args)

    async def _write_pptx(self, args: dict) -> ToolResult:
        return await self._write("pptx", args)

    async def _run_python(self, args: dict) -> ToolResult:
        code = args.get("code")
        if not isinstance(code, str) or not code.strip():
            return _error("invalid", "run_python needs 'code': a Python script as a string")
        assert self.sandbox is not None
        before = set(self.ws.output_names())
        result = await self.sandbox.run_python(code, self.ws.root, self.sandbox_limits)
        new = sorted(set(self.ws.output_names()) - before)
        text = result.describe()
        if new:
            text += f"\nNew files: {', '.join(new)}"
        return ToolResult(text, is_error=not result.ok, kind=None if result.ok else "failed",
                          written=new)

    async def _finish(self, args: dict) -> ToolResult:
        files = args.get("files")
        if isinstance(files, str):
            files = [files]
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            return _error("invalid", "finish needs 'files': a list of file names")
        if not files:
            return _error("invalid", "finish needs at least one file; write your deliverable "
                                     "first (write_docx, write_xlsx, write_pptx, write_pdf)")
        if len(files) > MAX_FINISH_FILES:
            return _error("invalid", f"hand in at most {MAX_FINISH_FILES} files")
        paths: list[Path] = []
        problems: list[str] = []
        for name in dict.fromkeys(files):
            try:
                path = self.ws.existing_file(name)
            except WorkspaceError as exc:
                problems.append(str(exc))
                continue
            if path.parent != self.ws.root:
                problems.append(f"{name}: hand in files from the top of the work dir (not "
                                f"{INPUTS_DIR}/ or sub-folders)")
                continue
            if self._ours.get(path.name) == _signature(path):
                paths.append(path)  # written by our own writer and unchanged since
                continue
            check = await asyncio.to_thread(check_document, path)
            if not check.ok:
                problems.append(f"{name}: {check.detail}")
                continue
            paths.append(path)
        if problems:
            return _error("invalid", "cannot hand in:\n- " + "\n- ".join(problems))
        summary = args.get("summary")
        summary = summary if isinstance(summary, str) else ""
        types = ", ".join(sorted({file_type_of(p.name) for p in paths}))
        return ToolResult(f"Handed in {len(paths)} file(s) ({types}).", finished=paths,
                          summary=summary[:4000])


def parse_arguments(raw: str | None) -> Any:
    """The arguments as JSON if they parse, else the raw text (for the transcript)."""
    try:
        return json.loads(raw or "{}", strict=False)
    except json.JSONDecodeError:
        return raw
