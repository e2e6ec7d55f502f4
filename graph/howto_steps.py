"""How-to questions: the section of the anchor page that holds the steps (issue 21, right page, only its intro).

A how-to question ("想做成模板批量开机器，怎么弄") often selects its page by the lead, where the
page says what the thing is, while what to do sits in a later section with no "步骤" in its
heading ("创建自定义镜像": a numbered list with a console path and a command). graph/evidence.py
builds the document's procedure from step headings or steps-named sections
(graph/doc_sections.procedure); when the page has neither and no evidence passage of it shows
steps (`needs_steps`), `steps_section` gives the section that does: a numbered list of two or
more items, a console menu path ("更多 > 镜像 > 创建"), or a command block. Among several, the
one whose heading shares most with the question (beyond the page title's words), then one the page title names (the page's own
task: "创建自定义镜像" on "创建与共享自定义镜像", not "删除镜像"), else the first.

This is the one rule for the case; it replaced a twin (a title-named section with a numbered
list, found at evidence time, beside this one applied at selection). Evidence puts the section
first in line (most relevant last), the passage it completes right below it, and the answer
gives it whole (meta.added = "task", graph/section_answer.py).
Tested in tests/graph/test_howto_steps.py and tests/graph/test_task_section.py.
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


def _pairs(text: str) -> set[str]:
    """A text's character pairs, lowercased (Chinese has no spaces to cut words at)."""
    return {text[i:i + 2].lower() for i in range(len(text) - 1) if text[i:i + 2].strip()}


def _shared(a: str, b: str) -> int:
    """Character pairs of `a` found in `b`."""
    return sum(1 for p in _pairs(a) if p in b.lower())


TITLE_NAMED = 0.75
"""Share of a heading's character pairs the page title must hold for the heading to be the page's
own task ("创建与删除定期快照策略" names "创建定期快照策略" and "删除定期快照策略" alike: the first wins)."""


def _named(head: str, title: str) -> bool:
    pairs = _pairs(head)
    return bool(pairs) and _shared(head, title) >= TITLE_NAMED * len(pairs)


def steps_section(anchor: Mapping[str, Any], doc_chunks: Sequence[Mapping[str, Any]], question: str,
                  taken: set[tuple[str, ...]]) -> dict | None:
    """The section of the anchor's page (not the lead, an aside or one in `taken`) that shows steps,
    as an evidence passage; None when none does."""
    title = str(anchor.get("title") or "")
    # the question's words that are the page's own topic (its title) tell which page, not which section:
    # "服务器密码忘了" on "重置实例密码" is no case for the section "使用密钥对代替密码"
    asked = _pairs(question) - _pairs(title)
    best, best_key = None, (-1, -1)
    for path, chunks in sections_in_order([dict(c) for c in doc_chunks]):
        heads = tuple(path)
        if not heads or heads in taken or any(_ASIDE.search(h) for h in heads):
            continue
        text = merge_texts([str(c.get("text") or "") for c in chunks])
        if not shows_steps(text):
            continue
        key = (len(_pairs(heads[-1]) & asked), _named(heads[-1], title))
        if key > best_key:
            best, best_key = (heads, chunks, text), key
    if best is None:
        return None
    heads, chunks, text = best
    return {**anchor, "chunk_id": chunks[0]["chunk_id"], "heading_path": list(heads), "text": text, "kind": "doc",
            "meta": {**(anchor.get("meta") or {}), "chunks": [c["chunk_id"] for c in chunks], "added": "task",
                     # on topic because the passage it completes is: read with that passage's words
                     "via": f"{title} {str(anchor.get('text') or '')[:400]}".strip()}}


def needs_steps(anchor: Mapping[str, Any], evidence: Sequence[Mapping[str, Any]]) -> bool:
    """No evidence passage of the anchor's page shows steps (and the anchor is no FAQ entry: its
    answer is the reply)."""
    if anchor.get("kind") == "faq":
        return False
    same = [p for p in evidence if p.get("source") == anchor.get("source") and p.get("kb") == anchor.get("kb")]
    return not any(shows_steps(str(p.get("text") or "")) for p in same)
