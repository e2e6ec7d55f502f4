"""A question of its own asking the rule a thing must follow gets the unit of its page stating that rule.

    chosen = rule_unit_first(chosen, question, chunks_of, base, retrieved)

"给实例重置的新密码有什么要求", "存储桶名字有啥规定": a requirement asked (graph/detail_kind.py) is answered by
the unit that states it — a labelled list item or a paragraph holding several rule words (a length, the
characters allowed, must / must not, a range). The selection ranks sections by the ask's words, so it may
bring the neighbouring line that merely mentions the word asked ("重置密码要求实例处于已关机状态") and the
answer is that one line. The selected pages are cut into units (graph/page_units.py) and the best unit naming
the asked thing and stating a rule — at least `STATED` rule words, a mention holds one — becomes the evidence
alone; a list of unlabelled items is read as one rule (its items are the rule's parts). The message's words are
weighed as a follow-up pointing at a part weighs them (graph/pointed_unit.Scorer).
The pages are those already selected (no page is chosen here), the most relevant first. Used by
graph/nodes/select.py; tested in tests/graph/test_rule_unit.py.
"""

from __future__ import annotations

import re
from typing import Sequence

from graph.detail_kind import FENCED, detail_kind, rule_strength
from graph.faq_subject import page_behind
from graph.page_units import PageUnit, page_units
from graph.pointed_unit import STATED, Scorer, pointed_passage
from graph.prior_scan import ChunksOf
from graph.schema import PassageData

_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,2}[.、)])\s")
"""A list item's marker."""
_LABELLED = re.compile(r"^\s*(?:[-*+]|\d{1,2}[.、)])\s+\*\*[^*\n]{1,24}\*\*")
"""A list item opening with a bold label: a rule (or case) of its own."""
RULE = "rule_unit"
"""Meta key of the unit passage: select keeps it as the evidence, the answer gives it whole (graph/extractive.py)."""
RULE_PAGES = 2
"""The selected pages read for the rule: the most relevant ones (a third is rarely about the thing asked)."""


def _pages(chosen: Sequence[PassageData], retrieved: Sequence[PassageData]) -> list[str]:
    """The selected document pages, the most relevant first (the selection reads most relevant last); for FAQ
    entries selected, the retrieved page about the best entry's thing (graph/faq_subject.page_behind)."""
    docs = [p for p in reversed(chosen) if p.get("kind") not in ("faq", "table")]
    entries = [p for p in chosen if p.get("kind") == "faq"]
    behind = page_behind(entries[-1], retrieved) if entries else None
    sources = [str(p.get("source") or "") for p in [*docs, *([behind] if behind is not None else [])]]
    return [s for s in dict.fromkeys(sources) if s][:RULE_PAGES]


def _blocks(units: Sequence[PageUnit]) -> list[PageUnit]:
    """The units, each run of unlabelled list items of one chunk joined into one ("1. 长度 3-63 个字符；2. 只能包含…":
    the rules of a list are read together); a labelled item ("**密码规则**：…") stays a rule of its own."""
    out: list[PageUnit] = []
    for unit in units:
        prev = out[-1] if out else None
        if prev is not None and _joins(prev, unit):
            out[-1] = PageUnit(prev.source, prev.chunk, f"{prev.text}\n{unit.text}", f"{prev.scored}\n{unit.text}")
        else:
            out.append(unit)
    return out


def _joins(prev: PageUnit, unit: PageUnit) -> bool:
    """Does the unit continue the list the previous unit (or run) is part of?"""
    return prev.chunk.get("chunk_id") == unit.chunk.get("chunk_id") and all(
        _ITEM.match(t) and not _LABELLED.match(t) for t in (prev.text.splitlines()[-1], unit.text))


def _own(unit: PageUnit) -> str:
    """The unit's text with its own heading, not the page's title every unit of the page sits under: the thing a
    rule is about is named there ("**密码规则**", "### 存储桶命名规则")."""
    path = [str(h) for h in unit.chunk.get("heading_path") or []]
    return f"{path[-1] if len(path) > 1 else ''} {unit.text}"


def stated_rule(message: str, units: Sequence[PageUnit]) -> PageUnit | None:
    """Of the units (or lists) stating at least `STATED` rule words, the one holding most of the message's words
    in its own text or heading (each weighed by how rare it is among the units), weighed by how many rule words it
    holds; None when none holds a word of the message of two characters or more."""
    blocks = _blocks(units)
    scorer = Scorer.of(message, blocks)
    best: tuple[float, PageUnit] | None = None
    for block in blocks:
        strength = rule_strength(FENCED.sub(" ", block.text))
        held = [m for m in scorer.held(_own(block)) if len(m) > 1]
        if strength < STATED or not held:
            continue
        score = sum(scorer.weights[m] for m in held) * (1 + 0.25 * strength)
        if best is None or score > best[0]:
            best = (score, block)
    return best[1] if best else None


def rule_unit_first(chosen: list[PassageData], message: str, chunks_of: ChunksOf, base: str,
                    retrieved: Sequence[PassageData] = ()) -> list[PassageData]:
    """The selected pages' unit stating the rule asked, alone; the selection when no requirement is asked or
    no unit naming the asked thing states one clearly."""
    if detail_kind(message) != "requirement" or not chosen:
        return chosen
    unit = stated_rule(message, [u for s in _pages(chosen, retrieved) for u in page_units(s, chunks_of(s))])
    if unit is None:
        return chosen  # no unit states a rule about the thing asked: the selection's own answer stands
    passage = pointed_passage(unit, [*chosen, *retrieved], base)
    return [{**passage, "meta": {**(passage.get("meta") or {}), RULE: True}}]
