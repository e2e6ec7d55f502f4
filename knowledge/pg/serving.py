"""Which keyword index serves a base now in server mode: the in-memory one, or PostgreSQL's while it is rebuilt.

Each replica ranks keywords with an in-memory chunk + page index (knowledge.lexical) built from
PostgreSQL per generation and tokenizer. After an ingest on another replica that index is stale,
and rebuilding it costs ~8 CPU-s at 100k chunks, ~90 at 1M: no query may wait for it.
`KeywordServing.index(kb)` returns the in-memory ranker when it describes the base's current
generation and tokenizer; otherwise it starts one background build for the base (none while one
runs) and returns `SqlKeywords` at once: BM25 in SQL (`sc_bm25`) over the current rows, scores
relative to the best hit like the in-memory ranker's, with the word statistics selection reads
(documentation words, word forms) from the previous in-memory index, or from `term_df` when the
replica has none yet. The build (load from the replica's data_dir, else build from PostgreSQL)
swaps the new ranker in with one dict assignment; an error is logged and SQL keeps serving —
the next query starts another try. What SQL serving leaves out until the swap: the page BM25,
the question-entry prior and query term weights (plain BM25 with the head weight), and path
words in `rows_with`. Embedded mode never uses this (its index is rebuilt by the writer in the
same data directory). `knowledge.keyword_index_max_chunks` > 0: a bigger base is always served
from SQL (no index in any replica's memory). Tests: tests/storage/test_background_index.py.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from typing import TYPE_CHECKING, Any, Callable

from knowledge.catalog import kb_key
from knowledge.pg.lexical import quote, usable
from knowledge.query_terms import CODE_HEAD, MAX_FORMS, RARE_DF, Background, QueryTerms, WordForms, is_cjk

if TYPE_CHECKING:
    from knowledge.lexical import LexicalRanker

log = logging.getLogger(__name__)


class SqlTermStats:
    """Per-term chunk counts from `term_df` (cached per query); occurrences counted as chunks."""

    def __init__(self, catalog: Any, kb: str) -> None:
        self.catalog = catalog
        self.kb = kb
        self.known: dict[str, int] = {}
        row = catalog.base_row(kb)
        self._total = int(row["token_count"]) if row else 0

    def df(self, term: str) -> int:
        if term not in self.known:
            row = self.catalog.query_one("SELECT df FROM term_df WHERE kb = %s AND term = %s", (self.kb, term))
            self.known[term] = max(int(row["df"]), 0) if row else 0
        return self.known[term]

    def cf(self, term: str) -> int:
        return self.df(term)

    @property
    def total_tokens(self) -> int:
        return self._total


class SqlWordForms(WordForms):
    """knowledge.query_terms.WordForms with the vocabulary looked up in `term_df` instead of held in memory."""

    def __init__(self, stats: SqlTermStats) -> None:
        super().__init__([], stats.df)
        self.stats = stats

    def _find(self, token: str) -> list[str]:
        params: tuple[object, ...]
        if is_cjk(token):
            if len(token) > 1 and self.df(token) >= RARE_DF:
                return []
            where, params = "strpos(term, %s) > 0 AND term <> %s", (token, token)
        elif self.df(token) == 0 and CODE_HEAD.match(token):
            n = len(token)
            where, params = ("left(term, %s) = %s AND length(term) > %s AND substr(term, %s, 1) IN ('.', '/', ':', '_', '-')",
                             (n, token, n, n + 1))
        else:
            return []
        rows = self.stats.catalog.query_all(f"SELECT term, df FROM term_df WHERE kb = %s AND df > 0 AND {where} "
                                       "ORDER BY df DESC, term LIMIT %s", (self.stats.kb, *params, MAX_FORMS))
        self.stats.known.update((r["term"], int(r["df"])) for r in rows)
        return [r["term"] for r in rows]


class SqlKeywords:
    """Keyword search of one base straight from PostgreSQL, served while its in-memory index is (re)built."""

    source = "sql"

    def __init__(self, catalog: Any, kb: str, head_weight: float, previous: "LexicalRanker | None",
                 background: Background) -> None:
        self.catalog = catalog
        self.kb = kb
        self.head_weight = head_weight
        if previous is not None:  # one ingest moves the word statistics little: keep the last generation's
            self.terms, self.forms = previous.terms, previous.forms
        else:
            stats = SqlTermStats(catalog, kb)
            self.terms, self.forms = QueryTerms(stats, background), SqlWordForms(stats)

    def rank(self, tokens: list[str], limit: int, words: frozenset[str] = frozenset()) -> list[tuple[int, float]]:
        """(chunk rowid, BM25 / best BM25) best first, from `sc_bm25` (no identifier weighting: `words` unused)."""
        found = self.catalog.lexical_search(self.kb, tokens, limit, self.head_weight)
        best = found[0][1] if found else 0.0
        return [(rowid, score / best) for rowid, score in found] if best > 0 else []

    def rows_with(self, term: str) -> list[int]:
        """Rowids of the chunks holding `term` (GIN index)."""
        if not usable(term):
            return []
        rows = self.catalog.query_all("SELECT id FROM chunks WHERE kb = %s AND tsv @@ %s::tsquery", (self.kb, quote(term)))
        return [int(r["id"]) for r in rows]


class IndexBuilds:
    """At most one background build per base; `gate` (tests) runs first in the build thread."""

    def __init__(self, build: Callable[[str], object]) -> None:
        self._build = build
        self._running: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()
        self.started: Counter[str] = Counter()
        self.gate: Callable[[str], None] | None = None
        self.closed = False
        """The service closed: no new build; one still running fails quietly on the closed pool."""

    def start(self, kb: str) -> None:
        with self._lock:
            if kb in self._running or self.closed:
                return
            thread = threading.Thread(target=self._run, args=(kb,), name=f"keyword-index-{kb_key(kb)}", daemon=True)
            self._running[kb] = thread
            self.started[kb] += 1
            thread.start()

    def _run(self, kb: str) -> None:
        try:
            if self.gate is not None:
                self.gate(kb)
            self._build(kb)
        except Exception as exc:  # a background thread has no caller: log it; SQL keeps serving, the next query retries
            if self.closed:
                log.info("background keyword index build of knowledge base %s abandoned: the service closed (%s)",
                         kb, exc)
            else:
                log.exception("background keyword index build of knowledge base %s failed; searching it in SQL", kb)
        finally:
            with self._lock:
                self._running.pop(kb, None)

    def running(self, kb: str) -> bool:
        return kb in self._running

    def wait(self, kb: str, timeout: float | None = None) -> bool:
        """Wait for the base's build in progress, if any; True when none is running any more."""
        thread = self._running.get(kb)
        if thread is not None:
            thread.join(timeout)
        return not self.running(kb)


class KeywordServing:
    """Chooses, per query, the keyword index that serves a base without waiting (server mode)."""

    def __init__(self, catalog: Any, corpus: Any, head_weight: float, current: Callable[[str], "LexicalRanker | None"],
                 build: Callable[[str], object], max_chunks: int = 0, in_background: bool = True) -> None:
        """`current`: the base's cached in-memory ranker (any generation); `build`: load or build it and swap it in;
        `max_chunks` (> 0): a base with more chunks is always searched in SQL, never built in memory;
        `in_background` False (a command-line run: one query, then exit): build in the query instead."""
        self.catalog = catalog
        self.corpus = corpus
        self.head_weight = head_weight
        self.max_chunks = max_chunks
        self.in_background = in_background
        self.current = current
        self.build = build
        self.builds = IndexBuilds(build)
        self.served: dict[str, str] = {}
        """Base -> "memory" or "sql": what served its last query (tests, logs)."""

    def sql_only(self, kb: str) -> bool:
        """The base is above `max_chunks`: no replica holds its keyword index in memory."""
        if not self.max_chunks:
            return False
        row = self.catalog.base_row(kb)
        return bool(row) and int(row["chunk_count"]) > self.max_chunks

    def index(self, kb: str) -> "LexicalRanker | SqlKeywords":
        identity = self.corpus.identity(kb)  # first: bringing the index to it moves the generation
        row = self.catalog.base_row(kb)
        generation, chunks = (int(row["generation"]), int(row["chunk_count"])) if row else (-1, 0)
        if self.max_chunks and chunks > self.max_chunks:
            self.served[kb] = "sql"
            return SqlKeywords(self.catalog, kb, self.head_weight, None, self.corpus.tokenizer(kb).background_frequency)

        def fresh(ranker: "LexicalRanker | None") -> bool:
            return ranker is not None and ranker.generation == generation and ranker.chunks.tokenizer == identity

        ranker = self.current(kb)
        if not fresh(ranker) and not self.in_background:
            self.build(kb)
            ranker = self.current(kb)
        if ranker is not None and fresh(ranker):
            self.served[kb] = "memory"
            return ranker
        if self.in_background:  # (otherwise the base moved while this run built it: SQL for this query, no thread)
            if not self.builds.running(kb):
                log.info("keyword index of %s is %s: searching in SQL while it is built", kb,
                         "stale" if ranker is not None else "not loaded")
            self.builds.start(kb)
        self.served[kb] = "sql"
        return SqlKeywords(self.catalog, kb, self.head_weight, ranker, self.corpus.tokenizer(kb).background_frequency)
