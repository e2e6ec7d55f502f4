"""PgCatalog: knowledge.catalog.Catalog's API over PostgreSQL (one pool shared by the process).

Same tables and meanings as the SQLite catalog (rows are dicts with the same keys), the
keyword index in `chunks.tsv` (knowledge.pg.lexical) instead of FTS5 tables. A document
and its chunks, token statistics and the base's generation change in one transaction,
so a reader on any replica sees the old document or the new one, never half (the statistics
are moved along by knowledge.pg.statistics). Writers of one base are serialized by the caller
(knowledge.pg.locks, advisory locks).

Retrieval ranks keywords with the same in-memory chunk and page indexes as embedded mode
(knowledge.lexical, built from `lexical_rows` per generation and tokenizer, cached under each
replica's data_dir), so both modes rank alike; `lexical_search` (BM25 in SQL over the GIN
index) ranks chunks without building anything (benchmarks, checks).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from typing import Any, Iterable, Iterator

from knowledge.catalog import kb_key
from knowledge.chunking import ChunkDraft
from knowledge.pg.lexical import tsvector_literal, usable
from knowledge.pg.records import BaseRecords
from knowledge.pg.statistics import count_chunks, insert_terms

CHUNK_COLUMNS = ("c.id, c.chunk_id, c.kb, t.heading_path, t.text, t.indexed_text, c.kind, t.meta, d.source, d.title, "
                 "d.state AS doc_state")
CHUNK_JOIN = f"SELECT {CHUNK_COLUMNS} FROM chunks c JOIN chunk_texts t ON t.id = c.id JOIN documents d ON d.id = c.doc_id"
LIVE = "name NOT IN (SELECT name FROM kb_trash)"


class PgCatalog:
    """Catalog of every knowledge base in one PostgreSQL database."""

    def __init__(self, pool: Any, max_candidates: int = 20000) -> None:
        self.pool = pool
        self.max_candidates = max_candidates
        self.records = BaseRecords(pool.conninfo)
        """Each base's row and records, cached until a change is announced (knowledge.pg.records)."""

    def close(self) -> None:
        """The pool belongs to the app; the notification connection to the catalog."""
        self.records.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """Every change of the catalog goes through here (the cached records are read again after it)."""
        try:
            with self.pool.connection() as conn, conn.transaction():
                yield conn
        finally:
            self.records.forget()

    # Plain reads for the sibling modules (corpus, serving, trash) that share this pool.
    def query_all(self, sql: str, params: Any = ()) -> list[dict]:
        with self.pool.connection() as conn:
            return conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Any = ()) -> dict | None:
        with self.pool.connection() as conn:
            return conn.execute(sql, params).fetchone()

    # knowledge bases -----------------------------------------------------------------
    def ensure_kb(self, name: str) -> str:
        key = kb_key(name)
        with self.transaction() as conn:
            conn.execute("INSERT INTO kbs (name, key, created_at, generation) VALUES (%s, %s, %s, %s) "
                         "ON CONFLICT (name) DO NOTHING", (name, key, time.time(), time.time_ns() // 1000))
        return key

    def kb_names(self) -> list[str]:
        return [r["name"] for r in self.query_all(f"SELECT name FROM kbs WHERE {LIVE} ORDER BY name")]

    def base_row(self, name: str) -> dict | None:
        """The base's generation, chunk_count, token_count and `trashed` (None: no such base); cached."""
        return self.records.get(name, "row", lambda: self.query_one(
            "SELECT generation, chunk_count, token_count, name IN (SELECT name FROM kb_trash) AS trashed "
            "FROM kbs WHERE name = %s", (name,)))

    def has_kb(self, name: str) -> bool:
        row = self.base_row(name)
        return row is not None and not row["trashed"]

    def kb_embedder(self, name: str) -> str:
        row = self.query_one("SELECT embedder FROM kbs WHERE name = %s", (name,))
        return row["embedder"] if row else ""

    def set_kb_embedder(self, name: str, embedder: str) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE kbs SET embedder = %s WHERE name = %s", (embedder, name))
            conn.execute("UPDATE documents SET state = 'lexical' WHERE kb = %s", (name,))

    def generation(self, name: str) -> int:
        row = self.base_row(name)
        return int(row["generation"]) if row else -1

    def kb_stats(self, name: str) -> dict[str, int]:
        """Documents, chunks, chunks of embedded documents, and the vectors those should have."""
        row = self.query_one(
            "SELECT COUNT(*) AS n, COALESCE(SUM(d.chunks), 0) AS c, "
            "COALESCE(SUM(CASE WHEN d.state = 'complete' THEN d.chunks END), 0) AS e, "
            "COALESCE(SUM(CASE WHEN d.state = 'complete' THEN COALESCE(v.vectors, d.chunks) END), 0) AS v "
            "FROM documents d LEFT JOIN doc_vectors v ON v.doc_id = d.id AND v.version = d.version WHERE d.kb = %s",
            (name,))
        assert row is not None
        return {"documents": int(row["n"]), "chunks": int(row["c"]), "embedded": int(row["e"]), "vectors": int(row["v"])}

    def lexical_rows(self, name: str) -> Iterator[tuple[int, str, str]]:
        """(rowid, head tokens, body tokens) of every chunk of a base (what the in-memory keyword ranker is built from)."""
        rows = self.query_all("SELECT c.id, t.head, t.body FROM chunks c JOIN chunk_texts t ON t.id = c.id "
                              "WHERE c.kb = %s ORDER BY c.id", (name,))
        return iter([(int(r["id"]), r["head"], r["body"]) for r in rows])

    def chunk_layout(self, name: str, text: bool = False) -> list[dict]:
        """(rowid, doc_id, source, title, heading_path, kind[, text]) of every chunk of a base, for page-level ranking."""
        extra = ", t.text" if text else ""
        return self.query_all(f"SELECT c.id AS rowid, c.doc_id, d.source, d.title, t.heading_path, c.kind{extra} "
                              "FROM chunks c JOIN chunk_texts t ON t.id = c.id JOIN documents d ON d.id = c.doc_id "
                              "WHERE c.kb = %s ORDER BY c.id", (name,))

    def delete_kb(self, name: str) -> None:
        with self.transaction() as conn:
            for table, column in (("documents", "kb"), ("terms", "kb"), ("term_df", "kb"), ("calibration", "kb"),
                                  ("kb_meta", "kb"), ("kbs", "name"), ("kb_trash", "name")):
                conn.execute(f"DELETE FROM {table} WHERE {column} = %s", (name,))  # chunks go with documents

    # documents -----------------------------------------------------------------------
    def documents(self, kb: str) -> dict[str, dict]:
        return {r["source"]: r for r in self.query_all("SELECT * FROM documents WHERE kb = %s ORDER BY source", (kb,))}

    def document(self, kb: str, source: str) -> dict | None:
        """One document's row (an indexed lookup: the answer step asks for a few per turn)."""
        return self.query_one("SELECT * FROM documents WHERE kb = %s AND source = %s", (kb, source))

    def replace_document(self, kb: str, source: str, title: str, content_hash: str, meta: dict,
                         drafts: list[ChunkDraft], tokens: list[tuple[list[str], list[str]]],
                         terms: Iterable[tuple[str, str]]) -> int:
        """Atomically replace a document's row, chunks, keyword index and terms; returns the new version."""
        now = time.time()
        with self.transaction() as conn:
            old = conn.execute("SELECT id, version, created_at FROM documents WHERE kb = %s AND source = %s FOR UPDATE",
                               (kb, source)).fetchone()
            version = (old["version"] + 1) if old else 1
            if old:
                self._delete_doc_rows(conn, kb, old["id"])
            doc_id = conn.execute(
                "INSERT INTO documents (kb, source, title, content_hash, version, state, chunks, meta, created_at, "
                "updated_at) VALUES (%s, %s, %s, %s, %s, 'lexical', %s, %s, %s, %s) RETURNING id",
                (kb, source, title, content_hash, version, len(drafts), json.dumps(meta, ensure_ascii=False, default=str),
                 old["created_at"] if old else now, now)).fetchone()["id"]
            doc_key = hashlib.sha1(f"{kb}\x00{source}".encode("utf-8")).hexdigest()[:12]
            ids = [r["id"] for r in conn.execute("SELECT nextval('chunks_id_seq') AS id FROM generate_series(1, %s)",
                                                 (len(drafts),)).fetchall()]
            with conn.cursor() as cur:
                cur.executemany("INSERT INTO chunks (id, chunk_id, doc_id, kb, ord, kind, len, tsv) "
                                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s::tsvector)",
                                [(i, f"{doc_key}-{version}-{n}", doc_id, kb, n, d.kind, len(h) + len(b),
                                  tsvector_literal(h, b)) for i, (n, (d, (h, b))) in zip(ids, enumerate(zip(drafts, tokens)))])
                cur.executemany("INSERT INTO chunk_texts (id, heading_path, text, indexed_text, meta, head, body) "
                                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                                [(i, json.dumps(d.heading_path, ensure_ascii=False), d.text, d.indexed_text,
                                  json.dumps(d.meta, ensure_ascii=False), " ".join(h), " ".join(b))
                                 for i, d, (h, b) in zip(ids, drafts, tokens)])
            count_chunks(conn, kb, "c.doc_id = %s", doc_id, +1)
            insert_terms(conn, kb, terms)
            conn.execute("UPDATE kbs SET generation = generation + 1 WHERE name = %s", (kb,))
        return version

    def delete_document(self, kb: str, source: str) -> bool:
        with self.transaction() as conn:
            row = conn.execute("SELECT id FROM documents WHERE kb = %s AND source = %s FOR UPDATE", (kb, source)).fetchone()
            if row is None:
                return False
            self._delete_doc_rows(conn, kb, row["id"])
            conn.execute("UPDATE kbs SET generation = generation + 1 WHERE name = %s", (kb,))
        return True

    def _delete_doc_rows(self, conn: Any, kb: str, doc_id: int) -> None:
        """Inside a transaction: the document, its chunks (cascade) and their share of the statistics."""
        count_chunks(conn, kb, "c.doc_id = %s", doc_id, -1)
        conn.execute("DELETE FROM documents WHERE id = %s", (doc_id,))

    def pending_documents(self, kb: str) -> list[dict]:
        return self.query_all("SELECT * FROM documents WHERE kb = %s AND state = 'lexical' ORDER BY id", (kb,))

    def mark_complete(self, doc_id: int, version: int) -> None:
        self.mark_complete_many([(doc_id, version)])

    def mark_complete_many(self, docs: list[tuple[int, int]]) -> None:
        """Vectors stored: these (id, version) documents are complete (a newer version stays pending)."""
        with self.transaction() as conn, conn.cursor() as cur:
            cur.executemany("UPDATE documents SET state = 'complete' WHERE id = %s AND version = %s", docs)

    def mark_embedded(self, docs: list[tuple[int, int, int]]) -> None:
        """(id, version, vectors stored): complete, with the number of vectors the store must hold."""
        with self.transaction() as conn, conn.cursor() as cur:
            cur.executemany("UPDATE documents SET state = 'complete' WHERE id = %s AND version = %s",
                            [(d, v) for d, v, _ in docs])
            cur.executemany("INSERT INTO doc_vectors (doc_id, version, vectors) SELECT %s, %s, %s "
                            "WHERE EXISTS (SELECT 1 FROM documents WHERE id = %s) ON CONFLICT (doc_id) "
                            "DO UPDATE SET version = excluded.version, vectors = excluded.vectors",
                            [(d, v, n, d) for d, v, n in docs])

    def mark_pending(self, doc_ids: list[int]) -> None:
        """These documents need their vectors again (the vector store lost them)."""
        if doc_ids:
            with self.transaction() as conn:
                conn.execute("UPDATE documents SET state = 'lexical' WHERE id = ANY(%s)", (list(doc_ids),))

    def embedded_documents(self, kb: str) -> list[dict]:
        """Complete documents with the vectors they should have (all their chunks when none were recorded)."""
        return self.query_all("SELECT d.id, d.source, d.version, d.chunks, COALESCE(v.vectors, d.chunks) AS vectors "
                              "FROM documents d LEFT JOIN doc_vectors v ON v.doc_id = d.id AND v.version = d.version "
                              "WHERE d.kb = %s AND d.state = 'complete'", (kb,))

    # chunks --------------------------------------------------------------------------
    def doc_chunks(self, doc_id: int) -> list[dict]:
        return self.query_all(f"{CHUNK_JOIN} WHERE c.doc_id = %s ORDER BY c.ord", (doc_id,))

    def chunks_by_rowid(self, rowids: list[int]) -> dict[int, dict]:
        return {r["id"]: r for r in self.query_all(f"{CHUNK_JOIN} WHERE c.id = ANY(%s)", (list(rowids),))} if rowids else {}

    def chunks_by_chunk_id(self, chunk_ids: list[str]) -> dict[str, dict]:
        if not chunk_ids:
            return {}
        return {r["chunk_id"]: r for r in self.query_all(f"{CHUNK_JOIN} WHERE c.chunk_id = ANY(%s)", (list(chunk_ids),))}

    def iter_chunks(self, kb: str, batch: int = 500) -> Iterator[dict]:
        last = 0
        while True:
            rows = self.query_all(f"{CHUNK_JOIN} WHERE c.kb = %s AND c.id > %s ORDER BY c.id LIMIT %s", (kb, last, batch))
            if not rows:
                return
            yield from rows
            last = rows[-1]["id"]

    def chunk_ids(self, kb: str) -> set[str]:
        return {r["chunk_id"] for r in self.query_all("SELECT chunk_id FROM chunks WHERE kb = %s", (kb,))}

    # lexical -------------------------------------------------------------------------
    def lexical_search(self, kb: str, tokens: list[str], limit: int, head_weight: float = 3.0) -> list[tuple[int, float]]:
        """(chunk row id, BM25 score — higher is better) for an OR query; title/heading matches weigh more.

        One round trip: the search runs in the database (`sc_bm25`, knowledge/pg/bm25.sql)."""
        tokens = [t for t in dict.fromkeys(tokens) if usable(t)]
        if not tokens or limit <= 0:
            return []
        rows = self.query_all("SELECT id, score FROM sc_bm25(%s, %s, %s, %s, %s)",
                         (kb, tokens, limit, head_weight, self.max_candidates))
        return [(int(r["id"]), float(r["score"])) for r in rows]

    def doc_frequencies(self, kb: str, tokens: list[str]) -> tuple[int, dict[str, int]]:
        """Number of chunks in the base and per-token chunk counts (for IDF weights)."""
        stats = self.base_row(kb)
        rows = self.query_all("SELECT term, df FROM term_df WHERE kb = %s AND term = ANY(%s) AND df > 0",
                              (kb, list(tokens)))
        return (int(stats["chunk_count"]) if stats else 0), {r["term"]: int(r["df"]) for r in rows}

    def chunk_tokens(self, kb: str, chunk_ids: list[str]) -> dict[str, list[str]]:
        """The indexed tokens of these chunks of `kb`, heading first, repeats kept (one per tsvector position)."""
        if not chunk_ids:
            return {}
        rows = self.query_all("SELECT c.chunk_id, u.lexeme, u.positions FROM chunks c, unnest(c.tsv) u "
                              "WHERE c.kb = %s AND c.chunk_id = ANY(%s)", (kb, list(chunk_ids)))
        found: dict[str, list[tuple[int, str]]] = {}
        for r in rows:
            found.setdefault(r["chunk_id"], []).extend((int(p), r["lexeme"]) for p in r["positions"])
        return {cid: [t for _, t in sorted(pairs)] for cid, pairs in found.items()}

    def save_calibration(self, kb: str, generation: int, data: dict) -> None:
        """Selection bars measured on the base (knowledge.calibration), with the generation they describe."""
        with self.transaction() as conn:
            conn.execute("INSERT INTO calibration (kb, generation, data) VALUES (%s, %s, %s) ON CONFLICT (kb) "
                         "DO UPDATE SET generation = excluded.generation, data = excluded.data",
                         (kb, generation, json.dumps(data, ensure_ascii=False)))

    def calibration(self, kb: str) -> tuple[int, dict] | None:
        row = self.query_one("SELECT generation, data FROM calibration WHERE kb = %s", (kb,))
        return (int(row["generation"]), json.loads(row["data"])) if row else None

    def terms(self, kb: str | None = None) -> list[tuple[str, str]]:
        if kb is None:
            rows = self.query_all("SELECT DISTINCT term, kind FROM terms WHERE kb NOT IN (SELECT name FROM kb_trash)")
        else:
            rows = self.query_all("SELECT term, kind FROM terms WHERE kb = %s", (kb,))
        return [(r["term"], r["kind"]) for r in rows]

