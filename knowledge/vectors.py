"""Keeping each base's vectors complete and truthful: the dense phase, background workers, coverage.

- `embed(kb)` runs the dense phase in the caller's thread; `start(kb)` in a background
  worker (UI uploads, dense="background", server start). A worker stops between small
  batches when asked; at interpreter exit the service's atexit hook stops and joins it, and
  the worker logs how much is left, so embedding never dies unseen with its process.
  Workers report to a `JobBoard` (done/total/ETA for the status tab) and call
  `on_complete(kb)` once a base is fully embedded (the service recalibrates it).
- `verify(kb)` compares what the catalog says is embedded with what the vector store holds:
  documents whose vectors are gone (folder deleted) go back to pending; an unreadable store
  (damaged folder) is moved aside and every base is re-embedded. Run by ingest and at start.
- `coverage(kb)` reports from the store itself, not from the catalog's record.
Used by KnowledgeService; tested in tests/knowledge/test_vectors.py.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import Callable, ContextManager

from knowledge.catalog import Catalog, kb_key
from knowledge.config import KnowledgeSettings
from knowledge.dense import DenseIndex, store_errors
from knowledge.embed_plan import EmbedPlan
from knowledge.embedding import embed_pending, held_vectors, verify_vectors
from knowledge.errors import VectorServerUnavailable
from knowledge.jobs import JobBoard
from knowledge.locks import LockBusy

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
Writer = Callable[[str, float], ContextManager[object]]
BUSY_RETRY_S = 1.0


class VectorUpkeep:
    """The dense side of the knowledge bases of one data directory."""

    def __init__(self, settings: KnowledgeSettings, catalog: Catalog, dense: DenseIndex,
                 jobs: JobBoard | None = None, on_complete: Callable[[str], object] | None = None,
                 writer: Writer | None = None) -> None:
        """`writer(kb, wait_s)`: the base's writer lock across processes (KnowledgeService._writing);
        a background worker takes it per batch without waiting and retries while another writer has it."""
        self.settings = settings
        self.catalog = catalog
        self.dense = dense
        self.jobs = jobs or JobBoard()
        self.on_complete = on_complete
        self.writer = writer
        self.plan = EmbedPlan(settings.dense_text_chars, settings.dense_skip_code)
        self.stop = threading.Event()
        self._workers: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()

    # work -----------------------------------------------------------------------------
    def embed(self, kb: str, progress: Progress | None = None, batch: int = 64) -> int:
        """Embed every pending document of `kb` now; returns the chunks processed."""
        with self._lock:  # one dense phase per base at a time in this process
            return embed_pending(self.catalog, self.dense, kb, self.plan, progress=progress, stop=self.stop, batch=batch)

    def start(self, kb: str) -> None:
        """Embed `kb`'s pending documents in a background worker (one per base). The job is on the
        board before the worker starts, so whoever reads the board sees every worker that is alive."""
        worker = self._workers.get(kb)
        if worker is None or not worker.is_alive():
            self.jobs.start(kb, sum(int(d["chunks"]) for d in self.catalog.pending_documents(kb)))
            worker = threading.Thread(target=self._background, args=(kb,), name=f"embed-{kb}", daemon=True)
            self._workers[kb] = worker
            try:
                worker.start()
            except RuntimeError as exc:  # no thread could be started (interpreter exiting): not left "running"
                self.jobs.finish(kb, f"{type(exc).__name__}: {exc}")
                raise

    def running(self) -> list[str]:
        """Bases whose worker is alive (the service's exit hook); others read the job board."""
        return [kb for kb, w in self._workers.items() if w.is_alive()]

    def wait(self, timeout: float | None = None) -> None:
        for thread in list(self._workers.values()):
            thread.join(timeout)

    def shutdown(self, timeout: float | None = None) -> None:
        """Stop workers after their batch in flight (their progress is committed) and wait."""
        self.stop.set()
        self.wait(timeout)

    def _background(self, kb: str) -> None:
        done = 0  # the job was put on the board by start()

        def report(_stage: str, batch_done: int, batch_total: int) -> None:
            self.jobs.advance(kb, done + batch_done, done + batch_total)

        try:
            while not self.stop.is_set() and self.catalog.pending_documents(kb):
                # small batches, the writer lock per batch: shutdown waits for one batch, and an ingest
                # from another process gets its turn between batches
                try:
                    with self.writer(kb, 0) if self.writer else contextlib.nullcontext():
                        done += self.embed(kb, report, batch=16)
                except LockBusy:
                    self.stop.wait(BUSY_RETRY_S)  # another writer is at it; it embeds what it ingests
            if self.on_complete is not None and not self.stop.is_set() and self.catalog.has_kb(kb):
                self.on_complete(kb)
        except Exception as exc:  # a background worker must log, not die silently; search still works lexically
            log.exception("background embedding of knowledge base %s failed", kb)
            self.jobs.finish(kb, f"{type(exc).__name__}: {exc}")
            return
        self.jobs.finish(kb)
        left = sum(d["chunks"] for d in self.catalog.pending_documents(kb))
        if left:
            log.warning("embedding of knowledge base %s paused with %d chunks left; it resumes at the next start "
                        "or with `smart-copilot ingest`", kb, left)

    # truth ----------------------------------------------------------------------------
    def verify(self, kb: str, probe: bool = False) -> int:
        """Documents sent back to pending because the store lost their vectors (`probe`: also run
        one query through the base's index, which finds an index Chroma cannot search)."""
        if not self.catalog.kb_stats(kb)["embedded"]:
            return 0
        try:
            missing = verify_vectors(self.catalog, self.dense, kb)
            if probe and not missing and self.dense.count(kb_key(kb)):
                self.dense.probe(kb_key(kb))
        except store_errors() as exc:
            if self.dense.remote:  # a Chroma server's error: nothing local to rebuild; the next check retries
                log.warning("the Chroma server could not check the vectors of %s: %s", kb, exc)
                return 0
            moved = self.dense.set_aside()
            log.warning("vector store unreadable (%s): moved to %s; every base will be re-embedded", exc, moved)
            for name in self.catalog.kb_names():
                self.catalog.mark_pending([d["id"] for d in self.catalog.embedded_documents(name)])
            return len(self.catalog.pending_documents(kb))
        if missing:
            log.warning("vector store lacks the vectors of %d documents of %s: they will be re-embedded", missing, kb)
        return missing

    def coverage(self, kb: str) -> dict:
        """Share of chunks whose dense phase is done, checked against the vector store."""
        return self.check(kb)[0]

    def check(self, kb: str) -> tuple[dict, set[int]]:
        """(coverage summary, ids of documents recorded complete whose vectors the store lacks)."""
        stats = self.catalog.kb_stats(kb)
        docs = self.catalog.embedded_documents(kb)
        state, held, lost = "ok", 0, set()
        if stats["vectors"]:
            try:
                held, missing = held_vectors(self.catalog, self.dense, kb)
                lost = set(missing)
            except store_errors():
                state, lost = "unreadable", {d["id"] for d in docs}
            except VectorServerUnavailable:  # the Chroma server is down: report what the catalog recorded
                state, held = "unavailable", stats["vectors"]
        done = sum(d["chunks"] for d in docs if d["id"] not in lost)
        skipped = sum(d["chunks"] - d["vectors"] for d in docs if d["id"] not in lost)
        chunks = stats["chunks"]
        summary = {"dense_coverage": round(done / chunks, 4) if chunks else 0.0, "vectors": held,
                   "pending_chunks": chunks - done, "skipped_chunks": skipped,
                   "dense_state": state if state in ("unreadable", "unavailable") else
                   ("complete" if done == chunks else "partial")}
        return summary, lost
