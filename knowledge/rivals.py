"""Competing pages: what counts as one page (page_of), and the sibling page of one folder that
outdoes another for the question's words (drop_dominated). Tests: tests/knowledge/test_page_choice.py.
"""

from __future__ import annotations

from typing import Callable, Mapping

from knowledge.types import Passage


ADDS_LITTLE = 0.1
"""Share of a passage's matched IDF below which the words it holds beyond a sibling page add nothing."""


def page_of(p: Passage) -> tuple[str, str]:
    """What counts as one page: a document, or one FAQ entry (an FAQ file is a list of pages)."""
    return (p.kb, p.chunk_id if p.kind == "faq" else p.source)


def folder(source: str) -> str:
    return source.rsplit("/", 1)[0] if "/" in source else ""


def drop_dominated(passages: list[Passage], holding: Mapping[str, set[str]], query_tokens: list[str],
                   idf: Callable[[str], float], title_words: Callable[[Passage], set[str]]) -> list[Passage]:
    """Unmatch the passages of a page that a sibling page outdoes. Two pages of one folder (one
    product) compete for the same words ("df 还是 100G" on the expand-disk page and in the FAQ of
    the mount-a-new-disk page), and the wrong one's steps mislead (mkfs on a disk with data).
    Sibling A outdoes page B when A's kept passages hold every question word B's passage holds
    (but ADDS_LITTLE of that passage's matched IDF), A is a sure match (strong, not by a saturated
    share alone), and A's title (`title_words`: the question's words it holds) names more of the
    question than B's (the page about the user's situation: 扩容 vs 数据盘), or as much while A
    covers more. Only strong matches are left out (they compete for leading the answer). A passage
    that brings its own words (the second part of a question, the other side of a comparison)
    stays, and so do question entries (FAQ entries, question-headed sections: a short answer to
    their own question). Marks them meta["outdone"] and returns them:
    select_matched leaves them out without giving their places to passages ranked below them."""
    for p in passages:
        p.meta.pop("outdone", None)
    kept = [p for p in passages if p.meta.get("match")]

    def weight(words: set[str]) -> float:
        return sum(idf(t) for t in words if not any(t != u and t in u for u in words))

    words: dict[tuple[str, str], set[str]] = {}
    best: dict[tuple[str, str], float] = {}
    sure: set[tuple[str, str]] = set()
    titled: dict[tuple[str, str], float] = {}
    for p in kept:
        if p.kind == "faq":
            continue
        page = page_of(p)
        evidence = p.meta.get("evidence") or {}
        words.setdefault(page, set()).update(holding.get(p.chunk_id, ()))
        best[page] = max(best.get(page, 0.0), evidence.get("share", 0.0))
        if p.meta["match"] == "strong" and not evidence.get("full_share_only"):
            sure.add(page)
        titled.setdefault(page, weight(title_words(p)))
    dropped = []
    for p in kept:
        page = page_of(p)
        if p.kind == "faq" or p.meta.get("class") == "faq" or p.meta["match"] != "strong" or page not in words:
            continue  # (a partial match ranks below the strong ones already: it does not lead the answer)
        share = (p.meta.get("evidence") or {}).get("share", 0.0)
        own = holding.get(p.chunk_id, set())
        for other in sure - {page}:
            if folder(other[1]) != folder(page[1]):
                continue
            ahead = titled[other] > titled[page] or (titled[other] == titled[page]
                                                      and best[other] > max(share, best[page]))
            if ahead and weight(own - words[other]) <= ADDS_LITTLE * weight(own):
                dropped.append(p)
                break
    for p in dropped:
        p.meta["outdone"] = True
    return dropped
