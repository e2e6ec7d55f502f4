"""`extractive`: the no-model default. It generates nothing; `generative=False` tells the
graph to compose answers from the retrieved passages with its deterministic strategies.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Literal

from models.llm.base import ChatMessage, CommonLLMSettings, GenerationOptions, LLMBackend

if TYPE_CHECKING:
    from models.config import ModelSettings

DESCRIPTION = "抽取式模式（未配置生成模型）"


class ExtractiveSettings(CommonLLMSettings):
    """`models.llm` with `backend: extractive` (the default): no generative model."""

    backend: Literal["extractive"] = "extractive"

    def build(self, models: ModelSettings, data_dir: Path) -> LLMBackend:
        return ExtractiveLLM()


class ExtractiveLLM:
    """No model at all; calling chat/stream is a programming error in the caller."""

    name = "extractive"
    generative = False

    def chat(self, messages: list[ChatMessage], options: GenerationOptions) -> str:
        raise RuntimeError("extractive backend does not generate; check `llm.generative` before calling chat()")

    def stream(self, messages: list[ChatMessage], options: GenerationOptions) -> Iterator[str]:
        raise RuntimeError("extractive backend does not generate; check `llm.generative` before calling stream()")

    def describe(self) -> dict:
        return {
            "backend": self.name,
            "model": None,
            "generative": False,
            "device": None,
            "adapters": [],
            "description": DESCRIPTION,
        }
