"""The per-suite tool policy: which tools the agent gets, and which need confirmation.

In the spirit of "custom confirmation policies": a suite author can withhold tools (a
suite about writing memos may not want code execution) or mark actions as needing a
person's confirmation. ``occubench run`` is unattended, so an action that needs
confirmation and has none is *denied*, the model is told so, and the denial is logged in
the transcript. The policy also tunes the sandbox limits for ``run_python``.

Where it comes from: ``--policy FILE``, else ``policy.yaml`` at the suite root, else the
default below (every tool allowed, nothing needs confirmation). Example::

    allow: [list_inputs, read_input, write_docx, write_xlsx, write_pptx, write_pdf,
            run_python, finish]
    confirm: [run_python]        # denied in unattended runs unless approved
    approve: []                  # confirmations given in advance (also --approve TOOL)
    sandbox: {cpu_s: 60, wall_s: 120, memory_mb: 2048, file_mb: 200, disk_mb: 500}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.errors import UserError
from core.yamlio import load_yaml
from runner.sandbox import SandboxLimits

TOOL_NAMES = ("list_inputs", "read_input", "write_docx", "write_xlsx", "write_pptx",
              "write_pdf", "run_python", "finish")
POLICY_FILE = "policy.yaml"

#: Asked when a tool needs confirmation: (tool, arguments) -> confirmed?
Confirmer = Callable[[str, dict], bool]


def _known(names: list[str]) -> list[str]:
    unknown = [n for n in names if n not in TOOL_NAMES]
    if unknown:
        raise ValueError(f"unknown tool(s) {unknown}; tools are {list(TOOL_NAMES)}")
    return names


class SandboxOverrides(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cpu_s: int | None = Field(default=None, gt=0, le=3600)
    wall_s: float | None = Field(default=None, gt=0, le=7200)
    memory_mb: int | None = Field(default=None, ge=128, le=65536)
    file_mb: int | None = Field(default=None, gt=0, le=100_000)
    disk_mb: int | None = Field(default=None, gt=0, le=100_000)
    nproc: int | None = Field(default=None, ge=4, le=4096)


class ToolPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allow: list[str] = Field(default_factory=lambda: list(TOOL_NAMES))
    confirm: list[str] = Field(default_factory=list)
    approve: list[str] = Field(default_factory=list)
    sandbox: SandboxOverrides = Field(default_factory=SandboxOverrides)

    @field_validator("allow", "confirm", "approve")
    @classmethod
    def _names(cls, v: list[str]) -> list[str]:
        return _known(v)

    @property
    def offered_tools(self) -> list[str]:
        """Tools shown to the model: the allowed ones, plus ``finish`` always."""
        return [t for t in TOOL_NAMES if t in self.allow or t == "finish"]

    def sandbox_limits(self, base: SandboxLimits | None = None) -> SandboxLimits:
        base = base or SandboxLimits()
        overrides = {k: v for k, v in self.sandbox.model_dump().items() if v is not None}
        return replace(base, **overrides)

    def with_approvals(self, tools: list[str]) -> ToolPolicy:
        return self.model_copy(update={"approve": sorted(set(self.approve) | set(_known(tools)))})

    def decide(self, tool: str, args: dict, confirmer: Confirmer | None = None) -> Decision:
        """May this call run? ``finish`` always may; the rest per allow/confirm/approve."""
        if tool == "finish":
            return Decision(True)
        if tool not in self.allow:
            return Decision(False, f"the tool {tool} is not allowed by this suite's policy")
        if tool in self.confirm and tool not in self.approve:
            if confirmer is not None and confirmer(tool, args):
                return Decision(True, "confirmed")
            return Decision(False, f"{tool} needs a person's confirmation under this suite's "
                                   "policy and this run is unattended, so the call was denied; "
                                   "use the other tools instead")
        return Decision(True)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str | None = None


def load_policy(suite_root: Path | None = None, explicit: Path | None = None) -> ToolPolicy:
    """``explicit`` if given, else ``<suite>/policy.yaml`` if present, else the default."""
    path = explicit
    if path is None and suite_root is not None:
        root = suite_root if suite_root.is_dir() else suite_root.parent
        candidate = root / POLICY_FILE
        path = candidate if candidate.is_file() else None
    if path is None:
        return ToolPolicy()
    if not path.is_file():
        raise UserError(f"policy file {path} does not exist")
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UserError(f"cannot read policy file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise UserError(f"{path}: a policy must be a mapping with allow/confirm/approve/sandbox")
    try:
        return ToolPolicy.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "policy"
        raise UserError(f"{path}:{where}: {err['msg']}") from exc
