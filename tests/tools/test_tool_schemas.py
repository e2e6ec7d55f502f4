"""What a model is shown of each tool: a valid JSON schema (`parameters`), every argument described,
no pydantic titles; a call the schema accepts is one the registry accepts."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from tools.config import ToolSettings
from tools.registry import build_registry

SPECS = build_registry(ToolSettings(), None).specs()


@pytest.mark.parametrize("spec", SPECS, ids=[s["name"] for s in SPECS])
def test_every_tool_has_a_described_json_schema(spec):
    schema = spec["parameters"]
    Draft202012Validator.check_schema(schema)
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert "title" not in schema and spec["description"]
    for name, prop in schema["properties"].items():
        assert prop.get("description"), f"{spec['name']}.{name} has no description"
        assert "title" not in prop


def test_schema_and_registry_agree(registry):
    validator = Draft202012Validator(next(s for s in SPECS if s["name"] == "tcp_port_check")["parameters"])
    assert list(validator.iter_errors({"host": "127.0.0.1", "port": 1})) == []
    assert registry.invoke("tcp_port_check", {"host": "127.0.0.1", "port": 1}, "s", "u").status == "ok"
    assert list(validator.iter_errors({"host": "127.0.0.1", "port": 70000, "x": 1}))
    assert registry.invoke("tcp_port_check", {"host": "127.0.0.1", "port": 70000, "x": 1}, "s", "u").status == "error"
