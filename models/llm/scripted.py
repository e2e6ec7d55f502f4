"""`scripted`: a backend that replays scripted replies and records every call (for tests).

    llm = ScriptedLLM(["第一句回答", "第二句回答"])      # or a function (messages, options) -> str
    llm.chat([ChatMessage("user", "你好")], GenerationOptions())
    llm.calls  # [(messages, options)]

Stop strings and max_tokens (counted in characters here) are applied like a real
backend would, so graph code sees realistic behaviour.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Literal

from models.errors import ModelError
from models.llm.base import ChatMessage, CommonLLMSettings, GenerationOptions, LLMBackend
from models.llm.decoding import cut_at_stop

if TYPE_CHECKING:
    from models.config import ModelSettings

Script = list[str] | Callable[[list[ChatMessage], GenerationOptions], str]


class ScriptedSettings(CommonLLMSettings):
    """`models.llm` with `backend: scripted`: replies replayed in turn (demos, CLI tests)."""

    backend: Literal["scripted"] = "scripted"
    scripted_outputs: list[str] = []
    """Replies returned in turn (cycled)."""

    def build(self, models: ModelSettings, data_dir: Path) -> LLMBackend:
        if not self.scripted_outputs:
            raise ModelError("scripted 后端需要在 models.llm.scripted_outputs 中给出至少一条回复")
        return ScriptedLLM(list(self.scripted_outputs), cycle=True)


class ScriptedLLM:
    """Replays `outputs` in order (or calls it); `cycle=True` starts over when they run out."""

    name = "scripted"
    generative = True

    def __init__(self, outputs: Script, cycle: bool = False, piece_chars: int = 3) -> None:
        self._outputs = outputs
        self._cycle = cycle
        self._piece_chars = max(1, piece_chars)
        self._next = 0
        self._lock = threading.Lock()
        self.calls: list[tuple[list[ChatMessage], GenerationOptions]] = []

    def chat(self, messages: list[ChatMessage], options: GenerationOptions) -> str:
        with self._lock:
            self.calls.append((list(messages), options))
            text = self._reply(messages, options)
        return cut_at_stop(text, options.stop)[: options.max_tokens]

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
