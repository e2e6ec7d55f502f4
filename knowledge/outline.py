"""The page whose outline names the user's situation: pages it covers are left out (issue 12).

A page's outline is its title, the words of its path, and its headings. A long or spoken question
("强制重启完 vnc 里看到 You are in emergency mode") matches several pages by its common words (重启, vnc), and
the page about a tool the user mentions (使用 VNC 登录) can end up leading the answer, while the page
whose headings name the user's state ("实例重启卡住或无法启动" › "处理 emergency mode") is the one that answers.
So, per base: the outline of each matched document page is read (the question's words it names,
IDF-weighted: a rare situation word outweighs several common product words), and the page naming the
most (the leader: by a margin, and NAMES_SHARE of the question) outdoes the other matched document
pages of its folder (one product's pages compete for the same words; another folder is another
topic: on the corpora a Jaeger task page outdid the tracing concepts) ranked below it (outdone
passages give their places to none: the leader must keep one) whose outline words the leader names
or holds (but ADDS_LITTLE of their weight) and whose words held only in their passages, not in their
outline (an everyday "机器" in the VNC login steps), weigh at most BODY_ONLY. A page bringing words of
its own (the other side of a comparison, the second part of a question: named in its title) stays.
An FAQ entry (its question is its outline) is outdone only when it is a partial match, the leader a
strong one, and the leader's outline outnames the entry's question as it outnamed the pages
("第二步具体怎么写" after 云盘扩容: the expand-disk page's step, not the entry "云盘扩容后磁盘大小没变怎么办？" with the whole
procedure); an entry asking what the leader's title names stays.
Used by knowledge.retrieve.HybridRetriever.select; tests in tests/knowledge/test_outline.py.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterable, Mapping, Sequence

from knowledge.evidence import held_tokens
from knowledge.rivals import folder, page_of
from knowledge.sections import WordEvidence, weight
from knowledge.types import Passage

ADDS_LITTLE = 0.1
"""Share of a page's question-word weight below which what it adds beyond the leader counts as nothing."""
BODY_ONLY = 0.4
"""Share of that weight the words it holds only in its body (not naming them in its outline) may have."""
LEADS_BY = 1.0
"""IDF the leader's outline must name beyond another page's outline (one more real word, not a tie)."""
NAMES_SHARE = 0.25
"""Share of the question's documentation-word weight the leader's outline must name."""
LEADS_TIMES = 2.0
"""And how many times another page's outline weight it must name (安全组 + 访问 vs 安全组 is no lead)."""


def page_outline(rows: Sequence[Any], title: str, source: str, tokens: list[str], ev: WordEvidence) -> set[str]:
    """The question's situation words that the page's title and file path (`analysis/ist0161/index.md`:
    a page's path often names what its text never does) with one of its heading paths name (in
    any of their word forms; the heading path naming the most weight): documentation words (not
    "看", "起来"), and not the name of the product folder the page is filed under
    (knowledge.pages.product_folder: every page of docs/mysql/ is about MySQL). One heading path,
    not all of them: a handbook's many headings name a bit of every situation."""
    from knowledge.pages import path_tokens, product_folder  # numpy: only once a search ran

    product = set(path_tokens(product_folder(source), ev.tokenize))
    asked = [t for t in tokens if ev.documentation(t) and t not in product]
    best: set[str] = set()
    named_by_path = " ".join(t for t in path_tokens(source, ev.tokenize) if t not in product)
    for path in {tuple(json.loads(r["heading_path"])) for r in rows} | {()}:
        text = " ".join((title, named_by_path, *path))
        named = held_tokens(asked, set(ev.tokenize(text)), text.lower(), ev.forms, ev.in_text)
        if weight(named, ev.idf) > weight(best, ev.idf):
            best = named
    return best


def outline_leader(outlines: Mapping[tuple[str, str], set[str]],
                   idf: Callable[[str], float]) -> tuple[str, str] | None:
    """The page whose outline names the most question weight, when it leads every other by LEADS_BY
    and LEADS_TIMES; None otherwise."""
    if len(outlines) < 2:
        return None
    ranked = sorted(outlines, key=lambda page: -weight(outlines[page], idf))
    first, second = ranked[0], ranked[1]
    top, runner_up = weight(outlines[first], idf), weight(outlines[second], idf)
    if top < runner_up + LEADS_BY or top < LEADS_TIMES * runner_up:
        return None
    return first


def outdone_by_outline(passages: list[Passage], ev: WordEvidence,
                       page_rows: Callable[[str, str], Sequence[Any]]) -> list[Passage]:
    """Unmatch the matched document passages of one base whose page the outline leader covers
    (see the module docstring); marks them meta["outdone"] and returns them."""
    matched = [p for p in passages if p.meta.get("match") and p.kind != "faq"]
    pages: dict[tuple[str, str], list[Passage]] = {}
    for p in matched:
        pages.setdefault(page_of(p), []).append(p)
    if len(pages) < 2:
        return []
    outlines = {page: page_outline(page_rows(page[0], page[1]), members[0].title, page[1], ev.tokens, ev)
                for page, members in pages.items()}
    common = set.intersection(*outlines.values())  # named by every page: they tell none apart
    leader = outline_leader({page: words - common for page, words in outlines.items()}, ev.idf)
    asked = weight({t for t in ev.tokens if ev.documentation(t)}, ev.idf)
    if leader is None or weight(outlines[leader], ev.idf) < NAMES_SHARE * asked:
        return []  # one word of the question in a heading ("处理") names no situation
    covered = outlines[leader] | _held(pages[leader], ev)
    rank, first = _rank(pages[leader]), min(map(_order, pages[leader]))
    out = []
    entries = {page_of(p): [p] for p in passages if p.kind == "faq" and p.meta.get("match") == "partial"} \
        if rank == 2 else {}  # a strong leader's page answers what a partially matching entry asks
    for page, members in [*pages.items(), *entries.items()]:
        if page == leader or _rank(members) > rank:  # a partial leader does not outdo a strong match
            continue
        if folder(page[1]) != folder(leader[1]) and members[0].kind != "faq":
            continue  # pages of one folder compete for the same words; another folder is another topic
        if min(map(_order, members)) < first:  # ranked ahead of the leader: leaving it out would leave no
            continue  # place for the leader (outdone passages give theirs to none, select_matched)
        if page not in outlines:  # an FAQ entry: its question is its outline, which the leader's must outname
            outlines[page] = page_outline([], " ".join(members[0].heading_path[-1:]), "", ev.tokens, ev)
            if outline_leader({leader: outlines[leader], page: outlines[page]}, ev.idf) != leader:
                continue
        own = outlines[page] | _held(members, ev)
        total = weight(own, ev.idf)
        if weight(outlines[page] - covered, ev.idf) <= ADDS_LITTLE * total and \
                weight(own - covered, ev.idf) <= BODY_ONLY * total:
            for p in members:
                p.meta["outdone"] = True
                out.append(p)
    return out


def _order(p: Passage) -> tuple[bool, float]:
    """Where knowledge.select.select_matched ranks a passage (smaller first)."""
    evidence = p.meta.get("evidence") or {}
    return (not (p.meta.get("match") == "strong" and not evidence.get("full_share_only")), -p.score)


def _rank(members: Iterable[Passage]) -> int:
    return max(2 if p.meta.get("match") == "strong" else 1 for p in members)


def _held(members: Iterable[Passage], ev: WordEvidence) -> set[str]:
    return set().union(*(ev.holding.get(p.chunk_id, set()) for p in members))
