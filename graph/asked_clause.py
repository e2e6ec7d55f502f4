"""The clause that asks chooses the answer's units; what the user already did or still sees only confirms the page.

    terms = asked_first(terms, "cdn 上文件已经刷新过了，用户那边还是拿到旧的，我怎么看请求到底命中缓存没有")

Messages often report what was done and what is seen before they ask: "X 都做了 / 已经 X 了 / X 了以后，
Y 还是…，怎么 Z". Every word of the message weighs alike in choosing the units of the page, so the unit
describing X (the refresh table) or restating Y (the "拿到的是不是旧文件" bullet) wins over the one answering
Z (`x-cache: HIT`), and the reply tells the user to do what they did. `clauses` reads the message's clauses
apart (split at punctuation, at spaces between Chinese words, and after a "以后 / 之后" closing a done
action): asking clauses hold a question word (graph/cues.ASKS) or an A-not-A form (要不要); context clauses
report what was done or persists (了, 已经, 还是, 一直 …); others say what is asked about and stay as they are.
When the asking clauses name words of their own beyond the question words (ASKED_SHARE of the message's
weight; "咋办", "多久" alone name nothing, and then the context is what is asked about), a word only the
context names weighs CONTEXT_WEIGHT as much in choosing a section's units (graph/section_answer.py) and a
value's line (graph/value_fact.py); the message's named subjects (`entities`) keep their weight. Page
choice, the FAQ lead and verification read the message whole. Tested in tests/graph/test_asked_clause.py.
"""

from __future__ import annotations

import re

from graph.cues import ASKS
from graph.relevance import QuestionTerms

_CLAUSE = re.compile(r"[，,。；;！!？?\n]|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
"""Where a message's clauses part."""
_CLOSED = re.compile(r"(?<=\S\S)(以后|之后|[了完好]后)(?=\S)")
"""A done action closed inside a clause ("数据盘挂载以后格式化用啥"); a clause opening with 以后 is the future."""
_REPORTS = re.compile(r"了(?![吗么嘛解])|^已|已经|过了|还是|仍然|依然|照样|一直")
"""A clause reporting what was done or what persists (graph/done_steps reads the step done)."""
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])不\1")
"""An A-not-A ask ("要不要", "会不会", "用不用") that graph/cues.ASKS leaves out."""
CONTEXT_WEIGHT = 0.25
"""Weight left to a word only the context clauses name, in choosing units."""
ASKED_SHARE = 0.2
"""Share of the message's weight the asking clauses must name for them to choose."""


def clauses(question: str) -> tuple[list[str], list[str]]:
    """The message's asking clauses and its context clauses (those reporting what was done or still
    happens), lower-cased; a clause doing neither ("是 java 进程") is in neither: it says what is asked about."""
    asking: list[str] = []
    context: list[str] = []
    for part in _CLAUSE.split((question or "").lower()):
        closed = _CLOSED.search(part)
        if closed:  # "挂载以后" is done; what follows is a clause of its own
            context.append(part[:closed.end()].strip())
            part = part[closed.end():]
        part = part.strip()
        if ASKS.search(part) or _A_NOT_A.search(part):
            asking.append(part)
        elif _REPORTS.search(part):
            context.append(part)
    return asking, [c for c in context if c]


def context_words(terms: QuestionTerms, question: str) -> set[str]:
    """The terms only the context clauses name, when the asking clauses name enough of their own."""
    asking, context = clauses(question)
    if not asking or not context or not terms.total:
        return set()
    asked = {t for t in terms.weights if any(t in c for c in asking)}
    own = sum(w for t, w in terms.weights.items() if t in asked and not ASKS.search(t))  # "多久" names nothing
    if own < ASKED_SHARE * terms.total:
        return set()
    named = {e.lower() for e in terms.entities}
    return {t for t in terms.weights if t not in asked and t not in named and any(t in c for c in context)}


def asked_first(terms: QuestionTerms, question: str) -> QuestionTerms:
    """The terms with the context clauses' own words weighed CONTEXT_WEIGHT as much."""
    return terms.scaled(context_words(terms, question), CONTEXT_WEIGHT)
