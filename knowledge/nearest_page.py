"""The nearest page as a partial match, when selection keeps nothing (issue 21).

A short question in everyday words ("做好的镜像能给别人用吗") can hold too few of a section's words
to reach the base's calibrated bars, though the page keyword search ranked first is titled by what
the question is about (《创建与共享自定义镜像》). Answering "not found" and naming that very page as
the nearest one hides the answer from the reader; its best passage, kept as a "partial" match, is
shown under the partial-match hedge instead. The page must be named by the question's subject: its
rarest documentation words (knowledge.query_terms.WordForms.documentation) all in the passage's
title or headings (an FAQ entry's heading is its question). A question naming a word the base never
writes (unknown terms) still gets "not found": the base does not know what it asks about.
Tests: tests/knowledge/test_nearest_page.py.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping

from knowledge.evidence import held_tokens
from knowledge.types import Passage

NEAREST = "nearest"
"""Meta key: a passage kept only as the nearest page (its answer keeps the partial-match hedge: graph.passages.hedge)."""

SUBJECT_SPREAD = 0.75
"""A documentation word whose IDF is at least this share of the question's rarest one's is part of its subject."""


def subject_words(tokens: Iterable[str], idf: Callable[[str], float], documentation: Callable[[str], bool],
                  heads: Callable[[str], bool] = lambda t: True) -> list[str]:
    """The question's main subject: its documentation words some heading of the base holds (`heads`:
    what the base names its pages and sections by, not a rare verb such as 拿到), nearly as rare as
    the rarest of them."""
    known = [t for t in dict.fromkeys(tokens) if documentation(t) and idf(t) > 0 and heads(t)]
    if not known:
        return []
    rarest = max(idf(t) for t in known)
    return [t for t in known if idf(t) >= SUBJECT_SPREAD * rarest]


def titled_by(passage: Passage, subject: list[str], tokenize: Callable[[str], list[str]],
              forms: Mapping[str, Iterable[str]]) -> bool:
    """The passage's page title or headings hold every subject word (as written or in one of its forms)."""
    named = " ".join([passage.title or "", *(passage.heading_path or [])])
    return bool(subject) and held_tokens(subject, set(tokenize(named)), named.lower(), forms,
                                         set(subject)) == set(subject)


def nearest_titled(passages: list[Passage], subject: list[str], tokenize: Callable[[str], list[str]],
                   forms: Mapping[str, Iterable[str]]) -> Passage | None:
    """The first-ranked passage, when nothing was kept and its title or headings name the subject."""
    if not passages or any(p.meta.get("match") for p in passages):
        return None
    lead = passages[0]
    if lead.meta.get("unknown_terms"):
        return None  # the question names what the base never writes: it cannot answer about it
    return lead if titled_by(lead, subject, tokenize, forms) else None
