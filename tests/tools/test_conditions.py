"""The runbook condition language and placeholder templating."""

from __future__ import annotations

import pytest

from tools.runbooks.conditions import Condition, ConditionError
from tools.runbooks.templating import placeholders, render

CONTEXT = {
    "slots": {"os": "Linux", "port": 22, "ip": "203.0.113.10", "missing": None},
    "tool": {"port": {"status": "ok", "data": {"open": False, "latency_ms": 3.5, "error": "连接被拒绝",
                                               "codes": ["1040", "2003"], "addresses": ["203.0.113.10"]}}},
}


@pytest.mark.parametrize("text, expected", [
    ("tool.port.data.open == false", True),
    ("tool.port.data.open == true", False),
    ('slots.os == "Linux" and tool.port.data.open == false', True),
    ('slots.os == "Windows" or slots.port == 22', True),
    ('not (slots.os == "Windows")', True),
    ("tool.port.data.latency_ms < 10 and tool.port.data.latency_ms >= 3.5", True),
    ('tool.port.data.codes contains "1040"', True),
    ('tool.port.data.error contains "拒绝"', True),
    ("slots.port in [22, 3389]", True),
    ("tool.port.data.addresses contains slots.ip", True),
    ("tool.nothing.data.open == null", True),
    ("tool.nothing.data.count > 3", False),
    ("slots.missing", False),
    ("tool.port.data.codes.1 == '2003'", True),
    ('tool.port.status != "ok" or tool.port.data.open', False),
])
def test_conditions(text: str, expected: bool) -> None:
    assert Condition(text).evaluate(CONTEXT) is expected


@pytest.mark.parametrize("text", [
    "__import__('os').system('id')", "tool.port.data.open ==", "open == false", "(slots.os == 'x'",
    "slots.os = 'x'", "tool.port.data.open == false; rm", "",
])
def test_bad_conditions_are_rejected(text: str) -> None:
    with pytest.raises(ConditionError):
        Condition(text)


def test_paths_are_listed_for_validation() -> None:
    assert Condition('tool.a.data.x == 1 and slots.b == "y"').paths() == [("tool", "a", "data", "x"), ("slots", "b")]


def test_render_keeps_types_and_formats_text() -> None:
    assert render("{{slots.port}}", CONTEXT) == 22
    assert render({"host": "{{ slots.ip }}", "n": 3}, CONTEXT) == {"host": "203.0.113.10", "n": 3}
    assert render("端口 {{slots.port}} 开放：{{tool.port.data.open}}", CONTEXT) == "端口 22 开放：否"
    assert render("{{slots.missing}}", CONTEXT) is None
    assert "未提供" in render("值：{{slots.missing}}", CONTEXT)
    assert placeholders({"a": ["{{slots.x}} {{tool.t.data.y}}"]}) == [("slots", "x"), ("tool", "t", "data", "y")]
