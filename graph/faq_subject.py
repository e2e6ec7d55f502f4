"""Whether a FAQ entry is about what a documentation page is about: the entry's own question and the
page's title name one thing. A FAQ entry summarises a page; the page holds its steps and details.
Used by graph/answer_draft.add_faq_note (a note only on the answer page's thing), graph/evidence.py
(a how-to a FAQ entry answers in short gets the page's steps) and graph/nodes/select.py (evidence
holding a FAQ entry alone gets the page behind it, `page_behind`); `neighbour_case` tells an entry on a
neighbouring error message. Tested in
tests/graph/test_faq_decision.py.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from graph.domain_score import content_tokens
from graph.relevance import QuestionTerms, coverage, found, with_context


_GENERIC = {"排查", "怎么办", "原因", "问题", "方法", "步骤", "实例", "使用", "什么", "如何", "为什么", "怎么", "可以"}
"""Words a FAQ question or a page title holds whatever it is about: they tie no entry to a page."""


def same_subject(entry: Mapping[str, Any], pages: Sequence[Mapping[str, Any]], question: str = "") -> bool:
    """The entry's own question and a page's title name one thing ("内存不足进程被杀了怎么查？" beside
    "内存不足与 OOM 排查"; a word inside the other counts: "磁盘" in "磁盘空间"), or the error code
    the entry asks about is quoted on the page or in the question ("NET::ERR_CERT_COMMON_NAME_INVALID
    是什么意思？"). Not "实例元数据地址是什么？" beside a DNS TTL page, though the question's words
    ("解析改了 IP 还是老地址") touch both."""
    asked = [t for t in content_tokens(str((entry.get("meta") or {}).get("question") or question_heading(entry)))
             if t not in _GENERIC]
    titles = {t for p in pages for t in content_tokens(str(p.get("title") or "")) if t not in _GENERIC}
    if any(a in t or t in a for a in asked for t in titles):
        return True
    codes = QuestionTerms({t: 1.0 for t in asked}).codes()
    return any(found(c, text.lower()) for c in codes for text in [question, *(str(p.get("text") or "") for p in pages)])


def question_heading(passage: Mapping[str, Any]) -> str:
    """A document section titled with a question (a FAQ page, "## 如何…？"): that question, else ""."""
    heads = passage.get("heading_path") or []
    head = heads[-1] if heads else (passage.get("title") or "")
    return head if passage.get("kind") != "faq" and re.search(r"[？?]\s*$", head) else ""


_WORD = re.compile(r"[a-z]{4,}")


def neighbour_case(terms: QuestionTerms, entry: Mapping[str, Any], passages: Sequence[Mapping[str, Any]]) -> bool:
    """The entry is about a neighbouring case: the question's weightiest English word ("refused") is not
    in it, its own question names another ("timed"), and another evidence passage names the asked one
    ("Connection refused" beside a "Connection timed out 怎么办" FAQ entry)."""
    own = terms.own()
    words = {t: w for t, w in own.weights.items() if _WORD.fullmatch(t)}  # an error message's words
    asked = str((entry.get("meta") or {}).get("question") or question_heading(entry)).lower()
    if not words or not asked:
        return False
    top = max(words, key=lambda t: words[t])
    if found(top, with_context(entry).lower()):
        return False
    if not set(_WORD.findall(asked)) - set(own.weights):  # its question names no other message either
        return False
    return any(found(top, with_context(p).lower()) for p in passages if p is not entry)



SAME_ASK = 0.6
"""Share of the question's own words a FAQ entry's question must hold to ask what the question asks."""


def asks_what_is_asked(entry: Mapping[str, Any], terms: QuestionTerms) -> bool:
    """The entry's own question holds SAME_ASK of the question's own words: it was asked the same."""
    return coverage(terms.own(), str((entry.get("meta") or {}).get("question") or question_heading(entry))) >= SAME_ASK


def page_behind(entry: Mapping[str, Any], retrieved: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The most relevant retrieved chunk (most relevant LAST) of a documentation page about the entry's
    thing ("Pod 一直处于 Pending" for "Pod 一直 Pending 怎么办？"): the page an entry answering a
    how-to or a fault in short summarises, whose steps and checks the agent follows. None: none."""
    return next((p for p in reversed(retrieved) if p.get("kind") not in ("faq", "table")
                 and not question_heading(p) and same_subject(entry, [p])), None)
