"""What one sample produced: files, reason it ended, transcript, usage; and the
transcript recorder both modes share."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Why a sample ended. ``finished`` is the agent handing in; the limits, ``no_finish`` and
#: ``invalid_output`` (a plan that is not JSON) are outcomes of the model (status done, not
#: retried); ``model_error`` (the endpoint failed after retries) and ``error`` (a bug) are
#: failures of the attempt (status failed, retried once on resume).
END_REASONS = ("finished", "max_turns", "max_tokens", "max_cost", "timeout", "no_finish",
               "invalid_output", "model_error", "error")
FAILED_REASONS = ("model_error", "error")


@dataclass
class Transcript:
    """Messages as sent to and received from the model, plus runner events."""

    mode: str
    messages: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def event(self, name: str, /, **data: Any) -> None:
        self.events.append({"t": round(time.monotonic() - self.started, 3), "event": name,
                            **data})

    def to_json(self) -> dict:
        return {"mode": self.mode, "messages": self.messages, "events": self.events}


@dataclass
class SampleOutcome:
    mode: str
    end_reason: str
    files: list[Path]
    transcript: Transcript
    summary: str | None = None
    error: str | None = None
    turns: int = 0
    input_tokens: int | None = None
    output_tokens: int | None = None
    cached_tokens: int | None = None
    cost_usd: float | None = None
    latency_s: float | None = None
    tool_errors: int = 0
    calls: list[Any] = field(default_factory=list)  # core.llm.CallRecord

    @property
    def status(self) -> str:
        return "failed" if self.end_reason in FAILED_REASONS else "done"
