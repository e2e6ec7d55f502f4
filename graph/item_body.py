"""A picked list item brings the paragraphs written under it, when its list is one of entries.

Troubleshooting pages list their cases as items, each followed by its own paragraphs (described, not quoted:
an item naming a symptom such as "a pod cannot ping outside", then a paragraph saying which protocol its
outbound rules leave out and what to test with instead; an item asking whether a process was started in the
foreground, then why that fails and where the start command belongs; an item "find which proxy handles the
traffic", then the commands that tell). The chunker writes those paragraphs at
the list's own level, so they are sentences of the section, not of the item: the item shares the
question's words (it names the symptom) and is picked, and what it says — why, what to do — is left.

A list is one of entries when at least ENTRY_LISTS of its items (same heading, same depth) are each
followed by units that are not items (sentences, lead-ins, code) before the next item: a plain list
followed by one paragraph has one such item, its last. `carry_bodies` (how-to, cause and symptom
answers) puts the body of each picked entry right after it, in document order, whole units only, the
units already shown moved into place, at most BODY_UNITS units, within BODY_ROOM characters an entry and
the answer's cap (graph/introduced.ANSWER_CAP); a sample of what a command prints (graph/sample_output.py)
is not carried, and a block of prompted commands with what they print that does not fit is carried as its
commands alone (`command_only`). The body shares the item's group and is marked given whole: verify judges it with the item.
In a list whose items mostly only name their cases (no sentence, no lead-in: symptom titles, not a
procedure's steps), the lines of the entries whose items the answer does not show go: they answer other symptoms.
Hooked after graph/introduced.carry_introduced in graph/extractive.py; tested in
tests/graph/test_item_body.py.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Mapping, Sequence

from graph.doc_units import Unit, space_taken
from graph.introduced import ANSWER_CAP
from graph.sample_output import samples
from graph.step_outline import SUB_HEADING
from graph.section_answer import section_units
from graph.unit_fit import usable

ENTRY_LISTS = 2
"""Items of one list that must each have paragraphs of their own for the list to be one of entries."""
BODY_ROOM = 420
"""Characters beyond what the answer shows of an entry's body that the rest of it may take."""
BODY_UNITS = 8
"""Units of an entry's body carried at most: a longer run goes on past what the entry says first."""
_BODY_KINDS = ("sentence", "leadin", "code")
_OTHER_CASE = re.compile(r"^(?:如果|若|假如|否则|if\b|otherwise\b)", re.I)
"""A later paragraph opening with a condition: another case of the entry ("如果你仍然遇到问题，…", "如果源地址是
Pod IP，…"), not what the entry says first."""
_TITLE = re.compile(r"[^。！!；;：:\n]+[？?]?")
"""An item that only names its case ("我的组件不能 ping 通外部地址", "进程是否在前台启动"): no sentence
of its own, no lead-in — what the list's entries are told apart by."""


def entry_lists(units: Sequence[Unit]) -> list[dict[int, list[int]]]:
    """The lists of entries (module docstring): each maps its items' indices to the indices of the units
    written under them (up to another case, `_first_case`). A list runs on while the next item, at the same
    depth, comes right after the previous one's body (a lead-in like "**解决方案**：" starts another)."""
    lists: list[dict[int, list[int]]] = []
    run: dict[int, list[int]] = {}
    after = -1  # the index right after the last item's body in the current run
    for i, u in enumerate(units):
        if u.kind != "item":
            continue
        body: list[int] = []
        for j in range(i + 1, len(units)):
            v = units[j]
            if v.kind not in _BODY_KINDS or v.heading != u.heading or SUB_HEADING.match(v.text):
                break  # another item, a heading, a table, a bold sub-heading ("**解决方案**：") ends it
            body.append(j)
        if run and not (i == after and units[min(run)].depth == u.depth):
            lists.append(run)
            run = {}
        run[i] = body
        after = (body[-1] if body else i) + 1
    if run:
        lists.append(run)
    return [{i: _first_case(units, b)[:BODY_UNITS] for i, b in one.items() if b}
            for one in lists if sum(1 for b in one.values() if b) >= ENTRY_LISTS]


def item_bodies(units: Sequence[Unit]) -> dict[int, list[int]]:
    """Index of each entry item (module docstring) -> the indices of the units written under it."""
    return _bodies(entry_lists(units))


def _bodies(lists: Sequence[dict[int, list[int]]]) -> dict[int, list[int]]:
    """The lists of entries as one map: entry item index -> its body's indices."""
    return {i: body for one in lists for i, body in one.items()}


def _first_case(units: Sequence[Unit], body: list[int]) -> list[int]:
    """The body up to its first later paragraph opening with a condition (`_OTHER_CASE`)."""
    for at, j in enumerate(body):
        u = units[j]
        starts = u.kind in ("sentence", "leadin") and u.para != units[body[at - 1]].para if at else False
        if starts and _OTHER_CASE.match(u.text):
            return body[:at]
    return body


_PROMPT = re.compile(r"^\s*\$\s+\S")
"""A command line written after a shell prompt ("$ istioctl ztunnel-config service")."""


def command_only(unit: Unit) -> Unit:
    """A code block opening with prompted command lines and then what they print, as its commands alone
    (a line ending with a backslash goes on with the next); the block itself when it is not one."""
    lines = unit.text.split("\n")
    if len(lines) < 4 or not _PROMPT.match(lines[1]):
        return unit
    end = 1
    while end < len(lines) - 1 and (_PROMPT.match(lines[end]) or lines[end - 1].rstrip().endswith("\\")):
        end += 1
    if end >= len(lines) - 1:
        return unit  # only commands: nothing printed to leave out
    return replace(unit, text="\n".join([lines[0], *lines[1:end], lines[-1]]))


def _fitted_body(body: list[tuple[int, Unit]], shown: set[tuple[str, str]], room: int) -> list[Unit]:
    """The body's units in order: those `shown` already, and the others while they fit `room` (whole units,
    code kept; a lead-in never ends what is carried)."""
    out: list[Unit] = []
    for _, u in body:
        if u.key() in shown:
            out.append(u)
            continue
        if not (usable(u) or u.kind == "code"):
            continue
        if space_taken([u]) > room and u.kind == "code":
            u = command_only(u)  # a command shown with what it prints: the command is what to run
        if space_taken([u]) > room:
            break
        out.append(u)
        room -= space_taken([u])
    while out and out[-1].kind == "leadin" and out[-1].key() not in shown:
        out.pop()
    return out


def carry_bodies(picked: list[tuple[int, Unit]], groups: list[int], passages: Sequence[Mapping[str, Any]],
                 budget: int) -> tuple[list[tuple[int, Unit]], list[int]]:
    """`picked` (and its `groups`) with each picked entry's body right after it (module docstring)."""
    cap = max(ANSWER_CAP, budget)
    used = space_taken(u for _, u in picked)
    out, out_groups = list(picked), list(groups)
    parsed: dict[int, tuple[list[Unit], list[dict[int, list[int]]], set[int]]] = {}
    k = 0
    while k < len(out):
        n, item = out[k]
        if item.kind != "item":
            k += 1
            continue
        if n not in parsed:
            units = section_units(passages[n - 1])
            parsed[n] = (units, entry_lists(units), samples(units))
        units, lists, shown_samples = parsed[n]
        bodies = _bodies(lists)
        at = next((i for i in bodies if units[i].key() == item.key()), None)
        if at is None:
            k += 1
            continue
        body_keys = {units[j].key() for j in bodies[at]}
        shown = {u.key() for m, u in out if m == n and u.key() in body_keys}
        body = _fitted_body([(j, units[j]) for j in bodies[at] if j not in shown_samples], shown,
                            min(BODY_ROOM, cap - used))
        added = [u for u in body if u.key() not in shown]
        if not added:
            k += 1
            continue
        keep = [q for q in range(len(out)) if not (out[q][0] == n and out[q][1].key() in shown)]
        out = [out[q] for q in keep]
        out_groups = [out_groups[q] for q in keep]
        k = next(q for q, (m, u) in enumerate(out) if m == n and u is item)
        body = [replace(u, whole=True) for u in body]  # judged with the item it is written under (verify)
        out[k + 1:k + 1] = [(n, u) for u in body]
        out_groups[k + 1:k + 1] = [out_groups[k]] * len(body)
        used += space_taken(added)
        k += 1 + len(body)
    return _without_other_entries(out, out_groups, {n: (units, lists) for n, (units, lists, _) in parsed.items()})


def _without_other_entries(out: list[tuple[int, Unit]], groups: list[int],
                           parsed: Mapping[int, tuple[list[Unit], list[dict[int, list[int]]]]]
                           ) -> tuple[list[tuple[int, Unit]], list[int]]:
    """Without the lines of entries whose item the answer does not show, from a list one of whose entries
    it shows: another case's fix ("解决办法是把主机名传给代理进程") answers another symptom."""
    drop: set[tuple[int, tuple[str, str]]] = set()
    for n, (units, lists) in parsed.items():  # each page's lists of entries, as carry_bodies found them
        shown = {u.key() for m, u in out if m == n}
        for one in lists:
            entries = [i for i in one if units[i].key() in shown]
            if not entries or sum(bool(_TITLE.fullmatch(units[i].text.strip())) for i in one) * 2 <= len(one):
                continue  # the steps of a procedure are parts of one way, not other cases
            kept = {units[j].key() for i in entries for j in one[i]}
            drop |= {(n, units[j].key()) for i in one if i not in entries for j in one[i]
                     if units[j].key() not in kept}
    keep = [q for q, (m, u) in enumerate(out) if (m, u.key()) not in drop]
    return [out[q] for q in keep], [groups[q] for q in keep]
