"""Each call the model proposes is checked before anything runs, and each result is worded for
the model: arguments against the tool's JSON schema (jsonschema), repeats of an earlier call,
and the result as a short JSON observation with control markers defused (a tool result or a
passage must never be able to close its own block and speak as the model)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from graph.schema import ToolCallData
from models.llm.base import ModelToolCall

_MARKERS = re.compile(r"<(/?)(tool_call|tool_response|tools|\|)", re.IGNORECASE)


@lru_cache(maxsize=64)
def _validator(schema_json: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(schema_json))


def check_arguments(call: ModelToolCall, specs: dict[str, dict[str, Any]], kb: str | None) -> tuple[dict[str, Any] | None, str | None]:
    """(the arguments to run with, None) or (None, why the call cannot run) — the reason goes back to the model."""
    spec = specs.get(call.name)
    if spec is None:
        return None, f"没有名为 {call.name} 的工具；可用的工具：{', '.join(sorted(specs))}"
    schema = spec.get("parameters") or spec.get("args") or {}
    args = coerce(dict(call.arguments), schema)
    if kb and "kb" in (schema.get("properties") or {}) and not args.get("kb"):
        args["kb"] = kb  # knowledge tools search the conversation's knowledge base unless told otherwise
    errors = sorted(_validator(json.dumps(schema, sort_keys=True)).iter_errors(args), key=lambda e: list(e.path))
    if errors:
        parts = [f"{'.'.join(str(p) for p in e.absolute_path) or '参数'}：{e.message}" for e in errors[:3]]
        return None, f"参数不符合 {call.name} 的 JSON 格式：" + "；".join(parts)
    return args, None


def _types(prop: dict[str, Any]) -> set[str]:
    kinds = prop.get("type")
    found = set(kinds) if isinstance(kinds, list) else {kinds} if kinds else set()
    for option in prop.get("anyOf") or []:
        found |= _types(option)
    return found


def coerce(args: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """"22" for an integer, "true" for a boolean: what the registry's validation would accept anyway
    (pydantic, lax), so the model is not sent back over a quoting habit."""
    props = schema.get("properties") or {}
    for key, value in list(args.items()):
        if not isinstance(value, str) or key not in props:
            continue
        kinds, text = _types(props[key]), value.strip()
        if "string" in kinds:
            continue
        if "integer" in kinds and re.fullmatch(r"[+-]?\d+", text):
            args[key] = int(text)
        elif "number" in kinds and re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
            args[key] = float(text)
        elif "boolean" in kinds and text.lower() in ("true", "false"):
            args[key] = text.lower() == "true"
    return args


def call_key(tool: str, args: dict[str, Any]) -> str:
    """Identity of a call: the same tool with the same arguments (order-insensitive)."""
    return json.dumps([tool, args], sort_keys=True, ensure_ascii=False, default=str)


def defuse(text: str) -> str:
    """Text from tools or documents with `<tool_call>`, `<tool_response>`, `<|...|>` made inert."""
    return _MARKERS.sub(lambda m: "＜" + m.group(1) + m.group(2), text)


def observation(call: ToolCallData, limit: int) -> str:
    """The call's result as the model reads it (JSON, at most `limit` characters of data)."""
    body: dict[str, Any] = {"evidence": f"T{call['n']}", "tool": call["tool"], "status": call["status"],
                            "summary": call.get("summary", "")}
    result = call.get("result") or {}
    if result.get("error"):
        body["error"] = result["error"]
    data = {k: v for k, v in (result.get("data") or {}).items() if k != "summary"}
    if data:
        text = json.dumps(data, ensure_ascii=False, default=str)
        body["data"] = json.loads(text) if len(text) <= limit else text[:limit] + "…（已截断）"
    return defuse(json.dumps(body, ensure_ascii=False, default=str))


def args_text(args: dict[str, Any]) -> str:
    """Arguments on one line for cards and the hand-off summary (long text cut)."""
    parts = [f"{k}={str(v)[:60]}" for k, v in args.items() if v not in (None, "", [])]
    return ", ".join(parts) or "无参数"
