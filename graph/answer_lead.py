"""The line that answers leads: a cause or symptom answer reordered so the agent reads it first.

A symptom report ("走 cdn 就 502 源站 nginx 按域名分站点", "事件里写 pod has unbound …") is often
answered by one row of the page's causes table or of a check's message table, while the composer,
following evidence order, put a check, the whole causes list or the page's procedure before it: the
agent reads 300-600 characters before the answer. When one block of the answer holds what is asked
(graph/padding.py `holding_line`: one line covers HELD_SHARE of what the question asks beyond its
pages' titles, outside a section restating the problem or giving its fix), that block leads and the
rest follow in their order; before it, blocks from other passages naming nothing asked the lead lacks
pad it and are left out when the structure added them as checks or causes (`_checks_or_causes`); a
section retrieval matched by words (an explanation, the page's fix) stays, after the lead.

Used by graph/extractive.py for cause and symptom questions not asking what to do; tested in
tests/graph/test_answer_lead.py.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from graph.doc_units import Unit
from graph.relevance import QuestionTerms
from graph.padding import CHECKS, adds_asked, asked_beyond_topic, asked_items, gives_fix, holding_line, is_causes_list

CASE_LINES = ("row", "item")
"""Lines that may lead: a table row or list item names one case (a cause, a message and its meaning); a
prose sentence sharing the question's words often only restates it or tells how to check."""


def lead_with_answer(passages: Sequence[Mapping[str, Any]], picked: Sequence[tuple[int, Unit]],
                     groups: Sequence[int], terms: QuestionTerms) -> tuple[list[tuple[int, Unit]], list[int]]:
    """`picked` and `groups` with the block holding what is asked first (see the module docstring);
    unchanged when no block holds it or it leads already."""
    first = holding_line(passages, picked, terms)
    if first is None or picked[first][1].kind not in CASE_LINES:
        return list(picked), list(groups)
    if groups[first] == groups[0]:
        return list(picked), list(groups)
    lead_group = groups[first]
    lead = [i for i in range(len(picked)) if groups[i] == lead_group]
    if any(picked[i][1].kind == "step" for i in lead):
        return list(picked), list(groups)  # a procedure's step is never moved out of its steps
    held = " ".join(picked[i][1].text for i in lead)
    n_lead = picked[first][0]
    if is_causes_list(passages[n_lead - 1]):  # the cause asked is known: the list's other causes pad it
        others = [picked[i][1] for i in range(len(picked)) if picked[i][0] == n_lead and groups[i] != lead_group]
        kept = {id(u) for u in asked_items(others, asked_beyond_topic(terms, passages, picked))}
        dropped = {i for i in range(len(picked)) if picked[i][0] == n_lead and groups[i] != lead_group
                   and id(picked[i][1]) not in kept}
    elif any(picked[i][0] == n_lead and picked[i][1].kind == "item" for i in range(first)):
        return list(picked), list(groups)  # never moved ahead of its own list's earlier items
    else:
        dropped = set()
    before = {groups[i] for i in range(first)} - {lead_group}
    dropped |= {i for i in range(first) if groups[i] in before and _pads(passages, picked, i, held, lead, terms)}
    dropped = _whole_groups(dropped, groups)
    rest = [i for i in range(len(picked)) if i not in dropped and groups[i] != lead_group]
    order = lead + rest
    return [picked[i] for i in order], [groups[i] for i in order]


def _pads(passages: Sequence[Mapping[str, Any]], picked: Sequence[tuple[int, Unit]], i: int, held: str,
          lead: Sequence[int], terms: QuestionTerms) -> bool:
    """A unit before the lead pads it: another passage's, a check or cause the structure added
    (`_checks_or_causes`; a causes list only before a causes line), naming nothing asked the lead's block lacks."""
    n, unit = picked[i]
    passage = passages[n - 1]
    n_lead = picked[lead[0]][0]
    if n in {picked[j][0] for j in lead} or not _checks_or_causes(passage) or gives_fix(passage, [unit]):
        return False  # the page's fix says what to do about the cause that leads: it stays
    if is_causes_list(passage) and not is_causes_list(passages[n_lead - 1]):
        return False  # a check's line ("dial tcp … timeout：节点网络无法访问仓库"): the cause behind it is in the list
    return not adds_asked(passages, picked, unit.text, held, terms)


def _checks_or_causes(passage: Mapping[str, Any]) -> bool:
    """Evidence the page's structure added as a check to run or as its causes: once the line answering is
    known, they only pad it. A section retrieval matched by its words (an explanation, a configuration the
    lead's cause names, the page's fix) may say what to do about the cause and stays."""
    return (passage.get("meta") or {}).get("added") in CHECKS or is_causes_list(passage)


def _whole_groups(indices: set[int], groups: Sequence[int]) -> set[int]:
    """Only the blocks left out whole (a lead-in goes with its command, an item with its nested items)."""
    members: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        members.setdefault(g, []).append(i)
    return {i for g, ids in members.items() if all(j in indices for j in ids) for i in ids}
