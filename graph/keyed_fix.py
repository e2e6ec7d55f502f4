"""The fix for one cause from a solution section written as a list keyed by cause (issue #12).

Many pages write "解决方法" as one list item per cause, its key in bold, its steps and commands
nested under it:

    - **资源不足**：
      1. 下调过大的 `requests`；…
    - **污点**：… 添加匹配的 `tolerations`；…
    - **PVC 未绑定**：核对 `storageClassName` 是否存在（`kubectl get storageclass`）…

A question naming one cause ("Insufficient memory 咋办", "untolerated taint 是啥意思") wants that
item, not the whole list nor the page's first fix. `keyed_items` splits the section into those items;
graph/doc_sections.named_fix picks the one the question's cause names, as it picks a sub-section.
Tested in tests/graph/test_keyed_fix.py.
"""

from __future__ import annotations

import re

_KEYED = re.compile(r"^[-*•]\s+\*\*([^*\n]{1,40})\*\*\s*[：:]")
"""A top-level list item led by a bold key ("- **PVC 未绑定**：…")."""
MIN_ITEMS = 2
"""Keyed items a section must hold to be read as fixes by cause."""
NAMED_KEY = 0.5
"""Share of an item's key the cause asked about must hold for the item to be its fix: a key sharing
only a word of the question ("存储桶策略拒绝" for "空 Referer 被拒绝") fixes another cause."""


def marks(text: str) -> set[str]:
    """Character pairs of the Chinese runs and the lowercased Latin words of a heading or a key."""
    found = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9_-]+", text)}
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        found |= {run[i:i + 2] for i in range(len(run) - 1)}
    return found


def named_item(items: list[tuple[str, str]], cause: set[str]) -> str | None:
    """The text of the item whose key the cause asked about names best (`cause`: the marks of the
    causes list's line covering most of the question); None when no key is NAMED_KEY named."""
    def share(key: str) -> float:
        own = marks(key)
        return len(own & cause) / len(own) if own else 0.0
    best = max(items, key=lambda item: share(item[0]), default=None)
    return best[1] if best is not None and share(best[0]) >= NAMED_KEY else None


def keyed_items(text: str) -> list[tuple[str, str]]:
    """(key, the item with what is nested under it) for each bold-keyed top-level item of a section;
    [] when the section is not such a list. Text after the list (an unindented paragraph) ends the
    last item: it is about every cause."""
    items: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        found = _KEYED.match(line)
        if found:
            items.append((found.group(1).strip(), [line]))
        elif items and (not line.strip() or line[:1].isspace()):
            items[-1][1].append(line)
        elif items and line.strip():
            items.append(("", []))  # closes the last item; a paragraph between is no item's
    out = [(key, "\n".join(lines).strip()) for key, lines in items if key]
    return out if len(out) >= MIN_ITEMS else []
