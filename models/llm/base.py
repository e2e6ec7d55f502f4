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
from typing import TYPE_CHECKING, Any, Iterator, Protocol, Sequence, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from models.config import ModelSettings


@dataclass(frozen=True)
class ModelToolCall:
    """One tool call the model proposed: which tool, with which (parsed) arguments."""

    id: str
    """Call id; the tool message answering it carries the same id."""
    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ChatMessage:
    role: str
    """"system", "user", "assistant" or "tool" (the result of one tool call)."""
    content: str
    tool_calls: tuple[ModelToolCall, ...] = ()
    """Assistant messages: the tool calls the model made in this turn."""
    tool_call_id: str | None = None
    """Tool messages: the id of the call this result answers."""
    name: str | None = None
    """Tool messages: the tool's name."""

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (checkpointed state, training records): the OpenAI message shape, arguments as objects."""
        data: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.tool_calls:
            data["tool_calls"] = [{"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
                                  for c in self.tool_calls]
        if self.tool_call_id is not None:
            data["tool_call_id"] = self.tool_call_id
        if self.name is not None:
            data["name"] = self.name
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ChatMessage":
        calls = tuple(ModelToolCall(str(c.get("id") or f"call_{i}"), str(c["function"]["name"]),
                                    dict(c["function"].get("arguments") or {}))
                      for i, c in enumerate(data.get("tool_calls") or []))
        return cls(str(data["role"]), str(data.get("content") or ""), calls, data.get("tool_call_id"), data.get("name"))


@dataclass(frozen=True)
class ToolSpec:
    """A tool the model may call: its name, what it does, and its arguments' JSON schema."""

    name: str
    description: str
    parameters: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The OpenAI / Hugging Face chat-template tool shape."""
        return {"type": "function",
                "function": {"name": self.name, "description": self.description, "parameters": self.parameters}}


@dataclass(frozen=True)
class AssistantReply:
    """One model turn when tools were offered: visible text, the calls it made, and what was unusable."""

    content: str
    """Text outside tool-call blocks (the answer, or a note before the calls)."""
    tool_calls: tuple[ModelToolCall, ...] = ()
    malformed: tuple[str, ...] = ()
    """Why each tool-call block could not be used (bad JSON, no name ...); the caller repairs or falls back."""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    raw: str = ""
    """The generated text as is (tool-call blocks included), when the backend sees it."""

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class ToolSupport:
    """Whether (and how) a backend lets the model call tools; `models check` and the UI status show it."""

    supported: bool
    format: str = "none"
    """How calls travel: "template" (the model's chat template renders tools), "builtin" (our Hermes-style
    system prompt, for templates without tools), "openai" (the server parses calls), "scripted", "none"."""
    reason: str = ""
    """Why (Chinese), e.g. what to change to get tool calling."""

    def to_json(self) -> dict[str, Any]:
        return {"supported": self.supported, "format": self.format, "reason": self.reason}


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


@runtime_checkable
class ToolCallingBackend(LLMBackend, Protocol):
    """A backend that can offer tools to the model (the investigation uses it when `tool_support()` says so)."""

    def tool_support(self) -> ToolSupport:
        ...

    def chat_tools(self, messages: list[ChatMessage], options: GenerationOptions,
                   tools: Sequence[ToolSpec]) -> AssistantReply:
        """One model turn with `tools` offered: its text and tool calls."""
        ...

    def stream_tools(self, messages: list[ChatMessage], options: GenerationOptions,
                     tools: Sequence[ToolSpec]) -> Iterator[str | AssistantReply]:
        """Visible text pieces as they are generated (tool-call blocks held back), then the AssistantReply."""
        ...


NO_TOOLS = ToolSupport(False, "none", "当前模型后端不支持工具调用（抽取式模式或未配置生成模型）")


def tool_support(llm: LLMBackend) -> ToolSupport:
    """What `llm` offers for tool calling (backends without the capability: not supported)."""
    if not getattr(llm, "generative", False) or not isinstance(llm, ToolCallingBackend):
        return NO_TOOLS
    return llm.tool_support()


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
