"""One fact shown once in a reply of several sections (issue 12).

Two sub-questions of one message are often answered by the same sentences ("eip 带宽最大能调到
多少" and "调的时候会断吗" both cite the EIP bandwidth sentence). After citations are numbered
across sections, a later section's lines that an earlier section already shows are left out:
- all of its lines shown already -> the section is merged into the earlier one (one heading
  naming both questions);
- some -> they are left out; only when nothing else is left does the section say which
  earlier section holds them (a section with its own answer reads as that answer).
Lines inside a code block never count, and a numbered list is kept whole unless all its items
were shown. A line counts as shown when its words are (citation marks, list marks, emphasis and
punctuation aside: `said`), or when an earlier line already says all of it ("SSD 云盘 IOPS =
min(…)。" after "SSD 云盘 IOPS = min(…)；300 GiB 时：…"); `once` does the same inside one answer.
Two short answers about one subject from one page ("实例关机了还扣钱吗 内网ip会变不", both
from the lifecycle page) are one block under one heading (`one_subject`): separate headings are for
asks about different things. Tested in tests/graph/test_repeats.py.
"""

from __future__ import annotations

import os
import re
from typing import Callable, Mapping, Sequence

from graph.prompts import replies

_ITEM = re.compile(r"^\s*\d+\.\s")
_LEADS = ("partial_match",)  # the hedge lead-in is said per section, never a fact


def _key(line: str) -> str:
    return " ".join(line.split())


_MARKS = re.compile(r"\[\d+\]|^\s*(?:\d{1,2}\.|[-*•])\s+|\*\*|`|[\s，,。.；;：:、！!？?（）()\"“”'‘’]")
LEAST_SAID = 8
"""Characters a line's words must run to before another line holding them counts as saying it (not "不能。")."""


def said(line: str) -> str:
    """What a line says, for comparing two lines: without citation and list marks, emphasis, spaces
    and punctuation ("" for a line too short to compare)."""
    words = _MARKS.sub("", line.lower())
    return words if len(words) >= LEAST_SAID else ""


def _said_in(words: str, shown: dict[str, int]) -> int | None:
    """The owner of the shown line that says all of `words` (a line's `said`; None: none does)."""
    if not words:
        return None
    if words in shown:
        return shown[words]
    return next((owner for text, owner in shown.items() if words in text or reworded(words, text)), None)


_NUMBERS = re.compile(r"\d+")
REWORDED = 0.75
"""Share of the shorter line's character pairs the other line must hold, with the same numbers, to say the same."""


def reworded(words: str, other: str) -> bool:
    """Do two lines (`said` forms) state the same numbers in nearly the same characters? A FAQ entry and its page
    word one quota apart ("每个地域每个账号默认可创建 10 个 VPC" / "每个账号在每个地域默认最多创建 10 个 VPC")."""
    numbers = _NUMBERS.findall(words)
    if not numbers or sorted(numbers) != sorted(_NUMBERS.findall(other)):
        return False
    pairs = [{a + b for a, b in zip(x, x[1:])} for x in (words, other)]
    return len(pairs[0] & pairs[1]) >= REWORDED * min(len(pairs[0]), len(pairs[1]))


def once(units: list[dict]) -> list[dict]:
    """The units of one answer without a line an earlier one already says (`said`): the same sentence
    from a FAQ entry and its page, a list item the value answer quoted first. Code and step headings
    are never compared away."""
    shown: dict[str, int] = {}
    out: list[dict] = []
    for unit in units:
        text = unit.get("text") or ""
        if unit.get("block") not in ("code", "step"):
            words = said(text)
            if _said_in(words, shown) is not None:
                continue
            if words:
                shown.setdefault(words, 0)
        out.append(unit)
    return out


def _droppable(lines: list[str], seen: set[str]) -> list[bool]:
    """Per line: shown already (and safe to leave out)."""
    out, fence = [], False
    shown = {words: 0 for words in map(said, seen) if words}
    for line in lines:
        if line.strip().startswith("```"):
            fence = not fence
            out.append(False)
            continue
        out.append(not fence and bool(line.strip()) and (_key(line) in seen or _said_in(said(line), shown) is not None))
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


_CITES = re.compile(r"\[\d+\]")
SHORT_LINES = 4
"""An answer of at most this many lines, with no numbered list, is a short one (a value, a yes or no)."""


def _short(answer: str) -> bool:
    """A short, plain answer: not a list, not hedged (a hedge speaks for its own ask only)."""
    lines = [line for line in answer.split("\n") if line.strip()]
    texts = replies()
    hedge = os.path.commonprefix([texts["not_covered"], texts["partial_match"], texts["partial_match_terms"]]).strip()
    return (0 < len(lines) <= SHORT_LINES and not any(_ITEM.match(line) or line.startswith("```") for line in lines)
            and not (hedge and lines[0].startswith(hedge)))


def _pages(citations: Sequence[Mapping]) -> set[str]:
    return {str(c.get("source") or "") for c in citations if c.get("kind") != "faq"}


def one_subject(sections: Sequence[Mapping], same_subject: Callable[[str, str], bool]) -> list[bool]:
    """Per section: it joins the block before it — both short knowledge answers, the same subject
    (`same_subject(later, first)` on the standalone questions), its pages all cited there already."""
    out = [False] * len(sections)
    for i in range(1, len(sections)):
        first, later = sections[i - 1], sections[i]
        pages = _pages(later.get("citations") or [])
        out[i] = (first.get("route") == later.get("route") == "knowledge" and _short(str(first.get("answer") or ""))
                  and _short(str(later.get("answer") or "")) and bool(pages)
                  and pages <= _pages(first.get("citations") or [])
                  and same_subject(str(later.get("standalone") or ""), str(first.get("standalone") or "")))
    return out


def without_repeats(questions: Sequence[str], answers: Sequence[str],
                    together: Sequence[bool] = ()) -> list[tuple[list[int], str]]:
    """(indices of the questions a block answers, its text) with repeated lines left out; a section
    `together` marks joins the block before it (its lines not shown there yet, citations aside)."""
    blocks: list[tuple[list[int], str]] = []
    owner: dict[str, int] = {}  # line key -> index of the block showing it
    for i, answer in enumerate(answers):
        lines = answer.split("\n")
        if i < len(together) and together[i] and blocks:
            shown = {_CITES.sub("", _key(line)) for line in blocks[-1][1].split("\n")}
            new = [line for line in lines if line.strip() and _CITES.sub("", _key(line)) not in shown]
            blocks[-1][0].append(i)
            blocks[-1] = (blocks[-1][0], "\n".join([blocks[-1][1], *new]))
            for line in new:
                owner.setdefault(_key(line), len(blocks) - 1)
            continue
        drop = _droppable(lines, set(owner))
        kept = [line for line, d in zip(lines, drop) if not d]
        by_said = {words: o for words, o in ((said(k), o) for k, o in owner.items()) if words}
        earlier = sorted({owner[_key(line)] if _key(line) in owner else int(_said_in(said(line), by_said) or 0)
                          for line, d in zip(lines, drop) if d})
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
