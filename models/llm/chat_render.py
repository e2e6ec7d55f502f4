"""Conversations (with tools) to prompt text through a tokenizer's chat template.

Three ways: `plain` (role/content only, what every backend did before tools), `template`
(the model's own template renders tools, calls and results: `apply_chat_template(...,
tools=...)`, Qwen2.5-style) and `builtin` (for a template without tool support: tools in
the system message, calls and results as text, `models.llm.tool_calls.builtin_messages`).
The transformers backend and the fine-tuning encoder both render through here, so what a
model is trained on is what it is served.
"""

from __future__ import annotations

from typing import Any, Literal, Sequence

from models.llm.base import ChatMessage, ModelToolCall, ToolSpec
from models.llm.tool_calls import builtin_messages, template_messages

RenderMode = Literal["plain", "template", "builtin"]
_PROBE = "smart_copilot_probe_tool"
_PROBE_RESULT = "smart-copilot-probe-result"


def template_supports_tools(tokenizer: Any) -> bool:
    """Whether the tokenizer's chat template renders tools, tool calls and tool results (probed once
    per backend load: a template that ignores `tools` or drops tool messages does not)."""
    template = getattr(tokenizer, "chat_template", None) or ""
    if not isinstance(template, str) or "tool" not in template:
        return False
    spec = ToolSpec(_PROBE, "probe", {"type": "object", "properties": {"probe_arg": {"type": "string"}}})
    conversation = [ChatMessage("system", "s"), ChatMessage("user", "u"),
                    ChatMessage("assistant", "", (ModelToolCall("c1", _PROBE, {"probe_arg": "x"}),)),
                    ChatMessage("tool", _PROBE_RESULT, tool_call_id="c1", name=_PROBE)]
    try:
        text = tokenizer.apply_chat_template(template_messages(conversation), tools=[spec.to_json()],
                                             tokenize=False, add_generation_prompt=True)
    except Exception:  # a template that chokes on tool messages does not support them
        return False
    text = str(text)
    return _PROBE in text and _PROBE_RESULT in text and "probe_arg" in text


def render_chat(tokenizer: Any, messages: Sequence[ChatMessage], tools: Sequence[ToolSpec] = (),
                mode: RenderMode = "plain", add_generation_prompt: bool = True) -> str:
    """The prompt text for `messages` (and `tools`) in the given way of rendering."""
    if mode == "template":
        return tokenizer.apply_chat_template(template_messages(messages), tools=[t.to_json() for t in tools] or None,
                                             tokenize=False, add_generation_prompt=add_generation_prompt)
    if mode == "builtin":
        dicts: list[dict[str, Any]] = list(builtin_messages(messages, tools))
    else:
        dicts = [{"role": m.role, "content": m.content} for m in messages]
    return tokenizer.apply_chat_template(dicts, tokenize=False, add_generation_prompt=add_generation_prompt)
