"""The LLM backend protocol every backend implements, and the options it takes.

The graph only talks to this protocol; `extractive` is the no-model default whose
`generative` is False, telling the graph to use its deterministic strategies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Protocol, runtime_checkable


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
