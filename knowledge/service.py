"""KnowledgeService: the knowledge layer's one entry point (see docs/contracts.md).

Owns the catalog + lexical index (data_dir/kb/catalog.sqlite) and the dense index
(data_dir/kb/chroma/) — or, given a server backend (knowledge.backends, storage.mode =
server), the same in PostgreSQL and a Chroma server. Opening it is cheap: no model, jieba
or Chroma load until used. Everything that writes a base (ingest, deletions, embedding)
holds that base's writer lock (knowledge.locks; server: knowledge.pg.locks, across
replicas): a second ingest waits `writer_wait_s`, then is told "另一个导入正在进行".
Searches never take it; a dense index Chroma cannot read makes the search fall back to
keywords and is checked and rebuilt (knowledge.vectors.VectorUpkeep.verify); an unreachable
Chroma server leaves ingested documents keyword-searchable with their vectors pending (the
report's `notices` say so), and searches rank by keywords meanwhile (`vector_notice` says so,
knowledge.vector_health).
Tests: `pytest tests/knowledge tests/hardening` (server mode: `pytest tests/storage`).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Callable, Literal, Mapping, Sequence

from knowledge.backends import KnowledgeBackend
from knowledge.bases import fuse_bases

from knowledge.calibration import Calibration, calibrate_base
from knowledge.catalog import Catalog, kb_key
from knowledge.config import KnowledgeSettings
from knowledge.corpus import Corpus
from knowledge.dense import DenseIndex, store_errors
from knowledge.errors import KnowledgeError
from knowledge.jobs import JobBoard
from knowledge.locks import StoreLocks
from knowledge.rerank import Reranker
from knowledge.retrieve import HybridRetriever
from knowledge.service_ingest import IngestOperations
from knowledge.service_stats import CorpusStatistics
from knowledge.service_trash import TrashOperations
from knowledge.service_vectors import VectorOperations, track_for_exit
from knowledge.text import KBTokenizer
from knowledge.trash import Trash
from knowledge.types import Passage
from knowledge.vectors import VectorUpkeep
from models.embeddings.base import Embedder

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]


class KnowledgeService(IngestOperations, VectorOperations, CorpusStatistics, TrashOperations):
    """Knowledge bases: calibrate, manage, search, select; ingest (and preview) come from
    knowledge.service_ingest, the vector operations from knowledge.service_vectors, the corpus statistics
    from knowledge.service_stats, the trash operations from knowledge.service_trash."""

    def __init__(self, settings: KnowledgeSettings, data_dir: Path, embedder: Embedder,
                 reranker: Reranker | None = None, background: bool = True,
                 backend: KnowledgeBackend | None = None) -> None:
        """`background` False: never start embedding or keyword index threads (a command-line run that exits
        soon: it loads or builds the keyword index in its query, as embedded mode does);
        `backend` None: the embedded files under data_dir/kb."""
        self.settings = settings
        self.root = Path(data_dir) / "kb"
        if backend is None:
            catalog = Catalog(self.root / "catalog.sqlite")
            corpus = Corpus(catalog)
            backend = KnowledgeBackend(catalog=catalog, corpus=corpus, trash=Trash(catalog, corpus),
                                       locks=StoreLocks(self.root), chroma_client=None)
        else:
            try:  # each replica keeps its keyword indexes here (built from PostgreSQL per generation)
                self.root.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                log.warning("cannot create %s (keyword indexes stay in memory): %s", self.root, exc)
        self.backend = backend
        self.catalog = backend.catalog
        self.corpus = backend.corpus
        self.trash = backend.trash
        self.locks = backend.locks
        self.embedder = embedder
        self.dense = DenseIndex(self.root / "chroma", embedder, self.locks, client=backend.chroma_client)
        self.retriever = HybridRetriever(settings, self.catalog, self.corpus, self.dense, self.root, reranker,
                                         server=backend.describe == "server", background=background)
        self.job_board = JobBoard()
        self.vectors = VectorUpkeep(settings, self.catalog, self.dense, self.job_board,
                                    on_complete=lambda kb: self.calibrate(kb, only_if_stale=True),
                                    writer=self._writing)
        self.background = background
        self.closed = False
        self._products: dict[str, tuple[int, frozenset[str]]] = {}
        self._unions: dict[tuple[str, ...], tuple[tuple[str, ...], KBTokenizer]] = {}
        track_for_exit(self)

    # ingest (knowledge.service_ingest) ----------------------------------------------------
    def _writing(self, kb: str, wait_s: float | None = None):
        """The base's writer lock (this process and every other); LockBusy after the wait."""
        return self.locks.writer(kb_key(kb), kb, self.settings.writer_wait_s if wait_s is None else wait_s)

    def calibrate(self, kb: str, only_if_stale: bool = False) -> dict | None:
        """Measure the base's selection bars (knowledge.calibration) and store them; None when
        the base is too small or calibration is off. `only_if_stale`: skip when the stored bars
        describe the current generation and, once all vectors are in, the current embedder."""
        if not self.settings.select_calibration:
            return None
        dense = self._dense_on() and self._fully_embedded(kb)
        stored = self.catalog.calibration(kb)
        quantiles = (self.settings.calibration_quantile, self.settings.calibration_strong_quantile)
        if only_if_stale and stored is not None and Calibration.from_json(stored[1]).describes(
                self.catalog.generation(kb), self.catalog.kb_embedder(kb) if dense else "", quantiles):
            return stored[1]
        found = calibrate_base(self.catalog, self.retriever, kb, self.settings, use_dense=dense)
        return found.to_json() if found is not None else None

    def _fully_embedded(self, kb: str) -> bool:
        stats = self.catalog.kb_stats(kb)
        return stats["chunks"] > 0 and stats["embedded"] == stats["chunks"]

    def _dense_on(self) -> bool:
        return self.settings.dense != "off"

    # management ----------------------------------------------------------------------
    def has_kb(self, name: str) -> bool:
        return self.catalog.has_kb(name)

    def kb_names(self) -> list[str]:
        return self.catalog.kb_names()

    def list_kbs(self) -> list[dict]:
        """Per base: documents, chunks, and vector coverage checked against the vector store
        (dense_coverage, vectors, pending_chunks, skipped_chunks, dense_state)."""
        return [self._summary(name) for name in self.catalog.kb_names()]

    def show_kb(self, name: str) -> dict:
        name = self._require(name)
        stats = self.catalog.kb_stats(name)
        coverage, lost = self.vectors.check(name)
        info = {"name": name, "documents": stats["documents"], "chunks": stats["chunks"], **coverage}
        info["document_count"] = info["documents"]
        info["embedder"] = self.catalog.kb_embedder(name)
        info["dense_pending"] = len(self.catalog.pending_documents(name)) + len(lost)
        stored = self.catalog.calibration(name)
        info["calibration"] = stored[1] if stored else None
        info["documents"] = [
            {"source": d["source"], "title": d["title"], "chunks": d["chunks"], "version": d["version"],
             "updated_at": d["updated_at"], "dense": d["state"] == "complete" and d["id"] not in lost}
            for d in self.catalog.documents(name).values()]
        return info

    def _summary(self, name: str) -> dict:
        stats = self.catalog.kb_stats(name)
        return {"name": name, "documents": stats["documents"], "chunks": stats["chunks"], **self.vectors.coverage(name)}

    def delete_kb(self, name: str) -> None:
        """Delete a base for good (also one in the trash)."""
        name = self._name(name)
        if not self.trash.is_trashed(name):
            name = self._require(name)
        with self._writing(name):
            self.catalog.delete_kb(name)
            self.dense.drop(kb_key(name))
        self.retriever.forget(name)

    def delete_document(self, kb: str, source: str) -> None:
        kb = self._require(kb)
        doc = self.catalog.document(kb, source)
        if doc is None:
            raise KnowledgeError(f"知识库 {kb} 中没有文档 {source}")
        chunks = self.catalog.doc_chunks(doc["id"])
        with self._writing(kb):
            self.catalog.delete_document(kb, source)
            self.finish_lexical(kb)
            self._drop_vectors(kb, chunks)

    def document_chunks(self, kb: str, source: str) -> list[dict]:
        kb = self._require(kb)
        doc = self.catalog.document(kb, source)
        if doc is None:
            raise KnowledgeError(f"知识库 {kb} 中没有文档 {source}")
        return [{"chunk_id": r["chunk_id"], "heading_path": json.loads(r["heading_path"]), "text": r["text"],
                 "indexed_text": r["indexed_text"], "kind": r["kind"]} for r in self.catalog.doc_chunks(doc["id"])]

    # retrieval -----------------------------------------------------------------------
    def search(self, query: str, kb: str | None = None, k: int = 8) -> list[Passage]:
        """Hybrid retrieval: BM25 + dense candidates fused by RRF, optional rerank; best first."""
        return self.retrieve(query, kb=kb, k=k, mode="hybrid")

    def search_bases(self, query: str, kbs: Sequence[str], k: int = 8) -> list[Passage]:
        """Hybrid retrieval across several bases, fused into one ranking (knowledge.bases); best first.

        One name is exactly `search`; every passage names its base (`Passage.kb`)."""
        names = list(dict.fromkeys(self._require(name) for name in kbs)) or [self._require(None)]
        if len(names) == 1:
            return self.search(query, kb=names[0], k=k)
        return fuse_bases({name: self.search(query, kb=name, k=k) for name in names}, k, self.settings.rrf_k)

    def keyword_search(self, query: str, kb: str | None = None, k: int = 8) -> list[Passage]:
        """The keyword (BM25) ranking alone, best first (the guard's second look: not the embedder's call)."""
        return self.retrieve(query, kb=kb, k=k, mode="lexical")

    def retrieve(self, query: str, kb: str | None = None, k: int = 8,
                 mode: Literal["hybrid", "lexical", "dense"] = "hybrid") -> list[Passage]:
        """`search` with a choice of rankings (the retrieval benchmark compares the three)."""
        kb = self._require(kb)
        use_dense = mode != "lexical" and self._dense_on() and self.catalog.kb_stats(kb)["embedded"] > 0
        try:
            passages = self.retriever.retrieve(query, kb, k, mode, use_dense)
        except store_errors() as exc:  # a damaged vector folder must not stop keyword search
            log.warning("vector store unreadable, searching by keywords only: %s", exc)
            passages = self.retriever.retrieve(query, kb, k, "lexical" if mode == "dense" else mode, False)
            self.retriever.broken.add(kb)
        if kb in self.retriever.broken:
            self._repair(kb)
        return passages

    def select(self, query: str, passages: list[Passage], max_passages: int = 4,
               alternatives: Mapping[str, Sequence[str]] | None = None) -> list[Passage]:
        """Passages above the relevance threshold, at most max_passages, most relevant LAST;
        `alternatives`: {colloquial word of the query: documentation terms that stand for it}."""
        return self.retriever.select(query, passages, max_passages, alternatives)

    def close(self) -> None:
        """Stop background work and close the stores (a second call does nothing)."""
        if self.closed:
            return
        self.closed = True
        self.vectors.shutdown()
        track_for_exit(self, open_=False)
        if self.retriever.serving is not None:  # a keyword index build still running cannot finish without the pool
            self.retriever.serving.builds.closed = True
        self.retriever.close()
        self.dense.close()
        self.catalog.close()
        if self.backend.close is not None:
            self.backend.close()

    # helpers -------------------------------------------------------------------------
    def _name(self, kb: str | None) -> str:
        name = (kb or self.settings.default_kb).strip()
        if not name or "/" in name or len(name) > 64:
            raise KnowledgeError(f"知识库名称无效：“{kb}”（1-64 个字符，不能包含 /）")
        return name

    def _require(self, kb: str | None) -> str:
        name = self._name(kb)
        if self.trash.is_trashed(name):
            raise KnowledgeError(f"知识库“{name}”在回收站中，恢复后才能使用")
        if not self.catalog.has_kb(name):
            known = "、".join(self.catalog.kb_names()) or "无"
            raise KnowledgeError(f"知识库不存在：{name}（已有：{known}）。请先执行 smart-copilot ingest PATH --kb {name}")
        return name
