"""A short answer from the right section, completed from that section in document order.

The composition (graph/extractive.py) picks a section's best-matching line and what is tied to it;
on the real corpora the line is often the right one but the fact sits in the sentence before it
("与 Pod 一样，你可以使用 `kubectl describe node` …" before "请注意显示节点为 NotReady 的事件…") or a
few lines further on in the same section, and the answer uses a fraction of its room.

`fill_short` (how-to, cause and symptom answers: a value is one line, and the rows beside a table
row are other cases, never added): when the answer takes under `SHORT` of the type's budget, the section it quotes most
(its lead passage) gives the other units sharing the question's words beyond the section's own
title (graph/section_answer.focus_of), best first while they fit the budget with what they need
(graph/unit_fit.attach: a lead-in's list, a sentence's command), and the section's picked and added
units are shown in document order. A passage the evidence cut to a few lines (the units naming an
error code, graph/identifier_anchor.py) is read as its whole section, from its page (`page`). Each added unit is its own block for verify's topic check, but
a sentence of a quoted sentence's paragraph, which is judged with it.
The unit a follow-up points at (graph/pointed_unit.py) stands alone. Nothing the answer picked is dropped; a section whose picked units cannot be found again is left.
Tested in tests/graph/test_introduced.py.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from graph.aspect_lines import ChunksOf
from graph.doc_units import Unit, space_taken
from graph.evidence import grow
from graph.pointed_unit import POINTED
from graph.prior_scan import ALONE
from graph.relevance import QuestionTerms, coverage
from graph.section_answer import focus_of, section_units
from graph.unit_fit import attach, usable

SHORT = 0.4
"""Share of the type's budget under which an answer is completed from its own section."""
SHARE = 0.6
"""Share of the best picked unit's coverage of the question (beyond the section's title) a unit must
reach to be added: a long spoken question leaves every line a small share, the quoted one included."""
MIN_SHARE = 0.05
"""Coverage a unit must reach to be added, whatever the picked ones cover."""




def whole_section(passage: Mapping[str, Any], page: ChunksOf | None) -> Mapping[str, Any]:
    """The passage as its whole section when the evidence kept only some of its lines (a unit naming
    an error code, one sentence pointed at), else the passage itself."""
    if page is None or passage.get("kind") == "faq":
        return passage
    grown = grow(dict(passage), page(passage), set())
    return grown if len(grown.get("text") or "") > len(passage.get("text") or "") else passage


def fill_short(picked: list[tuple[int, Unit]], groups: list[int], passages: Sequence[Mapping[str, Any]],
               terms: QuestionTerms, budget: int, page: ChunksOf | None = None
               ) -> tuple[list[tuple[int, Unit]], list[int], tuple[int, Mapping[str, Any]] | None]:
    """`picked` and `groups` with the lead passage's units completed (module docstring), and the lead
    passage's number and the passage read whole when units were added from beyond its text (it replaces the passage: verify
    checks each unit against the passage it cites), else None; `page` reads the passage's page."""
    used = space_taken(u for _, u in picked)
    if not picked or used >= SHORT * budget:
        return picked, groups, None
    counts: dict[int, int] = {}
    for n, _ in picked:
        counts[n] = counts.get(n, 0) + 1
    n = max(counts, key=lambda m: (counts[m], -min(k for k, (p, _) in enumerate(picked) if p == m)))
    if (passages[n - 1].get("meta") or {}).get(POINTED) or (passages[n - 1].get("meta") or {}).get(ALONE):
        # the one unit a follow-up points at is the answer, as it is; so is the thread page's verification step
        return picked, groups, None
    passage = whole_section(passages[n - 1], page)
    units = section_units(passage)
    index = {u.key(): i for i, u in reversed(list(enumerate(units)))}
    mine = [k for k, (m, _) in enumerate(picked) if m == n]
    at = [index.get(picked[k][1].key()) for k in mine]
    if any(i is None for i in at):
        return picked, groups, None  # a picked unit was reworded (a setting named, a lead-in closed): leave it
    chosen = {i for i in at if i is not None}
    focus = focus_of(terms, passage, [u for u in units if usable(u)])
    def share(u: Unit) -> float:
        return coverage(focus, u.text) if focus.total else coverage(terms, u.text)

    floor = max(MIN_SHARE, SHARE * max(share(units[i]) for i in chosen))
    scored = []
    for i, u in enumerate(units):
        if i in chosen or u.kind not in ("sentence", "item", "leadin") or not usable(u):  # a row: another case
            continue
        if share(u) >= floor:
            scored.append((share(u), i))
    room = budget - (used - space_taken(picked[k][1] for k in mine))
    for _, i in sorted(scored, key=lambda s: (-s[0], s[1])):
        if space_taken(attach(units, chosen | {i})) <= room:
            chosen.add(i)
    shown = attach(units, chosen)
    if len(shown) <= len(mine) or any(u.kind == "leadin" for u in shown[-1:]):
        return picked, groups, None
    old = {picked[k][1].key(): (picked[k], groups[k]) for k in mine}
    paras = {units[i].para: groups[k] for k, i in zip(mine, at) if i is not None and units[i].para >= 0}
    fresh = max(groups, default=0)
    block: list[tuple[tuple[int, Unit], int]] = []
    for u in shown:
        if u.key() in old:
            block.append(old[u.key()])
        elif u.para >= 0 and u.para in paras:
            block.append(((n, u), paras[u.para]))  # a sentence of a quoted one's paragraph is judged with it
        elif block and u.kind in ("code", "item", "row") and block[-1][1] > max(groups):
            block.append(((n, u), block[-1][1]))  # a command or list judged with the line bringing it
        else:
            fresh += 1
            block.append(((n, u), fresh))
    first = mine[0]
    rest = [(p, g) for k, (p, g) in enumerate(zip(picked, groups)) if k not in set(mine)]
    merged = rest[:first] + block + rest[first:]
    texts = {u.text for u in section_units(passages[n - 1])}
    beyond = any(u.text not in texts for u in shown)
    return [p for p, _ in merged], [g for _, g in merged], (n, passage) if beyond else None
