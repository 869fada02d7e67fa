"""Structured output: asking each backend for JSON in its own dialect, and checking it.

OpenAI takes ``response_format={"type": "json_schema", ...}``; llama.cpp's server takes
``{"type": "json_object", "schema": S}`` and rejects the OpenAI form with a 500 (see
STACK.md). Small models also wrap JSON in code fences, emit raw control characters
inside strings or stop mid-object, so parsing is lenient about the first two and strict
about the schema: required keys and basic types (``jsonschema`` when installed, else a
minimal checker of our own).
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from core.llm.base import Capabilities

try:  # imported here, not on a model's first answer: it costs 0.1-0.3 s, loop stopped
    import jsonschema
except ImportError:  # not a declared dependency; the minimal checker below stands in
    jsonschema = None


def strict_compatible(schema: Any) -> bool:
    """OpenAI's strict mode needs every object closed and every property required."""
    if isinstance(schema, dict):
        if schema.get("type") == "object" or "properties" in schema:
            props = schema.get("properties", {})
            if schema.get("additionalProperties") is not False:
                return False
            if set(schema.get("required", [])) != set(props):
                return False
        return all(strict_compatible(v) for v in schema.values())
    if isinstance(schema, list):
        return all(strict_compatible(v) for v in schema)
    return True


def response_format(schema: dict, caps: Capabilities) -> dict:
    """The ``response_format`` this backend understands for ``schema``."""
    if caps.json_schema:
        name = re.sub(r"[^A-Za-z0-9_-]", "_", str(schema.get("title") or "result"))[:64]
        return {"type": "json_schema", "json_schema": {
            "name": name, "schema": schema, "strict": strict_compatible(schema)}}
    return {"type": "json_object", "schema": schema}


def responses_text_format(schema: dict, caps: Capabilities) -> dict:
    """The same for the Responses API (``text={"format": ...}``)."""
    fmt = response_format(schema, caps)
    if fmt["type"] == "json_schema":
        return {"format": {"type": "json_schema", **fmt["json_schema"]}}
    return {"format": {"type": "json_object"}}


_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


def parse_json(text: str | None) -> Any:
    """JSON from a model's text: code fences stripped, control characters in strings
    allowed (``strict=False``), prose around a single object tolerated.

    Raises ``ValueError`` saying what was wrong.
    """
    if text is None or not text.strip():
        raise ValueError("the reply was empty")
    body = text.strip()
    m = _FENCE.match(body)
    if m:
        body = m.group(1)
    try:
        return json.loads(body, strict=False)
    except json.JSONDecodeError as first:
        start, end = body.find("{"), body.rfind("}")
        if 0 <= start < end:
            try:
                return json.loads(body[start:end + 1], strict=False)
            except json.JSONDecodeError:
                pass
        raise ValueError(f"not valid JSON ({first.msg} at char {first.pos})") from None


def validate(value: Any, schema: dict) -> None:
    """Raise ``ValueError`` if ``value`` does not fit ``schema``.

    The same verdict and message as ``jsonschema.validate`` (its best-matching error),
    but with one compiled validator per schema: ``jsonschema.validate`` checks the
    schema against its metaschema on every call, which for the document-plan schema
    cost ~20 ms a reply, most of a run's event-loop time."""
    if jsonschema is None:
        _check(value, schema, "$")
        return
    validator = _validator(json.dumps(schema, sort_keys=True, default=str))
    error = jsonschema.exceptions.best_match(validator.iter_errors(value))
    if error is not None:
        path = "$" + "".join(f"[{p!r}]" for p in error.absolute_path)
        raise ValueError(f"{path}: {error.message}") from None


@functools.lru_cache(maxsize=64)
def _validator(canonical: str) -> Any:
    """The validator of a schema given as its canonical JSON (a key that cannot go stale
    if the caller mutates its dict later). An invalid schema raises ``SchemaError`` here,
    every time, as ``jsonschema.validate`` would: failures are not cached."""
    schema = json.loads(canonical)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,),
    "integer": (int,), "number": (int, float), "null": (type(None),),
}


def _check(value: Any, schema: dict, path: str) -> None:
    """Required keys, types, enums, nested objects and arrays: enough to catch a model
    that answered the wrong shape."""
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        ok = any(isinstance(value, _TYPES.get(t, object)) and not (
            t in ("integer", "number") and isinstance(value, bool)) for t in names)
        if not ok:
            raise ValueError(f"{path}: expected {'/'.join(names)}, got {type(value).__name__}")
    if "enum" in schema and value not in schema["enum"]:
        raise ValueError(f"{path}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                raise ValueError(f"{path}: missing required key {key!r}")
        for key, sub in schema.get("properties", {}).items():
            if key in value and isinstance(sub, dict):
                _check(value[key], sub, f"{path}[{key!r}]")
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            _check(item, schema["items"], f"{path}[{i}]")
