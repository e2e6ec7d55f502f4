"""SQLite catalog and lexical index (FTS5 over pre-tokenized text, BM25 ranking), WAL mode.

Tables: `kbs`, `documents` (source relative to the ingested folder, content hash,
version, state), `chunks`, `terms` (mined domain lexicon), `kb_meta` (per-base records
kept by knowledge.corpus: tokenizer identity, topics), `doc_vectors` (vectors stored per
embedded document version; chunks left to keyword search have none) and one FTS5 table per
knowledge base (`fts_<key>`, rowid = chunks.id), so bases are isolated and a query
never filters another base's rows. A document and all its chunks are replaced in one
transaction; `state` is "lexical" until its vectors are in the dense index, then "complete".
The schema is versioned (knowledge.migrations): opening a catalog migrates it, and a damaged,
emptied or too-new file is refused with a message instead of being re-created.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Iterator

from knowledge.chunking import ChunkDraft
from knowledge.migrations import CatalogDamaged, looks_fresh, prepare

CHUNK_COLUMNS = ("c.id, c.chunk_id, c.kb, c.heading_path, c.text, c.indexed_text, c.kind, c.meta, d.source, d.title, "
                 "d.state AS doc_state")


def kb_key(name: str) -> str:
    """Identifier-safe key of a knowledge base name (names may be Chinese)."""
    return "kb" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:16]


def document_key(kb: str, source: str) -> str:
    """Prefix of a document's chunk ids ("<key>-<version>-<ord>") and its vectors' "doc" metadata."""
    return hashlib.sha1(f"{kb}\x00{source}".encode("utf-8")).hexdigest()[:12]


class Catalog:
    """One SQLite connection (thread-safe via a lock) over data_dir/kb/catalog.sqlite."""

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise CatalogDamaged(f"知识库目录 {path.parent} 被同名文件占用，请移走它或改用别的 data_dir") from None
        self.path = path
        fresh = looks_fresh(path)
        self.conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        self.conn.row_factory = sqlite3.Row
        self.lock = threading.RLock()
        try:
            self.schema_version_found = prepare(self.conn, path, fresh)  # before any write: never over damage
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
        except BaseException:
            self.conn.close()
            raise

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    def _tx(self) -> "_Transaction":
        return _Transaction(self)

    def transaction(self) -> "_Transaction":
        """`with catalog.transaction() as conn:` one write transaction (BEGIN IMMEDIATE), under the lock."""
        return _Transaction(self)

    # knowledge bases -----------------------------------------------------------------
    def ensure_kb(self, name: str) -> str:
        key = kb_key(name)
        with self._tx() as conn:
            conn.execute("INSERT OR IGNORE INTO kbs (name, key, created_at, generation) VALUES (?, ?, ?, ?)",
                         (name, key, time.time(), time.time_ns() // 1000))  # unique across re-creations
            conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS fts_{key} USING fts5(head, body, tokenize=\"ascii tokenchars '_.-'\")")
            conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS vocab_{key} USING fts5vocab(fts_{key}, 'row')")
        return key

    def kb_names(self) -> list[str]:
        """Live knowledge bases (a base in the trash, knowledge/trash.py, is left out)."""
        with self.lock:
            return [r[0] for r in self.conn.execute(
                "SELECT name FROM kbs WHERE name NOT IN (SELECT name FROM kb_trash) ORDER BY name")]

    def has_kb(self, name: str) -> bool:
        with self.lock:
            return self.conn.execute("SELECT 1 FROM kbs WHERE name = ? AND name NOT IN (SELECT name FROM kb_trash)",
                                     (name,)).fetchone() is not None

    def kb_embedder(self, name: str) -> str:
        with self.lock:
            row = self.conn.execute("SELECT embedder FROM kbs WHERE name = ?", (name,)).fetchone()
        return row[0] if row else ""

    def set_kb_embedder(self, name: str, embedder: str) -> None:
        """Record the embedder of the dense index; a change marks every document dense-pending."""
        with self._tx() as conn:
            conn.execute("UPDATE kbs SET embedder = ? WHERE name = ?", (embedder, name))
            conn.execute("UPDATE documents SET state = 'lexical' WHERE kb = ?", (name,))

    def generation(self, name: str) -> int:
        """Counter bumped by every change of the base's lexical rows (in-memory index invalidation)."""
        with self.lock:
            row = self.conn.execute("SELECT generation FROM kbs WHERE name = ?", (name,)).fetchone()
        return row[0] if row else -1

    def lexical_rows(self, name: str) -> Iterator[tuple[int, str, str]]:
        """(rowid, head tokens, body tokens) of every chunk of a base."""
        key = kb_key(name)
        with self.lock:
            rows = self.conn.execute(f"SELECT rowid, head, body FROM fts_{key}").fetchall()
        return iter(rows)

    def chunk_layout(self, name: str, text: bool = False) -> list[sqlite3.Row]:
        """(rowid, doc_id, source, title, heading_path, kind[, text]) of every chunk of a base, for page-level ranking."""
        extra = ", c.text" if text else ""
        with self.lock:
            return self.conn.execute(f"SELECT c.id AS rowid, c.doc_id, d.source, d.title, c.heading_path, c.kind{extra} "
                                     "FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.kb = ? ORDER BY c.id",
                                     (name,)).fetchall()

    def kb_stats(self, name: str) -> dict[str, int]:
        """Documents, chunks, chunks of embedded documents, and the vectors those should have."""
        with self.lock:
            row = self.conn.execute(
                "SELECT COUNT(*), COALESCE(SUM(d.chunks), 0), COALESCE(SUM(CASE WHEN d.state = 'complete' THEN d.chunks END), 0), "
                "COALESCE(SUM(CASE WHEN d.state = 'complete' THEN COALESCE(v.vectors, d.chunks) END), 0) "
                "FROM documents d LEFT JOIN doc_vectors v ON v.doc_id = d.id AND v.version = d.version WHERE d.kb = ?",
                (name,)).fetchone()
        return {"documents": row[0], "chunks": row[1], "embedded": row[2], "vectors": row[3]}

    def delete_kb(self, name: str) -> None:
        key = kb_key(name)
        with self._tx() as conn:
            conn.execute(f"DROP TABLE IF EXISTS vocab_{key}")
            conn.execute(f"DROP TABLE IF EXISTS fts_{key}")
            conn.execute("DELETE FROM chunks WHERE kb = ?", (name,))
            conn.execute("DELETE FROM documents WHERE kb = ?", (name,))
            conn.execute("DELETE FROM terms WHERE kb = ?", (name,))
            conn.execute("DELETE FROM kb_meta WHERE kb = ?", (name,))
            conn.execute("DELETE FROM calibration WHERE kb = ?", (name,))
            conn.execute("DELETE FROM kbs WHERE name = ?", (name,))
            conn.execute("DELETE FROM kb_trash WHERE name = ?", (name,))

    # documents -----------------------------------------------------------------------
    def documents(self, kb: str) -> dict[str, sqlite3.Row]:
        with self.lock:
            rows = self.conn.execute("SELECT * FROM documents WHERE kb = ? ORDER BY source", (kb,)).fetchall()
        return {r["source"]: r for r in rows}

    def document(self, kb: str, source: str) -> sqlite3.Row | None:
        """One document's row (an indexed lookup: the answer step asks for a few per turn)."""
        with self.lock:
            return self.conn.execute("SELECT * FROM documents WHERE kb = ? AND source = ?", (kb, source)).fetchone()

    def replace_document(self, kb: str, source: str, title: str, content_hash: str, meta: dict,
                         drafts: list[ChunkDraft], tokens: list[tuple[list[str], list[str]]], terms: Iterable[tuple[str, str]]) -> int:
        """Atomically replace a document's row, chunks, lexical rows and terms; returns the new version.

        `tokens[i]` is (heading tokens, body tokens) of drafts[i].
        """
        key = kb_key(kb)
        now = time.time()
        with self._tx() as conn:
            old = conn.execute("SELECT id, version, created_at FROM documents WHERE kb = ? AND source = ?", (kb, source)).fetchone()
            version = (old["version"] + 1) if old else 1
            if old:
                self._delete_doc_rows(conn, key, old["id"])
            doc_id = conn.execute(
                "INSERT INTO documents (kb, source, title, content_hash, version, state, chunks, meta, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, 'lexical', ?, ?, ?, ?)",
                (kb, source, title, content_hash, version, len(drafts), json.dumps(meta, ensure_ascii=False, default=str),
                 old["created_at"] if old else now, now)).lastrowid
            doc_key = document_key(kb, source)
            for ord_, (draft, toks) in enumerate(zip(drafts, tokens)):
                rowid = conn.execute(
                    "INSERT INTO chunks (chunk_id, doc_id, kb, ord, heading_path, text, indexed_text, kind, meta) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (f"{doc_key}-{version}-{ord_}", doc_id, kb, ord_, json.dumps(draft.heading_path, ensure_ascii=False),
                     draft.text, draft.indexed_text, draft.kind, json.dumps(draft.meta, ensure_ascii=False))).lastrowid
                conn.execute(f"INSERT INTO fts_{key} (rowid, head, body) VALUES (?, ?, ?)",
                             (rowid, " ".join(toks[0]), " ".join(toks[1])))
            conn.executemany("INSERT OR IGNORE INTO terms (kb, term, kind) VALUES (?, ?, ?)", [(kb, t, k) for t, k in terms])
            conn.execute("UPDATE kbs SET generation = generation + 1 WHERE name = ?", (kb,))
        return version

    def delete_document(self, kb: str, source: str) -> bool:
        with self._tx() as conn:
            row = conn.execute("SELECT id FROM documents WHERE kb = ? AND source = ?", (kb, source)).fetchone()
            if row is None:
                return False
            self._delete_doc_rows(conn, kb_key(kb), row["id"])
            conn.execute("UPDATE kbs SET generation = generation + 1 WHERE name = ?", (kb,))
        return True

    @staticmethod
    def _delete_doc_rows(conn: sqlite3.Connection, key: str, doc_id: int) -> None:
        conn.execute(f"DELETE FROM fts_{key} WHERE rowid IN (SELECT id FROM chunks WHERE doc_id = ?)", (doc_id,))
        conn.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def pending_documents(self, kb: str) -> list[sqlite3.Row]:
        with self.lock:
            return self.conn.execute("SELECT * FROM documents WHERE kb = ? AND state = 'lexical' ORDER BY id", (kb,)).fetchall()

    def mark_complete_many(self, docs: list[tuple[int, int]]) -> None:
        """Vectors stored: these (id, version) documents are complete (a newer version stays pending)."""
        with self._tx() as conn:
            conn.executemany("UPDATE documents SET state = 'complete' WHERE id = ? AND version = ?", docs)

    def mark_embedded(self, docs: list[tuple[int, int, int]]) -> None:
        """(id, version, vectors stored): complete, with the number of vectors the store must hold."""
        with self._tx() as conn:
            conn.executemany("UPDATE documents SET state = 'complete' WHERE id = ? AND version = ?",
                             [(d, v) for d, v, _ in docs])
            conn.executemany("INSERT OR REPLACE INTO doc_vectors (doc_id, version, vectors) VALUES (?, ?, ?)", docs)

    def mark_pending(self, doc_ids: list[int]) -> None:
        """These documents need their vectors again (the vector store lost them)."""
        with self._tx() as conn:
            conn.executemany("UPDATE documents SET state = 'lexical' WHERE id = ?", [(d,) for d in doc_ids])

    def embedded_documents(self, kb: str) -> list[sqlite3.Row]:
        """Complete documents with the vectors they should have (all their chunks for older catalogs)."""
        with self.lock:
            return self.conn.execute(
                "SELECT d.id, d.source, d.version, d.chunks, COALESCE(v.vectors, d.chunks) AS vectors FROM documents d "
                "LEFT JOIN doc_vectors v ON v.doc_id = d.id AND v.version = d.version "
                "WHERE d.kb = ? AND d.state = 'complete'", (kb,)).fetchall()

    # chunks --------------------------------------------------------------------------
    def doc_chunks(self, doc_id: int) -> list[sqlite3.Row]:
        with self.lock:
            return self.conn.execute(f"SELECT {CHUNK_COLUMNS} FROM chunks c JOIN documents d ON d.id = c.doc_id "
                                     "WHERE c.doc_id = ? ORDER BY c.ord", (doc_id,)).fetchall()

    def chunks_by_rowid(self, rowids: list[int]) -> dict[int, sqlite3.Row]:
        return {r["id"]: r for r in self._chunks_where("c.id", rowids)}

    def chunks_by_chunk_id(self, chunk_ids: list[str]) -> dict[str, sqlite3.Row]:
        return {r["chunk_id"]: r for r in self._chunks_where("c.chunk_id", chunk_ids)}

    def _chunks_where(self, column: str, values: list) -> list[sqlite3.Row]:
        if not values:
            return []
        marks = ",".join("?" * len(values))
        with self.lock:
            return self.conn.execute(f"SELECT {CHUNK_COLUMNS} FROM chunks c JOIN documents d ON d.id = c.doc_id "
                                     f"WHERE {column} IN ({marks})", values).fetchall()

    def iter_chunks(self, kb: str, batch: int = 500) -> Iterator[sqlite3.Row]:
        last = 0
        while True:
            with self.lock:
                rows = self.conn.execute(f"SELECT {CHUNK_COLUMNS} FROM chunks c JOIN documents d ON d.id = c.doc_id "
                                         "WHERE c.kb = ? AND c.id > ? ORDER BY c.id LIMIT ?", (kb, last, batch)).fetchall()
            if not rows:
                return
            yield from rows
            last = rows[-1]["id"]

    def chunk_ids(self, kb: str) -> set[str]:
        with self.lock:
            return {r[0] for r in self.conn.execute("SELECT chunk_id FROM chunks WHERE kb = ?", (kb,))}

    # lexical -------------------------------------------------------------------------
    def lexical_search(self, kb: str, tokens: list[str], limit: int, head_weight: float = 3.0) -> list[tuple[int, float]]:
        """(chunk rowid, BM25 score — higher is better) for an OR query; title/heading matches weigh more."""
        if not tokens:
            return []
        query = " OR ".join('"' + t.replace('"', '""') + '"' for t in tokens)
        key = kb_key(kb)
        with self.lock:
            rows = self.conn.execute(f"SELECT rowid, bm25(fts_{key}, ?, 1.0) AS score FROM fts_{key} WHERE fts_{key} MATCH ? "
                                     "ORDER BY score LIMIT ?", (head_weight, query, limit)).fetchall()
        return [(r[0], -float(r[1])) for r in rows]

    def doc_frequencies(self, kb: str, tokens: list[str]) -> tuple[int, dict[str, int]]:
        """Number of chunks in the base and per-token chunk counts (for IDF weights)."""
        key = kb_key(kb)
        marks = ",".join("?" * len(tokens)) or "''"
        with self.lock:
            total = self.conn.execute(f"SELECT COUNT(*) FROM chunks WHERE kb = ?", (kb,)).fetchone()[0]
            rows = self.conn.execute(f"SELECT term, doc FROM vocab_{key} WHERE term IN ({marks})", tokens).fetchall()
        return total, {r[0]: r[1] for r in rows}

    def chunk_tokens(self, kb: str, chunk_ids: list[str]) -> dict[str, list[str]]:
        """The indexed tokens (heading and body, as ingest wrote them, repeats kept) of these chunks of `kb`."""
        if not chunk_ids:
            return {}
        key = kb_key(kb)
        marks = ",".join("?" * len(chunk_ids))
        with self.lock:
            rows = self.conn.execute(f"SELECT c.chunk_id, f.head, f.body FROM chunks c JOIN fts_{key} f ON f.rowid = c.id "
                                     f"WHERE c.chunk_id IN ({marks})", chunk_ids).fetchall()
        return {r[0]: f"{r[1]} {r[2]}".split() for r in rows}

    def save_calibration(self, kb: str, generation: int, data: dict) -> None:
        """Selection bars measured on the base (knowledge.calibration), with the generation they describe."""
        with self._tx() as conn:
            conn.execute("INSERT OR REPLACE INTO calibration (kb, generation, data) VALUES (?, ?, ?)",
                         (kb, generation, json.dumps(data, ensure_ascii=False)))

    def calibration(self, kb: str) -> tuple[int, dict] | None:
        with self.lock:
            row = self.conn.execute("SELECT generation, data FROM calibration WHERE kb = ?", (kb,)).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def terms(self, kb: str | None = None) -> list[tuple[str, str]]:
        with self.lock:
            if kb is None:
                return [(r[0], r[1]) for r in self.conn.execute(
                    "SELECT DISTINCT term, kind FROM terms WHERE kb NOT IN (SELECT name FROM kb_trash)")]
            return [(r[0], r[1]) for r in self.conn.execute("SELECT term, kind FROM terms WHERE kb = ?", (kb,))]


class _Transaction:
    """`with catalog._tx() as conn:` — BEGIN IMMEDIATE ... COMMIT, ROLLBACK on error, under the lock."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def __enter__(self) -> sqlite3.Connection:
        self.catalog.lock.acquire()
        self.catalog.conn.execute("BEGIN IMMEDIATE")
        return self.catalog.conn

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            self.catalog.conn.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.catalog.lock.release()
