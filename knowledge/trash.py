"""The trash: deleted knowledge bases and documents stay restorable until purged.

A trashed knowledge base keeps all its rows and vectors; a row in `kb_trash` hides it
(`Catalog.kb_names`/`has_kb` leave it out, so nothing searches it) until it is restored
or purged. A trashed document is copied (row + chunks) into `doc_trash` and removed
from the index; restoring re-inserts it as a new version (dense-pending). Callers choose
the retention (`KnowledgeService.purge_trash(max_age_s)`). Tests: tests/knowledge/test_trash.py.
"""

from __future__ import annotations

import json
import time
from typing import Any, Callable, Iterable, Mapping, Protocol

from knowledge.catalog import Catalog, kb_key
from knowledge.chunking import ChunkDraft
from knowledge.corpus import Corpus
from knowledge.errors import KnowledgeError
from knowledge.text import index_tokens

SCHEMA = """
CREATE TABLE IF NOT EXISTS doc_trash (id INTEGER PRIMARY KEY, kb TEXT NOT NULL, source TEXT NOT NULL,
    title TEXT NOT NULL, content_hash TEXT NOT NULL, meta TEXT NOT NULL, chunks TEXT NOT NULL,
    deleted_at REAL NOT NULL);
"""


class _Restorable(Protocol):
    """What restoring a document needs of a catalog (Catalog and PgCatalog)."""

    def has_kb(self, name: str) -> bool: ...
    def documents(self, kb: str) -> Mapping[str, Any]: ...
    def replace_document(self, kb: str, source: str, title: str, content_hash: str, meta: dict,
                         drafts: list[ChunkDraft], tokens: list[tuple[list[str], list[str]]],
                         terms: Iterable[tuple[str, str]]) -> int: ...


def chunk_copies(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """A document's chunk rows as the trash keeps them (stored as JSON in `doc_trash.chunks`)."""
    return [{"heading_path": json.loads(r["heading_path"]), "text": r["text"], "indexed_text": r["indexed_text"],
             "kind": r["kind"], "meta": json.loads(r["meta"] or "{}")} for r in rows]


def restore_row(row: Any, catalog: _Restorable, tokenizer_of: Callable[[str], Callable[[str], list[str]]],
                kb_trashed: bool) -> tuple[str, str]:
    """Re-insert a `doc_trash` row as a new version (the caller then deletes the row); returns (kb, source).
    `tokenizer_of(kb)`: the base's own tokenizer, so index and queries agree (asked for once the checks pass)."""
    kb, source = row["kb"], row["source"]
    if kb_trashed or not catalog.has_kb(kb):
        raise KnowledgeError(f"文档所在的知识库 {kb} 不存在或在回收站中，请先恢复知识库")
    if source in catalog.documents(kb):
        raise KnowledgeError(f"知识库 {kb} 中已有同名文档 {source}（之后又上传过），恢复会覆盖它；请先删除现有文档")
    drafts = [ChunkDraft(c["heading_path"], c["text"], c["indexed_text"], c["kind"], c["meta"])
              for c in json.loads(row["chunks"])]
    tokenize = tokenizer_of(kb)
    tokens = [index_tokens(d.kind, d.text, d.indexed_text, tokenize) for d in drafts]
    catalog.replace_document(kb, source, row["title"], row["content_hash"], json.loads(row["meta"] or "{}"),
                             drafts, tokens, [])
    return kb, source


def missing_document() -> KnowledgeError:
    return KnowledgeError("回收站中没有这个文档（可能已恢复或已彻底删除）")


def listing(kbs: Iterable[Any], docs: Iterable[Any], kb_stats: Callable[[str], dict[str, int]]) -> list[dict[str, Any]]:
    """Trash items from the `kb_trash` and `doc_trash` rows, most recently deleted first."""
    out = [{"kind": "kb", "id": f"kb:{r['name']}", "kb": r["name"], "deleted_at": r["deleted_at"],
            **kb_stats(r["name"])} for r in kbs]
    out += [{"kind": "document", "id": f"doc:{r['id']}", "kb": r["kb"], "source": r["source"], "title": r["title"],
             "chunks": len(json.loads(r["chunks"])), "deleted_at": r["deleted_at"]} for r in docs]
    return sorted(out, key=lambda item: -float(item["deleted_at"]))


class Trash:
    """Trash operations over one Catalog (its lock and transactions)."""

    def __init__(self, catalog: Catalog, corpus: Corpus) -> None:
        self.catalog = catalog
        self.corpus = corpus
        with catalog.lock:
            catalog.conn.executescript(SCHEMA)

    # knowledge bases -----------------------------------------------------------------
    def is_trashed(self, kb: str) -> bool:
        with self.catalog.lock:
            return self.catalog.conn.execute("SELECT 1 FROM kb_trash WHERE name = ?", (kb,)).fetchone() is not None

    def trash_kb(self, kb: str) -> None:
        with self.catalog._tx() as conn:
            conn.execute("INSERT OR REPLACE INTO kb_trash (name, deleted_at) VALUES (?, ?)", (kb, time.time()))

    def restore_kb(self, kb: str) -> None:
        with self.catalog._tx() as conn:
            if conn.execute("DELETE FROM kb_trash WHERE name = ?", (kb,)).rowcount == 0:
                raise KnowledgeError(f"回收站中没有知识库 {kb}")

    # documents -----------------------------------------------------------------------
    def trash_document(self, kb: str, source: str) -> int:
        """Copy a document (row + chunks) into the trash and delete it from the index; returns the trash id."""
        doc = self.catalog.document(kb, source)
        if doc is None:
            raise KnowledgeError(f"知识库 {kb} 中没有文档 {source}")
        chunks = chunk_copies(self.catalog.doc_chunks(doc["id"]))
        with self.catalog._tx() as conn:  # copy and delete in one transaction: never lost, never twice
            trash_id = conn.execute(
                "INSERT INTO doc_trash (kb, source, title, content_hash, meta, chunks, deleted_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (kb, source, doc["title"], doc["content_hash"], doc["meta"], json.dumps(chunks, ensure_ascii=False),
                 time.time())).lastrowid
            Catalog._delete_doc_rows(conn, kb_key(kb), doc["id"])
            conn.execute("UPDATE kbs SET generation = generation + 1 WHERE name = ?", (kb,))
        assert trash_id is not None  # an INSERT always sets lastrowid
        return int(trash_id)

    def restore_document(self, trash_id: int) -> tuple[str, str]:
        """Put a trashed document back (as a new version, dense-pending); returns (kb, source)."""
        row = self._doc_row(trash_id)
        kb, source = restore_row(row, self.catalog, lambda name: self.corpus.tokenizer(name).tokenize,
                                 self.is_trashed(row["kb"]))
        with self.catalog._tx() as conn:
            conn.execute("DELETE FROM doc_trash WHERE id = ?", (trash_id,))
        return kb, source

    def document_kb(self, trash_id: int) -> str:
        """The base a trashed document belongs to (its writer lock is taken before restoring)."""
        return str(self._doc_row(trash_id)["kb"])

    def drop_document(self, trash_id: int) -> None:
        self._doc_row(trash_id)
        with self.catalog._tx() as conn:
            conn.execute("DELETE FROM doc_trash WHERE id = ?", (trash_id,))

    def _doc_row(self, trash_id: int) -> Any:
        with self.catalog.lock:
            row = self.catalog.conn.execute("SELECT * FROM doc_trash WHERE id = ?", (int(trash_id),)).fetchone()
        if row is None:
            raise missing_document()
        return row

    # listing -------------------------------------------------------------------------
    def items(self) -> list[dict[str, Any]]:
        """Everything in the trash, most recently deleted first: knowledge bases and documents."""
        with self.catalog.lock:
            kbs = self.catalog.conn.execute("SELECT name, deleted_at FROM kb_trash").fetchall()
            docs = self.catalog.conn.execute(
                "SELECT id, kb, source, title, chunks, deleted_at FROM doc_trash").fetchall()
        return listing(kbs, docs, self.catalog.kb_stats)
