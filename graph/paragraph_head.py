"""A sentence picked from the middle of a short paragraph brings the sentences the paragraph opens with.

A page states the cause or names the tool first, then says what to do with it: "由于 Sidecar 容器安装了
本地存储卷，因此节点自动缩放器无法使用注入的 Pod 驱逐节点。…解决方法是向 Pod 添加注解 …";
"TiKV 引入 `get-region-read-progress` 子命令…。你需要指定一个 Region ID 和一个 TiKV…". The sentence
sharing the question's words is often the later one; shown alone it answers "how" without the "why" a
reported problem asks, or uses a command it never names. For a problem reported or a how-to, a picked
sentence whose paragraph opens at most HEAD_SENTENCES short sentences before it gets those sentences
when they give the cause (a sentence stating a reason) or quote the name the line uses, when none of
them is shown already, none only restates what was asked (graph/echo.restates) and they fit
the answer's budget. Hooked at the end of graph/extractive.py (after graph/antecedent.py, which brings a
pronoun's sentence); tested in tests/graph/test_paragraph_head.py.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable, Mapping, Sequence

from graph.antecedent import LEADS_BACK
from graph.doc_units import Unit, space_taken
from graph.echo import restates
from graph.paragraphs import says_what_to_do

_QUOTED = re.compile(r"`([^`\n]+)`")
_LABELLED = re.compile(r"^\*\*[^*\n]{1,16}\*\*")
"""A bold label opening a note or warning ("**警告：**")."""
_WHY = re.compile(r"由于|因为|原因|导致|因此|所以|\bbecause\b|\bdue to\b", re.I)
"""A sentence giving a reason."""

HEAD_SENTENCES = 2
"""Sentences a paragraph may open with before the picked one for them to come with it (a longer run is
another point of the page, not the start of this one)."""
MAX_HEAD = 160
"""Longest opening sentence brought (characters): a statement of the cause or the thing, not a paragraph."""


def paragraph_head(unit: Unit, units: Sequence[Unit]) -> list[Unit]:
    """The sentences `unit`'s paragraph opens with before it (empty when it opens the paragraph, when the
    run is longer than HEAD_SENTENCES, or when one of them is long or itself leads back)."""
    if unit.kind != "sentence" or unit.para < 0:
        return []
    at = next((i for i, u in enumerate(units) if u.key() == unit.key()), None)
    if at is None:
        return []
    k = at
    while k > 0 and units[k - 1].kind == "sentence" and units[k - 1].para == unit.para:
        k -= 1
    head = list(units[k:at])
    if len(head) > HEAD_SENTENCES or any(len(u.text) > MAX_HEAD for u in head):
        return []
    if head and (LEADS_BACK.match(head[0].text) or _LABELLED.match(head[0].text)):
        return []  # it goes on from the paragraph before, or it is a note's body ("**警告：** + …"), not a statement
    return head


def names_what_it_uses(unit: Unit, head: Sequence[Unit]) -> bool:
    """`unit` is an instruction going on from a thing its paragraph's opening names: it says what to do
    ("你需要指定一个 Region ID…") and the opening quotes a name (a command, a setting) it does not."""
    named = {m for u in head for m in _QUOTED.findall(u.text)}
    return says_what_to_do(unit.text) and bool(named - set(_QUOTED.findall(unit.text)))


def says_why(head: Sequence[Unit]) -> bool:
    """The opening gives the cause: a sentence stating a reason ("由于 …，因此 …"); a failure named alone
    ("也适用于失败的 Deployment") is no cause."""
    return any(_WHY.search(u.text) for u in head)


def with_paragraph_heads(picked: list[tuple[int, Unit]], groups: list[int], passages: Sequence[Mapping[str, Any]],
                         units_of: Callable[[Mapping[str, Any]], list[Unit]], budget: int,
                         asked: str, fact: bool = False) -> tuple[list[tuple[int, Unit]], list[int]]:
    """`picked` (and its parallel `groups`) with each picked sentence's paragraph opening put before it when
    that opening gives the cause (`says_why`) or names what the line uses (`names_what_it_uses`); `asked`: the
    question as the user wrote it; `fact`: a question asking a fact (a value), whose one line gets its opening
    only for the name it uses."""
    shown = {(n, u.key()) for n, u in picked}
    room = budget - space_taken(u for _, u in picked)
    out: list[tuple[int, Unit]] = []
    out_groups: list[int] = []
    for (n, unit), group in zip(picked, groups):
        head = paragraph_head(unit, units_of(passages[n - 1]))
        if head and not (names_what_it_uses(unit, head) or (not fact and says_why(head))):
            head = []
        if head and not any((n, u.key()) in shown for u in head) \
                and not any(restates(u.text, asked) for u in head) and space_taken(head) <= room:
            for u in head:
                out.append((n, replace(u, whole=unit.whole)))  # judged as the line it opens is
                out_groups.append(group)
                shown.add((n, u.key()))
            room -= space_taken(head)
        out.append((n, unit))
        out_groups.append(group)
    return out, out_groups
