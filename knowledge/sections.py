"""The section of a chosen page that holds what the selected passages miss (issue 21: right page, wrong section).

Retrieval ranks chunks; a page's second section is decayed under other pages' first chunks, so
the selection often holds the right page in its lead or a neighbouring section while the fact
sits in another section of it (on the corpora: a key fact is in the top-8 pages 0.91 of the
time, in the top-8 passages 0.59). Adding more sections of the top page wholesale displaced
the second page of comparisons and two-part questions. So this is selective: only when the
selected passages miss a good part of the question's words (MISSING_SHARE of its IDF), and
only a section of the best page that holds most of them (SECTION_SHARE of the missing IDF,
headings included) and covers half as much of the whole question as the page's best passage
is added, as a partial match, where a weak passage or a free place is.
Used by knowledge.retrieve.HybridRetriever.select; tests in tests/knowledge/test_page_choice.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Container, Iterable, Mapping, Sequence

from knowledge.evidence import held_tokens, score_relevance
from knowledge.types import Passage

MISSING_SHARE = 0.25
"""Share of the question's IDF the selected passages must miss before a section is looked for."""
SECTION_SHARE = 0.5
"""Share of the missing IDF a section must hold to be added."""
TOP_SHARE = 0.5
"""Share of the question the section must cover, relative to its page's best passage."""


@dataclass
class WordEvidence:
    """How selection read the question's words in one base (knowledge.retrieve.HybridRetriever.select)."""

    tokens: list[str]
    tokenize: Callable[[str], list[str]]
    idf: Callable[[str], float]
    forms: Mapping[str, Iterable[str]]
    in_text: Container[str]
    form_idf: Callable[[str], float] | None
    holding: dict[str, set[str]]
    """The question's tokens each judged passage holds, by chunk id."""
    documentation: Callable[[str], bool]


@dataclass
class SectionChunk:
    """One chunk of the page, with the question's words it holds (heading words included)."""

    chunk_id: str
    heading_path: tuple[str, ...]
    words: set[str]
    navigation: bool = False


def weight(words: Iterable[str], idf: Callable[[str], float]) -> float:
    """IDF of distinct words, a word inside a longer one (服务 in 服务器) not counted twice."""
    distinct = set(words)
    return sum(idf(t) for t in distinct if not any(t != u and t in u for u in distinct))


def missing_words(query_tokens: list[str], held: set[str], idf: Callable[[str], float],
                  documentation: Callable[[str], bool]) -> set[str]:
    """The question's documentation words (knowledge.query_terms: not "根本", "起来") that the page's
    selected passages miss, when they weigh MISSING_SHARE of the question's documentation words."""
    distinct = {t for t in query_tokens if idf(t) > 0 and documentation(t)}
    missing = distinct - held
    total = weight(distinct, idf)
    return missing if total > 0 and weight(missing, idf) >= MISSING_SHARE * total else set()


def best_section(chunks: list[SectionChunk], missing: set[str], idf: Callable[[str], float],
                 taken: set[tuple[str, ...]]) -> SectionChunk | None:
    """The chunk of the section (not one already selected) holding the most of the missing words,
    when the section holds SECTION_SHARE of the IDF of those the page holds at all; None otherwise."""
    need = weight(missing & set().union(*(c.words for c in chunks)), idf)  # what this page can give
    if need <= 0:
        return None
    sections: dict[tuple[str, ...], list[SectionChunk]] = {}
    for c in chunks:
        if not c.navigation:
            sections.setdefault(c.heading_path, []).append(c)
    best, best_weight = None, 0.0
    for path, members in sections.items():
        if path in taken:
            continue
        held = set().union(*(c.words & missing for c in members))
        w = weight(held, idf)
        if w > best_weight:
            best_weight = w
            best = max(members, key=lambda c: weight(c.words & missing, idf))
    return best if best is not None and best_weight >= SECTION_SHARE * need else None


def complete_page(query: str, chosen: list[Passage], max_passages: int, words: Mapping[str, WordEvidence],
                  page_rows: Callable[[str, str], Sequence[Any]],
                  tokens_of: Callable[[str, list[str]], dict[str, list[str]]],
                  as_passage: Callable[[Any, float], Passage]) -> list[Passage]:
    """`chosen` (best last) with the section of the best document page that holds the question words
    its chosen passages miss (best_section), ranked right below that page's passage: in a free place,
    else in the place of the weakest passage unless that one is a strong match or holds some of
    the same missing words (another page on what the best one misses). `page_rows(kb, source)`:
    the page's catalog rows in order; `tokens_of(kb, chunk ids)`: their indexed tokens."""
    top = next((p for p in reversed(chosen) if p.kind != "faq"), None)
    if top is None or top.kb not in words:
        return chosen
    full = len(chosen) >= max_passages
    if full and (chosen[0] is top or chosen[0].meta.get("match") == "strong"):
        return chosen  # no place a section may take
    ev = words[top.kb]
    held = set().union(*(ev.holding.get(p.chunk_id, set()) for p in chosen if p.kb == top.kb and p.source == top.source))
    missing = missing_words(ev.tokens, held, ev.idf, ev.documentation)
    rows = page_rows(top.kb, top.source) if missing else []
    if not rows:
        return chosen
    from knowledge.pages import is_navigation  # numpy: only once a search ran

    indexed = tokens_of(top.kb, [r["chunk_id"] for r in rows])
    page = []
    for r in rows:
        path = tuple(json.loads(r["heading_path"]))
        found = set(indexed.get(r["chunk_id"]) or ()) | set(ev.tokenize(" ".join(path)))
        page.append(SectionChunk(r["chunk_id"], path, held_tokens(
            list(missing), found, (r["indexed_text"] or "").lower(), ev.forms, ev.in_text), is_navigation(r["text"])))
    taken = {tuple(p.heading_path) for p in chosen if p.source == top.source and p.kb == top.kb}
    pick = best_section(page, missing, ev.idf, taken)
    if pick is None or (full and ev.holding.get(chosen[0].chunk_id, set()) & pick.words):
        return chosen  # (the weakest passage brings the same missing words: it stays)
    added = as_passage(next(r for r in rows if r["chunk_id"] == pick.chunk_id), top.score)
    score_relevance(query, [added], ev.idf, ev.tokenize, indexed, ev.forms, ev.in_text, ev.form_idf)
    if added.meta["evidence"]["share"] < TOP_SHARE * (top.meta.get("evidence") or {}).get("share", 0.0):
        return chosen  # a chance hit of a few missing words, about something else
    added.meta.update(match="partial", unknown_terms=top.meta.get("unknown_terms") or [], added="section")
    out = chosen[1:] if full else list(chosen)
    out.insert(out.index(top), added)
    return out
