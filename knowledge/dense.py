"""Dense index: one Chroma collection per knowledge base (cosine), vectors from our Embedder.

The Chroma client is created on first use (never at import) with telemetry off and its English log
lines routed to DEBUG (knowledge.chroma_logs). Each
collection is bound to our own registered embedding function, so Chroma's default
(which downloads a model) is never used. Vectors are stored with their document key
so a replaced or deleted document's vectors can be removed; search results are always
joined against the catalog, so stale vectors are never shown.

Several processes may share the store (a server and `smart-copilot ingest`): every Chroma
call holds the store lock (knowledge.locks: shared to read, exclusive to write), and every
write leaves a new token in `dense.stamp`. A process that finds a token it did not write
reloads its client first, so it never queries or extends an index another process has
changed under it (Chroma keeps one in memory per process). A collection Chroma cannot read
raises DenseBroken (one of `store_errors()`); knowledge.vectors.VectorUpkeep.verify sets the store
aside and has it rebuilt.

With a Chroma server (storage.mode = server, `client` given: an HttpClient) the server orders
its own writes and holds the only index, so there is no stamp, no set-aside and no process
lock around a call; a call that cannot reach the server raises VectorServerUnavailable
(Chinese message) and forgets the collection handles, so the next call after the server is
back simply works.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

from knowledge.chroma_logs import quiet_chroma_logs
from knowledge.errors import VectorServerUnavailable
from knowledge.locks import StoreLocks
from models.embeddings.base import Embedder

log = logging.getLogger(__name__)
UNREACHABLE = ("Chroma 向量服务器暂时无法连接（{error}）：请确认 storage.chroma 指向的服务器已启动，恢复后重试；"
               "已保存的知识库、会话和关键词索引不受影响")


class DenseBroken(Exception):
    """Chroma could not read a collection (a damaged index); the caller falls back or rebuilds."""


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

    # DenseBroken: a Chroma error raised under the store lock; AttributeError: chromadb's cached
    # system of a broken folder
    return (DenseBroken, ChromaError, AttributeError)


class DenseIndex:
    """Chroma PersistentClient under `path` (or the client `client()` makes: an HttpClient to a
    Chroma server in storage.mode = server); collections named by the knowledge base key."""

    def __init__(self, path: Path, embedder: Embedder, locks: Any = None,
                 client: Callable[[], Any] | None = None) -> None:
        self.path = path
        self.embedder = embedder
        self.locks = locks or StoreLocks(path.parent)
        self._make_client = client
        self.remote = client is not None
        """A Chroma server: nothing on local disk to stamp, lock or set aside."""
        self.stamp_file = path.parent / "dense.stamp"
        self._stamp: str | None = None
        self._client: Any = None
        self._collections: dict[str, Any] = {}
        self._lock = threading.RLock()

    # -- client, freshness and locking --------------------------------------------------
    def _get_client(self) -> Any:
        with self._lock:
            if self._client is None and self._make_client is not None:
                self._client = self._make_client()
            if self._client is None:
                import chromadb
                from chromadb.config import Settings as ChromaSettings

                quiet_chroma_logs()  # its English log lines stay out of the user's console
                self.path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(
                    path=str(self.path), settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False))
            return self._client

    def _read_stamp(self) -> str:
        try:
            return self.stamp_file.read_text(encoding="ascii").strip()
        except (FileNotFoundError, UnicodeDecodeError):
            return ""

    def _reset(self) -> None:
        """Drop the client (and Chroma's in-memory index) so the next call reads the store afresh."""
        client, self._client = self._client, None
        self._collections.clear()
        if client is not None and not self.remote:
            try:
                client.close()
            except Exception:  # closing a client that failed to read its store must not hide that failure
                log.warning("closing the Chroma client failed", exc_info=True)

    @contextlib.contextmanager
    def _using(self, write: bool) -> Iterator[None]:
        """Store lock + this process's lock; reload when another process wrote since our last look."""
        if self.remote:
            with self._reach():
                yield
            return
        with self.locks.store(shared=not write), self._lock:
            stamp = self._read_stamp()
            if stamp != self._stamp:
                self._reset()
                self._stamp = stamp
            try:
                yield
            except Exception as exc:
                if _is_chroma_error(exc):
                    self._reset()  # whatever Chroma holds in memory for this store is suspect now
                    raise DenseBroken(f"{type(exc).__name__}: {exc}") from exc
                raise
            finally:
                if write:
                    self._stamp = uuid.uuid4().hex
                    tmp = self.stamp_file.with_suffix(".tmp")
                    tmp.write_text(self._stamp, encoding="ascii")
                    os.replace(tmp, self.stamp_file)

    @contextlib.contextmanager
    def _reach(self) -> Iterator[None]:
        """A Chroma server call: connection failures become VectorServerUnavailable; after any failure the
        collection handles are fetched again (another replica may have dropped and re-created one)."""
        import httpx

        try:
            yield
        except httpx.TransportError as exc:
            with self._lock:
                self._collections.clear()
            raise VectorServerUnavailable(UNREACHABLE.format(error=f"{type(exc).__name__}: {exc}"[:160])) from None
        except Exception:
            with self._lock:
                self._collections.clear()
            raise

    def collection(self, key: str) -> Any:
        with self._lock:
            if key not in self._collections:
                ef = _embedding_function_class()(self.embedder)
                self._collections[key] = self._get_client().get_or_create_collection(
                    name=key, embedding_function=ef, configuration={"hnsw": {"space": "cosine"}})
            return self._collections[key]

    # -- writes -----------------------------------------------------------------------------
    def upsert(self, key: str, ids: list[str], vectors: list[list[float]], doc_key: str) -> None:
        if ids:
            with self._using(write=True):
                self.collection(key).upsert(ids=ids, embeddings=vectors, metadatas=[{"doc": doc_key}] * len(ids))

    def replace_docs(self, key: str, doc_keys: list[str], ids: list[str], vectors: list[list[float]],
                     chunk_docs: list[str], text_keys: list[str] | None = None) -> None:
        """Remove every vector of `doc_keys`, then store the new ones (two Chroma calls per batch).

        `text_keys` (identity of each embedded text) let a later version of a document reuse
        the vectors of its unchanged chunks.
        """
        with self._using(write=True):
            coll = self.collection(key)
            coll.delete(where=_docs_filter(doc_keys))
            if ids:
                metas = ([{"doc": d, "h": h} for d, h in zip(chunk_docs, text_keys)] if text_keys
                         else [{"doc": d} for d in chunk_docs])
                coll.upsert(ids=ids, embeddings=vectors, metadatas=metas)

    def vectors_by_text(self, key: str, doc_keys: list[str]) -> dict[str, list[float]]:
        """The stored vectors of these documents, by the identity of the text they embed."""
        if not doc_keys:
            return {}
        with self._using(write=False):
            got = self.collection(key).get(where=_docs_filter(doc_keys), include=["embeddings", "metadatas"])
        out: dict[str, list[float]] = {}
        for meta, vector in zip(got["metadatas"] or [], got["embeddings"] if got["embeddings"] is not None else []):
            if meta and meta.get("h"):
                out[meta["h"]] = list(vector)
        return out

    def delete_doc(self, key: str, doc_key: str) -> None:
        with self._using(write=True):
            self.collection(key).delete(where={"doc": doc_key})

    def delete_ids(self, key: str, ids: list[str]) -> None:
        if not ids:
            return
        with self._using(write=True):
            for start in range(0, len(ids), 1000):
                self.collection(key).delete(ids=ids[start : start + 1000])

    def set_aside(self) -> Path:
        """Move an unreadable store out of the way (kept for inspection) so a new, empty one starts."""
        import time

        if self.remote:
            raise RuntimeError("a Chroma server's store is never set aside from a replica")

        from chromadb.api.client import SharedSystemClient

        with self._using(write=True):  # exclusive: no process reads the folder while it moves; a new stamp reloads them
            self._reset()
            SharedSystemClient.clear_system_cache()  # chromadb caches the broken system per path
            target = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
            if self.path.exists():
                self.path.rename(target)
            return target

    def drop(self, key: str) -> None:
        with self._using(write=True), self._lock:
            self._collections.pop(key, None)
            client = self._get_client()
            if any(c.name == key for c in client.list_collections()):
                client.delete_collection(key)

    # -- reads ------------------------------------------------------------------------------
    def all_ids(self, key: str) -> list[str]:
        with self._using(write=False):
            return list(self.collection(key).get(include=[])["ids"])

    def count(self, key: str) -> int:
        with self._using(write=False):
            return int(self.collection(key).count())

    def query(self, key: str, vector: list[float], n: int) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) best first; DenseBroken when Chroma cannot read the collection."""
        with self._using(write=False):
            coll = self.collection(key)
            count = coll.count()
            if count == 0:
                return []
            res = coll.query(query_embeddings=[vector], n_results=min(n, count), include=["distances"])
            return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]

    def probe(self, key: str) -> None:
        """A small query through the index: raises DenseBroken when Chroma cannot serve it."""
        self.query(key, [1.0] * int(getattr(self.embedder, "dim", 0) or len(self.embedder.embed_query("probe"))), 10)

    def close(self) -> None:
        with self._lock:
            self._reset()
            self._stamp = None


def _is_chroma_error(exc: Exception) -> bool:
    """Chroma's own errors (a damaged or inconsistent index), not ours or the embedder's."""
    return type(exc).__module__.startswith(("chromadb", "pyo3"))  # pyo3: a panic in Chroma's Rust core
