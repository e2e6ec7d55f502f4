"""KnowledgeService's vector operations: the dense phase on demand, in the background, and at exit.

A mixin over the service's settings, catalog, vector upkeep (knowledge.vectors.VectorUpkeep) and
retriever, kept apart so the service module stays small: finishing or checking a base's vectors,
waiting for or resuming background embedding, repairing an unreadable index after a search, the
job list and the keyword-fallback notice of server mode. At interpreter exit every open service's
workers are stopped after their batch in flight (`track_for_exit`).
Tests: tests/knowledge/test_vectors.py, test_exit.py (server mode: tests/storage/test_vector_outage.py).
"""

from __future__ import annotations

import concurrent.futures.thread  # noqa: F401  (its exit hook is registered before ours: see below)
import logging
import threading
import weakref
from typing import Any, Callable, ContextManager, Protocol

from knowledge.catalog import kb_key
from knowledge.errors import VectorServerUnavailable
from knowledge.locks import LockBusy

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
_OPEN: "weakref.WeakSet[Any]" = weakref.WeakSet()


class _Service(Protocol):
    """What the operations use of the KnowledgeService they are mixed into."""

    settings: Any
    catalog: Any
    dense: Any
    vectors: Any
    retriever: Any
    job_board: Any
    background: bool

    def _require(self, kb: str | None) -> str: ...

    def _writing(self, kb: str, wait_s: float | None = None) -> ContextManager[Any]: ...

    def _summary(self, name: str) -> dict: ...

    def _dense_on(self) -> bool: ...

    def calibrate(self, kb: str, only_if_stale: bool = False) -> dict | None: ...


def track_for_exit(service: Any, open_: bool = True) -> None:
    """Stop `service`'s background embedding at interpreter exit (`open_` False: it was closed)."""
    if open_:
        _OPEN.add(service)
    else:
        _OPEN.discard(service)


def _stop_background_work() -> None:
    """At interpreter exit, stop and join every open service's embedding workers."""
    for service in list(_OPEN):
        service._at_exit()


# Threading's exit hooks run last-registered first, before atexit's and before non-daemon threads are
# joined: ours runs ahead of concurrent.futures', so a batch in flight can still use a thread pool
# (chromadb's first import does) instead of failing with "cannot schedule new futures after shutdown".
threading._register_atexit(_stop_background_work)  # type: ignore[attr-defined]


class VectorOperations:
    """embed_pending / complete_vectors / wait_dense / resume_dense / vector_status / jobs /
    vector_fallbacks / vector_notice, and the dense phase and repair the service runs."""

    def embed_pending(self: _Service, kb: str | None = None, progress: Progress | None = None) -> int:
        """Finish dense embedding of every pending document (repair after a crash)."""
        kb = self._require(kb)
        with self._writing(kb):
            done = self.vectors.embed(kb, progress)
        self.calibrate(kb, only_if_stale=True)  # the bars now include the vectors
        return done

    def complete_vectors(self: _Service, kb: str | None = None, progress: Progress | None = None) -> int:
        """Check the base's vectors against the store, then embed whatever is missing, now."""
        kb = self._require(kb)
        with self._writing(kb):
            self.vectors.verify(kb)
            done = self.vectors.embed(kb, progress)
        self.calibrate(kb, only_if_stale=True)
        return done

    def wait_dense(self: _Service, timeout: float | None = None) -> None:
        """Wait for background embedding threads (UI uploads, dense='background')."""
        self.vectors.wait(timeout)

    def resume_dense(self: _Service) -> list[str]:
        """Check every base's vectors against the store and finish pending ones in the background.

        For a long-running app at startup (a run killed mid-embedding, dense="background"
        work cut short by a restart, a deleted or damaged vector folder); returns the bases
        being completed.
        """
        if self.settings.dense == "off" or not self.background:
            return []
        names = []
        for kb in self.catalog.kb_names():
            try:
                self.vectors.verify(kb)
            except VectorServerUnavailable as exc:  # the server is down: keyword search serves until it is back
                log.warning("cannot check the vectors of %s: %s", kb, exc)
            if self.catalog.pending_documents(kb):
                self.vectors.start(kb)
                names.append(kb)
        return names

    def _dense_phase(self: _Service, kb: str, progress: Progress | None) -> None:
        """Embed what is pending now ("sync", under the writer lock) or in the background; callers hold no lock."""
        if self.settings.dense == "sync":
            with self._writing(kb):
                self.vectors.embed(kb, progress)
        elif self.settings.dense == "background" and self.background:
            self.vectors.start(kb)

    def vector_status(self: _Service, kb: str | None = None) -> dict:
        """Vector coverage of a base as the vector store holds it (see `list_kbs`)."""
        return self._summary(self._require(kb))

    def _at_exit(self: _Service) -> None:
        running = self.vectors.running()
        if running:
            log.warning("stopping background embedding of %s at exit", "、".join(running))
            self.vectors.shutdown(timeout=60)

    def jobs(self: _Service) -> list[dict]:
        """Background work: one `{"kind": "embedding", "kb", "done", "total", "eta_s", "running", ...}` per base
        being embedded (and those finished in the last two minutes)."""
        return self.job_board.list()

    def vector_fallbacks(self: _Service) -> int:
        """How many searches so far ranked by keywords only because the Chroma server was unreachable;
        read it before a search or a turn, then pass it to `vector_notice`."""
        return self.retriever.health.fallbacks

    def vector_notice(self: _Service, since: int) -> str | None:
        """The Chinese warning to show when a search after `since` fell back to keywords (server still down)."""
        return self.retriever.health.notice(since)

    def _drop_vectors(self: _Service, kb: str, chunks: list) -> None:
        """Remove a deleted document's vectors; `chunks`: its rows as they were (their ids carry the document key)."""
        if chunks and self._dense_on():
            self.dense.delete_doc(kb_key(kb), chunks[0]["chunk_id"].rsplit("-", 2)[0])

    def _repair(self: _Service, kb: str) -> None:
        """A search found the base's vectors unreadable: have them checked and rebuilt now unless a
        writer is busy (then it stays lexical and the next search or run tries again)."""
        try:
            with self._writing(kb, wait_s=0):
                self.retriever.broken.discard(kb)
                self.vectors.verify(kb, probe=True)
        except LockBusy:
            return
        if self.catalog.pending_documents(kb) and self.settings.dense == "background" and self.background:
            self.vectors.start(kb)
