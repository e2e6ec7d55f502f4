"""Corpus statistics and the tokenizer of each base, stored with its index generation.

- Tokenizer: a base's `KBTokenizer` is the shared jieba dictionary plus the base's Chinese
  domain terms (table `terms`). The identity of the tokenizer its lexical rows were made
  with (token rules, jieba dictionary hash, term set) is stored in `kb_meta` ("tokenizer").
  New terms enter in the same transaction that re-tokenizes the chunks containing them, so
  index and queries always agree; a base whose recorded tokenizer differs from the current
  one (older catalog, new token rules or dictionary) is re-tokenized once on first use.
- Document frequencies come from FTS5's vocabulary table (kept by FTS5 as chunks change);
  co-occurrence counts from FTS5 queries; topics (domain terms most document titles use)
  , the word counts typo correction matches against and the English names the base states for
  its terms (knowledge.aliases) are computed when an ingest ends and stored with the generation
  they describe.

Readers never scan the chunks, so a cold process pays the same on 25k chunks as on 100k.
Used by KnowledgeService and ingest; tested in tests/knowledge/test_corpus.py. The same over
PostgreSQL (storage.mode = server): knowledge.pg.corpus.PgCorpus.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import Counter
from typing import Any, Iterable

from knowledge.aliases import mine_aliases
from knowledge.catalog import Catalog, kb_key
from knowledge.segmenter import segmenter
from knowledge.text import KBTokenizer, cjk_terms, index_tokens

log = logging.getLogger(__name__)

# Words in many titles that name no product or area ("排查", "ERROR").
_GENERIC = {"error", "errors", "规则", "规格", "排查", "配置", "登录", "端口", "问题", "失败", "无法", "概述",
            "常见问题", "faq", "报错", "原因", "方法", "使用", "管理", "介绍", "简介", "指南", "说明", "overview"}
TOPICS = 6
_SPELLABLE = re.compile(r"[\u4e00-\u9fff]{2,4}|[a-z]{4,}")
"""Words typo correction can match (graph/spelling.py): 2-4 Chinese characters, 4+ letters."""
WORDS_KEY = "spell_words4"
"""Meta key of the stored word counts (renamed when what is stored changes: older bases recompute once)."""


class Corpus:
    """Tokenizers and statistics of the bases in one catalog (thread-safe)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._tokenizers: dict[str, tuple[str, KBTokenizer]] = {}
        self._lock = threading.Lock()

    # tokenizer -----------------------------------------------------------------------
    def tokenizer(self, kb: str) -> KBTokenizer:
        """The base's tokenizer, matching its index (re-tokenizes the index first if it does not)."""
        recorded = self._meta(kb, "tokenizer")
        cached = self._tokenizers.get(kb)
        if cached and recorded and cached[0] == recorded[0]:
            return cached[1]
        with self._lock:
            recorded = self._meta(kb, "tokenizer")
            tok = KBTokenizer(t for t, _ in self.catalog.terms(kb))
            identity = self._identity(tok)
            if recorded is None or recorded[0] != identity:
                self._retokenize(kb, tok, identity, where="", params=())
            self._tokenizers[kb] = (identity, tok)
            return tok

    def add_terms(self, kb: str, terms: Iterable[tuple[str, str]]) -> KBTokenizer:
        """Record mined terms; new Chinese ones re-tokenize the chunks that contain them (one transaction)."""
        terms = list(terms)
        old = self.tokenizer(kb)
        new = cjk_terms(t for t, _ in terms) - old.terms
        if not new:
            if terms:
                with self.catalog.transaction() as conn:
                    self._insert_terms(conn, kb, terms)
            return old
        with self._lock:
            tok = KBTokenizer([*old.terms, *new])
            holds = " OR ".join([self._HOLDS] * len(new))
            params = tuple(t for term in sorted(new) for t in (term, term))
            self._retokenize(kb, tok, self._identity(tok), where=f"AND ({holds})", params=params, terms=terms)
            self._tokenizers[kb] = (self._identity(tok), tok)
            return tok

    _HOLDS = "instr(indexed_text, ?) > 0 OR instr(text, ?) > 0"
    """SQL: the chunk's text holds a term (parameters: the term twice)."""

    def _insert_terms(self, conn: Any, kb: str, terms: list[tuple[str, str]]) -> None:
        conn.executemany("INSERT OR IGNORE INTO terms (kb, term, kind) VALUES (?, ?, ?)", [(kb, t, k) for t, k in terms])

    def identity(self, kb: str) -> str:
        """The identity of the base's tokenizer (segmenter dictionary and term set): derived
        indexes (BM25 arrays, page index) are stamped with it."""
        return self._identity(self.tokenizer(kb))

    @staticmethod
    def _identity(tok: KBTokenizer) -> str:
        return f"{segmenter().version}/{tok.version}"

    def _retokenize(self, kb: str, tok: KBTokenizer, identity: str, where: str, params: tuple,
                    terms: list[tuple[str, str]] | None = None) -> None:
        key = kb_key(kb)
        with self.catalog.transaction() as conn:
            if terms:
                self._insert_terms(conn, kb, terms)
            rows = conn.execute(f"SELECT id, kind, text, indexed_text FROM chunks WHERE kb = ? {where}",
                                (kb, *params)).fetchall()
            if rows and not where:
                log.info("re-tokenizing the %d chunks of knowledge base %s (tokenizer %s)", len(rows), kb, identity)
            for row in rows:
                head, body = index_tokens(row["kind"], row["text"], row["indexed_text"], tok.tokenize)
                conn.execute(f"UPDATE fts_{key} SET head = ?, body = ? WHERE rowid = ?",
                             (" ".join(head), " ".join(body), row["id"]))
            conn.execute("INSERT OR REPLACE INTO kb_meta (kb, name, value, stamp) VALUES (?, 'tokenizer', ?, 0)",
                         (kb, identity))
            if rows:
                conn.execute("UPDATE kbs SET generation = generation + 1 WHERE name = ?", (kb,))

    # statistics ----------------------------------------------------------------------
    def doc_frequencies(self, kb: str, tokens: list[str]) -> tuple[int, dict[str, int]]:
        """Chunks in the base and, per token, the chunks containing it."""
        self.tokenizer(kb)  # the index must be tokenized as the caller's tokens are
        return self.catalog.doc_frequencies(kb, list(dict.fromkeys(tokens)))

    def cooccurrence(self, kb: str, token: str, others: list[str]) -> tuple[int, int]:
        """(chunks containing `token`, those of them also containing one of `others`)."""
        self.tokenizer(kb)
        key = kb_key(kb)
        quoted = _quote(token)
        with self.catalog.lock:
            alone = self.catalog.conn.execute(f"SELECT COUNT(*) FROM fts_{key} WHERE fts_{key} MATCH ?",
                                              (quoted,)).fetchone()[0]
            if not alone or not others:
                return alone, 0
            query = f"{quoted} AND ({' OR '.join(_quote(o) for o in dict.fromkeys(others))})"
            both = self.catalog.conn.execute(f"SELECT COUNT(*) FROM fts_{key} WHERE fts_{key} MATCH ?",
                                             (query,)).fetchone()[0]
        return alone, both

    def topics(self, kb: str) -> list[str]:
        """Domain terms most document titles use, as written ("云服务器", "MySQL"); stored per generation."""
        generation = self.catalog.generation(kb)
        stored = self._meta(kb, "topics")
        if stored is not None and stored[1] == generation:
            return json.loads(stored[0])
        return self.refresh_topics(kb)

    def refresh_topics(self, kb: str) -> list[str]:
        """Recompute and store the topics (at the end of an ingest or a deletion)."""
        generation = self.catalog.generation(kb)
        lexicon = {t for t, _ in self.catalog.terms(kb)}
        titles = [row["title"] for row in self.catalog.documents(kb).values()]
        found = topics_of(lexicon, titles)
        self._store_meta(kb, "topics", json.dumps(found, ensure_ascii=False), generation)
        return found

    def word_counts(self, kb: str) -> dict[str, int]:
        """{word: chunks} of the base's words in at least 2 chunks that typo correction can match
        (2-4 Chinese characters or 4+ letters); stored per generation."""
        self.tokenizer(kb)
        generation = self.catalog.generation(kb)
        stored = self._meta(kb, WORDS_KEY)
        if stored is not None and stored[1] == generation:
            return json.loads(stored[0])
        return self.refresh_word_counts(kb)

    def refresh_word_counts(self, kb: str) -> dict[str, int]:
        """Recompute and store the word counts (one scan of FTS5's vocabulary, at the end of an ingest)."""
        self.tokenizer(kb)
        generation = self.catalog.generation(kb)
        found = {term: n for term, n in self._frequent_words(kb) if _SPELLABLE.fullmatch(term)}
        self._store_meta(kb, WORDS_KEY, json.dumps(found, ensure_ascii=False), generation)
        return found

    def aliases(self, kb: str) -> dict[str, list[str]]:
        """{english name: [Chinese term]} the base states (knowledge.aliases); stored per generation."""
        generation = self.catalog.generation(kb)
        stored = self._meta(kb, "aliases")
        if stored is not None and stored[1] == generation:
            return json.loads(stored[0])
        return self.refresh_aliases(kb)

    def refresh_aliases(self, kb: str) -> dict[str, list[str]]:
        """Recompute and store the stated pairs (one pass over the chunks, at the end of an ingest)."""
        tok = self.tokenizer(kb)
        generation = self.catalog.generation(kb)

        def df(name: str) -> int:
            tokens = [t for t in tok.tokenize(name) if t.strip()]
            counts = self.catalog.doc_frequencies(kb, tokens)[1] if tokens else {}
            return min((counts.get(t, 0) for t in tokens), default=0)

        found = mine_aliases((row["text"] for row in self.catalog.iter_chunks(kb)), df)
        self._store_meta(kb, "aliases", json.dumps(found, ensure_ascii=False), generation)
        return found

    def _frequent_words(self, kb: str) -> list[tuple[str, int]]:
        """(token, chunks) of every token in at least 2 chunks of the base (FTS5's vocabulary)."""
        with self.catalog.lock:
            rows = self.catalog.conn.execute(f"SELECT term, doc FROM vocab_{kb_key(kb)} WHERE doc >= 2").fetchall()
        return [(r[0], int(r[1])) for r in rows]

    def _store_meta(self, kb: str, name: str, value: str, stamp: int) -> None:
        with self.catalog.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO kb_meta (kb, name, value, stamp) VALUES (?, ?, ?, ?)",
                         (kb, name, value, stamp))

    def _meta(self, kb: str, name: str) -> tuple[str, int] | None:
        with self.catalog.lock:
            row = self.catalog.conn.execute("SELECT value, stamp FROM kb_meta WHERE kb = ? AND name = ?",
                                            (kb, name)).fetchone()
        return (row[0], row[1]) if row else None


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


_ASCII_WORD = re.compile(r"[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?")


def topics_of(lexicon: set[str], titles: list[str], limit: int = TOPICS) -> list[str]:
    """Lexicon terms found in the most document titles (not generic words or numbers), as written.

    Each title is matched through its own substrings, so the cost follows the titles, not
    the lexicon (a large base mines thousands of terms).
    """
    counts: Counter = Counter()
    written: dict[str, str] = {}
    wanted = {t for t in lexicon if len(t) >= 2 and t not in _GENERIC and not t.replace(".", "").isdigit()}
    longest = max((len(t) for t in wanted), default=0)
    for title in titles:
        low = title.lower()
        seen = {low[i:j] for i in range(len(low)) for j in range(i + 2, min(len(low), i + longest) + 1)} & wanted
        words = set(_ASCII_WORD.findall(low))  # an ASCII name counts whole: "TiDB", not the "tid" in it
        seen = {t for t in seen if not (t.isascii() and " " not in t) or t in words}
        for term in sorted(seen):
            counts[term] += 1
            pos = low.find(term)
            written.setdefault(term, title[pos:pos + len(term)])
    ranked = [t for t, n in counts.most_common() if n >= 2] or [t for t, _ in counts.most_common()]
    picked: list[str] = []
    for term in ranked:
        if not any(term in p.lower() or p.lower() in term for p in picked):
            picked.append(written[term])
        if len(picked) >= limit:
            break
    return picked
