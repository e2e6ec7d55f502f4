"""`ToolDeps`: everything a tool may use besides its arguments, handed to every tool's
constructor by `build_registry` (one object, one way in).

`knowledge` is typed by the two calls tools make (`KnowledgeSource`), so `tools` never
imports `knowledge`: `app/wiring.py` passes the KnowledgeService in.
Tests: `pytest tests/tools`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Protocol, Sequence

from tools.config import ToolSettings
from tools.safety import TargetPolicy


class PassageLike(Protocol):
    """What tools read of a knowledge chunk (knowledge.types.Passage fits)."""

    @property
    def chunk_id(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def heading_path(self) -> list[str]: ...
    @property
    def text(self) -> str: ...
    @property
    def kind(self) -> str: ...

    def to_json(self) -> dict[str, Any]: ...


class KnowledgeSource(Protocol):
    """The knowledge calls tools make (knowledge.service.KnowledgeService fits)."""

    def search(self, query: str, kb: str | None = None, k: int = 8) -> Sequence[PassageLike]: ...

    def iter_chunks(self, kb: str | None = None) -> Iterator[PassageLike]: ...


@dataclass(frozen=True)
class ToolDeps:
    """Runtime dependencies of tools, built once per registry."""

    settings: ToolSettings
    """The `tools:` settings (timeouts, restart command, ...)."""
    policy: TargetPolicy
    """Which hosts and ports network tools may reach."""
    knowledge: KnowledgeSource | None = None
    """The knowledge base tools search; None when the app has none (knowledge tools then fail politely)."""

    @classmethod
    def for_settings(cls, settings: ToolSettings, knowledge: KnowledgeSource | None = None) -> ToolDeps:
        """Deps with the target policy the settings describe."""
        policy = TargetPolicy(settings.allow_targets, settings.deny_targets, settings.allowed_ports)
        return cls(settings=settings, policy=policy, knowledge=knowledge)
