"""Sibling sub-questions: a comma-joined second ask leans on the pages its sibling found.

    if weak(chosen):
        again = select(standalone, sibling_pool(own, siblings, find))   # own passages, then the siblings'
        chosen = again if not chosen or not weak(again) else chosen

Sub-questions of one message ("充完钱多久恢复，要不要提工单") run as parallel branches
(graph/routing.fan_out), each with its own search. A short ask ("要不要提工单") often finds
nothing, or only partial matches, of its own, although the page the first question uses answers
it ("无需提交工单" in the recovery section the first ask found). When a branch's selection keeps no
strong match, graph/nodes/select.py selects again among its own passages and those its siblings'
searches found (the guard's searches when it made them), and takes that selection when its own
was empty or the new one holds a strong match; "not found" is said only when neither brings
anything relevant. A step follow-up ("第二步具体怎么写") keeps its own logic (graph/prior.py).

A later ask about the first one's subject ("实例关机了还扣钱吗 内网ip会变不") looks on the page the
first ask's own selection keeps first (`subject_pages`), as a follow-up looks on the previous
answer's pages (graph/prior.own_pages_first): its own search may rank a neighbouring page higher
(the EIP page for "关机 内网ip会变不") although the subject's page answers it too.
Tested in tests/graph/test_siblings.py.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from graph.schema import PassageData
from graph.subject import DomainTerms, subject_of


def weak(chosen: Sequence[Mapping]) -> bool:
    """No strong match among the selected passages (none at all, or partial ones only)."""
    return not any((p.get("meta") or {}).get("match") == "strong" for p in chosen)


def sibling_pool(own: list[PassageData], siblings: Sequence[str],
                 find: Callable[[str], list[PassageData]]) -> list[PassageData]:
    """The branch's own passages, then those `find` gives for each sibling (the guard's search of it
    when it made one), without repeats; [] without siblings."""
    if not siblings:
        return []
    pool = list(own)
    seen = {p.get("chunk_id") for p in pool}
    for sibling in siblings:
        for p in find(sibling):
            if p.get("chunk_id") not in seen:
                seen.add(p.get("chunk_id"))
                pool.append(p)
    return pool


def shares_subject(question: str, first: str, terms: DomainTerms) -> bool:
    """The later ask names a thing the first ask's subject names ("关机" of "实例关机了还扣钱吗")."""
    subject = terms.phrase(subject_of(first)).lower().split() or terms.all_in(first)
    return any(t in subject for t in terms.phrase(question).lower().split())


def names_only(question: str, page_text: str, terms: DomainTerms) -> bool:
    """Every thing the ask names is on the page ("clb 的空闲超时" is not about a CDN page that never
    names CLB)."""
    low = page_text.lower()
    return all(t in low for t in terms.phrase(question).lower().split())


def own_titled(question: str, first: str, titles: Sequence[str], terms: DomainTerms) -> bool:
    """A thing the later ask names beyond the first ask is what another page's title names ("慢查询" of
    "mysql 慢查询怎么看" after "mysql 报 1040 咋整"): the ask has a page of its own."""
    new = [t for t in terms.phrase(question).lower().split() if t not in first.lower()]
    return any(t in title.lower() for t in new for title in titles)


def subject_pages(selected: Sequence[Mapping]) -> list[str]:
    """The pages (not FAQ entries: a FAQ file holds many subjects) of a selection's strong passages,
    most relevant first; with nothing strong at all (no FAQ entry either), the page of its most relevant
    partial one ("istio 工作负载证书默认多久过期" matches its page only in part, yet that page answers it and
    "能改成更长的吗" both)."""
    pages = [str(p.get("source") or "") for p in reversed(selected) if p.get("kind") != "faq"]
    strong = [str(p.get("source") or "") for p in reversed(selected)
              if p.get("kind") != "faq" and (p.get("meta") or {}).get("match") == "strong"]
    return list(dict.fromkeys(strong or (pages[:1] if weak(selected) else [])))
