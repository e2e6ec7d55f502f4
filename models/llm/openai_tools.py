"""Tool calling over the OpenAI chat API, as vLLM serves it (`--enable-auto-tool-choice
--tool-call-parser hermes` for Qwen2.5-family models, LoRA modules included).

Messages go out in the OpenAI shape (assistant `tool_calls` with JSON-string arguments,
`tool` messages with `tool_call_id`); replies come back as `AssistantReply`, from a whole
response or from streamed chunks (`StreamedCalls` joins the argument pieces per call
index). Text the server did not parse (a `<tool_call>` block left in the content, e.g. bad
JSON) is parsed here too, so malformed calls are reported, not shown. The startup probe
asks once with a tool offered: vLLM without the flags answers 400. Tests:
`pytest tests/models/test_openai_tools.py` (a local server that streams tool_calls).
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from models.errors import ModelError
from models.llm.base import AssistantReply, ChatMessage, ModelToolCall, ToolSpec, ToolSupport
from models.llm.tool_calls import new_call_id, parse_tool_calls

PROBE_TOOL = ToolSpec("smart_copilot_probe", "Probe whether the server accepts tools.",
                      {"type": "object", "properties": {}})


def message_json(m: ChatMessage) -> dict[str, Any]:
    """One message in the OpenAI chat shape."""
    if m.role == "tool":
        return {"role": "tool", "tool_call_id": m.tool_call_id or "", "content": m.content}
    data: dict[str, Any] = {"role": m.role, "content": m.content}
    if m.tool_calls:
        data["tool_calls"] = [{"id": c.id, "type": "function",
                               "function": {"name": c.name, "arguments": json.dumps(c.arguments, ensure_ascii=False)}}
                              for c in m.tool_calls]
    return data


def _call(call_id: str | None, name: Any, arguments: Any) -> tuple[ModelToolCall | None, str | None]:
    if not isinstance(name, str) or not name:
        return None, f"服务返回的工具调用缺少名称：{str(arguments)[:120]}"
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments) if arguments.strip() else {}
        except json.JSONDecodeError as exc:
            return None, f"工具 {name} 的 arguments 不是合法的 JSON（{exc.msg}）：{arguments[:120]}"
    if not isinstance(arguments, dict):
        return None, f"工具 {name} 的 arguments 必须是 JSON 对象"
    return ModelToolCall(call_id or new_call_id(), name, arguments), None


def reply_from(content: str, raw_calls: list[tuple[str | None, Any, Any]], usage: dict | None) -> AssistantReply:
    """The reply for a message's content and its (id, name, arguments) calls."""
    text_reply = parse_tool_calls(content or "")
    calls = list(text_reply.tool_calls)
    malformed = list(text_reply.malformed)
    for call_id, name, arguments in raw_calls:
        call, problem = _call(call_id, name, arguments)
        if call is not None:
            calls.append(call)
        elif problem:
            malformed.append(problem)
    usage = usage or {}
    return AssistantReply(text_reply.content, tuple(calls), tuple(malformed), int(usage.get("prompt_tokens") or 0),
                          int(usage.get("completion_tokens") or 0), content or "")


def reply_from_response(data: dict[str, Any], base_url: str) -> AssistantReply:
    try:
        message = data["choices"][0]["message"]
    except (KeyError, IndexError, TypeError):
        raise ModelError(f"模型服务 {base_url} 返回了无法识别的响应：{str(data)[:200]}") from None
    calls = [(c.get("id"), (c.get("function") or {}).get("name"), (c.get("function") or {}).get("arguments"))
             for c in message.get("tool_calls") or [] if isinstance(c, dict)]
    return reply_from(message.get("content") or "", calls, data.get("usage"))


class StreamedCalls:
    """Accumulates streamed `delta.tool_calls` pieces (id and name once, arguments in pieces) by index."""

    def __init__(self) -> None:
        self.calls: dict[int, dict[str, Any]] = {}
        self.usage: dict | None = None

    def feed(self, event: dict[str, Any]) -> str:
        """Take one chunk; return its content text (may be empty)."""
        if isinstance(event.get("usage"), dict):
            self.usage = event["usage"]
        text = ""
        for choice in event.get("choices") or []:
            delta = choice.get("delta") or {}
            text += delta.get("content") or ""
            for piece in delta.get("tool_calls") or []:
                slot = self.calls.setdefault(int(piece.get("index", len(self.calls))),
                                             {"id": None, "name": "", "arguments": ""})
                slot["id"] = piece.get("id") or slot["id"]
                function = piece.get("function") or {}
                slot["name"] += function.get("name") or ""
                arguments = function.get("arguments")
                if isinstance(arguments, dict):
                    slot["arguments"] = json.dumps(arguments)
                elif arguments:
                    slot["arguments"] += arguments
        return text

    def reply(self, content: str) -> AssistantReply:
        raw = [(c["id"], c["name"], c["arguments"]) for _, c in sorted(self.calls.items())]
        return reply_from(content, raw, self.usage)


def tool_fields(tools: Sequence[ToolSpec]) -> dict[str, Any]:
    return {"tools": [t.to_json() for t in tools], "tool_choice": "auto"} if tools else {}


def probe(send: Any, model: str) -> ToolSupport:
    """Ask the server once with a tool offered (max_tokens 1): 4xx means it cannot parse tool calls."""
    body = {"model": model, "messages": [{"role": "user", "content": "ping"}], "max_tokens": 1,
            **tool_fields([PROBE_TOOL])}
    try:
        send(body)
    except ModelError as exc:
        return ToolSupport(False, "none", f"服务不接受工具调用：{exc}。vLLM 需以 --enable-auto-tool-choice "
                                          f"--tool-call-parser hermes 启动（或设置 models.llm.tool_calling: off）")
    return ToolSupport(True, "openai", "服务端解析工具调用（vLLM --enable-auto-tool-choice --tool-call-parser hermes）")
