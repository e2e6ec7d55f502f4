"""A follow-up asking how to do one action of the thread page's fix gets the unit doing it.

"describe 看了是 Insufficient cpu，要给节点池加节点具体怎么操作", "白名单那块要怎么加", "扩容存储具体怎么操作":
after a troubleshooting page's answer, the message names one action (a verb and its object) and asks how
to do it. Its few words rank the page's symptom or check sections again, or the causes list the previous
answer gave, and the unit doing the action (a fix item with its command or console path) is not shown.

`action_unit`: when the message asks how (or where) to do something (an asking word and an action,
graph/fix_asked._ASKING) that is not an observation ("怎么查" asks a check, which the checks answer), the
units of a troubleshooting page's solution section (graph/fix_asked.in_solution: by its top heading) are
weighed by the message's marks (graph/pointed_unit.Scorer: each mark by how rare it is among the pages'
units), and the best one holding a rare mark answers — with the rest of its case when a sub-heading of
the solution names one, and with the command doing it when it says the fix in words — unless a unit of
another section than the causes (a check step) holds the marks better: that section's action is asked. A
message asking nothing but the fix ("怎么补") names no action: graph/fix_asked.asks_bare_fix gives it
the whole solution section. Used by graph/pointed_unit.pointed_unit_first; tested in
tests/graph/test_asked_action.py.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Sequence

from graph.doc_sections import _CAUSES, _QUESTION_HEAD, _SOLUTION_HEAD
from graph.fix_asked import _ASKING, _OBSERVE, asks_bare_fix, in_solution
from graph.detail_kind import FENCED
from graph.page_units import ITEM, PageUnit
from graph.question_type import asks_place, question_type


_WHERE_DONE = re.compile(r"在哪(?:里|儿)?(?:能|可以|去)?([\u4e00-\u9fff])")
"""Asking where an action is done ("wait_timeout 想调短 该在哪改"): the unit doing it says where."""


def asks_action(message: str) -> bool:
    """Does the message ask how (or where) to do an action it names ("加 swap 具体咋弄"), not how to observe
    ("怎么查"), the fix alone ("怎么补") nor a value ("上限到底是多少", "费用怎么计算": the value's sentence answers)?"""
    m = _ASKING.search(message or "") or _WHERE_DONE.search(message or "")
    if m is None or _OBSERVE.match(m.group(1)) or asks_bare_fix(message):
        return False
    return question_type(message) != "value" or asks_place(message)


def action_words(message: str) -> str:
    """The words of the message that may name the action: all but an asked verb that asks the fix itself, the
    words solution headings are made of ("现在登不上去怎么处理", "如何解决"): that verb is every fix's, so a
    fix unit holding it is not the action named — what is left of the message names it, or nothing does."""
    m = _ASKING.search(message or "")
    if m is None or not _SOLUTION_HEAD.search(m.group(1)):
        return message
    return f"{message[:m.start(1)]} {message[m.end(1):]}"


def names_action(rare: set[str], held: Sequence[str]) -> bool:
    """Does a unit holding these marks name the action asked: one of the message's rare Chinese marks when
    it has any (a Latin name alone — "https" — names the thing acted on, not the action)?"""
    words = {m for m in rare if not m.isascii()}
    return not words or bool(words.intersection(held))


def _top(unit: PageUnit) -> str:
    """The unit's top heading below its page's title."""
    title = str(unit.chunk.get("title") or "")
    return next((h for h in unit.chunk.get("heading_path") or [] if h and h != title), "")


def solves(unit: PageUnit) -> bool:
    """Is the unit under its page's solution section?"""
    return in_solution(list(unit.chunk.get("heading_path") or []), str(unit.chunk.get("title") or ""))


def lists_causes(unit: PageUnit) -> bool:
    """Is the unit under its page's causes section ("可能原因")?"""
    return bool(_CAUSES.search(_top(unit))) and not _QUESTION_HEAD.search(_top(unit))


def action_unit(message: str, units: Sequence[PageUnit],
                score: Callable[[str], float]) -> tuple[PageUnit, float] | None:
    """The unit doing the action the message asks how to do, with its score: the best scored of the
    solution sections' units of troubleshooting pages (with a causes section: the fault's fixes); None when
    none holds a rare mark of it, or a unit of another section than the causes (a check step, a setting
    explained) holds the message's marks better: the asked action is that section's ("怎么找到具体哪个线程")."""
    if not asks_action(message):
        return None
    troubled = {u.source for u in units if lists_causes(u)}
    fixes = [(u, score(u.scored)) for u in units if u.source in troubled and solves(u)]
    best = max(fixes, key=lambda us: us[1], default=None)
    if best is None or best[1] <= 0:
        return None
    if any(score(u.scored) > best[1] for u in units if not solves(u) and not lists_causes(u)):
        return None
    group = [u for u, _ in fixes]
    return _with_command(_with_case(_with_lead(best[0], units), group), fixes), best[1]


def _with_lead(unit: PageUnit, units: Sequence[PageUnit]) -> PageUnit:
    """A code block standing alone with the unit before it in its chunk ("3. **Nginx 配置**：" and its
    config, then the reload command): what the block is for is said there."""
    if not unit.text.lstrip().startswith("```"):
        return unit
    at = next((i for i, u in enumerate(units) if u is unit), 0)
    lead = units[at - 1] if at > 0 else None
    if lead is None or lead.source != unit.source or lead.chunk.get("chunk_id") != unit.chunk.get("chunk_id"):
        return unit
    return replace(unit, text=f"{lead.text}\n{unit.text}")


def _with_case(unit: PageUnit, group: Sequence[PageUnit]) -> PageUnit:
    """The unit with the others of its case, when its heading names one under the solution section
    ("解决方法 > 节点无法访问公网": its two items are that case's fix, given whole), else the unit alone."""
    path = list(unit.chunk.get("heading_path") or [])
    title = str(unit.chunk.get("title") or "")
    if len([h for h in path if h and h != title]) < 2 or not ITEM.match(unit.text):
        return unit  # a paragraph of a case says one thing: its other paragraphs are not alternatives to it
    case = [u for u in group if u.source == unit.source and list(u.chunk.get("heading_path") or []) == path
            and u.chunk.get("chunk_id") == unit.chunk.get("chunk_id") and ITEM.match(u.text)]
    return replace(unit, text="\n".join(u.text for u in case)) if len(case) > 1 else unit


_STOPS = ("。", "；", "！", "？", ".", ";", "：", ":", "```")


def _with_command(unit: PageUnit, scored: Sequence[tuple[PageUnit, float]]) -> PageUnit:
    """A fix said in words ("在监听器中修改检查路径") with the command doing it: the best scored unit of its
    page's same group holding a code block, after it; the unit alone when it has a code block or no such unit is there."""
    if FENCED.search(unit.text):
        return unit
    coded = [(u, s) for u, s in scored if s > 0 and u.source == unit.source and FENCED.search(u.text)
             and u.text not in unit.text]
    best = max(coded, key=lambda us: us[1], default=None)
    if best is None:
        return unit
    # a table row ends with no stop: one is put after it, or its last words run into the command's lead-in
    end = "" if unit.text.rstrip().endswith(_STOPS) else "。"
    return replace(unit, text=f"{unit.text.rstrip()}{end}\n{best[0].text}")
