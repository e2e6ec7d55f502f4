"""A later ask read in the first ask's context: its own evidence, not the first ask's.

    if index > 0 and off_subject(chosen, asked, page_text, terms):
        again = in_first_context(first, asked, find, choose_for)   # "first asked" searched and judged together
        chosen = again or chosen

The second ask of a message often leaves out what it is about because the first ask just said
it: "免费证书有效期多久？续了以后 clb 上还是旧的要咋换" (续了 = the certificate), "发票抬头写错了
还能改吗？已经开出来的那张怎么处理" (那张 = the invoice with the wrong title). Split attaches the
first subject only to an ask that names no thing of its own (graph/questions.py); an ask that
names one ("clb") is searched and judged without the object it is about, finds no strong match,
and the reply says "not found" or shows a neighbouring sentence for it, so the second fact is lost.

When a later ask's own selection keeps no strong match on a page naming what the ask names, it is searched and judged again as one
text with the first ask before it. The passages the first ask matches strongly by itself are left
out of that pool (they answer the first ask, whose branch shows them), so what is kept is a unit that
answers the later ask, read with its object. The new selection is taken only when it holds a
strong match. Tested in tests/graph/test_ask_context.py.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from graph.schema import PassageData
from graph.siblings import names_only, weak
from graph.subject import DomainTerms

Find = Callable[[str], list[PassageData]]
Choose = Callable[[str, list[PassageData]], list[PassageData]]


def off_subject(chosen: Sequence[Mapping], asked: str, page_text: Callable[[Mapping], str],
                terms: DomainTerms) -> bool:
    """No strong passage is on a page (an entry's own text for a FAQ entry) naming every thing the ask
    names: "还是旧的" matched strongly on the DNS page, which never names the CLB the ask is about."""
    strong = [p for p in chosen if (p.get("meta") or {}).get("match") == "strong"]
    return not any(names_only(asked, page_text(p), terms) for p in strong)


def with_first_context(chosen: list[PassageData], first: str, asked: str, own: list[PassageData], find: Find,
                       choose: Choose, page_text: Callable[[Mapping], str], terms: DomainTerms,
                       limit: int) -> list[PassageData]:
    """The later ask's selection, when it is off its subject, with the strong passages found for it read
    with the first ask: its strong passages on pages not naming its things are dropped, its partial
    ones kept before the new (most relevant last, at most `limit`)."""
    if not off_subject(chosen, asked, page_text, terms):
        return chosen
    picked = in_first_context(first, asked, own, find, choose)
    if not picked:
        return chosen
    kept = [p for p in chosen if (p.get("meta") or {}).get("match") != "strong"]
    ids = {p.get("chunk_id") for p in kept}
    return [*[p for p in picked if p.get("chunk_id") not in ids], *kept][-limit:]


def in_first_context(first: str, asked: str, own: list[PassageData], find: Find,
                     choose: Choose) -> list[PassageData]:
    """The later ask's selection among the passages found for "first asked" (and its own), judged as
    that joined text, without the passages the first ask strongly matches alone; [] when none is strong."""
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
