"""Cost of a call from a user-editable price table (USD per million tokens).

The shipped table (``core/llm/prices.yaml``, dated) is merged with the user's file
(``$OCCUBENCH_PRICES``, else ``./prices.yaml``), whose entries win. A model with no
entry has an unknown cost: ``None``, never 0, so reports can say "unknown" instead of
under-counting. ``local/*`` is priced at 0 explicitly.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from core.errors import UserError
from core.llm.base import Usage
from core.yamlio import load_yaml

SHIPPED = Path(__file__).with_name("prices.yaml")


@dataclass(frozen=True)
class Price:
    input: float
    output: float
    cached_input: float | None = None

    def cost(self, usage: Usage) -> float:
        cached = min(max(usage.cached_tokens, 0), usage.input_tokens)
        cached_rate = self.input if self.cached_input is None else self.cached_input
        return ((usage.input_tokens - cached) * self.input + cached * cached_rate
                + usage.output_tokens * self.output) / 1_000_000


class PriceTable:
    """Prices by model id; keys may hold ``*`` wildcards, exact keys win."""

    def __init__(self, prices: dict[str, Price] | None = None, *, updated: str | None = None,
                 sources: list[str] | None = None) -> None:
        self.prices = dict(prices or {})
        self.updated = updated
        self.sources = sources or []

    def price(self, model_id: str) -> Price | None:
        if model_id in self.prices:
            return self.prices[model_id]
        matches = [k for k in self.prices if "*" in k and fnmatch.fnmatchcase(model_id, k)]
        if not matches:
            return None
        return self.prices[max(matches, key=len)]  # the most specific pattern

    def cost(self, model_id: str, usage: Usage | None) -> float | None:
        """USD for ``usage`` on ``model_id``; None when the price or the usage is unknown."""
        price = self.price(model_id)
        if price is None or usage is None:
            return None
        return price.cost(usage)

    def merged(self, other: PriceTable) -> PriceTable:
        return PriceTable({**self.prices, **other.prices}, updated=other.updated or self.updated,
                          sources=self.sources + other.sources)

    @classmethod
    def from_file(cls, path: Path) -> PriceTable:
        try:
            data = load_yaml(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise UserError(f"cannot read price table {path}: {exc}") from exc
        models = data.get("models") if isinstance(data, dict) else None
        if not isinstance(models, dict):
            raise UserError(f"price table {path} needs a 'models:' mapping of model id to "
                            "{input, output, cached_input} in USD per million tokens")
        prices = {}
        for model, entry in models.items():
            try:
                prices[str(model)] = _price(entry)
            except (TypeError, ValueError) as exc:
                raise UserError(
                    f"price table {path}: entry {model!r} must be {{input: N, output: N, "
                    f"cached_input: N}} with non-negative numbers ({exc})") from exc
        return cls(prices, updated=str(data.get("updated")) if data.get("updated") else None,
                   sources=[str(path)])


def _price(entry: object) -> Price:
    if not isinstance(entry, dict) or not {"input", "output"} <= set(entry):
        raise ValueError("input and output are required")
    extra = set(entry) - {"input", "output", "cached_input"}
    if extra:
        raise ValueError(f"unknown keys {sorted(extra)}")
    values = {k: float(v) for k, v in entry.items() if v is not None}
    if any(v < 0 for v in values.values()):
        raise ValueError("negative price")
    return Price(**values)


def user_price_file() -> Path | None:
    env = os.environ.get("OCCUBENCH_PRICES")
    if env:
        path = Path(env)
        if not path.is_file():
            raise UserError(f"OCCUBENCH_PRICES points at {path}, which is not a file")
        return path
    local = Path.cwd() / "prices.yaml"
    return local if local.is_file() else None


def load_prices() -> PriceTable:
    """The shipped table merged with the user's file, if any."""
    table = PriceTable.from_file(SHIPPED)
    user = user_price_file()
    return table.merged(PriceTable.from_file(user)) if user else table
