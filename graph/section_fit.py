"""A section given whole (titled with the question, or the entry of the very error pasted) within the budget.

When the whole section does not fit, what only shows the user their own case goes first: a sample
of what they already see (a lead-in such as "可以在 TiDB 日志中看到类似的日志：" with its block) and
sentences restating the question (graph/paragraphs.restates); then the commands no line saying what
to do introduces (examples: "考虑以下配置："), earliest first; then the lines saying nothing to do,
least matching what is asked first (the latest of equals first), when that makes the rest fit.
The best-matching line always stays: when it would not fit, the other lines give way to it. What
says what to do — a sentence, a lead-in with its command — is never dropped here. Whatever still does
not fit goes as graph/unit_fit.fit_whole decides (commands, earliest first): on a long entry
the budget goes to the fix, not to the explanation of the log the user pasted.
Used by graph/section_answer.py; tested in tests/graph/test_section_fit.py.
"""

from __future__ import annotations

import re
from dataclasses import replace

from graph.doc_units import Unit, space_taken
from graph.paragraphs import restates, says_what_to_do
from graph.unit_fit import closed, fit_whole

SAMPLE_LEAD = re.compile(r"类似|输出|output|looks? like", re.I)
"""A lead-in showing what a command prints or a log holds ("你应该可以看到类似这样的输出："), not what to run."""


_INSTRUCTS = re.compile(r"(可以|需要|应该|建议|(?<![申邀])请)(通过|使用|执行|运行|设置|修改|调整|配置|查看|检查)[^。；;]{0,30}`")
"""A line saying what to do in its middle ("原因 1：… 可以通过命令 `admin show ddl job` 查看…")."""


_RUN_LEAD = re.compile(r"(运行|执行|输入|使用)(以下|如下|下面的?)(命令|指令)|命令如下")
"""A lead-in asking to run the command after it ("在 Pod 中运行以下命令：")."""


def says_to_do(unit: Unit) -> bool:
    return says_what_to_do(unit.text) or bool(_INSTRUCTS.search(unit.text)) or bool(_RUN_LEAD.search(unit.text))


def _size(units: list[Unit], keep: list[int]) -> int:
    return space_taken(units[i] for i in keep)


def _samples_and_echoes(units: list[Unit], question: str) -> set[int]:
    drop: set[int] = set()
    for i, u in enumerate(units):
        if u.kind == "leadin" and SAMPLE_LEAD.search(u.text) and i + 1 < len(units) and units[i + 1].kind == "code":
            j = i + 1
            while j < len(units) and units[j].kind == "code":
                drop.add(j)
                j += 1
            drop.add(i)
        elif u.kind == "sentence" and question and restates(u.text, question):
            drop.add(i)
    return drop


def _orphans(units: list[Unit], keep: list[int]) -> set[int]:
    """Lead-ins left with nothing of what they led into (their items all went)."""
    kept = set(keep)
    out: set[int] = set()
    for i in keep:
        if units[i].kind != "leadin" or i + 1 >= len(units) or units[i + 1].kind not in ("item", "row"):
            continue
        j = i + 1
        led = []
        while j < len(units) and units[j].kind in ("item", "row", "code"):
            if units[j].kind != "code":
                led.append(j)
            j += 1
        if not kept & set(led):
            out.add(i)
    return out


def fit_section(units: list[Unit], budget: int, scores: dict[int, float], question: str) -> list[Unit]:
    """The section whole when it fits; else without samples, echoes and the least matching lines
    saying nothing to do first (module docstring). `scores`: each prose unit's match (section_answer._ranked)."""
    keep = list(range(len(units)))
    if _size(units, keep) <= budget:
        return fit_whole(units, budget)
    drop = _samples_and_echoes(units, question)
    if len(drop) < len(units):
        keep = [i for i in keep if i not in drop]
    units = list(units)
    for i in [i for i in keep if units[i].kind == "code" and len(units[i].text) + 4 > budget]:
        keep.remove(i)  # never shown (graph/unit_fit.fit): its room is not the prose's to give
        if i and i - 1 in keep and units[i - 1].kind == "leadin":
            if says_what_to_do(units[i - 1].text):  # the fix it introduced, as a statement
                units[i - 1] = replace(units[i - 1], kind="sentence", text=closed(units[i - 1].text))
            else:
                keep.remove(i - 1)
    for i in [i for i in keep if units[i].kind == "code"]:
        if _size(units, keep) <= budget:
            break
        lead = i - 1 if i and units[i - 1].kind in ("leadin", "sentence") else None
        if lead is not None and says_to_do(units[lead]):
            continue  # the command of a fix
        keep.remove(i)  # an example ("考虑以下配置："), earliest first, with the lead-in that only introduces it
        if lead is not None and lead in keep and units[lead].kind == "leadin" and i + 1 < len(units) \
                and units[i + 1].kind != "code":
            keep.remove(lead)
    top = max((scores.get(i, 0.0) for i in keep), default=0.0)
    background = [i for i in keep if units[i].kind in ("sentence", "item", "row")
                  and not says_to_do(units[i]) and not (top > 0 and scores.get(i, 0.0) >= top)]
    if _size(units, [i for i in keep if i not in background]) > budget:
        background = []  # the commands left do not fit even alone: they go (fit_whole), the prose stays
    for i in sorted(background, key=lambda i: (scores.get(i, 0.0), -i)):
        if _size(units, keep) <= budget:
            break
        keep.remove(i)
        j = i + 1  # an item's nested command goes with it
        while units[i].kind == "item" and j < len(units) and units[j].kind == "code" and j in keep:
            keep.remove(j)
            j += 1
    best = max(keep, key=lambda i: (scores.get(i, 0.0), -i), default=None)
    shown = _shown(units, keep, budget)
    if best is None or scores.get(best, 0.0) <= 0 or any(u.text == units[best].text for u in shown):
        return shown
    # the best match never gives way to its context: the other lines go, least matching first
    for i in sorted((i for i in keep if i != best and units[i].kind != "code"),
                    key=lambda i: (says_to_do(units[i]), scores.get(i, 0.0), -i)):
        keep.remove(i)
        shown = _shown(units, keep, budget)
        if any(u.text == units[best].text for u in shown):
            break
    return shown


def _shown(units: list[Unit], keep: list[int], budget: int) -> list[Unit]:
    orphans = _orphans(units, keep)
    return fit_whole([units[i] for i in keep if i not in orphans], budget)
