"""The LLM backend protocol every backend implements, the options it takes, and the
settings every backend shares (`CommonLLMSettings`).

The graph only talks to this protocol; `extractive` is the no-model default whose
`generative` is False, telling the graph to use its deterministic strategies. Each
backend's own settings class subclasses `CommonLLMSettings` in the backend's module and
is one member of `models.config.LLMSettings` (a union discriminated by `backend`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from models.config import ModelSettings


@dataclass(frozen=True)
class ChatMessage:
    role: str
    """"system", "user" or "assistant"."""
    content: str


@dataclass(frozen=True)
class AdapterChoice:
    """Which LoRA adapter(s) to use for one request; no name and no weights = base model."""

    name: str | None = None
    """One adapter by name; None with no weights means the base model (adapters off)."""
    weights: dict[str, float] = field(default_factory=dict)
    """A weighted combination of adapters (weight 0 turns one off)."""
    reason: str = ""
    """Why the router chose this (recorded in the turn's trace)."""

    @property
    def is_base(self) -> bool:
        return self.name is None and not any(self.weights.values())


@dataclass(frozen=True)
class GenerationOptions:
    max_tokens: int = 512
    temperature: float = 0.0
    """0 means greedy decoding."""
    top_p: float = 1.0
    top_k: int = 0
    repetition_penalty: float = 1.2
    stop: tuple[str, ...] = ()
    adapter: AdapterChoice = AdapterChoice()
    min_tokens: int = 0
    """Generate at least this many tokens before end-of-turn may stop (benchmarks)."""


@runtime_checkable
class LLMBackend(Protocol):
    name: str
    """Registered name, e.g. "transformers"."""
    generative: bool
    """False for `extractive`: the graph then composes answers from passages."""

    def chat(self, messages: list[ChatMessage], options: GenerationOptions) -> str:
        """Whole completion for a conversation."""
        ...

    def stream(self, messages: list[ChatMessage], options: GenerationOptions) -> Iterator[str]:
        """Completion as text pieces, in order."""
        ...

    def describe(self) -> dict:
        """What the UI status shows: backend, model, adapters, device."""
        ...


class CommonLLMSettings(BaseModel):
    """`models.llm` keys of every backend: the base model's identity and the decoding defaults."""

    model_config = ConfigDict(extra="forbid")

    backend: str
    """Registered backend name: extractive (no model, the default), transformers, openai, scripted."""
    model_path: Path | None = None
    """Local base model directory (config.json, weights, tokenizer with chat template): loaded by the
    transformers backend; also the default base of `finetune` and of adapter checks."""
    base_model_id: str | None = None
    """Base model that adapters' meta.json `base_model` must name; default: model_path's folder name or model_name."""
    max_tokens: int = Field(default=512, gt=0)
    """Default maximum number of generated tokens per reply."""
    temperature: float = Field(default=0.0, ge=0)
    """Default sampling temperature; 0 = greedy."""
    top_p: float = Field(default=1.0, gt=0, le=1)
    """Default nucleus sampling mass."""
    top_k: int = Field(default=0, ge=0)
    """Default top-k cut-off; 0 = off."""
    repetition_penalty: float = Field(default=1.2, gt=0)
    """Default repetition penalty (1.0 = off); scores of seen tokens are divided (>0) or multiplied (<0) by it."""

    def base_model_name(self) -> str | None:
        """The name adapters' meta.json `base_model` must match (None: not configured)."""
        return self.base_model_id or (Path(self.model_path).name if self.model_path else None)

    def build(self, models: ModelSettings, data_dir: Path) -> LLMBackend:
        """The backend these settings describe, loaded and checked (ModelError names the setting to fix)."""
        raise NotImplementedError
