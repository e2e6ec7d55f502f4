"""Extractive answer units as the text the agent reads: list numbering and citation marks.

- `renumber`: draft units from (passage number, Unit) pairs; a run of ordered items of one
  passage is numbered from 1 (document numbers may start anywhere), a lone item is a bullet,
  procedure steps keep their number;
- `renumber_items`: the same again after verify dropped units (no "2. …" left alone);
- `without_emptied_steps`: after verify dropped units, a step heading whose lines all went goes too
  (never "2. **检查安全组**" with nothing under it), the steps left counted from 1 again;
- `units_text`: a citation mark after each sentence, once per run of list lines from one source;
  a blank line between a list and the sentence after it (else Markdown reads it as the last item's).
Used by graph/extractive.py, graph/nodes/answer.py and graph/nodes/verify.py; tested through
tests/graph/test_extractive.py and tests/graph/test_answer_composition.py.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from graph.doc_units import Unit
from graph.unit_fit import ABOUT_DOCUMENT

_LISTY = ("item", "code", "row", "step")
_POINTER = re.compile(r"^(?:请)?(?:详见|参见|参阅)[^，,。.；;：:\[]{1,40}[。.]?$")
"""A sentence that only names another page ("参见 NAT 网关：无公网 IP 的实例访问外网。"): the title of a
link the answer cannot follow, nothing the reader can act on."""


def without_pointers(units: list[dict]) -> list[dict]:
    """Without the sentences that only point to another page (`_POINTER`) or speak of the document itself
    (unit_fit.ABOUT_DOCUMENT: a page's preamble reached as a whole passage, "本页面向 SRE 值班同学…"), when
    something else is left."""
    kept = [u for u in units if not (u.get("block") in (None, "sentence") and (
        _POINTER.match(_title_free(u.get("text") or "")) or ABOUT_DOCUMENT.search((u.get("text") or "").strip())))]
    return kept if kept else units


def _title_free(text: str) -> str:
    """The sentence without spaces and with a page title's own colon taken out ("NAT 网关：无公网 IP 的…"
    is one title)."""
    return "".join(re.sub(r"(?<=[\u4e00-\u9fffA-Za-z])[：:](?=[\u4e00-\u9fffA-Za-z])", " ", text).split())


def _outer_neighbour(units: list[tuple[int, Unit]], k: int) -> int | None:
    """The unit before `k`, passing over the deeper items and commands of the same passage that
    sit under the previous item of `k`'s depth: item 3 after item 2's sub-bullets goes on with the
    list (it is "3.", not a new "1.")."""
    n, u = units[k]
    j = k - 1
    while j >= 0 and units[j][0] == n and units[j][1].kind in ("item", "code") and units[j][1].depth > u.depth:
        j -= 1
    return j if j >= 0 else None


def _orphaned(units: list[tuple[int, Unit]], k: int) -> bool:
    """A nested unit shown without what it is nested under (no unit of its passage at the top level before its
    run): it is not indented ("   - 在控制台为节点池增加节点" alone reads as a stray fragment)."""
    n = units[k][0]
    j = k - 1
    while j >= 0 and units[j][0] == n and units[j][1].depth > 0:
        j -= 1
    return j < 0 or units[j][0] != n


def renumber(units: list[tuple[int, Unit]]) -> list[dict]:
    """Draft units; a run of two or more ordered items is numbered from 1 (document numbers may
    start anywhere), a lone item is a bullet, procedure steps keep their number."""
    runs: list[int] = []
    run = 0
    for k, (n, u) in enumerate(units):
        before = _outer_neighbour(units, k)
        if (u.kind == "item" and before is not None and units[before][1].kind in ("item", "code")
                and units[before][1].depth == u.depth
                and units[before][0] == n):  # another passage's list is another list
            runs.append(runs[before])
        else:
            run += 1
            runs.append(run)
    sizes = {r: sum(1 for k, (_, u) in enumerate(units) if runs[k] == r and u.kind == "item") for r in set(runs)}
    counters: dict[int, int] = {}
    out: list[dict] = []
    for k, (n, u) in enumerate(units):
        pad = "   " if u.depth and not _orphaned(units, k) else ""
        text = u.text
        if u.kind == "item" and u.number is not None and sizes[runs[k]] >= 2:
            counters[runs[k]] = counters.get(runs[k], 0) + 1
            text = f"{pad}{counters[runs[k]]}. {text}"
        elif u.kind in ("item", "row"):
            text = f"{pad}- {text}"
        elif u.kind == "step":
            text = f"{u.number}. **{text}**"
        elif u.kind == "code" and u.depth:
            text = "\n".join(pad + line for line in text.splitlines())
        elif u.depth:
            text = f"{pad}{text}"
        if u.kind == "item" and "\n" in text:
            head, _, rest = text.partition("\n")
            text = head + "\n" + "\n".join(pad + "   " + line for line in rest.splitlines())
        out.append({"text": text, "cites": [n], "block": u.kind})
    return out


_NUMBERED = re.compile(r"^(\s*)\d+\. ")


def renumber_items(units: list[dict]) -> list[dict]:
    """After units were dropped: each run of numbered list items of one depth (their commands
    and nested items in between) counts from 1 again, and a run left with one item becomes a
    bullet ("2. …" alone reads as a list started in the middle)."""
    out = [dict(u) for u in units]

    def numbered(i: int) -> str | None:
        m = _NUMBERED.match(out[i]["text"]) if out[i].get("block") == "item" else None
        return m.group(1) if m else None

    def inside(i: int, pad: str) -> bool:  # a command or a deeper item of the current item
        if out[i].get("block") == "code":
            return True
        if out[i].get("block") != "item":
            return False
        indent = out[i]["text"][:len(out[i]["text"]) - len(out[i]["text"].lstrip())]
        return len(indent) > len(pad)

    k = 0
    while k < len(out):
        pad = numbered(k)
        if pad is None:
            k += 1
            continue
        run, j = [k], k + 1
        while j < len(out):
            if inside(j, pad):
                j += 1
            elif numbered(j) == pad and out[j].get("cites") == out[run[-1]].get("cites"):
                run.append(j)
                j += 1
            else:
                break
        for count, i in enumerate(run, 1):
            mark = f"{count}. " if len(run) > 1 else "- "
            out[i]["text"] = _NUMBERED.sub(rf"\g<1>{mark}", out[i]["text"], count=1)
        k = j
    return out


_STEP_NUMBER = re.compile(r"^\d+\. (?=\*\*)")


def without_emptied_steps(kept: list[dict], drafted: Sequence[Mapping[str, Any]]) -> list[dict]:
    """`kept` (a subset of the `drafted` unit objects, in order) without a step heading that had lines
    under it in the draft and has none left: a heading alone reads as a broken answer. A step drafted
    bare (an outline naming the steps around the one asked) stays. The steps left are numbered from 1
    again, per source, when one went."""
    alive = {id(u) for u in kept}
    emptied: set[int] = set()
    for i, unit in enumerate(drafted):
        if unit.get("block") != "step":
            continue
        body = []
        for later in drafted[i + 1:]:
            if later.get("block") == "step":
                break
            body.append(later)
        if body and not any(id(u) in alive for u in body):
            emptied.add(id(unit))
    if not emptied & alive:
        return kept
    out: list[dict] = []
    counts: dict[tuple, int] = {}
    for unit in kept:
        if id(unit) in emptied:
            continue
        if unit.get("block") == "step" and _STEP_NUMBER.match(unit["text"]):
            key = tuple(unit.get("cites") or ())
            counts[key] = counts.get(key, 0) + 1
            unit = {**unit, "text": _STEP_NUMBER.sub(f"{counts[key]}. ", unit["text"], count=1)}
        out.append(unit)
    return out


def units_text(units: Sequence[Mapping[str, Any]]) -> str:
    """Units as answer text: a citation mark after each sentence, once per run of list lines
    from one source (before a trailing colon), never inside a code block."""
    lines: list[str] = []
    prev: list[int] | None = None
    in_list = False
    for unit in units:
        marks = "".join(f"[{n}]" for n in unit.get("cites") or [])
        block = unit.get("block") or "sentence"
        text = unit["text"]
        flush = not text[:1].isspace()
        if in_list and flush and block in ("sentence", "leadin"):
            lines.append("")  # Markdown would read a line right after a list item as more of that item
        in_list = block in ("item", "row", "step") or (in_list and not flush)
        if block == "code" or (block in _LISTY and prev == unit.get("cites")):
            lines.append(text)
        else:
            head, sep, rest = text.partition("\n")
            colon = re.search(r"[：:]\s*$", head)
            head = f"{head[:colon.start()]}{marks}{head[colon.start():]}" if colon else f"{head}{marks}"
            lines.append(f"{head}{sep}{rest}")
        prev = unit.get("cites")
    return "\n".join(lines)
