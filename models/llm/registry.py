"""Backend names -> factories; `create_llm` builds the configured backend and runs its
startup checks (a user-fixable problem raises `ModelError` naming the setting to fix).

Heavy libraries are imported inside the factories, so importing this module is cheap.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Callable

from models.config import ModelSettings
from models.errors import ModelError
from models.llm.base import ChatMessage, GenerationOptions, LLMBackend

Factory = Callable[[ModelSettings, Path], LLMBackend]


def _extractive(settings: ModelSettings, data_dir: Path) -> LLMBackend:
    from models.llm.extractive import ExtractiveLLM

    return ExtractiveLLM()


def _scripted(settings: ModelSettings, data_dir: Path) -> LLMBackend:
    from models.llm.scripted import ScriptedLLM

    if not settings.llm.scripted_outputs:
        raise ModelError("scripted 后端需要在 models.llm.scripted_outputs 中给出至少一条回复")
    return ScriptedLLM(list(settings.llm.scripted_outputs), cycle=True)


def _transformers(settings: ModelSettings, data_dir: Path) -> LLMBackend:
    from models.llm.transformers_backend import TransformersLLM

    return TransformersLLM.from_settings(settings, data_dir)


def _openai(settings: ModelSettings, data_dir: Path) -> LLMBackend:
    from models.llm.openai_backend import OpenAILLM

    return OpenAILLM.from_settings(settings, data_dir)


BACKENDS: dict[str, Factory] = {
    "extractive": _extractive,
    "transformers": _transformers,
    "openai": _openai,
    "scripted": _scripted,
}


def create_llm(settings: ModelSettings, data_dir: Path) -> LLMBackend:
    """The backend named by `settings.llm.backend`, loaded and checked."""
    name = settings.llm.backend.strip().lower()
    factory = BACKENDS.get(name)
    if factory is None:
        close = difflib.get_close_matches(name, BACKENDS, n=1)
        hint = f"，是否想用 {close[0]}？" if close else ""
        raise ModelError(
            f"未知的模型后端 {settings.llm.backend!r}（设置项 models.llm.backend）{hint}"
            f"可选：{', '.join(BACKENDS)}"
        )
    return factory(settings, Path(data_dir))


def adapter_names(llm: LLMBackend) -> list[str]:
    """Names of the adapters a backend can serve (for `AdapterRouter`)."""
    return [str(name) for name in llm.describe().get("adapters", [])]


def chat_batch(
    llm: LLMBackend, conversations: list[list[ChatMessage]], options: GenerationOptions
) -> list[str]:
    """Replies to many conversations: one batched call when the backend supports it."""
    batch = getattr(llm, "chat_batch", None)
    if callable(batch):
        return list(batch(conversations, options))
    return [llm.chat(messages, options) for messages in conversations]
