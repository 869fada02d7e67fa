"""Per-sample limits and the budget that enforces them.

Hitting a limit ends the sample with that limit as its recorded reason (``max_turns``,
``max_tokens``, ``max_cost``, ``timeout``); what the agent wrote so far is kept. Cost can
only be capped when the price is known: with an unknown price the cap cannot bind, and
the transcript says so once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limits:
    max_turns: int = 30
    max_output_tokens: int = 100_000  # all calls of a sample together
    max_tokens_per_call: int = 16_000  # below this much budget left, calls are capped
    timeout_s: float = 1800.0  # wall time of a sample
    max_cost_usd: float | None = None
    plan_max_tokens: int = 1200  # document-plan mode: the one constrained answer
    plan_input_chars: int = 2500  # document-plan mode: input text shown in the prompt

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Budget:
    limits: Limits
    started: float = field(default_factory=time.monotonic)
    turns: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0
    usage_known: bool = False
    cost_usd: float = 0.0
    cost_known: bool = True
    model_latency_s: float = 0.0

    def add(self, response) -> None:
        """Account for one model response (a ``core.llm.ChatResponse``)."""
        self.turns += 1
        self.model_latency_s += response.latency_s or 0.0
        if response.usage is not None:
            self.usage_known = True
            self.input_tokens += response.usage.input_tokens
            self.output_tokens += response.usage.output_tokens
            self.cached_tokens += response.usage.cached_tokens or 0
        else:  # estimate what the model wrote so the token cap still binds
            text = (response.content or "") + "".join(c.arguments for c in response.tool_calls)
            self.output_tokens += len(text) // 4 + 1
        if response.cost_usd is None:
            self.cost_known = False
        else:
            self.cost_usd += response.cost_usd

    @property
    def total_cost(self) -> float | None:
        """None when any call's price was unknown (never a silent 0)."""
        return self.cost_usd if self.cost_known else None

    def exceeded(self) -> str | None:
        """The first limit reached, if any (checked before each model call)."""
        lim = self.limits
        if self.turns >= lim.max_turns:
            return "max_turns"
        if self.output_tokens >= lim.max_output_tokens:
            return "max_tokens"
        if lim.max_cost_usd is not None and self.cost_usd >= lim.max_cost_usd:
            return "max_cost"
        return None

    def call_max_tokens(self) -> int | None:
        """``max_tokens`` for the next call: none while the budget is far from spent
        (servers such as vLLM reject a request whose max_tokens does not fit the model's
        context), else what is left."""
        left = self.limits.max_output_tokens - self.output_tokens
        return None if left >= self.limits.max_tokens_per_call else max(1, left)
