"""Plain data passed between the knowledge layer and its users (graph, tools, app)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Passage:
    """One retrieved chunk with its scores."""

    chunk_id: str
    source: str
    """Document path relative to the ingested folder (or the uploaded file name)."""
    title: str
    """Document title."""
    heading_path: list[str]
    """Headings from the document title down to this chunk's section."""
    text: str
    """The chunk text as shown to users (without the product-name prefix)."""
    kind: str = "doc"
    """"doc", "faq" or "table"."""
    score: float = 0.0
    """Fused score (higher is better)."""
    lexical_score: float | None = None
    dense_score: float | None = None
    kb: str = ""
    meta: dict = field(default_factory=dict)
    """Extra fields: FAQ question, table caption, front matter."""

    def to_json(self) -> dict:
        """The `search --json` contract shape."""
        return {
            "source": self.source,
            "title": self.title,
            "chunk_id": self.chunk_id,
            "score": round(self.score, 6),
            "text": self.text,
        }
