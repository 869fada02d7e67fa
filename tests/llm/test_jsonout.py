"""Structured-output helpers: lenient parsing, the schema checks, the strict-mode test."""

from __future__ import annotations

import pytest

from core.llm import jsonout

SCHEMA = {"type": "object", "required": ["score", "items"], "properties": {
    "score": {"type": "integer"}, "label": {"type": "string", "enum": ["a", "b"]},
    "items": {"type": "array", "items": {"type": "object", "required": ["n"],
                                         "properties": {"n": {"type": "number"}}}}}}


@pytest.mark.parametrize("check", [jsonout.validate, lambda v, s: jsonout._check(v, s, "$")])
def test_schema_checks_both_with_and_without_jsonschema(check):
    check({"score": 3, "label": "a", "items": [{"n": 1.5}]}, SCHEMA)
    for bad, needle in [({"items": []}, "score"), ({"score": "3", "items": []}, "integer"),
                        ({"score": True, "items": []}, "integer"),
                        ({"score": 1, "label": "c", "items": []}, "'c'"),
                        ({"score": 1, "items": [{"m": 1}]}, "'n'")]:
        with pytest.raises(ValueError, match=needle):
            check(bad, SCHEMA)


def test_parse_json_is_lenient_about_wrapping_only():
    assert jsonout.parse_json('Sure! {"a": "x\ny"} Hope that helps.') == {"a": "x\ny"}
    assert jsonout.parse_json("```\n[1, 2]\n```") == [1, 2]
    for bad in ("", "   ", '{"a": ', "no json here"):
        with pytest.raises(ValueError):
            jsonout.parse_json(bad)


def test_strict_compatible():
    closed = {"type": "object", "additionalProperties": False, "required": ["a"],
              "properties": {"a": {"type": "string"}}}
    assert jsonout.strict_compatible(closed)
    assert not jsonout.strict_compatible({**closed, "required": []})
    nested_open = {**closed, "properties": {"a": {"type": "object", "properties": {}}}}
    assert not jsonout.strict_compatible(nested_open)
