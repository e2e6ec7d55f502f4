"""`scripted`: a backend that replays scripted replies and records every call (for tests).

    llm = ScriptedLLM(["第一句回答", "第二句回答"])      # or a function (messages, options) -> str
    llm.chat([ChatMessage("user", "你好")], GenerationOptions())
    llm.calls  # [(messages, options)]

    agent = ScriptedLLM(["IN"], tool_outputs=['<tool_call>{"name": "dns_lookup", ...}</tool_call>', "结论……"])
    agent.chat_tools(messages, options, tools)   # AssistantReply parsed from the next tool output
    agent.tool_calls  # [(messages, options, tools)]

Stop strings and max_tokens (counted in characters here) are applied like a real
backend would, so graph code sees realistic behaviour. Tool turns replay `tool_outputs`
(separately from plain replies, so the graph's other model calls do not consume them) and
are parsed like a real model's text (Hermes `<tool_call>` blocks); tokens are estimated as
one per two characters.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Literal, Sequence

from models.errors import ModelError
from models.llm.base import (AssistantReply, ChatMessage, CommonLLMSettings, GenerationOptions, LLMBackend, ToolSpec,
                             ToolSupport)
from models.llm.decoding import cut_at_stop
from models.llm.tool_calls import parse_tool_calls

if TYPE_CHECKING:
    from models.config import ModelSettings

Script = list[str] | Callable[[list[ChatMessage], GenerationOptions], str]


class ScriptedSettings(CommonLLMSettings):
    """`models.llm` with `backend: scripted`: replies replayed in turn (demos, CLI tests)."""

    backend: Literal["scripted"] = "scripted"
    scripted_outputs: list[str] = []
    """Replies returned in turn (cycled)."""
    scripted_tool_outputs: list[str] = []
    """Model turns of an investigation (tools offered), in turn (cycled); `<tool_call>{json}</tool_call>`
    blocks are its calls. Non-empty = the backend supports tool calling."""

    def build(self, models: ModelSettings, data_dir: Path) -> LLMBackend:
        if not self.scripted_outputs and not self.scripted_tool_outputs:
            raise ModelError("scripted 后端需要在 models.llm.scripted_outputs（或 scripted_tool_outputs）中给出至少一条回复")
        return ScriptedLLM(list(self.scripted_outputs), cycle=True, tool_outputs=list(self.scripted_tool_outputs))


class ScriptedLLM:
    """Replays `outputs` in order (or calls it); `cycle=True` starts over when they run out."""

    name = "scripted"
    generative = True

    def __init__(self, outputs: Script, cycle: bool = False, piece_chars: int = 3,
                 tool_outputs: Script | None = None) -> None:
        self._outputs = outputs
        self._cycle = cycle
        self._piece_chars = max(1, piece_chars)
        self._next = 0
        self._tool_outputs = tool_outputs or None
        self._tool_next = 0
        self._lock = threading.Lock()
        self.calls: list[tuple[list[ChatMessage], GenerationOptions]] = []
        self.tool_calls: list[tuple[list[ChatMessage], GenerationOptions, list[ToolSpec]]] = []

    def chat(self, messages: list[ChatMessage], options: GenerationOptions) -> str:
        with self._lock:
            self.calls.append((list(messages), options))
            text = self._reply(messages, options) if self._outputs else ""
        return cut_at_stop(text, options.stop)[: options.max_tokens]

    def tool_support(self) -> ToolSupport:
        if self._tool_outputs is None:
            return ToolSupport(False, "none", "脚本后端未给出 scripted_tool_outputs")
        return ToolSupport(True, "scripted", "脚本回放的工具调用（测试用）")

    def chat_tools(self, messages: list[ChatMessage], options: GenerationOptions,
                   tools: Sequence[ToolSpec]) -> AssistantReply:
        if self._tool_outputs is None:
            raise ModelError("脚本后端没有 scripted_tool_outputs，不支持工具调用")
        with self._lock:
            self.tool_calls.append((list(messages), options, list(tools)))
            script = self._tool_outputs
            if callable(script):
                text = script(messages, options)
            else:
                if self._tool_next >= len(script):
                    if not self._cycle:
                        raise RuntimeError(f"ScriptedLLM ran out of tool outputs after {len(script)} calls")
                    self._tool_next = 0
                text = script[self._tool_next]
                self._tool_next += 1
        text = cut_at_stop(text, options.stop)[: options.max_tokens]
        prompt = sum(len(m.content) + sum(len(str(c.arguments)) for c in m.tool_calls) for m in messages)
        prompt += sum(len(t.description) + len(str(t.parameters)) for t in tools)
        return parse_tool_calls(text, (prompt + 1) // 2, (len(text) + 1) // 2)

    def stream_tools(self, messages: list[ChatMessage], options: GenerationOptions,
                     tools: Sequence[ToolSpec]) -> Iterator[str | AssistantReply]:
        reply = self.chat_tools(messages, options, tools)
        for start in range(0, len(reply.content), self._piece_chars):
            yield reply.content[start : start + self._piece_chars]
        yield reply

    def stream(self, messages: list[ChatMessage], options: GenerationOptions) -> Iterator[str]:
        text = self.chat(messages, options)
        for start in range(0, len(text), self._piece_chars):
            yield text[start : start + self._piece_chars]

    def chat_batch(self, conversations: list[list[ChatMessage]], options: GenerationOptions) -> list[str]:
        return [self.chat(messages, options) for messages in conversations]

    def describe(self) -> dict:
        return {
            "backend": self.name,
            "model": "scripted",
            "generative": True,
            "device": None,
            "adapters": [],
            "tools": self.tool_support().to_json(),
            "description": "脚本回放模式（测试用）",
        }

    def _reply(self, messages: list[ChatMessage], options: GenerationOptions) -> str:
        if callable(self._outputs):
            return self._outputs(messages, options)
        if not self._outputs:
            raise RuntimeError("ScriptedLLM has no scripted outputs")
        if self._next >= len(self._outputs):
            if not self._cycle:
                raise RuntimeError(
                    f"ScriptedLLM ran out of outputs after {len(self._outputs)} calls; "
                    f"last messages: {messages[-1:]!r}"
                )
            self._next = 0
        reply = self._outputs[self._next]
        self._next += 1
        return reply
