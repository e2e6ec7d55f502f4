"""A follow-up reporting one detail of the thread's page gets the unit of that page holding its words.

    found = detail_unit(units, scorer)    # (PageUnit, score) or None

"连上以后输密码一直提示 Login incorrect", "mount 的时候报 wrong fs type": after an answer from
one page, the follow-up names something a sentence inside a step, a short paragraph or a question of the page's
FAQ part says, in no asking form graph/detail_kind.py knows (it reports what happened). Retrieval ranks by the
standalone, which carries the first turn's subject, so the page's whole procedure comes back. The page's units
(graph/page_units.py) are weighed by the message's own marks, each by how rare it is among them (the scorer
of graph/pointed_unit.py); the best is the part meant only when it holds at least two rare marks and clearly
outscores every other unit (a word or two shared with several steps points at none of them), and one of them is
a Latin name the message quotes from the page (an error's text, a command): Chinese words alone are said in
many ways and their character pairs meet by chance ("已经续了还是报" shares 已经 with a cause, and asks the
section). Every Latin name the message quotes that the pages hold must be in the unit (an error row lacking
the command named is read with its step, not alone). A unit that is a question ("**Q：…？**") reads with the answer after it.
A message quoting no name is graph/worded_unit.py's. Used by graph/pointed_unit.py; tested in
tests/graph/test_detail_unit.py.
"""

from __future__ import annotations

from typing import Protocol

from graph.page_units import PageUnit, with_answer

MARGIN = 1.6
"""The best unit must score at least this many times the next best (a clear part, not a shared word)."""
MIN_RARE = 2
"""Rare marks of the message the unit must hold, one a Latin name (one rare mark is a word shared by chance)."""


class UnitScorer(Protocol):
    rare: set[str]
    weights: dict[str, float]

    def held(self, text: str) -> list[str]: ...

    def score(self, text: str) -> float: ...


def quoted_names(scorer: UnitScorer) -> list[str]:
    """The Latin names of the message that the pages hold (an error's text, a command)."""
    return [m for m in scorer.weights if m.isascii() and len(m) > 1]


def _lacks_name(unit: PageUnit, scorer: UnitScorer) -> bool:
    """Does the unit lack a Latin name of the message that the pages hold (every name quoted is of the part)?"""
    held = set(scorer.held(unit.scored))
    return any(m not in held for m in quoted_names(scorer))


def detail_unit(units: list[PageUnit], scorer: UnitScorer) -> tuple[PageUnit, float] | None:
    """The unit the message's own rare words point at, clearly above every other (with its answer when it is a
    question); None when no unit holds two rare marks or another scores close to it."""
    scored = sorted(((scorer.score(u.scored), i) for i, u in enumerate(units)), reverse=True)
    if not scored or scored[0][0] <= 0:
        return None
    best, at = scored[0]
    runner = next((s for s, i in scored[1:] if units[i].text not in units[at].text), 0.0)
    rare = scorer.rare.intersection(scorer.held(units[at].scored))
    if len(rare) < MIN_RARE or not any(m.isascii() for m in rare) or best < MARGIN * runner:
        return None  # Chinese words alone are said many ways ("已经续了", "业务停不了"): a quoted name is not
    if _lacks_name(units[at], scorer):
        return None  # "growpart 报 NOCHANGE …": the error row lacks growpart, the part is the row with its step
    return with_answer(units, at), best
