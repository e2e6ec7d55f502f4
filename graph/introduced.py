"""What a quoted line introduces, carried with it: an answer must not stop at its own colon.

A line ending with "：" ("要解决该问题，可以考虑采取以下措施：", "在 ipvs 模式中，执行以下命令：")
says the answer is in what follows it: the list, the table rows or the command block right after
it in the section. The composition (graph/extractive.py) fits each passage's units to the type's
budget, and a value answer's budget (200 characters) often keeps the lead-in and its first item
only, so the parameter or command the question asks about, in the second or third item, is cut.

A list item holds the command nested under it ("1. 使用以下命令下载：" and its block); fitting may
cut the item to its first line, and the command comes back the same way.

`carry_introduced` runs after composition: for each picked lead-in whose list or command was cut,
the rest of it follows in document order, whole units only, within `INTRO_ROOM` characters for
each lead-in and the answer's `ANSWER_CAP` in all (the largest type's budget). What a lead-in
introduces never runs past the next prose line of its section (`introduced`); a sample of what a
command prints (graph/sample_output.py) is not carried. The inserted units
share the lead-in's group: verify judges them with it, as it does a block `blocks` kept whole.
Tested in tests/graph/test_introduced.py.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Mapping, Sequence

from graph.doc_units import Unit, space_taken
from graph.sample_output import samples
from graph.section_answer import section_units
from graph.unit_fit import usable

INTRO_ROOM = 360
"""Characters beyond the type's budget the rest of one lead-in's list or command may take."""
ANSWER_CAP = 760
"""Characters the whole answer may reach with what lead-ins carry (the largest type budget)."""
INTRO_ITEMS = 8
"""Units of a list a lead-in carries at most: a longer list is a reference table, not the answer."""


_BOLD_TITLE = re.compile(r"\*\*[^*\n]+\*\*[：:]?")
_MARKER = re.compile(r"^(?:[-*]\s+|\d{1,2}[.、]\s*)")
"""A line that is only a bold title ("**4.1 连接数打满**："): a heading in disguise, whose "list" is its
whole section (graph/short_fill.py completes sections on its own bars), not a list it introduces."""


def introduces(unit: Unit) -> bool:
    """The line points at what follows it: a lead-in (a prose line ending with a colon), not a bold title."""
    if _BOLD_TITLE.fullmatch(_MARKER.sub("", unit.text.strip())):
        return False
    return unit.kind == "leadin" or (unit.kind in ("sentence", "item") and unit.text.rstrip().endswith(("：", ":"))
                                     and "\n" not in unit.text)


def introduced(units: list[Unit], i: int) -> list[int]:
    """The units `units[i]` leads into: the one list (its items with their nested items and commands),
    table or run of code blocks right after it; empty when prose follows at once. A table after the
    command a lead-in introduces is another thing, introduced by nothing."""
    out: list[int] = []
    first = units[i + 1] if i + 1 < len(units) else None
    if first is None or first.kind not in ("item", "row", "code") or first.depth < units[i].depth:
        return out
    for j in range(i + 1, len(units)):
        u = units[j]
        nested = u.depth > first.depth and u.kind in ("item", "code")
        if not (u.kind == first.kind and u.depth == first.depth) and not (first.kind == "item" and nested):
            break
        out.append(j)
    return out


def _bare(text: str) -> str:
    return text.split("\n", 1)[0].rstrip().rstrip("。：:").rstrip()


def _with_command(unit: Unit, section: list[Unit]) -> Unit | None:
    """A list item shown without the command nested in it (cut to fit: "…添加到 PATH 中：" or closed
    "…添加到 PATH 中。"), whole as its `section` has it; None for any other unit."""
    if unit.kind != "item" or "\n" in unit.text:
        return None
    for u in section:
        if u.kind == "item" and "\n```" in u.text and _bare(u.text) == _bare(unit.text):
            return replace(unit, text=u.text)
    return None


def carry_introduced(picked: list[tuple[int, Unit]], groups: list[int],
                     passages: Sequence[Mapping[str, Any]], budget: int) -> tuple[list[tuple[int, Unit]], list[int]]:
    """`picked` (and its `groups`) with the cut rest of each picked lead-in's list or command
    inserted after the last of it shown (module docstring); unchanged when nothing was cut."""
    used = space_taken(u for _, u in picked)
    cap = max(ANSWER_CAP, budget)
    out, out_groups = list(picked), list(groups)
    parsed: dict[int, list[Unit]] = {}  # each passage's section units, parsed once

    def section_of(n: int) -> list[Unit]:
        if n not in parsed:
            parsed[n] = section_units(passages[n - 1])
        return parsed[n]

    k = 0
    while k < len(out):
        n, lead = out[k]
        full = _with_command(lead, section_of(n))
        if full is not None and len(full.text) - len(lead.text) <= min(INTRO_ROOM, cap - used):
            used += len(full.text) - len(lead.text)
            out[k] = (n, full)  # the step's command, cut to fit the type's budget, comes back
            k += 1
            continue
        if not introduces(lead):
            k += 1
            continue
        units = section_of(n)
        at = next((j for j, u in enumerate(units) if u.key() == lead.key()), None)
        shown_samples = samples(units)  # what a command prints is not what the line introduces to do
        run = [j for j in introduced(units, at) if j not in shown_samples] if at is not None else []
        if not run or len(run) > INTRO_ITEMS:
            k += 1
            continue
        shown = [units[j].key() in {u.key() for m, u in out if m == n} for j in run]
        p = shown.index(False) if False in shown else len(run)
        if p == len(run) or any(shown[p:]):
            k += 1  # nothing cut, or the run is shown out of its order: leave it
            continue
        last = k + p  # the shown part of the run follows the lead-in in the answer
        if any(out[k + q][0] != n or out[k + q][1].key() != units[run[q - 1]].key() for q in range(1, p + 1)
               if k + q < len(out)) or last >= len(out):
            k += 1
            continue
        rest = [units[j] for j in run[p:]]
        room = min(INTRO_ROOM, cap - used)
        add: list[Unit] = []
        for u in rest:
            if not usable(u) and u.kind != "code":
                break
            size = space_taken([u])
            if size > room:
                break
            add.append(u)
            room -= size
        while add and add[-1].kind in ("leadin",):
            add.pop()
        if add and add[0].kind == "code" and add[0].depth == 0 and lead.kind == "item":
            add = []  # an item's command lives in its own text
        group = out_groups[last]
        # an item's own sub-list is judged with the item (verify), as a lead-in's list is judged as its lead-in is
        own = units[at].depth if lead.kind == "item" and at is not None else None
        add = [replace(u, whole=True) if (lead.whole or (own is not None and u.depth > own)) and not u.whole else u
               for u in add]
        shift = lead.depth - units[at].depth if at is not None else 0  # shown nested under a step: its list nests too
        add = [replace(u, depth=u.depth + shift) if shift else u for u in add]
        out[last + 1:last + 1] = [(n, u) for u in add]
        out_groups[last + 1:last + 1] = [group] * len(add)
        used += space_taken(add)
        k = last + 1 + len(add)
    return out, out_groups
