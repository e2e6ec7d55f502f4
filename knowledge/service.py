"""KnowledgeService: the knowledge layer's one entry point (see docs/contracts.md).

Owns the catalog + lexical index (data_dir/kb/catalog.sqlite) and the dense index
(data_dir/kb/chroma/). Opening it is cheap: no model, jieba or Chroma load until used.
Tests: `pytest tests/knowledge`.
"""

from __future__ import annotations

import atexit
import json
import logging
from pathlib import Path
from typing import Callable, Iterator, Literal

from knowledge.catalog import Catalog, kb_key
from knowledge.config import KnowledgeSettings
from knowledge.corpus import Corpus
from knowledge.dense import DenseIndex
from knowledge.dense import store_errors
from knowledge.embedding import remove_orphans
from knowledge.errors import KnowledgeError
from knowledge.ingest import IngestReport, collect_files, ingest_files
from knowledge.preview import Preview, preview_files
from knowledge.rerank import Reranker
from knowledge.retrieve import HybridRetriever, passage_from_row
from knowledge.text import tokenize as plain_tokenize
from knowledge.types import Passage
from knowledge.uploads import unpack_uploads
from knowledge.vectors import VectorUpkeep
from models.embeddings.base import Embedder

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]


class KnowledgeService:
    """Knowledge bases: ingest (and preview), manage, search, select, lexicon, chunk iteration."""

    def __init__(self, settings: KnowledgeSettings, data_dir: Path, embedder: Embedder,
                 reranker: Reranker | None = None, background: bool = True) -> None:
        """`background` False: never start embedding threads (a command-line run that exits soon)."""
        self.settings = settings
        self.root = Path(data_dir) / "kb"
        self.catalog = Catalog(self.root / "catalog.sqlite")
        self.corpus = Corpus(self.catalog)
        self.embedder = embedder
        self.dense = DenseIndex(self.root / "chroma", embedder)
        self.retriever = HybridRetriever(settings, self.catalog, self.corpus, self.dense, self.root, reranker)
        self.vectors = VectorUpkeep(settings, self.catalog, self.dense)
        self.background = background
        atexit.register(self._at_exit)

    # ingest --------------------------------------------------------------------------
    def ingest(self, paths: list[Path], kb: str | None = None, sync: bool = False,
               progress: Progress | None = None) -> IngestReport:
        """Index files/folders into `kb` (incremental), then embed per settings.dense."""
        kb = self._name(kb)
        files = collect_files([Path(p) for p in paths], self.settings.skip_names)
        report = ingest_files(self.catalog, self.corpus, self.settings, kb, files, sync=sync, progress=progress)
        self.finish_lexical(kb)
        if self._dense_on():
            if report.deleted or sync:
                remove_orphans(self.catalog, self.dense, kb)
            self.vectors.verify(kb)  # a deleted or damaged vector folder is re-embedded now
        self._dense_phase(kb, progress)
        return report

    def finish_lexical(self, kb: str) -> None:
        """After the lexical rows of `kb` changed: store its topics and BM25 arrays for this generation,
        so the next process's first query reads them instead of building them."""
        self.corpus.refresh_topics(kb)
        self.retriever.bm25(kb)

    def ingest_uploads(self, files: list[tuple[str, bytes]], kb: str | None = None) -> IngestReport:
        """UI uploads (name, content); zip archives are expanded, sources are the names inside."""
        import tempfile

        with tempfile.TemporaryDirectory(prefix="sc-upload-") as tmp:
            problems = unpack_uploads(files, Path(tmp))
            report = self.ingest([Path(tmp)], kb=kb) if any(Path(tmp).iterdir()) else IngestReport(kb=self._name(kb))
        for source, error in problems:
            report.files.append({"source": source, "status": "failed", "chunks": 0, "error": error})
        return report

    def preview(self, paths: list[Path]) -> Preview:
        """What ingest would make of these files/folders (documents and chunks), indexing nothing."""
        return preview_files([Path(p) for p in paths], self.settings)

    def embed_pending(self, kb: str | None = None, progress: Progress | None = None) -> int:
        """Finish dense embedding of every pending document (repair after a crash)."""
        return self.vectors.embed(self._require(kb), progress)

    def complete_vectors(self, kb: str | None = None, progress: Progress | None = None) -> int:
        """Check the base's vectors against the store, then embed whatever is missing, now."""
        kb = self._require(kb)
        self.vectors.verify(kb)
        return self.vectors.embed(kb, progress)

    def wait_dense(self, timeout: float | None = None) -> None:
        """Wait for background embedding threads (UI uploads, dense='background')."""
        self.vectors.wait(timeout)

    def _dense_on(self) -> bool:
        return self.settings.dense != "off"

    def _dense_phase(self, kb: str, progress: Progress | None) -> None:
        if self.settings.dense == "sync":
            self.vectors.embed(kb, progress)
        elif self.settings.dense == "background" and self.background:
            self.vectors.start(kb)

    def resume_dense(self) -> list[str]:
        """Check every base's vectors against the store and finish pending ones in the background.

        For a long-running app at startup (a run killed mid-embedding, dense="background"
        work cut short by a restart, a deleted or damaged vector folder); returns the bases
        being completed.
        """
        if self.settings.dense == "off" or not self.background:
            return []
        names = []
        for kb in self.catalog.kb_names():
            self.vectors.verify(kb)
            if self.catalog.pending_documents(kb):
                self.vectors.start(kb)
                names.append(kb)
        return names

    def vector_status(self, kb: str | None = None) -> dict:
        """Vector coverage of a base as the vector store holds it (see `list_kbs`)."""
        return self._summary(self._require(kb))

    def _at_exit(self) -> None:
        running = self.vectors.running()
        if running:
            log.warning("stopping background embedding of %s at exit", "、".join(running))
            self.vectors.shutdown(timeout=60)

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
        info["documents"] = [
            {"source": d["source"], "title": d["title"], "chunks": d["chunks"], "version": d["version"],
             "updated_at": d["updated_at"], "dense": d["state"] == "complete" and d["id"] not in lost}
            for d in self.catalog.documents(name).values()]
        return info

    def _summary(self, name: str) -> dict:
        stats = self.catalog.kb_stats(name)
        return {"name": name, "documents": stats["documents"], "chunks": stats["chunks"], **self.vectors.coverage(name)}

    def delete_kb(self, name: str) -> None:
        name = self._require(name)
        self.catalog.delete_kb(name)
        self.dense.drop(kb_key(name))
        self.retriever.forget(name)

    def delete_document(self, kb: str, source: str) -> None:
        kb = self._require(kb)
        rows = self.catalog.documents(kb)
        if source not in rows:
            raise KnowledgeError(f"知识库 {kb} 中没有文档 {source}")
        first = self.catalog.doc_chunks(rows[source]["id"])
        self.catalog.delete_document(kb, source)
        self.finish_lexical(kb)
        if first and self._dense_on():
            self.dense.delete_doc(kb_key(kb), first[0]["chunk_id"].rsplit("-", 2)[0])

    def document_chunks(self, kb: str, source: str) -> list[dict]:
        kb = self._require(kb)
        doc = self.catalog.documents(kb).get(source)
        if doc is None:
            raise KnowledgeError(f"知识库 {kb} 中没有文档 {source}")
        return [{"chunk_id": r["chunk_id"], "heading_path": json.loads(r["heading_path"]), "text": r["text"],
                 "indexed_text": r["indexed_text"], "kind": r["kind"]} for r in self.catalog.doc_chunks(doc["id"])]

    # retrieval -----------------------------------------------------------------------
    def search(self, query: str, kb: str | None = None, k: int = 8) -> list[Passage]:
        """Hybrid retrieval: BM25 + dense candidates fused by RRF, optional rerank; best first."""
        return self.retrieve(query, kb=kb, k=k, mode="hybrid")

    def retrieve(self, query: str, kb: str | None = None, k: int = 8,
                 mode: Literal["hybrid", "lexical", "dense"] = "hybrid") -> list[Passage]:
        """`search` with a choice of rankings (the retrieval benchmark compares the three)."""
        kb = self._require(kb)
        use_dense = mode != "lexical" and self._dense_on() and self.catalog.kb_stats(kb)["embedded"] > 0
        try:
            return self.retriever.retrieve(query, kb, k, mode, use_dense)
        except store_errors() as exc:  # a damaged vector folder must not stop keyword search
            log.warning("vector store unreadable, searching by keywords only: %s", exc)
            return self.retriever.retrieve(query, kb, k, "lexical" if mode == "dense" else mode, False)

    def select(self, query: str, passages: list[Passage], max_passages: int = 4) -> list[Passage]:
        """Passages above the relevance threshold, at most max_passages, most relevant LAST."""
        return self.retriever.select(query, passages, max_passages)

    def lexicon(self, kb: str | None = None) -> set[str]:
        """Domain terms mined at ingest (lower-cased); all bases when kb is None."""
        if kb is not None:
            kb = self._require(kb)
        return {t for t, _ in self.catalog.terms(kb)}

    # corpus statistics (stored with the index; nothing here scans the chunks) ---------
    def generation(self, kb: str | None = None) -> int:
        """Counter that changes whenever a base's lexical index does (all bases: their sum)."""
        return sum(self.catalog.generation(name) for name in self._names(kb))

    def tokenize(self, text: str, kb: str | None = None) -> list[str]:
        """Tokens as the base's lexical index makes them (no base: without domain terms)."""
        return self.corpus.tokenizer(self._require(kb)).tokenize(text) if kb is not None else plain_tokenize(text)

    def doc_frequencies(self, tokens: list[str], kb: str | None = None) -> tuple[int, dict[str, int]]:
        """(chunks, {token: chunks containing it}) of one base, or summed over all bases."""
        total, counts = 0, dict[str, int]()
        for name in self._names(kb):
            n, found = self.corpus.doc_frequencies(name, tokens)
            total += n
            for token, df in found.items():
                counts[token] = counts.get(token, 0) + df
        return total, counts

    def cooccurrence(self, token: str, others: list[str], kb: str | None = None) -> tuple[int, int]:
        """(chunks containing `token`, those also containing one of `others`)."""
        pairs = [self.corpus.cooccurrence(name, token, others) for name in self._names(kb)]
        return sum(a for a, _ in pairs), sum(b for _, b in pairs)

    def topics(self, kb: str | None = None) -> list[str]:
        """What a base covers: the domain terms most of its document titles use."""
        merged: list[str] = []
        for name in self._names(kb):
            merged += [t for t in self.corpus.topics(name) if t not in merged]
        return merged[:6]

    def iter_chunks(self, kb: str | None = None) -> Iterator[Passage]:
        """Every chunk of one base (or of all bases when kb is None), in ingest order."""
        names = [self._require(kb)] if kb is not None else self.catalog.kb_names()
        for name in names:
            for row in self.catalog.iter_chunks(name):
                yield passage_from_row(row, 0.0, None, None)

    def close(self) -> None:
        self.vectors.shutdown()
        atexit.unregister(self._at_exit)
        self.retriever.close()
        self.dense.close()
        self.catalog.close()

    # helpers -------------------------------------------------------------------------
    def _name(self, kb: str | None) -> str:
        name = (kb or self.settings.default_kb).strip()
        if not name or "/" in name or len(name) > 64:
            raise KnowledgeError(f"知识库名称无效：“{kb}”（1-64 个字符，不能包含 /）")
        return name

    def _require(self, kb: str | None) -> str:
        name = self._name(kb)
        if not self.catalog.has_kb(name):
            known = "、".join(self.catalog.kb_names()) or "无"
            raise KnowledgeError(f"知识库不存在：{name}（已有：{known}）。请先执行 smart-copilot ingest PATH --kb {name}")
        return name

    def _names(self, kb: str | None) -> list[str]:
        return [self._require(kb)] if kb is not None else self.catalog.kb_names()
