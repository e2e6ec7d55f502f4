"""Splitting a message into its questions, deterministically (shared by split, guard, route).

Numbered lists, then question marks and clause-level connectors (还有/另外/以及/顺便问下
after punctuation); statements before a question stay with it; a follow-on question
that lacks a subject gets the first question's subject ("…CPU 100% 怎么排查？跟带宽有关吗？"
-> "…CPU 100% 跟带宽有关吗"). "A 和 B 有什么区别" has no boundary, so it stays whole.
Tests: tests/graph/test_split.py.
"""

from __future__ import annotations

import re
from graph.domain_score import CLOUD_TERMS, SYMPTOM_TERMS
from graph.subject import (DomainTerms, attach_subject, needs_subject, starts_elliptical, strip_filler, subject_of,
                           substitute)

_NUMBERED = re.compile(
    # (?<!\s): a whitespace run is entered at its first character only (linear, not quadratic)
    r"(?:^|(?<!\s)\s)\s*(?:\d{1,2}[.、)）]|[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩]|[一二三四五六七八九十][、.．])\s*"
)
_QUESTION_END = re.compile(r"(?<=[？?])")
_CONNECTOR_WORDS = ("还有", "另外", "以及", "顺便问下", "顺便问一下", "顺便", "此外", "再问一下", "还想问")
_CONNECTOR = re.compile(rf"(?<=[，,。；;！!])\s*(?=(?:{'|'.join(_CONNECTOR_WORDS)})[，,\s]*)")
_COMMA = re.compile(r"[，,；;]")
# Words that make a clause a question of its own (used to split "A 怎么做，B 多少").
ASKING = re.compile(r"[？?]|怎么|怎样|如何|为什么|为啥|什么|多少|多久|几[个条次天种]|哪|吗|能否|是否|有没有|能不能")
_WHAT_IF = re.compile(r"^(?:那|那么)?\s*(\S.{0,19}?)\s*(?:又)?呢$")  # \S: one way to split the spaces
_PRONOUN_START = re.compile(r"^(它|这个|那个|该|其)")
_TRIM = " \t\n，,。；;：:？?！!"


def _comma_split(piece: str) -> list[str]:
    """"CDN 怎么刷新缓存，每天能刷新多少条" -> two questions; a clause that asks nothing stays attached."""
    clauses = [c for c in _COMMA.split(piece) if c.strip(_TRIM)]
    if len(clauses) < 2 or not all(ASKING.search(c) for c in clauses):
        return [piece]
    return clauses


def _pieces(message: str) -> list[str]:
    text = message.strip()
    if len(_NUMBERED.findall(text)) >= 2:
        parts = _NUMBERED.split(text)
        head, items = parts[0].strip(_TRIM), [p for p in parts[1:] if p.strip(_TRIM)]
        if head and not ASKING.search(head):
            return [f"{head} {p.strip(_TRIM)}" for p in items]
        return ([head] if head else []) + items
    out: list[str] = []
    for part in _QUESTION_END.split(text):
        for clause in _CONNECTOR.split(part):
            if clause.strip(_TRIM) and clause.strip(_TRIM) not in _CONNECTOR_WORDS:
                out.extend(_comma_split(clause))
    return out


def split_message(message: str, terms: DomainTerms) -> list[str]:
    """Deterministic split with the shared subject restored."""
    pieces = [p.strip(_TRIM) for p in _pieces(message)]
    pieces = [p for p in pieces if p]
    questions = [strip_filler(p).strip(_TRIM) or p for p in pieces]
    introduced = [p != q for p, q in zip(pieces, questions)]  # began with 另外/还有/顺便问下…
    if not questions:
        return [message.strip(_TRIM)] if message.strip(_TRIM) else []
    first = questions[0]
    first_subject = subject_of(first)
    entity = terms.phrase(first_subject) or terms.first(first)
    result = [first]
    for q, new_topic in zip(questions[1:], introduced[1:]):
        what_if = _WHAT_IF.match(q)
        if what_if:
            result.append(substitute(first, what_if.group(1), terms))
        elif needs_subject(q, terms) and not (new_topic and not starts_elliptical(q) and not _PRONOUN_START.match(q)):
            result.append(attach_subject(first_subject, q, entity))
        else:
            result.append(q)
    return [q.strip(_TRIM) for q in result if q.strip(_TRIM)]


def domain_terms(lexicon: set[str]) -> DomainTerms:
    return DomainTerms(list(lexicon) + list(CLOUD_TERMS), SYMPTOM_TERMS)
