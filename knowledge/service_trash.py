"""KnowledgeService's trash operations: deleted bases and documents stay restorable until purged.

A mixin over the service's catalog, trash store (knowledge/trash.py or knowledge/pg/trash.py),
dense index, retriever and writer lock, kept apart so the service module stays small. Every
change holds the base's writer lock, like ingest.
Tests: tests/knowledge/test_trash.py (server mode: tests/storage/test_knowledge_server.py).
"""

from __future__ import annotations

import time
from typing import Any, ContextManager, Protocol


class _Service(Protocol):
    """What the operations use of the KnowledgeService they are mixed into."""

    catalog: Any
    trash: Any
    dense: Any
    retriever: Any

    def _require(self, kb: str | None) -> str: ...

    def _name(self, kb: str | None) -> str: ...

    def _drop_vectors(self, kb: str, chunks: list) -> None: ...

    def _dense_phase(self, kb: str, progress: Any) -> None: ...

    def _writing(self, kb: str, wait_s: float | None = None) -> ContextManager[Any]: ...

    def delete_kb(self, name: str) -> None: ...


class TrashOperations:
    """trash_kb / restore_kb / trash_document / restore_document / trashed / purge_trash."""

    def trash_kb(self: _Service, name: str) -> None:
        """Hide a base from listing and search; `restore_kb` brings it back with its vectors."""
        name = self._require(name)
        with self._writing(name):
            self.trash.trash_kb(name)
        self.retriever.forget(name)

    def restore_kb(self: _Service, name: str) -> None:
        name = self._name(name)
        with self._writing(name):
            self.trash.restore_kb(name)
        if self.catalog.pending_documents(name):
            self._dense_phase(name, None)

    def trash_document(self: _Service, kb: str, source: str) -> int:
        """Move a document to the trash (out of every index); returns its trash id for `restore_document`."""
        kb = self._require(kb)
        with self._writing(kb):
            doc = self.catalog.document(kb, source)
            chunks = self.catalog.doc_chunks(doc["id"]) if doc is not None else []
            trash_id = self.trash.trash_document(kb, source)
            self._drop_vectors(kb, chunks)
        return trash_id

    def restore_document(self: _Service, trash_id: int) -> tuple[str, str]:
        """Put a trashed document back as a new version (re-embedded per settings.dense); returns (kb, source)."""
        with self._writing(self.trash.document_kb(trash_id)):
            kb, source = self.trash.restore_document(trash_id)
        self._dense_phase(kb, None)
        return kb, source

    def trashed(self: _Service) -> list[dict]:
        """Bases and documents in the trash, most recently deleted first (`id` is "kb:NAME" or "doc:N")."""
        return self.trash.items()

    def purge_trash(self: _Service, max_age_s: float, now: float | None = None) -> int:
        """Delete for good what has been in the trash longer than max_age_s; returns how many items."""
        expired = [i for i in self.trash.items() if float(i["deleted_at"]) < (now or time.time()) - max_age_s]
        for item in expired:
            if item["kind"] == "kb":
                self.delete_kb(item["kb"])
            else:
                self.trash.drop_document(int(item["id"].split(":", 1)[1]))
        return len(expired)
