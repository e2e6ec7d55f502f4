"""A passage's text as answer units: whole sentences, list items (with their nested code),
code blocks, table rows and lead-ins — the pieces an extractive answer is built from.

Never cuts inside a sentence's instruction: prose splits only after 。！？!? (not at ；),
a list item keeps its continuation lines and nested code, a table row stays one row. The
header line the chunker puts on every table chunk ("原因（表头：a | b）") is dropped and
its column names are used to render each row ("a 的值：b 的值"). FAQ chunks lose their
"问：" line. `merge_texts` joins a section's consecutive chunks, dropping the sentences a
chunk repeats from the previous one (chunk overlap). Tested in tests/graph/test_doc_units.py.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import Iterable

FENCE_LINE = re.compile(r"^\s*(```|~~~)")
"""A line opening or closing a fenced code block (group 1: the fence)."""
_ITEM = re.compile(r"^(\s*)(?:([-*•+])|(\d{1,2})[.、)）])\s+(.*)$")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
# keys never run over another header marker: each marker's keys are scanned once
_HEADER_LINE = re.compile(r"^(?P<caption>.*)（表头：(?P<keys>(?:(?!（表头：).)+)）\s*$")
# a bold question ("**Q：…？**") ends after its closing marks, not before them
_SENT_END = re.compile(r"(?<=[。！？!?])(?![」”’\]\)）*])|(?<=[。！？!?]\*\*)\s*|(?<=\.)\s+(?=[A-Z])")
_FAQ_Q = re.compile(r"^(问|Q)\s*[：:]")
_FAQ_A = re.compile(r"^(答|A)\s*[：:]\s*")
# A link or image -> its text; a text may hold one […] pair ("`ADMIN CHECK [TABLE|INDEX]`"), a target
# one (…) pair (wiki URLs) and a "title". No other `[`, `(` or newline inside a run: each scan stops there.
_LINK = re.compile(r"!?\[([^\[\]\n]*(?:\[[^\[\]\n]*\][^\[\]\n]*)?)\]\([^()\n]*(?:\([^()\n]*\)[^()\n]*)?\)")
_TABLE_SEP = re.compile(r"^\|?\s*:?-{3,}")
_LEAD_IN = re.compile(r"[：:]\s*$")


@dataclass
class Unit:
    """One piece of a passage, in document order."""

    kind: str
    """sentence | item | code | row | leadin | heading."""
    text: str
    """As shown (links reduced to their text; an item without its marker)."""
    number: int | None = None
    """An ordered list item's number in the document."""
    depth: int = 0
    """Indentation level of a list item (0: top level)."""
    heading: str = ""
    """The sub-heading it sits under inside a merged section ("" at the section's top)."""
    cells: dict[str, str] = field(default_factory=dict)
    """A table row's cells by column name."""
    pos: int = 0
    """Position in the passage."""
    whole: bool = False
    """Part of a section or entry given whole (verify judges it with that section's heading)."""
    para: int = -1
    """The paragraph a sentence or lead-in was written in (sentences of one paragraph share it; -1: none)."""

    def key(self) -> tuple[str, str]:
        """Its identity as shown (kind and text): one unit found again in another parse of its section."""
        return self.kind, self.text.strip()


UNIT_OVERHEAD = 4
"""Characters a unit costs in the composed answer beyond its text (its marker and line break)."""


def space_taken(units: Iterable[Unit]) -> int:
    """The characters the units take in the composed answer."""
    return sum(len(u.text) + UNIT_OVERHEAD for u in units)


def clean_inline(text: str) -> str:
    """Markdown links and images read as their text ("[Pod 的 DNS](/zh-cn/docs/…)" -> "Pod 的 DNS")."""
    return _LINK.sub(r"\1", text).strip()


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT_END.split(text) if s.strip()]


def _row_cells(line: str, keys: list[str]) -> dict[str, str]:
    """`k1: v1；k2: v2` parsed with the known column names (values may hold ；). An empty cell is
    left out of the row at ingest, so a key may be missing; the others keep their order."""
    cells: dict[str, str] = {}
    rest = line
    for i, key in enumerate(keys):
        prefix = f"{key}: "
        if not rest.startswith(prefix):
            continue
        rest = rest[len(prefix):]
        cuts = [c for c in (rest.find(f"；{k}: ") for k in keys[i + 1:]) if c >= 0]
        cut = min(cuts) if cuts else -1
        cells[key] = (rest[:cut] if cut >= 0 else rest).strip()
        rest = rest[cut + 1:] if cut >= 0 else ""
    return cells if cells and not rest else {}


def render_row(cells: dict[str, str]) -> str:
    """`first value：key value；…` (two columns: `first：second`)."""
    values = [(k, v) for k, v in cells.items() if v]
    if not values:
        return ""
    (_, lead), rest = values[0], values[1:]
    if len(rest) == 1:
        return f"{lead}：{rest[0][1]}"
    return f"{lead}：" + "；".join(f"{k} {v}" for k, v in rest)


def _markdown_row(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def parse_units(text: str, kind: str = "doc") -> list[Unit]:
    """The units of a passage text (see the module docstring); links read as their text."""
    units: list[Unit] = []
    keys: list[str] = []
    md_keys: list[str] = []
    heading = ""
    lines = text.splitlines()
    i = 0
    breaks = 0
    while i < len(lines):
        raw = lines[i]
        line = raw.strip()
        i += 1
        if not line:
            breaks += 1  # a blank line ends a paragraph
            continue
        if FENCE_LINE.match(line):
            inner: list[str] = []
            while i < len(lines) and not FENCE_LINE.match(lines[i]):
                inner.append(lines[i].rstrip())
                i += 1
            i += 1  # the closing fence
            code = "\n".join([line, textwrap.dedent("\n".join(inner)).strip("\n"), line[:3]])
            last = units[-1] if units else None
            if last is not None and last.kind == "item" and (raw[:1].isspace() or _LEAD_IN.search(last.text)
                                                             or last.text.rstrip().endswith("```")):
                # the command a list item introduces belongs to it, and so does a second one right after it
                # (a fence the cleaning left unindented: "3. Nginx 配置：```nginx…``` ```bash nginx -t…```")
                last.text += "\n" + code
            else:
                units.append(Unit("code", code, heading=heading))
            continue
        header = _HEADER_LINE.match(line)
        if header:
            keys = [k.strip() for k in header.group("keys").split(" | ")]
            caption = clean_inline(header.group("caption"))
            # an informative caption ("规格一览（CPU:内存 C5 1:2…）", the paragraph before the
            # table) stays as its own units; a bare title does not
            if len(caption) >= 12 and re.search(r"[\u4e00-\u9fff]", caption) and caption != heading:
                known = {u.text for u in units}
                for unit in parse_units(re.sub(r"\s+(?=(?:\d{1,2}[.、]|[-*])\s)", "\n", caption), "doc"):
                    if unit.text not in known:
                        units.append(Unit(unit.kind, unit.text, number=unit.number, heading=heading))
            continue
        if kind == "faq" and _FAQ_Q.match(line):
            continue
        line = _FAQ_A.sub("", line)
        if keys:
            cells = _row_cells(line, keys)
            if cells:
                units.append(Unit("row", clean_inline(render_row(cells)), heading=heading, cells=cells))
                continue
            keys = []
        if line.startswith("|"):
            if _TABLE_SEP.match(line):
                continue
            cells_list = _markdown_row(line)
            if not md_keys:
                md_keys = cells_list
                continue
            cells = dict(zip(md_keys, cells_list))
            units.append(Unit("row", clean_inline(render_row(cells)), heading=heading, cells=cells))
            continue
        md_keys = []
        head = _HEADING.match(line)
        if head:
            heading = clean_inline(head.group(1))
            units.append(Unit("heading", heading, heading=heading))
            continue
        item = _ITEM.match(raw)
        if item:
            indent, _, number, body = item.groups()
            # continuation lines: indented text that is not a new item or a fence
            while i < len(lines) and lines[i].strip() and lines[i][:1].isspace() and not _ITEM.match(lines[i]) \
                    and not FENCE_LINE.match(lines[i]):
                body += lines[i].strip()
                i += 1
            units.append(Unit("item", clean_inline(body), number=int(number) if number else None,
                              depth=len(indent.replace("\t", "    ")) // 2, heading=heading))
            continue
        prev = _item_before(units) if raw[:1].isspace() and units and units[-1].kind in ("item", "code") else None
        if prev is not None:
            prev.text += "\n" + clean_inline(line)  # an indented line goes on with its item
            continue
        if line.startswith(">"):
            line = line.lstrip("> ").strip()
        # a hard-wrapped paragraph: its following plain lines are the same paragraph
        while i < len(lines) and _continues(lines[i]) and not _SENT_CLOSED.search(line):
            nxt = lines[i].strip().lstrip("> ").strip()
            line += ("" if _CJK_END.search(line) and _CJK_START.match(nxt) else " ") + nxt
            i += 1
        if not (units and units[-1].kind in ("sentence", "leadin") and units[-1].para == breaks):
            breaks += 1  # after a list, a table, a code block or a heading: a new paragraph
        para = breaks
        for sentence in split_sentences(clean_inline(line)):
            if any(u.text == sentence for u in units[-12:]):
                continue  # repeated by a table chunk's caption or the chunker's overlap
            units.append(Unit("leadin" if _LEAD_IN.search(sentence) else "sentence", sentence, heading=heading,
                              para=para))
    _renest_first_items(units)
    for pos, unit in enumerate(units):
        unit.pos = pos
    return units


def _renest_first_items(units: list[Unit]) -> None:
    """A lead-in item's nested list whose first item lost its indentation (the chunker strips a chunk
    paragraph's first line: "请检查下面两项：" / "`pool-size` 是否设得太小" / "    - 节点的 CPU…") is
    nested as the items after it are: an item right after a lead-in item, at its depth, followed by a
    deeper item."""
    for k in range(1, len(units) - 1):
        lead, first, nxt = units[k - 1], units[k], units[k + 1]
        if lead.kind == first.kind == nxt.kind == "item" and _LEAD_IN.search(lead.text) \
                and first.depth == lead.depth < nxt.depth:
            first.depth = nxt.depth


_SENT_CLOSED = re.compile(r"[。！？!?：:]\s*$")
_CJK_END = re.compile(r"[\u4e00-\u9fff，、“”（）]$")
_CJK_START = re.compile(r"^[\u4e00-\u9fff，、“”（）]")


def _continues(raw: str) -> bool:
    """A plain text line (not blank, not a list item, heading, table row, fence or quote start)."""
    text = raw.strip()
    return bool(text) and not (_ITEM.match(raw) or FENCE_LINE.match(raw) or _HEADING.match(text)
                               or text.startswith("|") or _HEADER_LINE.match(text))


def _item_before(units: list[Unit]) -> Unit | None:
    """The list item the last unit belongs to (itself, or the item its code block follows)."""
    if units[-1].kind == "item":
        return units[-1]
    return None


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text)


def merge_texts(texts: list[str]) -> str:
    """Consecutive chunks of one section as one text, without the lines/sentences a chunk
    repeats from the end of the previous one (the chunker's overlap)."""
    merged = ""
    for text in texts:
        if not merged:
            merged = text.strip()
            continue
        tail = _key(merged[-400:])
        body = text.strip()
        # drop leading sentences of this chunk that the previous one already ends with
        pieces = re.split(r"(?<=[。！？!?；\n])", body)
        drop = 0
        for n in range(1, min(len(pieces), 6) + 1):
            head = _key("".join(pieces[:n]))
            if head and tail.endswith(head):
                drop = n
        body = "".join(pieces[drop:]).strip()
        if body:
            merged = f"{merged}\n\n{body}"
    return merged


def display_text(text: str, kind: str = "doc") -> str:
    """A passage as a source card shows it: its units re-rendered (no table-header line, no
    "问：" line, no Markdown heading marks, links as their text: an excerpt is read as plain text in
    the CLI's JSON, the reply's sources list and the UI's escaped source card, where a link's target
    is noise, and a cut at the snippet length must not leave half a link)."""
    lines: list[str] = []
    for unit in parse_units(text, kind):
        if unit.kind == "heading":
            lines.append(f"{unit.text}：")
        elif unit.kind == "item":
            lines.append(f"{unit.number}. {unit.text}" if unit.number is not None else f"- {unit.text}")
        elif unit.kind == "row":
            lines.append(f"- {unit.text}")
        else:
            lines.append(unit.text)
    return "\n".join(lines)


def sections_in_order(doc_chunks: list[dict]) -> list[tuple[list[str], list[dict]]]:
    """(heading path, chunks) in document order: consecutive chunks under one heading path form a section."""
    out: list[tuple[list[str], list[dict]]] = []
    for c in doc_chunks:
        path = list(c.get("heading_path") or [])
        if out and out[-1][0] == path:
            out[-1][1].append(c)
        else:
            out.append((path, [c]))
    return out
