"""Which ranked passages answer: the selection step of knowledge.retrieve.HybridRetriever (a mixin over knowledge.keyword_indexes).

It gathers each base's word evidence (forms, IDF, what each passage holds), applies the base's
calibrated bars (knowledge.calibration) and the rules of knowledge.select, sections, outline,
places and products. The ranking is done before; this keeps, marks or drops. Tests:
tests/knowledge (selection), tests/graph.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Callable, Mapping, Sequence

from knowledge.calibration import Calibration
from knowledge.doc_tags import attach_doc_tags, document_meta
from knowledge.keyword_indexes import KeywordIndexes
from knowledge.nearest_page import NEAREST, nearest_titled, subject_words
from knowledge.outline import outdone_by_outline
from knowledge.page_spread import passage_from_row
from knowledge.places import mark_places, name_only
from knowledge.products import leave_off_subject
from knowledge.references import follow_reference
from knowledge.query_terms import RARE_DF, is_cjk
from knowledge.sections import WordEvidence, complete_page
from knowledge.select import (ALIAS_SHARE, by_cosine_alone, drop_dominated, held_tokens, identifiers,
                              idf_from_counts, instrument_names, is_name, judge, keyword_sections_first, rare_subject,
                              score_relevance,
                              select_matched, select_passages, unknown_terms, versioned_stems)
from knowledge.text import tokenize as plain_tokenize
from knowledge.types import Passage

log = logging.getLogger(__name__)


class PassageSelection(KeywordIndexes):
    """select() and its helpers, over the keyword indexes (their statistics weigh the words)."""

    def select(self, query: str, passages: list[Passage], max_passages: int,
               alternatives: Mapping[str, Sequence[str]] | None = None) -> list[Passage]:
        """Passages with evidence above their base's bars, at most max_passages, most relevant LAST.

        Each kept passage has meta["match"]: "strong", or "partial" (the answer should say so),
        and meta["unknown_terms"]: names in the question its base never uses (with one, no
        passage is a strong match: the base cannot fully answer about what it never names).
        When the question's rare subject (knowledge.select.rare_subject) is named by none of the
        matching passages nor their documents, none is kept: they answer about something else.
        Pages that never mention a product folder the question names (knowledge.products) and strong
        matches a sibling page outdoes (drop_dominated), and pages of a folder whose page outline names
        the situation (knowledge.outline) covers are left out; the best page's section holding what its
        passages miss may be added (knowledge.sections.complete_page), and the page the leading passage
        refers the reader to for what is asked leads (knowledge.references).
        """
        if not passages:
            return []
        words: dict[str, WordEvidence] = {}
        rare: dict[str, str | None] = {}  # each base's rare subject (knowledge.select.rare_subject)
        for kb in {p.kb for p in passages}:
            group = [p for p in passages if p.kb == kb]
            known = self.catalog.has_kb(kb)
            tokenize = self.corpus.tokenizer(kb).tokenize if known else plain_tokenize
            tokens = tokenize(query)
            weighed = tokens + [t for term in (alternatives or {}).values() for t in tokenize(" ".join(term))]
            weighed += versioned_stems(tokens)  # unknown_terms weighs "ipv" to report "ipv6"
            total, counts = self.corpus.doc_frequencies(kb, weighed) if known else (1, {})
            indexed = self.catalog.chunk_tokens(kb, [p.chunk_id for p in group]) if known else {}
            forms, in_text, idf, form_idf = self._word_evidence(kb, tokens, total, counts) if known else \
                ({}, set(), idf_from_counts(total, counts), None)
            holding = score_relevance(query, group, idf, tokenize, indexed, forms, in_text, form_idf, alternatives)
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
            keyword_sections_first(group)
            subject = rare_subject(tokens, counts, total, identifiers(query), instrument_names(query)) if known else None
            rare[kb] = subject
            matching = [p for p in group if p.meta.get("match")]
            if subject and matching and not self._names_subject(kb, subject, matching, indexed, holding) \
                    and not self._names_product(kb, matching, tokens, tokenize):
                log.info("selection: no matching passage of %s, nor its page, names %r", kb, subject)
                for p in group:  # they all answer about something else
                    p.meta.pop("match", None)
            if known:
                leave_off_subject(self.keywords(kb), self.catalog.chunks_by_chunk_id, tokens, group, tokenize,
                                  identifiers(query))
            drop_dominated(group, holding, tokens, idf, lambda p: held_tokens(
                tokens, set(tokenize(p.title)), p.title.lower(), forms, in_text))
            if known:  # pages only a cosine admitted do not compete (word evidence tuned the rule; issue 15)
                outdone_by_outline([p for p in group if not by_cosine_alone(p)], words[kb], self._page_rows)
            attach_doc_tags(group, self.catalog.document)
            mark_places(query, group, holding)
            name_only(group, holding, idf)
            if unknown:  # the base never names what the question asks about: no passage answers it fully
                for p in group:
                    if p.meta.get("match") == "strong":
                        p.meta["match"] = "partial"
        chosen = select_matched(passages, max_passages) or self._nearest_titled(passages, words, rare, max_passages)
        chosen = complete_page(query, chosen, max_passages, words, self._page_rows, self.catalog.chunk_tokens,
                               lambda row, score: passage_from_row(row, score, None, None))
        chosen = follow_reference(query, chosen, max_passages, words, self._page_rows, self.catalog.chunk_tokens,
                                  lambda row, score: passage_from_row(row, score, None, None), self._titles)
        attach_doc_tags([p for p in chosen if "doc_tags" not in p.meta], self.catalog.document)  # pages' added sections
        return chosen

    def _nearest_titled(self, passages: list[Passage], words: dict[str, WordEvidence], rare: dict[str, str | None],
                        max_passages: int) -> list[Passage]:
        """Nothing kept: the first-ranked passage as a partial match when its title or headings name the
        question's subject (knowledge.nearest_page), else nothing. A rare subject (a product-like name:
        "Redis 集群怎么扩容") is part of it: a page not headed by it answers about something else."""
        w = words.get(passages[0].kb) if passages else None
        if w is None:
            return []
        index = getattr(self.keywords(passages[0].kb), "chunks", None)  # the embedded BM25 index knows headings
        subject = subject_words(w.tokens, w.idf, w.documentation,
                                (lambda t: index.head_df(t) > 0) if index is not None else (lambda t: True))
        name = rare.get(passages[0].kb)
        subject = [*subject, name] if name and name not in subject else subject
        log.debug("selection: nothing kept; the question's subject %s", subject)
        lead = nearest_titled(passages, subject, w.tokenize, w.forms)
        if lead is None:
            return []
        log.info("selection: nothing kept; the first-ranked page %s is titled by the question's subject", lead.source)
        lead.meta["match"] = "partial"
        lead.meta[NEAREST] = True
        return select_matched(passages, max_passages)

    def _titles(self, kb: str) -> dict[str, str]:
        """{title: source} of the base's documents, read once per generation (a title two pages
        share names neither): what knowledge.references recognises a plain-text reference by."""
        generation = self.catalog.generation(kb)
        cached = self._titles_of.get(kb)
        if cached is None or cached[0] != generation:
            seen: dict[str, str] = {}
            shared: set[str] = set()
            for source, row in self.catalog.documents(kb).items():
                title = (row["title"] or "").strip()
                shared |= {title} if title in seen else set()
                seen[title] = source
            cached = (generation, {t: s for t, s in seen.items() if t and t not in shared})
            self._titles_of[kb] = cached
        return cached[1]

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

    def _names_product(self, kb: str, passages: list[Passage], tokens: list[str],
                       tokenize: Callable[[str], list[str]]) -> bool:
        """The question names the product a matching passage's page declares (front-matter `product`, "负载均衡 CLB"):
        it is about that product, and its rarer name is a detail of the case ("负载均衡后面挂的是 websocket 长连接服务…"),
        not another thing it asks about as "Redis 集群怎么扩容" does of the cloud-disk page."""
        asked = {t for t in tokens if len(t) >= 2}
        for source in {p.source for p in passages}:
            product = document_meta(self.catalog.document, kb, source).get("product")
            if product and asked & set(tokenize(str(product))):
                return True
        return False

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
