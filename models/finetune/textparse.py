"""Reading structured fields back out of generated text, and light Markdown clean-up.

Model output is untrusted: parsers return what they can read and nothing for the rest
(the generators then skip that output), never raise.
"""

from __future__ import annotations

import re

_LINK = re.compile(r"\[([^\[\]]+)\]\([^()]*\)")
_FIELD = re.compile(r"^\s*(?:[-*]\s*)?(?:\*\*)?([\u4e00-\u9fffA-Za-z]{1,12})(?:\*\*)?\s*[:：]\s*(.*)$")


def strip_links(text: str) -> str:
    """`[安全组](../vpc/x.md)` -> `安全组` (relative links mean nothing to a model)."""
    return _LINK.sub(r"\1", text)


def clip(text: str, max_chars: int) -> str:
    """Cut at the last paragraph (or line) break before max_chars."""
    text = text.strip()
    if len(text) <= max_chars:
        return text
    head = text[:max_chars]
    for sep in ("\n\n", "\n", "。"):
        cut = head.rfind(sep)
        if cut > max_chars // 2:
            return head[: cut + (1 if sep == "。" else 0)].strip()
    return head.strip()


def parse_fields(text: str, names: dict[str, str]) -> list[tuple[str, str]]:
    """Labelled fields in order, e.g. `问题：… 回答：…` -> [("q", "…"), ("a", "…")].

    `names` maps every accepted label (问题, Q, 回答, 答案 ...) to a field key. A field's
    value runs until the next recognised label, so answers may span several lines.
    """
    fields: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        match = _FIELD.match(line)
        key = names.get(match.group(1).strip().lower()) if match else None
        if key and match:
            fields.append((key, [match.group(2)]))
        elif fields:
            fields[-1][1].append(line)
    return [(key, "\n".join(lines).strip()) for key, lines in fields]


def pairs(fields: list[tuple[str, str]], first: str, second: str) -> list[tuple[str, str]]:
    """Consecutive (first, second) field pairs, e.g. every question with its answer."""
    out = []
    pending: str | None = None
    for key, value in fields:
        if key == first:
            pending = value
        elif key == second and pending:
            if value:
                out.append((pending, value))
            pending = None
    return out


_SUBHEADING = re.compile(r"^#{3,6}\s+(.+?)\s*$", re.MULTILINE)


def outline(text: str, max_chars: int) -> str:
    """A long section with `###` steps shortened to each step's heading and first paragraph."""
    text = text.strip()
    parts = _SUBHEADING.split(text)
    if len(text) <= max_chars or len(parts) < 3:
        return clip(text, max_chars)
    intro, steps = parts[0].strip(), list(zip(parts[1::2], parts[2::2]))
    budget = max(60, (max_chars - len(intro)) // len(steps))
    lines = [clip(intro, budget)] if intro else []
    for heading, body in steps:
        paragraphs = [p.strip() for p in body.strip().split("\n\n") if p.strip() and not p.lstrip().startswith("```")]
        first = clip(paragraphs[0], budget - len(heading)).rstrip("：:") if paragraphs else ""
        lines.append(f"{heading}：{first}" if first else heading)
    return clip("\n".join(lines), max_chars)
