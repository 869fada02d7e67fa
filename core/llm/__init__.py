"""The model client layer: any OpenAI-compatible endpoint, or the embedded model.

``open_client(model_id)`` gives a :class:`ModelClient` (``chat``, ``complete_json``)
for ids like ``openai/gpt-4o``, ``vllm/meta-llama/Llama-3.1-8B`` or
``local/smollm2-135m``; every call comes back as a :class:`ChatResponse` and is reported
to ``on_call`` as a :class:`CallRecord` (see ``core.store.calls.record_calls``).
Modules: ``base`` (types), ``providers`` (ids to endpoints), ``client``, ``retry``,
``jsonout`` (structured output), ``responses_api``, ``prices``, ``local`` (embedded
server), ``session`` (``open_client``).
"""

from core.llm.base import (
    CallRecord,
    Capabilities,
    ChatResponse,
    ModelError,
    ToolCall,
    Usage,
)
from core.llm.client import ModelClient
from core.llm.prices import PriceTable, load_prices
from core.llm.providers import DEFAULT_LOCAL_MODEL, model_family, same_family
from core.llm.session import open_client

__all__ = [
    "DEFAULT_LOCAL_MODEL",
    "CallRecord",
    "Capabilities",
    "ChatResponse",
    "ModelClient",
    "ModelError",
    "PriceTable",
    "ToolCall",
    "Usage",
    "load_prices",
    "model_family",
    "open_client",
    "same_family",
]
