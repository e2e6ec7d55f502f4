"""Selection: keep the best few passages that carry real evidence for the question.

Each passage's evidence (share, mass, cosine, quoted names; knowledge.evidence) is judged against
the bars of its chunk class that knowledge.calibration measured for the base: `meta["match"]` =
"strong" (no hedge needed), "partial" (relevant, the answer says the match is partial) or absent
(not kept). Without a calibration (a tiny base, or `select_calibration` off), the fixed thresholds
of KnowledgeSettings apply to `meta["relevance"]` (select_passages); kept passages are "strong".
Competing sibling pages: knowledge.rivals; what the question is about by name: knowledge.subjects.
With vectors, word evidence still sets the tier; a cosine alone admits a passage as a partial match
ranked last, a tier is ordered by the keyword-only score, and another section of a page the vectors
bring yields to the page's matching keyword-ranked one (keyword_sections_first; issue 15).
Output order: match tier, then score, most relevant LAST (nearest the question).
Tests: tests/knowledge/test_page_choice.py, test_calibration.py.
"""

from __future__ import annotations

from typing import Protocol

from knowledge.evidence import (DENSE_FLOOR, chunk_class, coverage, dense_relevance, error_codes, held_tokens,
                                identifiers, idf_from_counts, matched_mass, score_relevance)
from knowledge.rivals import ADDS_LITTLE, drop_dominated, folder, page_of
from knowledge.subjects import (ALIAS_SHARE, RARE_SUBJECT, instrument_names, is_name, off_subject, rare_subject,
                                unknown_terms, versioned_stems)
from knowledge.types import Passage

__all__ = ["ADDS_LITTLE", "ALIAS_SHARE", "DENSE_FLOOR", "RARE_SUBJECT", "BarsLike", "SelectionRule", "by_cosine_alone",
           "chunk_class", "coverage", "dense_relevance", "drop_dominated", "error_codes", "folder", "held_tokens",
           "identifiers", "idf_from_counts", "instrument_names", "is_name", "judge", "keyword_sections_first", "match_tier",
           "matched_mass", "off_subject", "page_of", "rare_subject", "score_relevance", "select_matched",
           "select_passages", "unknown_terms", "versioned_stems"]


KEYWORD_SCORE = "keyword_score"
"""Meta key: the score a passage of a hybrid search has in the keyword-only ranking (0: keywords
did not find it); select_matched orders a tier by it (knowledge.retrieve)."""


BEYOND_KEYWORDS = "beyond_keywords"
"""Meta key: a hybrid search's passage from a page none of the keyword top k is on (knowledge.retrieve);
judge keeps it only when its cosine reaches the relevant bar too."""


OTHER_SECTION = "other_section"
"""Meta key: a hybrid search's passage the vectors brought from a page of the keyword top k, not one of
its sections there (knowledge.retrieve); keyword_sections_first keeps it only where those do not match."""


class BarsLike(Protocol):
    share: float

    def passed(self, share: float, mass: float, cosine: float | None) -> bool: ...


class SelectionRule(Protocol):
    """What selection needs of a knowledge.calibration.Calibration."""

    def bars(self, klass: str, strong: bool = False) -> BarsLike: ...


def judge(passages: list[Passage], rule: SelectionRule) -> None:
    """Set meta["match"] ("strong" / "partial") of the passages that pass the calibrated bars.

    Words decide: a passage is judged on its share, mass, quoted names and titled codes exactly as
    without vectors; its cosine only admits, as a partial match, a passage the words leave out.
    Every later rule (drop_dominated's sure pages, match_tier, the hedge) was tuned on word
    evidence: a cosine above the strong bar made most of a topic's sections "strong" alike, so
    sibling pages outdid the one keyword search answered from and an FAQ entry lost its lead
    (issue 15). meta["evidence"]["dense_only"] marks those the cosine alone admitted. A passage of a
    page only the vectors brought (BEYOND_KEYWORDS) must reach the cosine bar as well."""
    for p in passages:
        p.meta.pop("match", None)
        evidence = p.meta.get("evidence") or {}
        share, mass = evidence.get("share", 0.0), evidence.get("mass", 0.0)
        klass = p.meta.get("class") or chunk_class(p.kind, p.heading_path, p.title)
        strong = rule.bars(klass, strong=True)
        if p.meta.get(BEYOND_KEYWORDS) and not rule.bars(klass).passed(0.0, 0.0, p.dense_score):
            continue  # a page only the vectors brought, which they do not support either: a chance hit of words
        if evidence.get("titled") and rule.bars(klass).passed(share, mass, None):
            p.meta["match"] = "strong"  # relevant, and about the very error the question quotes
            p.meta["evidence"]["full_share_only"] = False
        elif strong.passed(share, mass, None):
            p.meta["match"] = "strong"
            # a strong bar at full share is saturated (a short question's words are all in many an
            # unrelated section): reaching it says less than reaching the mass bar
            p.meta["evidence"]["full_share_only"] = strong.passed(share, 0.0, None) and \
                not strong.passed(0.0, mass, None) and strong.share >= 1.0
        elif rule.bars(klass).passed(share, mass, None) or evidence.get("names") or evidence.get("titled"):
            p.meta["match"] = "partial"  # a name the question quotes exactly is evidence whatever else it says
        elif rule.bars(klass).passed(0.0, 0.0, p.dense_score):
            p.meta["match"] = "partial"
            p.meta["evidence"]["dense_only"] = True


def by_cosine_alone(p: Passage) -> bool:
    """Admitted by its cosine alone (judge): no word evidence for the rules tuned on words to weigh."""
    return bool((p.meta.get("evidence") or {}).get("dense_only"))


def keyword_sections_first(passages: list[Passage]) -> None:
    """Unmatch the sections the vectors brought (OTHER_SECTION) of pages whose keyword-ranked section
    matches: keyword search chose that page's section, the vectors fill only a page whose keyword
    section does not answer (its lead section for "云盘扩容的完整步骤是啥", where the keywords ranked
    its last step). Another section lifted by a cosine led the answer over the page's matching one
    ("要是扩多了还能改小回去吗": the expand-disk lead instead of its FAQ; issue 15)."""
    answering = {page_of(p) for p in passages if p.meta.get("match") and not p.meta.get(OTHER_SECTION)}
    for p in passages:
        if p.meta.get(OTHER_SECTION) and page_of(p) in answering:
            p.meta.pop("match", None)


def match_tier(p: Passage) -> int:
    """-1: a passage whose title, heading or path names an error code the question quotes (evidence
    `titled`: the connection-failure page titled ERROR 2003 before the product overview); 0: a sure
    strong match; 1: a question entry (FAQ entry, question-headed section) strong by a
    saturated share alone: a short answer holding every word of the question, which a partial match
    of a long section does not outdo ("SSH 连接超时怎么办" vs a 504 table row holding 连接 超时);
    2: the other matches (partial, or a long section's saturated share); 3: a passage only its cosine
    admitted (judge: `dense_only`). A where-question's passage
    showing the asked thing's menu path (knowledge.places) is -1 too."""
    if (p.meta.get("evidence") or {}).get("titled") or (p.meta.get("evidence") or {}).get("places"):
        return -1  # names the quoted error code in its title/heading, or shows where the asked thing is
    if by_cosine_alone(p):
        return 3  # admitted by its cosine alone: it fills what word evidence leaves, never leads
    if p.meta.get("match") != "strong":
        return 2
    if not (p.meta.get("evidence") or {}).get("full_share_only"):
        return 0
    return 1 if p.meta.get("class") == "faq" else 2


def select_matched(passages: list[Passage], max_passages: int) -> list[Passage]:
    """The best `max_passages` judged passages, best last: by match_tier, then by the keyword-only
    score of a hybrid search with vectors (KEYWORD_SCORE), else by the ranking's score. A
    partial match (another page's chance hit, a page's third section) does not push out a strong
    entry ranked a little lower. A section strong only by a saturated share bar (evidence
    `full_share_only`) ranks with the partial ones."""
    kept = sorted((p for p in passages if p.meta.get("match")),
                  key=lambda p: (match_tier(p), -p.meta.get(KEYWORD_SCORE, p.score)))
    return list(reversed([p for p in kept[:max_passages] if not p.meta.get("outdone")]))


def select_passages(passages: list[Passage], threshold: float, max_passages: int,
                    lexical_threshold: float | None = None) -> list[Passage]:
    """Fixed thresholds: best `max_passages` by fused score among those with relevance >= threshold, best last.

    Passages without a dense score (keyword evidence only) use `lexical_threshold` when given.
    """
    def bar(p: Passage) -> float:
        return threshold if p.dense_score is not None or lexical_threshold is None else lexical_threshold

    for p in passages:
        p.meta.pop("match", None)
    kept = [p for p in passages if p.meta.get("relevance", 0.0) >= bar(p)]
    for p in kept:
        p.meta["match"] = "strong"
    kept.sort(key=lambda p: p.score, reverse=True)
    return list(reversed(kept[:max_passages]))
