"""Dense index: one Chroma collection per knowledge base (cosine), vectors from our Embedder.

The Chroma client is created on first use (never at import) with telemetry off. Each
collection is bound to our own registered embedding function, so Chroma's default
(which downloads a model) is never used. Vectors are stored with their document key
so a replaced or deleted document's vectors can be removed; search results are always
joined against the catalog, so stale vectors are never shown.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from models.embeddings.base import Embedder


@lru_cache(maxsize=1)
def _embedding_function_class() -> type:
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    class SmartCopilotEmbeddingFunction(EmbeddingFunction[Documents]):
        """Chroma adapter over a models.embeddings Embedder (passages vs query prefixes kept apart)."""

        def __init__(self, embedder: Embedder | None = None) -> None:
            self.embedder = embedder

        def __call__(self, input: Documents) -> Embeddings:
            if self.embedder is None:
                raise ValueError("smart-copilot embedding function used without an embedder")
            return self.embedder.embed_passages(list(input))

        def embed_query(self, input: Documents) -> Embeddings:
            if self.embedder is None:
                raise ValueError("smart-copilot embedding function used without an embedder")
            return [self.embedder.embed_query(t) for t in input]

        @staticmethod
        def name() -> str:
            return "smart-copilot"

        def default_space(self) -> str:
            return "cosine"

        def get_config(self) -> dict[str, Any]:
            return {"embedder": getattr(self.embedder, "name", "")}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> "SmartCopilotEmbeddingFunction":
            return SmartCopilotEmbeddingFunction(None)

    register_embedding_function(SmartCopilotEmbeddingFunction)
    return SmartCopilotEmbeddingFunction


def _docs_filter(doc_keys: list[str]) -> dict:
    return {"doc": {"$in": doc_keys}} if len(doc_keys) > 1 else {"doc": doc_keys[0]}


def store_errors() -> tuple[type[BaseException], ...]:
    """Exceptions of an unreadable vector store (a damaged or foreign chroma folder)."""
    from chromadb.errors import ChromaError

    return (ChromaError, AttributeError)  # AttributeError: chromadb's cached system of a broken folder


class DenseIndex:
    """Chroma PersistentClient under `path`; collections named by the knowledge base key."""

    def __init__(self, path: Path, embedder: Embedder) -> None:
        self.path = path
        self.embedder = embedder
        self._client: Any = None
        self._collections: dict[str, Any] = {}
        self._lock = threading.RLock()

    def _get_client(self) -> Any:
        with self._lock:
            if self._client is None:
                import chromadb
                from chromadb.config import Settings as ChromaSettings

                self.path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(
                    path=str(self.path), settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False))
            return self._client

    def collection(self, key: str) -> Any:
        with self._lock:
            if key not in self._collections:
                ef = _embedding_function_class()(self.embedder)
                self._collections[key] = self._get_client().get_or_create_collection(
                    name=key, embedding_function=ef, configuration={"hnsw": {"space": "cosine"}})
            return self._collections[key]

    def upsert(self, key: str, ids: list[str], vectors: list[list[float]], doc_key: str) -> None:
        if ids:
            self.collection(key).upsert(ids=ids, embeddings=vectors, metadatas=[{"doc": doc_key}] * len(ids))

    def replace_docs(self, key: str, doc_keys: list[str], ids: list[str], vectors: list[list[float]],
                     chunk_docs: list[str], text_keys: list[str] | None = None) -> None:
        """Remove every vector of `doc_keys`, then store the new ones (two Chroma calls per batch).

        `text_keys` (identity of each embedded text) let a later version of a document reuse
        the vectors of its unchanged chunks.
        """
        coll = self.collection(key)
        coll.delete(where=_docs_filter(doc_keys))
        if ids:
            metas = [{"doc": d, "h": h} for d, h in zip(chunk_docs, text_keys)] if text_keys else [{"doc": d} for d in chunk_docs]
            coll.upsert(ids=ids, embeddings=vectors, metadatas=metas)

    def vectors_by_text(self, key: str, doc_keys: list[str]) -> dict[str, list[float]]:
        """The stored vectors of these documents, by the identity of the text they embed."""
        if not doc_keys:
            return {}
        got = self.collection(key).get(where=_docs_filter(doc_keys), include=["embeddings", "metadatas"])
        out: dict[str, list[float]] = {}
        for meta, vector in zip(got["metadatas"] or [], got["embeddings"] if got["embeddings"] is not None else []):
            if meta and meta.get("h"):
                out[meta["h"]] = list(vector)
        return out

    def delete_doc(self, key: str, doc_key: str) -> None:
        self.collection(key).delete(where={"doc": doc_key})

    def delete_ids(self, key: str, ids: list[str]) -> None:
        for start in range(0, len(ids), 1000):
            self.collection(key).delete(ids=ids[start : start + 1000])

    def all_ids(self, key: str) -> list[str]:
        return list(self.collection(key).get(include=[])["ids"])

    def count(self, key: str) -> int:
        return int(self.collection(key).count())

    def query(self, key: str, vector: list[float], n: int) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) best first."""
        coll = self.collection(key)
        if coll.count() == 0:
            return []
        res = coll.query(query_embeddings=[vector], n_results=n, include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]

    def set_aside(self) -> Path:
        """Move an unreadable store out of the way (kept for inspection) so a new, empty one starts."""
        import time

        from chromadb.api.client import SharedSystemClient

        with self._lock:
            self._collections.clear()
            self._client = None
            SharedSystemClient.clear_system_cache()  # chromadb caches the broken system per path
            target = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
            if self.path.exists():
                self.path.rename(target)
            return target

    def drop(self, key: str) -> None:
        with self._lock:
            self._collections.pop(key, None)
            client = self._get_client()
            if any(c.name == key for c in client.list_collections()):
                client.delete_collection(key)

    def close(self) -> None:
        with self._lock:
            self._collections.clear()
            self._client = None
