"""`create_llm` builds the configured backend and runs its startup checks (a user-fixable
problem raises `ModelError` naming the setting to fix).

The backends are registered in `models.config.LLMSettings` (one settings class each,
chosen by `models.llm.backend`; an unknown name is a settings error that suggests the
closest one). Heavy libraries are imported when a backend loads, so importing this module
is cheap.
"""

from __future__ import annotations

from pathlib import Path

from models.config import ModelSettings
from models.llm.base import ChatMessage, GenerationOptions, LLMBackend


def create_llm(settings: ModelSettings, data_dir: Path) -> LLMBackend:
    """The backend `settings.llm` describes (its class is chosen by `backend`), loaded and checked."""
    return settings.llm.build(settings, Path(data_dir))


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
