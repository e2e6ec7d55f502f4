"""One fact shown once in a reply of several sections (issue 12).

Two sub-questions of one message are often answered by the same sentences ("eip 带宽最大能调到
多少" and "调的时候会断吗" both cite the EIP bandwidth sentence). After citations are numbered
across sections, a later section's lines that an earlier section already shows are left out:
- all of its lines shown already -> the section is merged into the earlier one (one heading
  naming both questions);
- some -> they are left out; only when nothing else is left does the section say which
  earlier section holds them (a section with its own answer reads as that answer).
Lines inside a code block never count, and a numbered list is kept whole unless all its items
were shown. Tested in tests/graph/test_repeats.py.
"""

from __future__ import annotations

import re
from typing import Sequence

from graph.prompts import replies

_ITEM = re.compile(r"^\s*\d+\.\s")
_LEADS = ("partial_match",)  # the hedge lead-in is said per section, never a fact


def _key(line: str) -> str:
    return " ".join(line.split())


def _droppable(lines: list[str], seen: set[str]) -> list[bool]:
    """Per line: shown already (and safe to leave out)."""
    out, fence = [], False
    for line in lines:
        if line.strip().startswith("```"):
            fence = not fence
            out.append(False)
            continue
        out.append(not fence and bool(line.strip()) and _key(line) in seen)
    # a numbered list stays whole unless every item is a repeat
    i = 0
    while i < len(lines):
        if _ITEM.match(lines[i]):
            j = i
            while j < len(lines) and (_ITEM.match(lines[j]) or lines[j].startswith((" ", "\t"))):
                j += 1
            if not all(out[k] for k in range(i, j) if _ITEM.match(lines[k])):
                out[i:j] = [False] * (j - i)
            i = j
        else:
            i += 1
    return out


def _facts(lines: Sequence[str]) -> list[str]:
    leads = {replies()[k].strip() for k in _LEADS}
    return [line for line in lines if line.strip() and line.strip() not in leads]


def without_repeats(questions: Sequence[str], answers: Sequence[str]) -> list[tuple[list[int], str]]:
    """(indices of the questions a block answers, its text) with repeated lines left out."""
    blocks: list[tuple[list[int], str]] = []
    owner: dict[str, int] = {}  # line key -> index of the block showing it
    for i, answer in enumerate(answers):
        lines = answer.split("\n")
        drop = _droppable(lines, set(owner))
        kept = [line for line, d in zip(lines, drop) if not d]
        earlier = sorted({owner[_key(line)] for line, d in zip(lines, drop) if d})
        if any(drop) and not _facts(kept) and len(earlier) == 1:
            blocks[earlier[0]][0].append(i)  # answered by what an earlier section shows: one heading for both
            continue
        text = "\n".join(kept).strip("\n")
        if earlier and not _facts(kept):
            refs = "、".join(str(e + 1) for e in earlier)
            text = f"{replies()['shown_above'].strip().format(n=refs)}\n{text}".rstrip()
        blocks.append(([i], text))
        for line in kept:
            if line.strip():
                owner.setdefault(_key(line), len(blocks) - 1)
    return blocks
