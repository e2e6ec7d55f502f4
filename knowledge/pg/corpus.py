"""PgCorpus: knowledge.corpus.Corpus over PostgreSQL (storage.mode = server).

Same records and rules as the embedded corpus, kept where every replica reads them:
the tokenizer identity, topics and word counts in `kb_meta` (stamped with the generation
they describe, written at the end of each ingest); document frequencies and the words typo
correction matches from `term_df`, which the catalog keeps as chunks change; co-occurrence
from the GIN-indexed `chunks.tsv`. New domain terms re-tokenize the chunks holding them in
the transaction that records them (tsvector, lengths and `term_df` moved along), and a base
whose recorded tokenizer differs from the current one is re-tokenized once on first use, so
index and queries agree on every replica. Tests: tests/storage/test_knowledge_server.py.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from knowledge.corpus import Corpus
from knowledge.pg.catalog import PgCatalog
from knowledge.pg.lexical import quote, usable
from knowledge.pg.statistics import insert_terms, retokenize
from knowledge.text import KBTokenizer, index_tokens

log = logging.getLogger(__name__)


class PgCorpus(Corpus):
    """Tokenizers and statistics of the bases in one PostgreSQL catalog (thread-safe)."""

    def __init__(self, catalog: PgCatalog) -> None:  # noqa: D107 - Corpus's fields over a PgCatalog
        self.catalog = catalog  # type: ignore[assignment]  # Corpus's reads (terms, generation, documents)
        self.pg = catalog
        self._tokenizers: dict[str, tuple[str, KBTokenizer]] = {}
        self._lock = threading.Lock()

    _HOLDS = "strpos(t.indexed_text, %s) > 0 OR strpos(t.text, %s) > 0"  # add_terms (Corpus's) selects by it

    def _insert_terms(self, conn: Any, kb: str, terms: list[tuple[str, str]]) -> None:
        insert_terms(conn, kb, terms)

    def _retokenize(self, kb: str, tok: KBTokenizer, identity: str, where: str, params: tuple,
                    terms: list[tuple[str, str]] | None = None) -> None:
        with self.pg.transaction() as conn:
            if terms:
                self._insert_terms(conn, kb, terms)
            rows = conn.execute("SELECT c.id, c.kind, t.text, t.indexed_text FROM chunks c JOIN chunk_texts t "
                                f"ON t.id = c.id WHERE c.kb = %s {where} FOR UPDATE OF c", (kb, *params)).fetchall()
            if rows and not where:
                log.info("re-tokenizing the %d chunks of knowledge base %s (tokenizer %s)", len(rows), kb, identity)
            if rows:
                retokenize(conn, kb, [
                    (r["id"], *index_tokens(r["kind"], r["text"], r["indexed_text"], tok.tokenize)) for r in rows])
            conn.execute("INSERT INTO kb_meta (kb, name, value, stamp) VALUES (%s, 'tokenizer', %s, 0) "
                         "ON CONFLICT (kb, name) DO UPDATE SET value = excluded.value, stamp = excluded.stamp",
                         (kb, identity))
            if rows:
                conn.execute("UPDATE kbs SET generation = generation + 1 WHERE name = %s", (kb,))

    def cooccurrence(self, kb: str, token: str, others: list[str]) -> tuple[int, int]:
        """(chunks containing `token`, those of them also containing one of `others`)."""
        self.tokenizer(kb)
        if not usable(token):
            return 0, 0
        _, counts = self.catalog.doc_frequencies(kb, [token])
        alone = counts.get(token, 0)
        wanted = [quote(o) for o in dict.fromkeys(others) if usable(o)]
        if not alone or not wanted:
            return alone, 0
        query = f"{quote(token)} & ({' | '.join(wanted)})"
        row = self.pg.query_one("SELECT COUNT(*) AS n FROM chunks WHERE kb = %s AND tsv @@ %s::tsquery", (kb, query))
        return alone, int(row["n"]) if row else 0

    def _frequent_words(self, kb: str) -> list[tuple[str, int]]:
        rows = self.pg.query_all("SELECT term, df FROM term_df WHERE kb = %s AND df >= 2", (kb,))
        return [(r["term"], int(r["df"])) for r in rows]

    def _store_meta(self, kb: str, name: str, value: str, stamp: int) -> None:
        with self.pg.transaction() as conn:
            conn.execute("INSERT INTO kb_meta (kb, name, value, stamp) VALUES (%s, %s, %s, %s) ON CONFLICT (kb, name) "
                         "DO UPDATE SET value = excluded.value, stamp = excluded.stamp", (kb, name, value, stamp))

    def _meta(self, kb: str, name: str) -> tuple[str, int] | None:
        def read() -> tuple[str, int] | None:
            row = self.pg.query_one("SELECT value, stamp FROM kb_meta WHERE kb = %s AND name = %s", (kb, name))
            return (row["value"], int(row["stamp"])) if row else None

        return self.pg.records.get(kb, f"meta:{name}", read)
