"""How-to questions: the section of the chosen page that holds the steps (issue 21, right page, only its intro).

A how-to question ("想做成模板批量开机器，怎么弄") often selects its page by the lead, where the
page says what the thing is, while what to do sits in a later section with no "步骤" in its
heading ("创建自定义镜像": a numbered list with a console path and a command). graph/evidence.py
builds the document's procedure from step headings or steps-named sections; when the page has
neither and no selected passage of it shows steps, `steps_section` gives the section that does:
a numbered list of two or more items, a console menu path ("更多 > 镜像 > 创建"), or a command
block. Among several, the one whose heading shares most with the question and the page title
(the page's own task, not "删除镜像"), else the first. graph/nodes/select.py puts it first in line
(most relevant last), the selected passage it completes right below it.
Tested in tests/graph/test_howto_steps.py.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from graph.doc_units import merge_texts, sections_in_order

_NUMBERED = re.compile(r"^\s{0,3}\d{1,2}[.、)）]\s+\S", re.M)
_MENU = re.compile(r"\S\s*(?:>|→|->)\s*\S[^\n>→]{0,30}(?:>|→|->)\s*\S")  # at least three levels: "A > B > C"
_COMMAND = re.compile(r"^\s*(```|~~~)", re.M)
_ASIDE = re.compile(r"常见问题|FAQ|相关文档|相关链接|参考|延伸阅读|see also|related|[？?]\s*$", re.I)


def shows_steps(text: str) -> bool:
    """The text tells what to do: two numbered items, a menu path of three levels, or a command block."""
    return len(_NUMBERED.findall(text)) >= 2 or bool(_MENU.search(text)) or bool(_COMMAND.search(text))


def _shared(a: str, b: str) -> int:
    """Character pairs two texts share (Chinese has no spaces to cut words at)."""
    pairs = {a[i:i + 2].lower() for i in range(len(a) - 1) if a[i:i + 2].strip()}
    return sum(1 for p in pairs if p in b.lower())


def steps_section(anchor: Mapping[str, Any], doc_chunks: Sequence[Mapping[str, Any]], question: str,
                  taken: set[tuple[str, ...]]) -> dict | None:
    """The section of the anchor's page (not the lead, an aside or one in `taken`) that shows steps,
    as an evidence passage; None when none does."""
    title = str(anchor.get("title") or "")
    best, best_key = None, (-1, -1)
    for path, chunks in sections_in_order([dict(c) for c in doc_chunks]):
        heads = tuple(path)
        if not heads or heads in taken or any(_ASIDE.search(h) for h in heads):
            continue
        text = merge_texts([str(c.get("text") or "") for c in chunks])
        if not shows_steps(text):
            continue
        key = (_shared(heads[-1], question) + _shared(heads[-1], title), 0)
        if key > best_key:
            best, best_key = (heads, chunks, text), key
    if best is None:
        return None
    heads, chunks, text = best
    return {**anchor, "chunk_id": chunks[0]["chunk_id"], "heading_path": list(heads), "text": text, "kind": "doc",
            "meta": {**(anchor.get("meta") or {}), "chunks": [c["chunk_id"] for c in chunks], "steps_of": "howto",
                     # on topic because the passage it completes is: read with that passage's words
                     "via": f"{title} {str(anchor.get('text') or '')[:400]}".strip()}}


def needs_steps(chosen: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The best document passage, when no selected passage of its page shows steps (None otherwise,
    and when a FAQ entry is the best match: its answer is the reply)."""
    if not chosen or chosen[-1].get("kind") == "faq":
        return None
    top = chosen[-1]
    same = [p for p in chosen if p.get("source") == top.get("source") and p.get("kb") == top.get("kb")]
    return None if any(shows_steps(str(p.get("text") or "")) for p in same) else top
