"""`{{slots.host}}` / `{{tool.step.data.x}}` placeholders in runbook arguments and text.

Substitution only (no expressions): a string that is exactly one placeholder keeps the
value's type (a port stays an int); inside longer text the value is formatted.
"""

from __future__ import annotations

import json
import re
from typing import Any

from tools.runbooks.conditions import lookup

PLACEHOLDER = re.compile(r"\{\{\s*((?:slots|tool)(?:\.[\w-]+)+)\s*\}\}")


def placeholders(value: Any) -> list[tuple[str, ...]]:
    """Every placeholder path in a string or nested args."""
    if isinstance(value, str):
        return [tuple(m.group(1).split(".")) for m in PLACEHOLDER.finditer(value)]
    if isinstance(value, dict):
        return [p for v in value.values() for p in placeholders(v)]
    if isinstance(value, list):
        return [p for v in value for p in placeholders(v)]
    return []


def _format(value: Any) -> str:
    if value is None:
        return "（未提供）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def render(value: Any, context: dict[str, Any]) -> Any:
    """Fill placeholders from `{"slots": ..., "tool": ...}`."""
    if isinstance(value, str):
        whole = PLACEHOLDER.fullmatch(value.strip())
        if whole:
            return lookup(context, tuple(whole.group(1).split(".")))
        return PLACEHOLDER.sub(lambda m: _format(lookup(context, tuple(m.group(1).split(".")))), value)
    if isinstance(value, dict):
        return {k: render(v, context) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, context) for v in value]
    return value
