"""A page chunk cut into the units a follow-up can point at: what says one thing, with what it introduces.

    units = page_units("docs/disk/expand-disk.md", chunks)
    # [PageUnit(text="使用 growpart 扩展分区…：\\n```bash…```"), …]

A unit is a list item with its indented lines and code, a paragraph with the code block it introduces
(a line ending in a colon), a table row (the index writes each row on a line of its own), or a code block
standing alone (its heading says what it is for). Each unit keeps its chunk (for the citation) and is
scored with its headings. Used by graph/pointed_unit.py, detail_unit.py, variant_unit.py and asked_action.py (`is_question` /
`with_answer`: a FAQ question line read with its answer, also by graph/prior_scan.py; `as_read`: a table row under
its header line, as the answer renders it); tested in tests/graph/test_pointed_unit.py.

Not graph/doc_units.parse_units: that cuts one passage into the pieces an answer is composed of (each
sentence alone, a code block after a paragraph a unit of its own), to fit an answer's length; a part a follow-up
points at is coarser (a paragraph with the command block it introduces is one part), and keeps its chunk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from graph.doc_units import FENCE_LINE
from graph.unit_kind import table_header

ITEM = re.compile(r"^\s*(?:[-*]|\d{1,2}[.、])\s+")


def _introduces(text: str) -> bool:
    """Does the text end in a colon (bold marks and spaces after it aside): it introduces what follows."""
    return text.rstrip().removesuffix("**").rstrip().endswith(("：", ":"))


@dataclass
class PageUnit:
    """One unit of a page: its text as shown, the text it is scored by, and where it comes from."""

    source: str
    chunk: dict[str, Any] = field(repr=False)
    text: str
    scored: str


def _blocks(text: str) -> list[tuple[str, str]]:
    """The chunk's lines as (kind, text): "code" for a whole fenced block, "item", "line", "blank"."""
    out: list[tuple[str, str]] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if FENCE_LINE.match(line):
            fence = FENCE_LINE.match(line).group(1)  # type: ignore[union-attr]
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(fence):
                j += 1
            out.append(("code", "\n".join(lines[i:j + 1])))
            i = j + 1
            continue
        kind = "blank" if not line.strip() else "item" if ITEM.match(line) else "line"
        out.append((kind, line))
        i += 1
    return out


def _units_of(text: str) -> list[str]:
    """The chunk's text cut into units (see the module docstring)."""
    units: list[list[str]] = []
    open_item = False  # the last unit is a list item (or a paragraph inside one): indented lines join it
    for kind, part in _blocks(text):
        if kind == "blank":
            continue
        indented = part[:1] in (" ", "\t")
        last = units[-1][-1] if units else ""
        if kind == "code":
            if units and ((open_item and indented) or _introduces(last)):
                units[-1].append(part)
            else:
                units.append([part])
                open_item = False
            continue
        if kind == "line" and open_item and indented:
            if FENCE_LINE.match(units[-1][-1]):
                units.append([part])  # a paragraph of the item after its code: a unit of its own
            else:
                units[-1].append(part)
            continue
        units.append([part])
        open_item = kind == "item"
    return ["\n".join(u) for u in units]


def is_question(text: str) -> bool:
    """A line that is a question of the page ("**Q：扩容后可以再改小吗？**"): its answer follows it."""
    return text.strip().strip("*").rstrip().endswith(("？", "?"))


def with_answer(units: Sequence[PageUnit], at: int) -> PageUnit:
    """The unit at `at`, and when it is a question, with the answer after it in the same chunk (not another
    question)."""
    unit = units[at]
    nxt = units[at + 1] if at + 1 < len(units) else None
    if not is_question(unit.text) or nxt is None or nxt.chunk.get("chunk_id") != unit.chunk.get("chunk_id") \
            or is_question(nxt.text):
        return unit
    return PageUnit(unit.source, unit.chunk, f"{unit.text}\n{nxt.text}", f"{unit.scored}\n{nxt.text}")


def page_units(source: str, chunks: Sequence[dict[str, Any]]) -> list[PageUnit]:
    """A page's units in order, each scored with its chunk's headings; a unit introducing what follows
    (ending in a colon) takes the code block that opens the next chunk of its section."""
    out: list[PageUnit] = []
    for chunk in chunks:
        path = list(chunk.get("heading_path") or [])
        heading = " ".join(path)
        texts = _units_of(chunk.get("text") or "")
        if out and texts and FENCE_LINE.match(texts[0]) and _introduces(out[-1].text) \
                and list(out[-1].chunk.get("heading_path") or []) == path:
            prev = out[-1]
            out[-1] = PageUnit(prev.source, prev.chunk, f"{prev.text}\n{texts[0]}", f"{prev.scored}\n{texts[0]}")
            texts = texts[1:]
        out.extend(PageUnit(source, chunk, text, f"{heading} {text}") for text in texts)
    return out


def as_read(unit: PageUnit) -> str:
    """The unit's text, a table row under its columns' header line (without the caption): the answer renders
    it by its column names ("xfs：命令 `xfs_growfs /data`"), not as the index wrote it ("文件系统: xfs；…")."""
    header = table_header(unit.chunk)
    columns = [c.strip() for c in header.split("|")]
    if not header or not unit.text.startswith(f"{columns[0]}: "):
        return unit.text
    return f"（表头：{header}）\n{unit.text}"
