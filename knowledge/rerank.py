"""Optional cross-encoder reranking behind a small protocol; local model directory only.

`CrossEncoderReranker` loads a sequence-classification model with transformers from a
local path (imported lazily); any object with `score(query, texts) -> list[float]` works.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, Sequence

from knowledge.errors import KnowledgeError


class Reranker(Protocol):
    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        """Relevance of each text to the query (higher is better)."""
        ...


class CrossEncoderReranker:
    """A cross-encoder (e.g. bge-reranker) from `path`, run on CPU or the first GPU."""

    def __init__(self, path: str, max_length: int = 512) -> None:
        if not Path(path).is_dir():
            raise KnowledgeError(f"重排序模型目录不存在：{path}（请检查 knowledge.reranker_path）")
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        self._torch: Any = torch
        self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        self.model = AutoModelForSequenceClassification.from_pretrained(path, local_files_only=True).eval()
        self.max_length = max_length

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        batch = self.tokenizer([query] * len(texts), list(texts), padding=True, truncation=True,
                               max_length=self.max_length, return_tensors="pt")
        with self._torch.no_grad():
            logits = self.model(**batch).logits
        scores = logits[:, -1] if logits.shape[-1] > 1 else logits[:, 0]
        return [float(s) for s in scores]
