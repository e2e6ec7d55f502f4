"""Tool calls in generated text: the Qwen2.5 / Hermes `<tool_call>{json}</tool_call>` format.

`parse_tool_calls(text)` splits a generated reply into visible text, calls and the reasons
unusable blocks were dropped (bad JSON, no name, a block left open); `HiddenCalls` holds
back streamed text from the first `<tool_call>` on, so a user never sees raw call JSON.
`builtin_messages` renders tools and tool traffic as plain messages for a chat template
that has no tool support (the same wording Qwen2.5's template uses). Pure functions; tests:
`pytest tests/models/test_tool_calls.py`.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any, Sequence

from models.llm.base import AssistantReply, ChatMessage, ModelToolCall, ToolSpec

OPEN, CLOSE = "<tool_call>", "</tool_call>"
_BLOCK = re.compile(r"<tool_call>(.*?)(</tool_call>|$)", re.DOTALL)
TOOLS_INTRO = (
    "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
    "You are provided with function signatures within <tools></tools> XML tags:\n<tools>"
)
TOOLS_OUTRO = (
    "\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
    "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n"
    "</tool_call>"
)


def new_call_id() -> str:
    return f"call_{uuid.uuid4().hex[:12]}"


def parse_call_json(body: str, call_id: str | None = None) -> tuple[ModelToolCall | None, str | None]:
    """(call, None) for `{"name": ..., "arguments": {...}}`, else (None, why it is unusable)."""
    text = body.strip()
    if not text:
        return None, "工具调用块为空"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, f"工具调用不是合法的 JSON（{exc.msg}，位置 {exc.pos}）：{text[:120]}"
    if not isinstance(data, dict):
        return None, f"工具调用必须是 JSON 对象：{text[:120]}"
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        return None, f"工具调用缺少 name：{text[:120]}"
    arguments: Any = data.get("arguments", data.get("parameters", {}))
    if isinstance(arguments, str):  # some models double-encode the arguments
        try:
            arguments = json.loads(arguments) if arguments.strip() else {}
        except ValueError:
            return None, f"工具 {name} 的 arguments 不是合法的 JSON：{arguments[:120]}"
    if arguments is None:
        arguments = {}
    if not isinstance(arguments, dict):
        return None, f"工具 {name} 的 arguments 必须是 JSON 对象"
    return ModelToolCall(call_id or new_call_id(), name.strip(), arguments), None


def parse_tool_calls(text: str, prompt_tokens: int = 0, completion_tokens: int = 0) -> AssistantReply:
    """A generated reply split into visible text, tool calls, and reasons for unusable blocks."""
    calls: list[ModelToolCall] = []
    malformed: list[str] = []
    for match in _BLOCK.finditer(text):
        if not match.group(2):
            malformed.append(f"工具调用块没有结束标记 {CLOSE}（输出被截断？）：{match.group(1).strip()[:120]}")
            continue
        call, problem = parse_call_json(match.group(1))
        if call is not None:
            calls.append(call)
        elif problem:
            malformed.append(problem)
    visible = _BLOCK.sub("", text).replace(CLOSE, "").strip()
    return AssistantReply(visible, tuple(calls), tuple(malformed), prompt_tokens, completion_tokens, text)


class HiddenCalls:
    """Feed streamed text; get back only what is certainly outside tool-call blocks.

    Everything from the first `<tool_call>` on is held back (calls come last in a turn);
    a partial `<tool_c` at the end of a piece waits until it is known not to open a block.
    """

    def __init__(self) -> None:
        self._pending = ""
        self.hidden = False

    def feed(self, piece: str) -> str:
        if self.hidden:
            return ""
        text = self._pending + piece
        at = text.find(OPEN)
        if at >= 0:
            self.hidden, self._pending = True, ""
            return text[:at]
        hold = next((n for n in range(min(len(OPEN) - 1, len(text)), 0, -1) if text.endswith(OPEN[:n])), 0)
        self._pending = text[len(text) - hold:] if hold else ""
        return text[: len(text) - hold]

    def flush(self) -> str:
        rest, self._pending = ("" if self.hidden else self._pending), ""
        return rest


def call_text(call: ModelToolCall) -> str:
    """A call written the way Qwen2.5's template writes it."""
    return f'{OPEN}\n{{"name": "{call.name}", "arguments": {json.dumps(call.arguments, ensure_ascii=False)}}}\n{CLOSE}'


def tools_block(tools: Sequence[ToolSpec]) -> str:
    """The `# Tools` section Qwen2.5's template appends to the system message."""
    lines = "".join("\n" + json.dumps(t.to_json(), ensure_ascii=False) for t in tools)
    return TOOLS_INTRO + lines + TOOLS_OUTRO


def builtin_messages(messages: Sequence[ChatMessage], tools: Sequence[ToolSpec]) -> list[dict[str, str]]:
    """Role/content dicts for a template without tool support: tools in the system message,
    calls as `<tool_call>` text, results as `<tool_response>` user turns (consecutive ones merged)."""
    out: list[dict[str, str]] = []
    rest = list(messages)
    system = rest.pop(0).content if rest and rest[0].role == "system" else ""
    if system or tools:
        out.append({"role": "system", "content": (system + tools_block(tools)) if tools else system})
    for m in rest:
        if m.role == "assistant" and m.tool_calls:
            parts = ([m.content] if m.content else []) + [call_text(c) for c in m.tool_calls]
            out.append({"role": "assistant", "content": "\n".join(parts)})
        elif m.role == "tool":
            block = f"<tool_response>\n{m.content}\n</tool_response>"
            if out and out[-1]["role"] == "user" and out[-1].get("tool_responses") == "1":
                out[-1]["content"] += "\n" + block
            else:
                out.append({"role": "user", "content": block, "tool_responses": "1"})
        else:
            out.append({"role": m.role, "content": m.content})
    return [{"role": d["role"], "content": d["content"]} for d in out]


def template_messages(messages: Sequence[ChatMessage]) -> list[dict[str, Any]]:
    """Dicts for a chat template that supports tools (Hugging Face shape: arguments as objects)."""
    out = []
    for m in messages:
        data: dict[str, Any] = {"role": m.role, "content": m.content}
        if m.tool_calls:
            data["tool_calls"] = [{"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
                                  for c in m.tool_calls]
        if m.role == "tool":
            data["name"] = m.name or ""
            data["tool_call_id"] = m.tool_call_id or ""
        out.append(data)
    return out
