"""Before publishing an upload: flag chunks that duplicate or contradict existing knowledge.

Each staged chunk is searched in the target knowledge base; a hit whose text is nearly
the same is a duplicate, and nearly the same text with different numbers or values is a
possible contradiction (e.g. "上限 1000" vs "上限 2000"). The agent confirms before the
upload is published. The staged chunks come from `KnowledgeService.preview` (the same
loaders and chunker as publishing). Pure functions plus one search call per chunk.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from knowledge.types import Passage

NUMBER = re.compile(r"\d+(?:\.\d+)?")
TOKEN = re.compile(r"\d+(?:\.\d+)?%?|[A-Za-z_][\w.-]*|\S")
DUPLICATE_AT = 0.92
SIMILAR_AT = 0.75
QUERY_CHARS = 300


def _masked(text: str) -> str:
    return NUMBER.sub("#", " ".join(text.split()))


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def _differences(new: str, old: str) -> list[tuple[str, str]]:
    """Segments that differ (old -> new) on word/number tokens, e.g. ("1000", "1500") or ("开启", "关闭")."""
    a, b = _tokens(old), _tokens(new)
    pairs = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            pairs.append(("".join(a[i1:i2]), "".join(b[j1:j2])))
    return pairs


def compare(new: str, old: str) -> dict[str, Any] | None:
    """{"kind": "duplicate"|"conflict", "similarity", "changes"} or None when unrelated/identical-and-harmless."""
    masked_new, masked_old = _masked(new), _masked(old)
    matcher = difflib.SequenceMatcher(None, masked_new, masked_old, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR_AT or matcher.quick_ratio() < SIMILAR_AT:
        return None
    similarity = matcher.ratio()
    if similarity < SIMILAR_AT:
        return None
    changes = _differences(new, old)
    numeric = [(o, n) for o, n in changes if NUMBER.search(o + n)]
    if numeric:
        return {"kind": "conflict", "similarity": round(similarity, 3), "changes": numeric[:5]}
    if similarity >= DUPLICATE_AT:
        return {"kind": "duplicate", "similarity": round(similarity, 3), "changes": changes[:5]}
    short = [(o, n) for o, n in changes if 0 < len(o) <= 12 and 0 < len(n) <= 12]
    if short and len(short) == len(changes) and len(changes) <= 3:
        return {"kind": "conflict", "similarity": round(similarity, 3), "changes": short}
    return None


def find_overlaps(knowledge: Any, kb: str, chunks: list[Passage], progress: Any = None) -> list[dict]:
    """Flags for staged chunks (from `preview`) against `kb` (nothing when the base does not exist yet)."""
    if not knowledge.has_kb(kb):
        return []
    flags: list[dict] = []
    for done, chunk in enumerate(chunks, 1):
        source, text = chunk.source, chunk.text
        if progress:
            progress("检查重复与冲突", done, len(chunks))
        for passage in knowledge.search(text[:QUERY_CHARS], kb=kb, k=3):
            if passage.source == source and " ".join(passage.text.split()) == " ".join(text.split()):
                continue  # re-uploading an unchanged document is not a finding
            found = compare(text, passage.text)
            if found:
                flags.append({**found, "source": source, "text": text, "existing_source": passage.source,
                              "existing_title": passage.title, "existing_text": passage.text})
                break
    return flags
