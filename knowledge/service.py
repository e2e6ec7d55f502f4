"""KnowledgeService: the knowledge layer's one entry point (see docs/contracts.md).

Owns the catalog + lexical index (data_dir/kb/catalog.sqlite) and the dense index
(data_dir/kb/chroma/). Opening it is cheap: no model, jieba or Chroma load until used.
Tests: `pytest tests/knowledge`.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path
from typing import Callable, Iterator, Literal

from knowledge.catalog import Catalog, kb_key
from knowledge.config import KnowledgeSettings
from knowledge.dense import DenseIndex
from knowledge.embedding import embed_pending, remove_orphans
from knowledge.errors import KnowledgeError
from knowledge.ingest import IngestReport, collect_files, ingest_files
from knowledge.jobs import JobBoard
from knowledge.preview import Preview, preview_files
from knowledge.rerank import Reranker
from knowledge.retrieve import HybridRetriever, passage_from_row
from knowledge.text import add_terms
from knowledge.trash import Trash
from knowledge.types import Passage
from knowledge.uploads import unpack_uploads
from models.embeddings.base import Embedder

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]


class KnowledgeService:
    """Knowledge bases: ingest (and preview), manage, search, select, lexicon, chunk iteration."""

    def __init__(self, settings: KnowledgeSettings, data_dir: Path, embedder: Embedder,
                 reranker: Reranker | None = None) -> None:
        self.settings = settings
        self.root = Path(data_dir) / "kb"
        self.catalog = Catalog(self.root / "catalog.sqlite")
        self.embedder = embedder
        self.dense = DenseIndex(self.root / "chroma", embedder)
        self.retriever = HybridRetriever(settings, self.catalog, self.dense, self.root, reranker)
        self.trash = Trash(self.catalog)
        self._workers: dict[str, threading.Thread] = {}
        self.job_board = JobBoard()
        self._stop = threading.Event()
        self._terms_loaded = False

    # ingest --------------------------------------------------------------------------
    def ingest(self, paths: list[Path], kb: str | None = None, sync: bool = False,
               progress: Progress | None = None) -> IngestReport:
        """Index files/folders into `kb` (incremental), then embed per settings.dense."""
        kb = self._name(kb)
        if self.trash.is_trashed(kb):
            raise KnowledgeError(f"知识库“{kb}”在回收站中：请先恢复它，或换一个名称")
        self._load_terms()
        files = collect_files([Path(p) for p in paths], self.settings.skip_names)
        report = ingest_files(self.catalog, self.settings, kb, files, sync=sync, progress=progress)
        if report.deleted or sync:
            remove_orphans(self.catalog, self.dense, kb) if self._dense_on() else None
        self._dense_phase(kb, progress)
        return report

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
        kb = self._require(kb)
        return embed_pending(self.catalog, self.dense, kb, progress=progress, stop=self._stop)

    def wait_dense(self, timeout: float | None = None) -> None:
        """Wait for background embedding threads (UI uploads, dense='background')."""
        for thread in list(self._workers.values()):
            thread.join(timeout)

    def _dense_on(self) -> bool:
        return self.settings.dense != "off"

    def _dense_phase(self, kb: str, progress: Progress | None) -> None:
        if self.settings.dense == "sync":
            embed_pending(self.catalog, self.dense, kb, progress=progress, stop=self._stop)
        elif self.settings.dense == "background":
            self._start_worker(kb)

    def resume_dense(self) -> list[str]:
        """Start background embedding for every base with dense-pending documents.

        For a long-running app at startup (a run killed mid-embedding, or dense="background"
        work cut short by a restart); returns the bases being completed.
        """
        if self.settings.dense == "off":
            return []
        names = [kb for kb in self.catalog.kb_names() if self.catalog.pending_documents(kb)]
        for kb in names:
            self._start_worker(kb)
        return names

    def _start_worker(self, kb: str) -> None:
        worker = self._workers.get(kb)
        if worker is None or not worker.is_alive():
            worker = threading.Thread(target=self._background, args=(kb,), name=f"embed-{kb}", daemon=True)
            self._workers[kb] = worker
            worker.start()

    def _background(self, kb: str) -> None:
        self.job_board.start(kb, sum(int(d["chunks"]) for d in self.catalog.pending_documents(kb)))
        error: str | None = None
        done = 0

        def report(_stage: str, batch_done: int, batch_total: int) -> None:
            self.job_board.advance(kb, done + batch_done, done + batch_total)

        try:
            while not self._stop.is_set() and self.catalog.pending_documents(kb):
                # small batches: close() waits for the batch in flight
                done += embed_pending(self.catalog, self.dense, kb, stop=self._stop, batch=16, progress=report)
        except Exception as exc:  # a background worker must log, not die silently; search still works lexically
            log.exception("background embedding of knowledge base %s failed", kb)
            error = f"{type(exc).__name__}: {exc}"
        finally:
            self.job_board.finish(kb, error)

    def jobs(self) -> list[dict]:
        """Background work: one `{"kind": "embedding", "kb", "done", "total", "eta_s", "running", ...}` per base
        being embedded (and those finished in the last two minutes)."""
        return self.job_board.list()

    # management ----------------------------------------------------------------------
    def has_kb(self, name: str) -> bool:
        return self.catalog.has_kb(name)

    def list_kbs(self) -> list[dict]:
        return [self._summary(name) for name in self.catalog.kb_names()]

    def show_kb(self, name: str) -> dict:
        name = self._require(name)
        info = self._summary(name)
        info["document_count"] = info["documents"]
        info["embedder"] = self.catalog.kb_embedder(name)
        info["dense_pending"] = len(self.catalog.pending_documents(name))
        info["documents"] = [
            {"source": d["source"], "title": d["title"], "chunks": d["chunks"], "version": d["version"],
             "updated_at": d["updated_at"], "dense": d["state"] == "complete"}
            for d in self.catalog.documents(name).values()]
        return info

    def _summary(self, name: str) -> dict:
        stats = self.catalog.kb_stats(name)
        coverage = stats["embedded"] / stats["chunks"] if stats["chunks"] else 0.0
        return {"name": name, "documents": stats["documents"], "chunks": stats["chunks"],
                "dense_coverage": round(coverage, 4)}

    def delete_kb(self, name: str) -> None:
        """Delete a base for good (also one in the trash)."""
        name = self._name(name)
        if not self.trash.is_trashed(name):
            name = self._require(name)
        self.catalog.delete_kb(name)
        self.dense.drop(kb_key(name))
        self.retriever.forget(name)

    # trash: deleted bases and documents stay restorable until purged (knowledge/trash.py) ---
    def trash_kb(self, name: str) -> None:
        """Hide a base from listing and search; `restore_kb` brings it back with its vectors."""
        name = self._require(name)
        self.trash.trash_kb(name)
        self.retriever.forget(name)

    def restore_kb(self, name: str) -> None:
        name = self._name(name)
        self.trash.restore_kb(name)
        if self.catalog.pending_documents(name):
            self._dense_phase(name, None)

    def trash_document(self, kb: str, source: str) -> int:
        """Move a document to the trash (out of every index); returns its trash id for `restore_document`."""
        kb = self._require(kb)
        doc = self.catalog.documents(kb).get(source)
        first = self.catalog.doc_chunks(doc["id"]) if doc is not None else []
        trash_id = self.trash.trash_document(kb, source)
        if first and self._dense_on():
            self.dense.delete_doc(kb_key(kb), first[0]["chunk_id"].rsplit("-", 2)[0])
        return trash_id

    def restore_document(self, trash_id: int) -> tuple[str, str]:
        """Put a trashed document back as a new version (re-embedded per settings.dense); returns (kb, source)."""
        kb, source = self.trash.restore_document(trash_id)
        self._dense_phase(kb, None)
        return kb, source

    def trashed(self) -> list[dict]:
        """Bases and documents in the trash, most recently deleted first (`id` is "kb:NAME" or "doc:N")."""
        return self.trash.items()

    def purge_trash(self, max_age_s: float, now: float | None = None) -> int:
        """Delete for good what has been in the trash longer than max_age_s; returns how many items."""
        expired = [i for i in self.trash.items() if float(i["deleted_at"]) < (now or time.time()) - max_age_s]
        for item in expired:
            if item["kind"] == "kb":
                self.delete_kb(item["kb"])
            else:
                self.trash.drop_document(int(item["id"].split(":", 1)[1]))
        return len(expired)

    def delete_document(self, kb: str, source: str) -> None:
        kb = self._require(kb)
        rows = self.catalog.documents(kb)
        if source not in rows:
            raise KnowledgeError(f"知识库 {kb} 中没有文档 {source}")
        first = self.catalog.doc_chunks(rows[source]["id"])
        self.catalog.delete_document(kb, source)
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
        self._load_terms()
        use_dense = mode != "lexical" and self._dense_on() and self.catalog.kb_stats(kb)["embedded"] > 0
        return self.retriever.retrieve(query, kb, k, mode, use_dense)

    def select(self, query: str, passages: list[Passage], max_passages: int = 4) -> list[Passage]:
        """Passages above the relevance threshold, at most max_passages, most relevant LAST."""
        return self.retriever.select(query, passages, max_passages)

    def lexicon(self, kb: str | None = None) -> set[str]:
        """Domain terms mined at ingest (lower-cased); all bases when kb is None."""
        if kb is not None:
            kb = self._require(kb)
        return {t for t, _ in self.catalog.terms(kb)}

    def iter_chunks(self, kb: str | None = None) -> Iterator[Passage]:
        """Every chunk of one base (or of all bases when kb is None), in ingest order."""
        names = [self._require(kb)] if kb is not None else self.catalog.kb_names()
        for name in names:
            for row in self.catalog.iter_chunks(name):
                yield passage_from_row(row, 0.0, None, None)

    def close(self) -> None:
        self._stop.set()
        self.wait_dense()
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
        if self.trash.is_trashed(name):
            raise KnowledgeError(f"知识库“{name}”在回收站中，恢复后才能使用")
        if not self.catalog.has_kb(name):
            known = "、".join(self.catalog.kb_names()) or "无"
            raise KnowledgeError(f"知识库不存在：{name}（已有：{known}）。请先执行 smart-copilot ingest PATH --kb {name}")
        return name

    def _load_terms(self) -> None:
        if not self._terms_loaded:
            add_terms(t for t, _ in self.catalog.terms(None))
            self._terms_loaded = True
