"""Answer text in units: sentences, list items and code blocks, with their `[n]` citations.

Used by answer (extractive sentence picking), verify (per-unit support) and compose
(renumbering). A code block or a numbered list item is one unit; prose is split after
。！？；!? and at line ends.
"""

from __future__ import annotations

import re
from typing import Callable

_FENCE = re.compile(r"```.*?```", re.DOTALL)
_CODE = re.compile(r"```.*?(?:```|$)|`[^`\n]*`", re.DOTALL)  # a shell glob like nvme[01]* is no citation
_SENT_END = re.compile(r"(?<=[。！？；!?])(?![」”’\]\)）])|(?<=\.)\s+(?=[A-Z])")
_CITE = re.compile(r"\[(\d{1,2})\]")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.、)）])\s+")


def split_units(text: str) -> list[str]:
    """Sentences / list items / code blocks of a text, in order, stripped."""
    units: list[str] = []
    pos = 0
    for fence in _FENCE.finditer(text):
        units.extend(_prose_units(text[pos:fence.start()]))
        units.append(fence.group(0).strip())
        pos = fence.end()
    units.extend(_prose_units(text[pos:]))
    return [u for u in units if u]


def _prose_units(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if _LIST_ITEM.match(line) or line.startswith("|") or line.startswith("#"):
            out.append(line)
            continue
        out.extend(p.strip() for p in _SENT_END.split(line) if p.strip())
    return out


def _outside_code(text: str, fn: Callable[[str], str]) -> str:
    """`fn` applied to the prose parts of a text; fenced blocks and inline code stay as written."""
    out: list[str] = []
    pos = 0
    for code in _CODE.finditer(text):
        out.append(fn(text[pos:code.start()]))
        out.append(code.group(0))
        pos = code.end()
    out.append(fn(text[pos:]))
    return "".join(out)


def citations_of(unit: str) -> list[int]:
    seen: list[int] = []
    for n in _CITE.findall(_CODE.sub(" ", unit)):
        if int(n) not in seen:
            seen.append(int(n))
    return seen


def strip_citations(unit: str) -> str:
    return _outside_code(unit, lambda part: _CITE.sub("", part)).strip()


def renumber(unit: str, mapping: dict[int, int]) -> str:
    """Replace `[old]` by `[new]`; citations without a mapping are removed."""
    def swap(part: str) -> str:
        return _CITE.sub(lambda m: f"[{mapping[int(m.group(1))]}]" if int(m.group(1)) in mapping else "", part)
    return _outside_code(unit, swap)


def is_code(unit: str) -> bool:
    return unit.startswith("```")


def is_list_item(unit: str) -> bool:
    return bool(_LIST_ITEM.match(unit))
