"""The judge role: a model that grades, kept apart from the model being graded.

A :class:`Judge` wraps one model client for a grading session: it bounds concurrent
calls (``--max-connections``), records every call in ``model_calls`` (purpose
``judge-rubric`` / ``judge-pairwise``), turns a failure into an answer with an error
instead of an exception (a failed judge call makes an item *ungraded*, never a verdict)
unless every call would fail the same way (see :meth:`Judge._fatal`), and knows when it
would be judging its own family's work.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from core.llm import (
    DEFAULT_LOCAL_MODEL,
    CallRecord,
    ModelClient,
    ModelError,
    open_client,
    same_family,
)
from core.store.calls import record_calls
from core.store.db import Store
from graders.digest import Budget, budget_for

DEFAULT_JUDGE = DEFAULT_LOCAL_MODEL
# ModelError kinds that end a grading session (see Judge._fatal)
FATAL_JUDGE_ERRORS = ("auth", "not_found")


@dataclass(frozen=True)
class JudgeAnswer:
    """A parsed structured answer, or the error that kept us from getting one."""

    data: dict[str, Any] | None
    raw: str | None
    call_id: str | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.data is not None and self.error is None


def family_warning(judge_model: str, graded_model: str | None) -> str | None:
    """A warning when the judge grades a model of its own family (self-preference bias)."""
    if graded_model and same_family(judge_model, graded_model):
        return (f"judge {judge_model} is of the same family as the graded model "
                f"{graded_model}: expect self-preference bias; prefer a judge from "
                "another family")
    return None


@dataclass
class Judge:
    client: ModelClient
    store: Store | None
    max_connections: int = 4
    _pending: list[CallRecord] = field(default_factory=list)
    _sem: asyncio.Semaphore | None = None

    @property
    def model_id(self) -> str:
        return self.client.model_id

    @property
    def budget(self) -> Budget:
        return budget_for(self.model_id)

    @property
    def schema_note_chars(self) -> int | None:
        """maxLength for free-text answer fields, only where the backend enforces it."""
        return self.budget.note_chars if self.budget.bounded else None

    @property
    def accepts_images(self) -> bool:
        return bool(getattr(self.client.capabilities, "images", False))

    def on_call(self, record: CallRecord) -> None:
        """The model client's ``on_call`` hook: keep the record until the next flush."""
        self._pending.append(record)

    def flush(self) -> None:
        """Store the calls made so far (cheap; call after each graded submission)."""
        records, self._pending = self._pending, []
        if records and self.store is not None:
            record_calls(self.store, records)

    def _fatal(self, exc: ModelError) -> bool:
        """Errors every other call would repeat (a bad key, an unknown model, or no server
        at the URL before any call worked) stop the grading session with one sentence,
        instead of marking every item ungraded one slow failure at a time."""
        kind = getattr(exc, "kind", None)
        if kind in FATAL_JUDGE_ERRORS:
            return True
        return kind == "connection" and not getattr(self.client, "answered", True)

    async def ask(self, messages: list[dict[str, Any]], schema: dict[str, Any], *,
                  purpose: str, context: dict[str, Any] | None = None) -> JudgeAnswer:
        """One structured judge call; failures come back as an answer with ``error``."""
        if self._sem is None:
            self._sem = asyncio.Semaphore(max(1, self.max_connections))
        async with self._sem:
            try:
                data, resp = await self.client.complete_json(
                    messages, schema, max_tokens=self.budget.max_tokens, purpose=purpose,
                    context=context)
            except ModelError as exc:
                if self._fatal(exc):
                    raise
                return JudgeAnswer(None, getattr(exc, "raw", None) or getattr(
                    exc, "content", None), getattr(exc, "call_id", None),
                    error=f"{getattr(exc, 'kind', 'error')}: {exc}")
            except Exception as exc:  # noqa: BLE001 - any failure leaves the item ungraded
                return JudgeAnswer(None, None, None,
                                   error=f"unexpected {type(exc).__name__}: {exc}")
        if not isinstance(data, dict):
            return JudgeAnswer(None, resp.content, resp.call_id,
                               error="judge answer is not a JSON object")
        return JudgeAnswer(data, resp.content, resp.call_id)


@asynccontextmanager
async def open_judge(store: Store, model_id: str | None = None, *, max_connections: int = 4,
                     **client_kw: Any) -> AsyncIterator[Judge]:
    """A judge on ``model_id`` (default: the embedded local model), calls recorded in
    ``store``; starts the local model server when the judge is ``local/*``."""
    if (model_id or DEFAULT_JUDGE).startswith("local/"):
        # the embedded server answers one request at a time and keeps one prompt cache:
        # interleaving submissions would only queue and throw the cache away
        max_connections = 1
    judge = Judge(client=None, store=store, max_connections=max_connections)  # type: ignore[arg-type]
    async with open_client(model_id or DEFAULT_JUDGE, on_call=judge.on_call,
                           **client_kw) as client:
        judge.client = client
        try:
            yield judge
        finally:
            judge.flush()
