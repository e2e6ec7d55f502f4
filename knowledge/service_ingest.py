"""KnowledgeService's ingest operations: files, folders and UI uploads into a base; previews.

A mixin over the service's settings, catalog, corpus, trash, retriever and vector upkeep, kept
apart so the service module stays small. Ingest writes the keyword side first, under the base's
writer lock; the dense side follows per settings.dense. A Chroma server that cannot be reached
(storage.mode = server) does not fail the ingest: the documents are in and keyword-searchable,
their vectors stay pending, and the report carries a Chinese notice (`notices`) saying the
vectors are written at the next ingest or app start (VectorUpkeep.verify / resume_dense).
Tests: tests/knowledge/test_ingest.py (server mode: tests/storage/test_vector_outage.py).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Callable, ContextManager, Protocol

from knowledge.embedding import remove_orphans
from knowledge.errors import KnowledgeError, VectorServerUnavailable
from knowledge.ingest import IngestReport, ingest_files
from knowledge.ingest_sources import collect_files
from knowledge.preview import Preview, preview_files
from knowledge.uploads import unpack_uploads

Progress = Callable[[str, int, int], None]
VECTORS_LATER = ("向量检索服务暂时无法连接：知识库“{kb}”的文档已按关键词索引，现在就可以检索；"
                 "向量会在服务恢复后的下一次导入或应用启动时自动补齐，期间只用关键词检索。")


class _Service(Protocol):
    """What the operations use of the KnowledgeService they are mixed into."""

    settings: Any
    catalog: Any
    corpus: Any
    trash: Any
    dense: Any
    vectors: Any
    retriever: Any
    background: bool

    def _name(self, kb: str | None) -> str: ...

    def _writing(self, kb: str, wait_s: float | None = None) -> ContextManager[Any]: ...

    def _dense_on(self) -> bool: ...

    def calibrate(self, kb: str, only_if_stale: bool = False) -> dict | None: ...

    def finish_lexical(self, kb: str) -> None: ...

    def ingest(self, paths: list[Path], kb: str | None = None, sync: bool = False,
               progress: Progress | None = None, track_origin: bool = True) -> IngestReport: ...


class IngestOperations:
    """Ingest, uploads and previews of KnowledgeService."""

    def ingest(self: _Service, paths: list[Path], kb: str | None = None, sync: bool = False,
               progress: Progress | None = None, track_origin: bool = True) -> IngestReport:
        """Index files/folders into `kb` (incremental), then embed per settings.dense."""
        kb = self._name(kb)
        if self.trash.is_trashed(kb):
            raise KnowledgeError(f"知识库“{kb}”在回收站中：请先恢复它，或换一个名称")
        skipped: list[dict] = []
        origins: dict[str, str] | None = {} if track_origin else None  # uploads come from temp folders
        files = collect_files([Path(p) for p in paths], self.settings.skip_names, skipped, origins)
        unreachable = False
        with self._writing(kb):
            report = ingest_files(self.catalog, self.corpus, self.settings, kb, files, sync=sync, progress=progress,
                                  origins=origins)
            report.files.extend(skipped)
            self.finish_lexical(kb)
            try:
                if self._dense_on():
                    if report.deleted or sync:
                        remove_orphans(self.catalog, self.dense, kb)
                    self.vectors.verify(kb)  # a deleted or damaged vector folder is re-embedded now
                if self.settings.dense == "sync":
                    self.vectors.embed(kb, progress)
            except VectorServerUnavailable:  # the documents are in; their vectors stay pending
                unreachable = True
            if self.catalog.has_kb(kb):
                self.calibrate(kb, only_if_stale=True)  # inside the lock: bars of the generation just written
        if unreachable:
            report.notices.append(VECTORS_LATER.format(kb=kb))
        elif self.settings.dense == "background" and self.background:
            self.vectors.start(kb)
        return report

    def finish_lexical(self: _Service, kb: str) -> None:
        """After the lexical rows of `kb` changed: store its topics and BM25 arrays for this generation,
        so the next process's first query reads them instead of building them."""
        self.corpus.refresh_topics(kb)
        self.corpus.refresh_word_counts(kb)
        self.corpus.refresh_aliases(kb)
        if self.retriever.serving is None or not self.retriever.serving.sql_only(kb):
            self.retriever.lexical(kb)  # BM25 arrays and page index, saved for this generation and tokenizer

    def ingest_uploads(self: _Service, files: list[tuple[str, bytes]], kb: str | None = None) -> IngestReport:
        """UI uploads (name, content); zip archives are expanded, sources are the names inside."""
        with tempfile.TemporaryDirectory(prefix="sc-upload-") as tmp:
            problems = unpack_uploads(files, Path(tmp))
            report = (self.ingest([Path(tmp)], kb=kb, track_origin=False) if any(Path(tmp).iterdir())
                      else IngestReport(kb=self._name(kb)))
        for source, error in problems:
            report.files.append({"source": source, "status": "failed", "chunks": 0, "error": error})
        return report

    def preview(self: _Service, paths: list[Path]) -> Preview:
        """What ingest would make of these files/folders (documents and chunks), indexing nothing."""
        return preview_files([Path(p) for p in paths], self.settings)
