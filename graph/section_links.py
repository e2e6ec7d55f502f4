"""Sections a retrieved section leads to on its page, for the fix it does not hold itself (issue #21).

- `named_child`: the sub-section a line of the section names ("仅有可行方法如下：… - 用户强制删除 Pod"
  over "### 强制删除" with its kubectl command): the parent says what to do in one line, the
  sub-section how.
- `fix_beside_example`: the fix section beside an example section ("示例" / "如何修复" on a message
  page): retrieval matches the example (it quotes the user's config and message), the user wants the fix.
- `next_section`: the section after the matched one, when the user asks what to do next ("下一步该查啥",
  "接下来该怎么查"): the matched section is what they did (its output is what they pasted).
All are read whole for their fix by graph/section_answer.from_section (meta.added "named" /
"resolve"); graph/evidence.build_evidence adds them. Tested in tests/graph/test_named_child.py and
tests/graph/test_fix_beside_example.py.
"""

from __future__ import annotations

import re

from graph.doc_sections import MAX_SECTION_CHUNKS, subtree
from graph.doc_units import merge_texts, sections_in_order


CHILD_NAME = 3
"""Characters a sub-section's heading must have to be recognised when a line of its parent names it."""
_HEAD_MARKS = re.compile(r"^(?:第[0-9一二三四五六七八九十]{1,3}[步章节]|[0-9]{1,2}[.、)）])|[`*]")
"""A heading's step number ("第 2 步", "3.") and markup: not part of the name a line would use."""


def named_child(passage: dict, doc_chunks: list[dict], skip: set[tuple]) -> dict | None:
    """A sub-section of the passage's own section that a line of it names ("仅有可行方法如下：… - 用户强制删除
    Pod" over "### 强制删除"): the parent says what to do in one line, the sub-section how (its command).
    Only a direct child with a heading of CHILD_NAME characters or more, not already in the passage."""
    heads = list(passage.get("heading_path") or [])
    text = passage.get("text") or ""
    if not heads or not text:
        return None
    lines = [x for x in text.splitlines() if x.strip() and not x.lstrip().startswith(("#", "**"))]
    for path, chunks in sections_in_order(doc_chunks):
        if len(path) != len(heads) + 1 or path[:-1] != heads or (passage.get("source"), tuple(path)) in skip:
            continue
        name = _HEAD_MARKS.sub("", "".join(path[-1].split())).strip()
        if len(name) < CHILD_NAME or f"**{path[-1]}**" in text or not any(name in "".join(x.split()) for x in lines):
            continue
        return {**passage, "chunk_id": chunks[0]["chunk_id"], "heading_path": path, "kind": "doc",
                "text": merge_texts([c["text"] for c in chunks[:MAX_SECTION_CHUNKS]]),
                "meta": {**(passage.get("meta") or {}), "chunks": [c["chunk_id"] for c in chunks],
                         "added": "named", "via": name}}
    return None


_EXAMPLE_HEAD = re.compile(r"^(示例|例子|样例|举例|实例|examples?)$", re.I)
"""A section that is only the page's example: the problem shown, not what to do about it."""
_QUESTION = re.compile(r"[？?][\s`]*$")
_FIX_HEAD = re.compile(r"修复|解决|处理|办法|方案|how to (resolve|fix)|solution|resolution", re.I)
"""The heading of a page's fix section beside its example ("如何修复", "解决方法")."""


def fix_beside_example(anchor: dict, doc_chunks: list[dict], skip: set[tuple]) -> dict | None:
    """The fix section beside the anchor ("如何修复", "解决方法": same level, same parent) when the anchor
    is the page's example ("示例": the config raising a message, the message itself): a report of the
    problem wants the fix (meta.added "resolve", read for its fix by graph/section_answer)."""
    heads = anchor.get("heading_path") or []
    if not heads or not _EXAMPLE_HEAD.match(str(heads[-1]).strip()):
        return None
    for path, _ in sections_in_order(doc_chunks):
        if len(path) == len(heads) and path[:-1] == heads[:-1] and _FIX_HEAD.search(path[-1]) \
                and not _QUESTION.search(path[-1]) and (anchor.get("source"), tuple(path)) not in skip:
            return subtree(anchor, doc_chunks, path, added="resolve")
    return None



ASKS_NEXT = re.compile(r"下一步|接下来|然后(该|要|再)|之后(该|要|再)(怎么|做|查|看)|(该|要|再)查(啥|什么|哪)|next step", re.I)
"""A question asking what comes after what the user already did."""


def next_section(anchor: dict, doc_chunks: list[dict], question: str, skip: set[tuple]) -> dict | None:
    """The section right after the anchor's (its own sub-sections skipped) in document order, whole
    with its sub-sections, when the question asks what to do next (meta.added "resolve"); None otherwise."""
    heads = list(anchor.get("heading_path") or [])
    if not heads or not ASKS_NEXT.search(question):
        return None
    paths = [p for p, _ in sections_in_order(doc_chunks)]
    if heads not in paths:
        return None
    for path in paths[paths.index(heads) + 1:]:
        if path[:len(heads)] == heads:
            continue  # the anchor's own sub-sections
        if not path or (anchor.get("source"), tuple(path)) in skip:
            return None
        return subtree(anchor, doc_chunks, path, added="resolve")
    return None
