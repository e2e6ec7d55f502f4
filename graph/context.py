"""The runtime context injected into every node: backends, knowledge, tools, settings.

Built once by `app/wiring.py` (or a test) and passed to the graph as langgraph's
`context=`; nodes read it as `runtime.context`. Nothing here is created at import.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from graph.config import GraphSettings
from graph.ports import AdapterRouterPort, EmbedderPort, KnowledgePort, RunbookPort, ToolPort
from graph.vocabulary import DomainVocabulary
from models.llm.base import GenerationOptions, LLMBackend, tool_support


@dataclass
class GraphContext:
    """Dependencies of the graph's nodes."""

    llm: LLMBackend
    """Generation backend; `llm.generative` False means extractive mode."""
    knowledge: KnowledgePort
    """The knowledge bases (knowledge.service.KnowledgeService)."""
    embedder: EmbedderPort | None = None
    """Embedder used by verify (None: lexical support only)."""
    router: AdapterRouterPort | None = None
    """Chooses the LoRA adapter per sub-question (models.router.AdapterRouter; None: base model)."""
    runbooks: RunbookPort | None = None
    """Runbook engine (tools.runbooks.RunbookEngine; None: no runbook route)."""
    tools: ToolPort | None = None
    """The tool registry investigations call (tools.registry.ToolRegistry; None: no investigations)."""
    settings: GraphSettings = field(default_factory=GraphSettings)
    """The `graph:` settings section."""
    default_kb: str | None = None
    """Knowledge base used when a turn names none."""
    vocabulary: DomainVocabulary = field(default_factory=DomainVocabulary)
    """Per-KB vocabulary and lexicon cache for the guard and rewrite."""
    decoding: GenerationOptions = field(default_factory=GenerationOptions)
    """Configured decoding (temperature, top-p/k, repetition penalty, max tokens) for every model call."""
    generation_lock: threading.Lock = field(default_factory=threading.Lock)
    """Serialises generation across parallel sub-question branches (one model, ordered tokens)."""

    @property
    def generative(self) -> bool:
        return bool(getattr(self.llm, "generative", False))

    @property
    def investigates(self) -> bool:
        """Troubleshooting goes to the model-driven investigation: enabled, tools wired, the model calls tools."""
        return (self.settings.investigate.enabled and self.tools is not None
                and tool_support(self.llm).supported)

    def kb_name(self, kb: str | None) -> str | None:
        return kb or self.default_kb
