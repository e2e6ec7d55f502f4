"""A later ask read in the first ask's context: a unit of its own for the ask that leaves its object out.

    chosen = with_first_context(chosen, first, asked, own, find, choose, page_text, terms, limit)

The second ask of a message often leaves out what it is about because the first ask just said
it: "免费证书有效期多久？续了以后 clb 上还是旧的要咋换" (续了 = the certificate), "发票抬头写错了
还能改吗？已经开出来的那张怎么处理" (那张 = the invoice with the wrong title), "默认能开多少个文件描述
符？这个要怎么改大" (这个 = that limit). Split attaches the first subject only to an ask that names no
thing of its own (graph/questions.py); an ask that names one ("clb") is searched and judged without
the object it is about, finds no strong match on a page about what it names ("还是旧的" matches the
DNS page strongly), and the reply says "not found" or shows a neighbouring sentence, so the second
fact is lost.

When a later ask naming a thing keeps no strong passage on a page naming what it names, it is
searched and judged again as one text with the first ask before it. A strong passage of that
selection on such a page is added to the ask's own partial ones (these last: most relevant, they
stay what the reply leads with when they hold the answer); its own strong passages on other pages
are dropped. Nothing changes when the joined text finds nothing strong on the ask's pages; when the
first ask's own strong passages already hold the later ask's words, only a pick on their pages counts
("A 跟 B 有啥不一样？什么情况下得自己配证书": the entry comparing them says when B needs its own
certificates, and another page's section adds nothing; "默认最多开多少个文件描述符？这个要怎么改大":
the section giving the limit gives the command raising it, now shown for the later ask); or when no new strong passage holds the later ask's own words as fully as an answer
needing no "partial match" lead-in must (`full`: graph/nodes/verify's coverage; a hedged section of
another page is no answer to it). Asks
naming nothing lean on their siblings' pages instead (graph/siblings.py). Tested in
tests/graph/test_ask_context.py.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from graph.schema import PassageData
from graph.siblings import names_only, weak
from graph.subject import DomainTerms

Find = Callable[[str], list[PassageData]]
Choose = Callable[[str, list[PassageData]], list[PassageData]]
Full = Callable[[Mapping], bool]


def off_subject(chosen: Sequence[Mapping], asked: str, page_text: Callable[[Mapping], str],
                terms: DomainTerms) -> bool:
    """No strong passage is on a page (an entry's own text for a FAQ entry) naming every thing the ask
    names: "还是旧的" matched strongly on the DNS page, which never names the CLB the ask is about."""
    strong = [p for p in chosen if (p.get("meta") or {}).get("match") == "strong"]
    return not any(names_only(asked, page_text(p), terms) for p in strong)


def with_first_context(chosen: list[PassageData], first: str, asked: str, own: list[PassageData], find: Find,
                       choose: Choose, page_text: Callable[[Mapping], str], terms: DomainTerms,
                       limit: int, full: Full) -> list[PassageData]:
    """The later ask's selection, when it is off its subject, with the strong passages found for it read
    with the first ask: its strong passages on pages not naming its things are dropped, its partial
    ones kept before the new (most relevant last, at most `limit`). `full(p)`: p holds the later ask's
    own words as an answer needing no hedge does."""
    if not terms.phrase(asked).strip() or not off_subject(chosen, asked, page_text, terms):
        return chosen  # an ask naming nothing leans on its siblings' pages (graph/siblings.py)
    holding = first_holding(first, find, choose, full)
    picked = in_first_context(first, asked, own, find, choose)
    if holding:  # the first ask's own units hold its words: nothing from other pages (its answer has it)
        picked = [p for p in picked if _unit_page(p) in {_unit_page(h) for h in holding}]
    if not picked or weak(picked) or off_subject(picked, asked, page_text, terms):
        return chosen
    kept = [p for p in chosen if (p.get("meta") or {}).get("match") != "strong"]
    ids = {p.get("chunk_id") for p in kept}
    new = [p for p in picked if p.get("chunk_id") not in ids]
    if not any(full(p) for p in new if (p.get("meta") or {}).get("match") == "strong"):
        return chosen  # only a hedged pick: not the later ask's answer
    return [*new, *kept][-limit:]


def first_holding(first: str, find: Find, choose: Choose, full: Full) -> list[PassageData]:
    """The strong passages the first ask selects that hold the later ask's own words."""
    if not first.strip():
        return []
    return [p for p in choose(first, find(first)) if (p.get("meta") or {}).get("match") == "strong" and full(p)]


def _unit_page(passage: Mapping) -> str:
    """A passage's page; an FAQ entry is a page of its own (the file holds many subjects)."""
    return str(passage.get("chunk_id") if passage.get("kind") == "faq" else passage.get("source") or "")


def in_first_context(first: str, asked: str, own: list[PassageData], find: Find,
                     choose: Choose) -> list[PassageData]:
    """The later ask's selection among the passages found for "first asked" (and its own), judged as
    that joined text (the first ask's passages included: "这个要怎么改大" is answered in the section
    whose limit the first ask asked); [] when none is strong."""
    if not first.strip() or not asked.strip():
        return []
    joined = f"{first} {asked}"
    pool: list[PassageData] = []
    seen: set = set()
    for p in [*find(joined), *own]:
        if p.get("chunk_id") not in seen:
            seen.add(p.get("chunk_id"))
            pool.append(p)
    if not pool:
        return []
    picked = choose(joined, pool)
    return [] if weak(picked) else picked
