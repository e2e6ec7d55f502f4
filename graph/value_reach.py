"""The asked quantity on a page ranked further down (issue #21: a value asked, the page holding it not the one answering).

A value question ("ztunnel 大概占多少内存", "-c 最大并行任务数默认是几") is often answered first by a task or
FAQ page about the same subject that never states the number, while a reference page (limits, config
reference, performance figures) ranked 3rd-13th holds the line. When no line of the evidence states a
quantity of the asked kind (graph/value_scan.asked_quantity) about the asked subject (the question's own
terms without the asking and limit words: `value_scan.without_asking`) as fully as a line of a page
further down, `farther_value` returns that page's chunk as one more evidence passage (`meta.added`
"value_reach"); graph/value_fact.best_fact then answers from its line, citing its page.
A line is judged with its page's title, headings and paragraph (`value_scan.paragraph`): it must name a
word of the subject itself and cover MIN_COVER of it with them, so a number of another thing is never taken.
Tested in tests/graph/test_value_reach.py.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Mapping, Sequence

from graph.chunk_passage import page_section
from graph.doc_units import Unit, parse_units
from graph.evidence import is_on_topic
from graph.hedge_terms import hedge_terms
from graph.relevance import QuestionTerms, coverage, found, title_context
from knowledge.errors import KnowledgeError
from graph.value_scan import LIMIT_WORD, Quantity, asked_quantity, asking_word, own_numbers, paragraph, subject_bonus, asked_subject, without_asking

REACHED = 1.0
"""Added by graph/value_fact.best_fact to the line a farther passage was brought for (`meta.value_line`):
the page came for that line, not for its neighbours sharing the question's everyday words."""
REACH = 20
"""Hits searched, for the same query, when the evidence lacks the asked quantity."""
MIN_TERMS = 2
"""Words the asked subject must have to pick a line on a page ranked further down: one ("旧版本") says
what, not of what (a page on storage versions, not the GC setting asked)."""
MIN_COVER = 0.5
"""Share of the asked subject a farther line must cover with its page's title, headings and paragraph."""
MIN_LINE = 0.4
"""Share of the asked subject a value line must name itself: "ztunnel 明文侦听端口
15006" names the component, not the memory asked of it."""
MARGIN = 0.15
"""How much more of the subject a farther line must cover than the evidence's best value line."""
LINE = 0.5
"""Weight of the share of the subject the line itself names (beside its whole context's share)."""


_IDENTIFIER = re.compile(r"`[^`]*`|\b[A-Za-z][\w.]*(?:[a-z][A-Z]|_)[\w.]*\b")
"""A code span or a camelCase / snake_case name."""


def line_score(quantity: Quantity, subject: QuestionTerms, named: QuestionTerms, asked: QuestionTerms, own: set[str],
               units: Sequence[Unit], i: int, where: str, far: bool = True) -> tuple[float, float]:
    """(cover, score) of the unit `i` as the answer: the subject's share it covers with `where` (title and
    headings) and its paragraph, and that share plus the line's own share and its limit words; (0, 0)
    when it holds no quantity of the asked kind or names less than MIN_LINE of the thing the value is asked of
    (`named`: the subject's words in the asking clause, "max_allowed_packet 默认是多大" after the error) itself (an
    evidence sentence, not `far`: with its paragraph, "默认值为 25%。" after the field it is of), or, on a page
    further down, states none of the limits asked (默认, 最多): "计入 `maxUnavailable`" gives no default."""
    u = units[i]
    if u.kind not in ("sentence", "item", "row", "leadin") or not quantity.held(u.text, own):
        return 0.0, 0.0
    around = paragraph(units, i)
    # an evidence sentence with its paragraph; an item or a row alone: the list's other items are other things
    own_share = coverage(named, f"{around} {u.text}" if not far and u.kind in ("sentence", "leadin") else u.text)
    limits = quantity.limit_words(_IDENTIFIER.sub(" ", u.text))  # "maxUnavailable" names a field, states no maximum
    if own_share < MIN_LINE or (far and quantity.limits and not limits):
        return 0.0, 0.0
    if far and not _names_rarest(subject, f"{where} {u.heading} {u.text}"):
        return 0.0, 0.0
    cover = coverage(subject, f"{where} {u.heading} {around} {u.text}")
    return cover, cover + LINE * own_share + LIMIT_WORD * limits \
        + subject_bonus(quantity, asked, u, own)


def _names_rarest(subject: QuestionTerms, text: str) -> bool:
    """The line, its headings or its page's title name the subject's most specific word: a page further down
    stating "源站响应时间超过 30 秒" shares "CDN" and "缓存" with "CDN 刷新缓存多久生效" but is not about 刷新."""
    if not subject.weights:
        return False
    return found(max(subject.weights, key=lambda t: subject.weights[t]), text.lower())


def asked_thing(terms: QuestionTerms, question: str) -> QuestionTerms:
    """The subject a value is asked of: the user's own words weighed by how specific they are
    (graph/hedge_terms.py: "大概", "每个" weigh little or nothing), without the asking and limit words
    ("多长时间" as the index cuts it too)."""
    kept = without_asking(hedge_terms(terms, question))
    return QuestionTerms({t: w for t, w in kept.weights.items() if not asking_word(t)}, set(), kept.entities, kept.aliases)


def named_thing(subject: QuestionTerms, question: str) -> QuestionTerms:
    """The subject's words written in the asking clause ("max_allowed_packet 默认是多大" after the pasted
    error): what the value is of, which a line stating it names; the whole subject when the clause names none."""
    named = asked_subject(subject, question)
    return named if named.total > 0 else subject


def _where(passage: Mapping[str, Any]) -> str:
    return " ".join([title_context(passage), passage.get("title") or "", *(passage.get("heading_path") or [])])


def held_cover(evidence: Iterable[Mapping[str, Any]], terms: QuestionTerms, question: str) -> float:
    """The subject's share the evidence's best line stating the asked quantity covers (0 when none does)."""
    quantity = asked_quantity(question)
    if quantity is None:
        return 0.0
    subject, asked, own = asked_thing(terms, question), asked_subject(terms, question), own_numbers(question)
    named = named_thing(subject, question)
    best = 0.0
    for p in evidence:
        if not is_on_topic(terms, p):
            continue
        units = parse_units(p.get("text") or "", p.get("kind") or "doc")
        for i in range(len(units)):
            best = max(best, line_score(quantity, subject, named, asked, own, units, i, _where(p), far=False)[0])
    return best


def farther_value(evidence: Sequence[Mapping[str, Any]], terms: QuestionTerms, question: str,
                  hits: Callable[[], Sequence[Mapping[str, Any]]],
                  chunks_of: Callable[[str, str], list[dict]]) -> dict | None:
    """The chunk of a retrieved page (`hits()`, best first; the evidence's pages left out) whose line states
    the asked quantity about the asked subject clearly better than any evidence line does, as an evidence
    passage; None when the evidence holds such a line already, or no page does."""
    quantity = asked_quantity(question)
    if quantity is None:
        return None
    subject = asked_thing(terms, question)
    if len(subject.weights) < MIN_TERMS:
        return None
    have = held_cover(evidence, terms, question)
    if have >= 1.0 - 1e-9:
        return None
    asked, own, named = asked_subject(terms, question), own_numbers(question), named_thing(subject, question)
    shown = {p.get("source") for p in evidence}
    best: tuple[float, Mapping[str, Any], dict, str] | None = None
    seen: set[str] = set()
    for hit in hits():
        source = hit.get("source") or ""
        if hit.get("kind") == "faq" or source in shown or source in seen:
            continue
        seen.add(source)
        try:
            chunks = chunks_of(hit.get("kb") or "", source)
        except KnowledgeError:  # deleted since it was found
            continue
        for chunk in chunks:
            where = _where({**hit, "heading_path": chunk.get("heading_path") or []})
            units = parse_units(chunk.get("text") or "", chunk.get("kind") or "doc")
            for i in range(len(units)):
                cover, score = line_score(quantity, subject, named, asked, own, units, i, where)
                if cover >= max(MIN_COVER, have + MARGIN) and (best is None or score > best[0] + 1e-9):
                    best = (score, hit, chunk, units[i].text)
    if best is None:
        return None
    _, hit, chunk, line = best
    return {**page_section(hit, chunk, "value_reach", match="strong", value_line=line),
            "lexical_score": None, "dense_score": None}


def with_farther(evidence: Sequence[Mapping[str, Any]], far: Mapping[str, Any], question: str) -> list:
    """The evidence with the farther value passage as its most relevant, the passages stating no quantity of
    the asked kind left out: a FAQ entry on the subject without the number would lead the answer instead."""
    quantity = asked_quantity(question)
    own = own_numbers(question)
    kept = [p for p in evidence if quantity is not None and quantity.held(p.get("text") or "", own)]
    return [*kept, far]


def reached_line(passage: Mapping[str, Any], text: str) -> float:
    """REACHED for the line the farther value passage was brought for, else 0."""
    meta = passage.get("meta") or {}
    return REACHED if meta.get("added") == "value_reach" and meta.get("value_line") == text else 0.0
