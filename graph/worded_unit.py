"""A follow-up reporting a case in Chinese words alone gets the unit of the thread's page its rare words point at.

    picked = worded_unit(units, message_words(message, vocab))   # [unit] or [cause line, its fix] or []

A message reporting a case in Chinese words alone ("输错了好几次 账户好像被锁住了", "主机记录那一栏
我填的是完整的域名"; `reports_case`: no Latin name the pages hold, no action asked) is weighed by its WORDS as the
base's tokenizer cuts them (graph/domain_score.content_tokens), not by character pairs: a word is a unit of
meaning, where a pair crossing two words ("已经续了": 已经) meets any page. A word held by more than a quarter of
the page's units says nothing about which is meant (还是, 连接 on a connection page); of the others, each weighed
by how rare it is among the units, the best unit must hold two and clearly outscore every other unit (the
margins of graph/detail_unit.py).
A colloquial word of graph/synonyms.yaml counts as held where the page writes one of its documentation terms. A
line of the page's symptom section (graph/echo.plays_symptom_role) only restates the report and is never the
part. A line of the causes list comes with the solution unit sharing most rare words with it and the message
(the page's "原因 | 处理" row or keyed item): the case's fix, not the whole fixes table. Used by
graph/pointed_unit.py; tested in tests/graph/test_detail_unit.py.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from graph.asked_action import asks_action, lists_causes, solves
from graph.detail_kind import FENCED, without_cues
from graph.detail_unit import MARGIN, MIN_RARE, UnitScorer, quoted_names
from graph.echo import plays_symptom_role
from graph.page_units import PageUnit, with_answer

RARE_WORD = 0.25
"""A word points at a part when at most this share of the page's units hold it (or of its alternatives)."""

Words = Sequence[Sequence[str]]
"""Each word of the message with its documentation terms, lower-case (`message_words`)."""


def _holds(text: str, word: Sequence[str]) -> bool:
    """Does the text hold the word, or one of its documentation terms?"""
    return any(w in text for w in word)


def _weights(texts: list[str], words: Words) -> list[tuple[Sequence[str], float]]:
    """The words held by at most RARE_WORD of the texts (at least one), each weighed by how rare it is."""
    out = []
    for word in words:
        df = sum(_holds(t, word) for t in texts)
        if df and df <= max(1, RARE_WORD * len(texts)):
            out.append((word, math.log(1 + len(texts) / df)))
    return out


def worded_unit(units: list[PageUnit], words: Words) -> list[PageUnit]:
    """The unit the message's rare words point at (module docstring), with its answer when it is a question,
    and its fix when it is a line of the page's causes list; empty when no unit holds two of them or another
    scores close to it. A line showing the problem (a "现象" section) only restates what the user reports."""
    texts = [u.scored.lower() for u in units]
    weights = _weights(texts, words)
    scored = sorted(((sum(w for word, w in weights if _holds(t, word)), sum(_holds(t, word) for word, _ in weights), i)
                     for i, t in enumerate(texts)
                     if not plays_symptom_role(list(units[i].chunk.get("heading_path") or []))), reverse=True)
    if not scored or scored[0][1] < MIN_RARE:
        return []
    best, _, at = scored[0]
    pair = _case(units, at, words)
    runner = next((s for s, _, i in scored[1:] if units[i].text not in units[at].text
                   and all(units[i].text not in u.text for u in pair)), 0.0)
    if best < MARGIN * runner:
        return []  # two units share the message's words: which one is meant is not known
    return pair


def _case(units: list[PageUnit], at: int, words: Words) -> list[PageUnit]:
    """The unit at `at` with what answers its case beside it: a question with its answer, a line of the causes
    list with its fix, a fix with the one line of the causes list it is the fix of. The two lines of a case do
    not compete for the message (a "原因 | 处理" row shares the cause line's words)."""
    unit = with_answer(units, at)
    if lists_causes(unit):
        fix = _fix_of(unit, units, words)
        return [unit] if fix is None else [unit, fix]
    if solves(unit):
        causes = [u for u in units if u.source == unit.source and lists_causes(u)
                  and (f := _fix_of(u, units, [])) is not None and f.text == unit.text]  # by its own words
        return [causes[0], unit] if len(causes) == 1 else [unit]
    return [unit]


def _fix_of(cause: PageUnit, units: list[PageUnit], words: Words) -> PageUnit | None:
    """The unit of the cause's page's solution section sharing most rare words with the message and the
    cause line (the page's "原因 | 处理" row or item for it); None when none shares one."""
    from graph.domain_score import content_tokens

    fixes = [u for u in units if u.source == cause.source and solves(u)]
    own = [[w] for w in content_tokens(FENCED.sub(" ", cause.text)) if not w.isascii()]
    weights = _weights([u.scored.lower() for u in units], [*words, *own])
    scored = [(sum(w for word, w in weights if _holds(u.scored.lower(), word)), i) for i, u in enumerate(fixes)]
    best = max(scored, default=(0.0, -1))
    return fixes[best[1]] if best[0] > 0 else None


def outworded(unit: PageUnit, others: Sequence[str], words: Words) -> bool:
    """Does another page's passage hold more of the message's words than the unit: the page retrieval found for
    them says it, not the thread's page (on a tie the page the conversation is on stays)."""
    held = sum(_holds(unit.scored.lower(), w) for w in words)
    return any(sum(_holds(text.lower(), w) for w in words) > held for text in others)


def message_words(message: str, vocab: Any) -> list[list[str]]:
    """The message's content words as the base cuts them (no asking word, no Latin token: a name is the
    scorer's), each with the documentation terms graph/synonyms.yaml gives a colloquial word holding it."""
    from graph.domain_score import content_tokens
    from graph.expansion import synonym_groups
    from graph.prior_scan import ASKING_WORD

    groups = synonym_groups(message)
    out: list[list[str]] = []
    for token in content_tokens(without_cues(message), vocab):
        if token.isascii() or ASKING_WORD.search(token):
            continue
        alternatives = [t.lower() for key, terms in groups.items() if token in key for t in terms]
        out.append(list(dict.fromkeys([token, *alternatives])))
    return out


def reports_case(message: str, scorer: UnitScorer) -> bool:
    """Does the message report a case in words alone, for `worded_unit`: it quotes no Latin name the pages
    hold (a name is graph/detail_unit.py's to point with: where that finds no part, the name's section
    answers) and asks no action ("以后清理正在写的日志应该咋弄" asks the page's ways of doing it, not the one
    line sharing its words)."""
    return not quoted_names(scorer) and not asks_action(message)


holds = _holds
"""Public names for graph/observed_cause.py, which weighs a first message's observation the same way."""
rare_weights = _weights
