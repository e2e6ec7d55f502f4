"""A later ask of one message answered with its own line, not its sibling's.

"istio 工作负载证书默认多久过期，能改成更长的吗": split gives the second ask the first one's subject
("istio 工作负载证书默认 能改成更长的吗"), and both asks land on one page. Scored by its words, the carried
subject outweighs the ask's own few, so the second ask picks the very line the first ask picks (the
24-hour default) and compose, which shows a repeated fact once, leaves the second ask unanswered. When a
later ask's lines are all the lines its first sibling, a value or a meaning asked, takes from the same
passages (a value's line is one fact; two how-tos may rightly share their steps), it is answered
again with those lines struck out of the passages: the page's next best line for it ("可以通过…
proxyMetadata 字段来覆盖此配置") — the second fact of the page, which both asks wanted.
Tested in tests/graph/test_two_asks.py.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping, Sequence

from graph.question_type import question_type

Extract = Callable[[str, list[dict]], list[dict]]
"""Extractive units for a question from passages (graph/extractive.extractive_units, bound to the turn)."""

_MARKUP = "[*`_]*"


def _struck(text: str, lines: Sequence[str]) -> str:
    """The passage text without the given lines (matched through the bold and code marks the unit lost)."""
    for line in lines:
        body = line.strip()
        if len(body) < 6:
            continue
        pattern = _MARKUP.join(re.escape(ch) for ch in body)
        text = re.sub(pattern, " ", text, count=1)
    return text


def own_lines(question: str, first: str, units: list[dict], passages: Sequence[Mapping[str, Any]],
              extract: Extract) -> tuple[list[dict], list[dict]] | None:
    """The later ask's units and the passages they were drawn from, re-extracted without its first
    sibling's lines when every line of its answer is one of them; None to keep the answer as it is."""
    if not units or not first or question_type(first) not in ("value", "define"):
        return None  # a value's line is one fact; two how-tos or causes may well share their lines
    theirs = {u.get("text", "").strip() for u in extract(first, [dict(p) for p in passages])}
    mine = [u.get("text", "").strip() for u in units]
    if not theirs or not all(line in theirs for line in mine):
        return None
    struck = [{**p, "text": _struck(str(p.get("text") or ""), sorted(theirs))} for p in passages]
    again = extract(question, struck)
    if not again or all(u.get("text", "").strip() in theirs for u in again):
        return None
    return again, struck
