"""Keyword ranking of one base: weighted chunk BM25 + page BM25 + question-entry prior.

score(chunk) = (chunk BM25 / best chunk BM25 + page_weight * page BM25 / best page BM25)
               * (1 + question_boost if the chunk is a question entry)
then pages are placed by the same score with the chunk BM25 scaled by share ** coordination
(the chunks of one page keep their order by the plain score).

- Chunk BM25 (knowledge.bm25, title and heading matches weighted `head_weight`) over the
  query terms weighted by knowledge.query_terms (documentation words count, filler not).
- Coordination: `share` is the part of the query's weighted IDF the chunk holds. BM25
  saturates per term, yet a long page repeating one rare query word ("helm" x 40) still
  outranks the page that answers three of the question's words; the share favours the
  chunk that covers the question (Lucene's classic `coord`, with an exponent). It decides
  where a page stands, not which of its sections leads: scaling every chunk changed the
  section an answer opens with (a page's parameter table for its causes list) and cost
  answers that recall@5 alone does not show (docs/benchmarks.md, recall third session).
- A filler word's pieces are one piece of evidence: jieba's search mode adds 绝大 / 大部 /
  部分 / 大部分 for 绝大部分, and a short chunk holding the pieces ("支持绝大部分 MySQL 语法")
  earned four matches for one filler word; a chunk now earns the best of its pieces. A
  documentation compound's pieces (健康检查: 健康, 检查) still add up: grouping them too
  changed which demo page answers "clb 健康检查默认多久" (answers 0.775 -> 0.757).
- Page BM25 (knowledge.pages) adds what the whole document says about the question, so
  a page whose words are spread over sections still ranks; only chunks that match
  themselves receive it.
- Question entries (FAQ pairs, sections titled with a question) answer the questions
  people actually ask; `question_boost` is calibrated on the frozen corpora set.
- Rare exact identifiers (IST0161, tidb_mem_quota_query, an error code: knowledge.identifiers, in under
  0.2 % of chunks) weigh `identifier_weight` times their term weight: BM25 saturates per term, and
  the page naming the code the user typed lost to pages repeating two everyday words. A long word the
  question writes as a word of the language ("SERIALIZABLE", "Insufficient") is not one: the isolation
  level's page took an error-code question's first place on "serializable" counted twice.
- An FAQ entry is its own page, but the page index holds its file's title and its answer, not its
  question; `faq_entry_evidence` gives it its own match as page evidence instead (off by default:
  the entries it lifts change which sections demo answers append, see the setting).
- A product the question names: in a base filing several products by folder (tidb-docs-cn/, istio-zh/), a
  question naming a folder's product ("tidb") leaves pages that never mention a named product (text,
  headings or path words) `named_product_factor` of their score: "安全扫描 … CVE … tidb 报上去的" ranked
  Kubernetes' CVE feed above TiDB's FAQ. Selection drops such pages too (knowledge.products); here it
  keeps them from taking the places of the product's own pages. Folder names below the product (ticdc,
  sidecar) are no such evidence: "sidecar 里证书默认多久过期" is answered by a page never writing sidecar.
Used by knowledge.retrieve.HybridRetriever; tests: tests/knowledge/test_ranking.py.
"""

from __future__ import annotations

import numpy as np

from knowledge.bm25 import BM25Index, top_positions
from knowledge.config import KnowledgeSettings
from knowledge.identifiers import is_identifier
from knowledge.pages import PageIndex
from knowledge.query_terms import Background, QueryTerms, WordForms, is_cjk
from knowledge.text import background_frequency


class LexicalRanker:
    """The chunk and page indexes of one base generation, aligned row by row."""

    source = "memory"

    def __init__(self, chunks: BM25Index, pages: PageIndex, settings: KnowledgeSettings,
                 background: Background = background_frequency) -> None:
        """`background`: general-language word counts; the base's tokenizer's, which counts its own terms 0."""
        self.chunks = chunks
        self.pages = pages
        self.settings = settings
        self.generation = chunks.generation
        self.terms = QueryTerms(chunks, background, chunks.vocabulary)
        self.forms = WordForms(chunks.vocabulary, chunks.df)
        pos = pages.locate(chunks.rowids)
        known = pos >= 0
        self.row_page = np.where(known, pages.chunk_page[np.maximum(pos, 0)], -1).astype(np.int64)
        self.row_question = np.where(known, pages.question[np.maximum(pos, 0)], False)
        self.row_overview = np.where(known, pages.overview[np.maximum(pos, 0)], False)
        self.row_navigation = np.where(known, pages.navigation[np.maximum(pos, 0)], False)
        self._nav_rows = np.flatnonzero(self.row_navigation & known)
        # an FAQ file's entries are pages of one document (knowledge.pages): the doc id repeats
        doc_ids, counts = np.unique(pages.pages, return_counts=True)
        self._entry_page = np.isin(pages.pages, doc_ids[counts > 1])
        self.row_entry = (self.row_page >= 0) & self._entry_page[np.maximum(self.row_page, 0)] if len(self._entry_page) \
            else np.zeros(len(self.row_page), dtype=bool)
        self._n_pages = int(self.row_page.max()) + 1 if len(self.row_page) else 0

    product_names: frozenset[str] = frozenset()
    """The base's product folder names (knowledge.pages.product_folder); set by knowledge.keyword_indexes."""

    def _named_product_rows(self, weights: dict[str, float]) -> np.ndarray | None:
        """Per chunk: its page mentions a product the question names (path words count); None when none is named."""
        named = [t for t in weights if t in self.product_names]
        if not named or self._n_pages == 0:
            return None
        rows = np.flatnonzero(np.isin(self.chunks.rowids, [r for t in named for r in self.rows_with(t)]))
        pages = self.row_page[rows]
        mentioned = np.zeros(self._n_pages, dtype=bool)
        mentioned[pages[pages >= 0]] = True
        return (self.row_page < 0) | mentioned[np.maximum(self.row_page, 0)]

    def rows_with(self, term: str) -> list[int]:
        """Rowids of the chunks holding `term` (path words included)."""
        return self.chunks.rows_with(term)

    def _content_share(self, share: np.ndarray) -> np.ndarray:
        """A link list's words are other pages' titles: it covers the question no better than its page's other chunks."""
        nav = self._nav_rows[share[self._nav_rows] > 0]
        if not len(nav):
            return share
        content = np.flatnonzero(share > 0)
        content = content[~self.row_navigation[content] & (self.row_page[content] >= 0)]
        best = np.zeros(self._n_pages, dtype=share.dtype)
        np.maximum.at(best, self.row_page[content], share[content])
        out = share.copy()
        out[nav] = np.minimum(share[nav], best[self.row_page[nav]])
        return out

    def _blend(self, scores: np.ndarray, page: np.ndarray | None, own: np.ndarray | None = None) -> np.ndarray:
        """`own`: each chunk's plain match (best = 1), an FAQ entry's page evidence (default: `scores`)."""
        own = scores if own is None else own
        scores = scores.copy()
        if page is not None and page.max() > 0:
            page = page / page.max()
            matched = (scores > 0) & (self.row_page >= 0)
            evidence = page[np.maximum(self.row_page, 0)]
            if self.settings.faq_entry_evidence:  # an FAQ entry is its own page: its own match is its page's
                evidence = np.where(self.row_entry, own, evidence)
            scores[matched] += self.settings.page_weight * evidence[matched]
        if self.settings.question_boost > 0:
            scores *= 1.0 + self.settings.question_boost * self.row_question
        if self.settings.navigation_factor < 1.0:
            scores *= np.where(self.row_navigation, self.settings.navigation_factor, 1.0)
        if self.settings.overview_factor < 1.0:
            scores *= np.where(self.row_overview, self.settings.overview_factor, 1.0)
        return scores

    def _page_order(self, plain: np.ndarray, covered: np.ndarray) -> np.ndarray:
        """Pages placed by their best covered chunk; within a page the chunks keep their plain order."""
        rows = np.flatnonzero((plain > 0) & (self.row_page >= 0))
        best_plain = np.zeros(self._n_pages, dtype=plain.dtype)
        best_covered = np.zeros(self._n_pages, dtype=plain.dtype)
        np.maximum.at(best_plain, self.row_page[rows], plain[rows])
        np.maximum.at(best_covered, self.row_page[rows], covered[rows])
        out = covered.copy()
        pages = self.row_page[rows]
        out[rows] = plain[rows] * best_covered[pages] / np.maximum(best_plain[pages], 1e-9)
        return out

    def rank(self, tokens: list[str], limit: int, words: frozenset[str] = frozenset()) -> list[tuple[int, float]]:
        """(chunk rowid, score) best first; empty when no query term is in the base. `words`: terms the
        question writes as words of the language (knowledge.identifiers.written_as_words), never identifiers."""
        if limit <= 0 or not tokens:
            return []
        weights = identifiers_weighted(self.terms.weights(tokens, self.settings.term_weighting), self.chunks,
                                       self.settings.identifier_weight, words)
        scores, share = self.chunks.scores_and_coverage(weights, self.settings.head_weight, word_groups(weights))
        best = float(scores.max()) if len(scores) else 0.0
        if best <= 0:
            return []
        scores /= best
        page = self.pages.scores(weights) if self.settings.page_weight > 0 else None
        plain = self._blend(scores, page)
        if self.settings.coordination > 0:  # a page holding most of the question beats one repeating one word
            covered = self._blend(scores * self._content_share(share) ** self.settings.coordination, page, scores)
            scores = self._page_order(plain, covered)
        else:
            scores = plain
        if self.settings.named_product_factor < 1.0:
            mentions = self._named_product_rows(weights)
            if mentions is not None:
                scores = np.where(mentions, scores, scores * self.settings.named_product_factor)
        return [(int(self.chunks.rowids[i]), float(scores[i])) for i in top_positions(scores, limit)]


RARE_IDENTIFIER = 0.002
"""Share of the chunks under which an identifier-shaped query word counts as an exact identifier."""


def identifiers_weighted(weights: dict[str, float], chunks: BM25Index, factor: float,
                         words: frozenset[str] = frozenset()) -> dict[str, float]:
    """Query weights with rare exact identifiers counted `factor` times; `words` (written as words of the
    language by the question) are not identifiers whatever their length.

    BM25 saturates per term, so a page that names the error code or parameter the user typed
    weighs little more than a page repeating two of the question's everyday words; a rare
    identifier is the strongest evidence a question carries (issue 15: 'ranked below another page')."""
    if factor == 1.0:
        return weights
    rare = RARE_IDENTIFIER * chunks.n
    return {t: w * factor if t not in words and is_identifier(t, "term") and 0 < chunks.df(t) < rare else w
            for t, w in weights.items()}


def word_groups(weights: dict[str, float], documentation: float = 0.5) -> dict[str, str]:
    """Search-mode pieces -> the longest query word holding them (绝大, 大部, 部分 -> 绝大部分),
    for words the base does not use as documentation terms (weight under `documentation`);
    the word itself belongs to its own group. A documentation compound's pieces stay apart:
    健康 and 检查 are each evidence where a page writes them apart."""
    cjk = sorted((t for t in weights if is_cjk(t)), key=len, reverse=True)
    out: dict[str, str] = {}
    for t in cjk:
        head = next((w for w in cjk if len(w) > len(t) and t in w), None)
        if head is not None and weights[out.get(head, head)] < documentation:
            out[t] = out.get(head, head)
            out.setdefault(head, out[t])
    return out
