"""What the user says still works weighs little in choosing the page: "X 正常，但 Y 不行" asks about Y.

"用 clusterip 访问 service 好好的，换成服务名就不行" and "ping 不通但 ssh 能连上" name two things:
one that works, one that fails. The working one is context (it rules causes out); the page to
answer from is about the failing one. Yet the working clause's words count as much as the others,
and the page about the working thing (a ClusterIP page, an SSH page) anchors the answer.
`working_words`: the words of the question's clauses that say something works (正常, 没问题,
好好的, 能连上 …) when another clause says something fails (不行, 不通, 超时, 报错 …), minus the
words the failing clauses share. `quieter`: the question's terms with those words weighed QUIET,
for choosing the anchor page only (graph/evidence.build_evidence); selection, the topic check and
the answer read the question as it is. Retrieval ranked the candidates with the working words at
full weight, so `failing_first` puts first the candidate covering clearly more of the quieter
question (the ICMP rule of the security-group page before the SSH login page).
Tested in tests/graph/test_page_pick.py.
"""

from __future__ import annotations

import re

from typing import Sequence

from graph.relevance import QuestionTerms, coverage, with_context

CLAUSES = re.compile(r"[，,。；;！!？?\n]|但是|但|可是|就是|然而|不过|却")
"""Where a question's clauses part."""
WORKS = re.compile(r"正常|没问题|没毛病|好好的|好的|是通的|能通|可以通|通的|能连|可以连|连得上|"
                   r"能登|可以登|登得上|能访问|可以访问|能打开|能用|可以用|健康|不受影响|没事")
"""A clause saying something works."""
FAILS = re.compile(r"不行|不通|不了|不上|不到|不能|失败|超时|报错|报了|异常|打不开|连不上|"
                   r"登不上|访问不|起不来|出错|卡住|卡死|没反应|没响应|无法|\d{3}")
"""A clause saying something fails (a status code counts)."""
QUIET = 0.0
"""Weight left to a working clause's word in choosing the page: none (a page title naming the working
thing, "SSH 无法登录排查", must not win the title test); it still tells the topic elsewhere."""
COVER_MARGIN = 0.1
"""How much more of the quieter question a later anchor candidate must cover to go first."""


def _clauses(question: str) -> list[str]:
    return [c.strip().lower() for c in CLAUSES.split(question or "") if c and c.strip()]


def working_words(question: str, terms: QuestionTerms) -> set[str]:
    """The terms of the clauses saying something works, when another clause says something fails;
    a term a failing clause names too is not one of them."""
    parts = _clauses(question)
    working = [c for c in parts if WORKS.search(c) and not FAILS.search(c)]
    failing = [c for c in parts if FAILS.search(c) and not WORKS.search(c)]
    if not working or not failing:
        return set()
    return {t for t in terms.weights if any(t in c for c in working) and not any(t in c for c in failing)}


def quieter(terms: QuestionTerms, question: str) -> QuestionTerms:
    """The terms with the working clauses' words weighed QUIET times as much."""
    return terms.scaled(working_words(question, terms), QUIET)


def failing_first(candidates: Sequence[dict], terms: QuestionTerms, question: str) -> list[dict]:
    """With a working clause: the candidate covering the most of the quieter question first, when it
    covers COVER_MARGIN more than the first; else the candidates as they are."""
    if len(candidates) < 2 or not working_words(question, terms):
        return list(candidates)
    quiet = quieter(terms, question)
    covers = [coverage(quiet, with_context(p)) for p in candidates]
    best = max(range(len(candidates)), key=lambda i: (covers[i], -i))
    if covers[best] < covers[0] + COVER_MARGIN:
        return list(candidates)
    return [candidates[best], *(p for i, p in enumerate(candidates) if i != best)]
