"""After the line judging a plan, the right way from the same section: what the user should do instead.

    数据盘还挂在 /data 上跑着业务，我想直接去控制台点卸载，会有问题吗
    -> 直接在控制台卸载正在使用的盘，可能导致数据丢失或应用报 I/O 错误。          (the judging line, value_fact)
       按照"先系统内、后控制台"的顺序：  umount /data …                       (the section's way, here)

A caution says what not to do; the agent also needs what to do. When the line judging a plan the user states
(graph/verdict_line.ProposedAction) stands in a section that gives a way of doing it — a lead-in with the
command or list it introduces — that way follows the judging line, from the same section, in place of a
second fact from another page (graph/answer_draft.second_fact pads a plan's verdict with lines on the subject,
which every page on it shares). The composition reads units only: lead-ins and what they introduce
(graph/introduced.py carries the list or command a picked lead-in introduces). Used by graph/extractive.py;
tested in tests/graph/test_plan_check.py.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from graph.doc_units import Unit
from graph.introduced import introduced
from graph.relevance import QuestionTerms
from graph.section_answer import section_units
from graph.unit_fit import usable
from graph.verdict_line import ProposedAction, judges_action

WAY_KINDS = ("code", "item")
"""What a lead-in introduces that is a way of doing the thing: a command or a list of steps."""


def judges_plan(action: QuestionTerms | None, units: Sequence[Unit]) -> bool:
    """Some prose line of `units` judges the plan the user states (`action` a graph/verdict_line.ProposedAction):
    a FAQ answer on the subject leaves it to follow, however few of the question's other words it shares."""
    return isinstance(action, ProposedAction) and any(
        u.kind in ("sentence", "item", "leadin") and judges_action(action, u.text) for u in units)


def plan_way(passages: Sequence[Mapping[str, Any]], picked: Sequence[tuple[int, Unit]],
             action: QuestionTerms | None) -> tuple[int, list[Unit]] | None:
    """The way the section of the first picked line judging the plan (`action`, a graph/verdict_line.ProposedAction)
    gives (`section_way`), with its passage's number; None when no picked line judges a plan, or its section gives
    no way naming a word of the plan ("按照先系统内、后控制台的顺序：umount …" for a plan to 卸载 in the 控制台)."""
    judging = next((n for n, u in picked if judges_plan(action, [u])), None)
    if judging is None:
        return None
    units = [u for u in section_units(passages[judging - 1]) if usable(u)]
    way = section_way(units, [u for n, u in picked if n == judging])
    named = bool(way) and isinstance(action, ProposedAction) and action.share(way[0].text) > 0  # in its lead-in
    return (judging, way) if named else None  # a way doing the plan's act, not another step of the page


def section_way(units: Sequence[Unit], picked: Sequence[Unit]) -> list[Unit]:
    """The lead-in of `units` (a section) nearest the picked line with the command or steps it introduces,
    as one block (lead-in first); [] when the section gives no such way or it is picked already."""
    have = {u.key() for u in picked}
    at = [i for i, u in enumerate(units) if u.key() in have]
    if not at:
        return []
    ways = []
    for i, u in enumerate(units):
        if u.kind != "leadin" or u.key() in have:
            continue
        run = introduced(list(units), i)
        if run and any(units[j].kind in WAY_KINDS for j in run):
            ways.append((min(abs(i - a) for a in at), i, run))
    if not ways:
        return []
    _, i, run = min(ways)
    return [units[i], *(units[j] for j in run)]
