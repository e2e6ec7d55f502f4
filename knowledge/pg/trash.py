"""The trash in PostgreSQL: knowledge.trash.Trash's API over PgCatalog (same rules, shared by replicas).

A trashed base keeps its rows and vectors and is hidden by `kb_trash`; a trashed document
is copied into `doc_trash` and removed from the index in one transaction, restored as a
new version (dense-pending). Tests: tests/storage/test_knowledge_server.py.
"""

from __future__ import annotations

import json
import time
from typing import Any

from knowledge.errors import KnowledgeError
from knowledge.pg.catalog import PgCatalog
from knowledge.pg.corpus import PgCorpus
from knowledge.trash import chunk_copies, listing, missing_document, restore_row


class PgTrash:
    def __init__(self, catalog: PgCatalog, corpus: PgCorpus) -> None:
        self.catalog = catalog
        self.corpus = corpus

    def is_trashed(self, kb: str) -> bool:
        row = self.catalog.base_row(kb)
        return row is not None and bool(row["trashed"])

    def trash_kb(self, kb: str) -> None:
        with self.catalog.transaction() as conn:
            conn.execute("INSERT INTO kb_trash (name, deleted_at) VALUES (%s, %s) ON CONFLICT (name) "
                         "DO UPDATE SET deleted_at = excluded.deleted_at", (kb, time.time()))

    def restore_kb(self, kb: str) -> None:
        with self.catalog.transaction() as conn:
            if conn.execute("DELETE FROM kb_trash WHERE name = %s", (kb,)).rowcount == 0:
                raise KnowledgeError(f"回收站中没有知识库 {kb}")

    def trash_document(self, kb: str, source: str) -> int:
        doc = self.catalog.document(kb, source)
        if doc is None:
            raise KnowledgeError(f"知识库 {kb} 中没有文档 {source}")
        chunks = chunk_copies(self.catalog.doc_chunks(doc["id"]))
        with self.catalog.transaction() as conn:  # copy and delete in one transaction: never lost, never twice
            trash_id = conn.execute(
                "INSERT INTO doc_trash (kb, source, title, content_hash, meta, chunks, deleted_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
                (kb, source, doc["title"], doc["content_hash"], doc["meta"], json.dumps(chunks, ensure_ascii=False),
                 time.time())).fetchone()["id"]
            self.catalog._delete_doc_rows(conn, kb, doc["id"])
            conn.execute("UPDATE kbs SET generation = generation + 1 WHERE name = %s", (kb,))
        return int(trash_id)

    def restore_document(self, trash_id: int) -> tuple[str, str]:
        row = self._doc_row(trash_id)
        kb, source = restore_row(row, self.catalog, lambda name: self.corpus.tokenizer(name).tokenize,
                                 self.is_trashed(row["kb"]))
        with self.catalog.transaction() as conn:
            conn.execute("DELETE FROM doc_trash WHERE id = %s", (trash_id,))
        return kb, source

    def document_kb(self, trash_id: int) -> str:
        """The base a trashed document belongs to (its writer lock is taken before restoring)."""
        return str(self._doc_row(trash_id)["kb"])

    def drop_document(self, trash_id: int) -> None:
        self._doc_row(trash_id)
        with self.catalog.transaction() as conn:
            conn.execute("DELETE FROM doc_trash WHERE id = %s", (trash_id,))

    def _doc_row(self, trash_id: int) -> Any:
        row = self.catalog.query_one("SELECT * FROM doc_trash WHERE id = %s", (int(trash_id),))
        if row is None:
            raise missing_document()
        return row

    def items(self) -> list[dict[str, Any]]:
        kbs = self.catalog.query_all("SELECT name, deleted_at FROM kb_trash")
        docs = self.catalog.query_all("SELECT id, kb, source, title, chunks, deleted_at FROM doc_trash")
        return listing(kbs, docs, self.catalog.kb_stats)
