"""The page a selected passage refers the reader to for the very thing asked.

A troubleshooting table often answers a symptom by pointing elsewhere: "磁盘满 | 清理磁盘，参见
[磁盘空间满排查](../disk/disk-full.md)". Such a row holds every word of "服务器磁盘满了咋清理" and
wins selection, while the page it names (the one with the steps) had only a stray chunk retrieved.
When the line holding the link carries most of what the leading passage matched (REFERRED_SHARE
of its IDF), the linked page of the same base is read: its section covering most of the question
leads the selection, the referring passage kept below it. Used by knowledge.passage_selection;
tests in tests/knowledge/test_references.py.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any, Callable, Mapping, Sequence

from knowledge.evidence import held_tokens, score_relevance
from knowledge.sections import WordEvidence, weight
from knowledge.types import Passage

REFERRED_SHARE = 0.8
"""Share of the leading passage's matched IDF the line holding the link must carry."""
_LINK = re.compile(r"\[[^\]\n]+\]\(((?![a-z][a-z0-9+.-]*:|#)[^)\s#]+)(?:#[^)\s]*)?\)", re.I)


_CUE = re.compile(r"参见|详见|请见|参考|见《|see ", re.I)
MIN_TITLE = 4
"""Characters a document title needs to be recognised as a reference in plain text."""


def referred_pages(passage: Passage, ev: WordEvidence, titles: Callable[[], Mapping[str, str]]) -> list[str]:
    """The documents (paths in the passage's base) its lines carrying REFERRED_SHARE of what it
    matched refer to, in order: by a Markdown link, or, where a line says 参见 / 详见 … (a table
    row's link is flattened to its text at ingest), by naming a document's title (`titles()`:
    {title: source} of the base)."""
    matched = weight(ev.holding.get(passage.chunk_id, set()), ev.idf)
    if matched <= 0:
        return []
    out: list[str] = []
    for line in passage.text.splitlines():
        targets = _LINK.findall(line)
        cued = _CUE.search(line)
        if not targets and not cued:
            continue
        held = held_tokens(ev.tokens, set(ev.tokenize(line)), line.lower(), ev.forms, ev.in_text)
        if weight(held, ev.idf) < REFERRED_SHARE * matched:
            continue
        base = posixpath.dirname(passage.source)
        out += [posixpath.normpath(posixpath.join(base, t)) for t in targets]
        if cued:
            after = line[cued.start():]
            out += [source for title, source in titles().items() if len(title) >= MIN_TITLE and title in after]
    return [p for p in dict.fromkeys(out) if p != passage.source and not p.startswith("..")]


def link_targets(line: str, source: str) -> list[str]:
    """The pages of the same base a line links by Markdown ("[磁盘空间满排查](../disk/disk-full.md)",
    "[数据落盘](/configure-memory-usage.md#数据落盘)": a path from the base's top folder), as sources."""
    base, root = posixpath.dirname(source), source.split("/", 1)[0] if "/" in source else ""
    out = [posixpath.normpath(posixpath.join(root, t.lstrip("/")) if t.startswith("/") else posixpath.join(base, t))
           for t in _LINK.findall(line)]
    return [p for p in dict.fromkeys(out) if p != source and not p.startswith("..")]


def follow_reference(query: str, chosen: list[Passage], max_passages: int, words: Mapping[str, WordEvidence],
                     page_rows: Callable[[str, str], Sequence[Any]],
                     tokens_of: Callable[[str, list[str]], dict[str, list[str]]],
                     as_passage: Callable[[Any, float], Passage],
                     titles: Callable[[str], Mapping[str, str]]) -> list[Passage]:
    """`chosen` (best last) led by the best section of the page its leader refers to for what was
    asked, when there is one; the weakest passage gives its place when the selection is full."""
    top = chosen[-1] if chosen else None
    if top is None or top.kind == "faq" or top.kb not in words:
        return chosen
    ev = words[top.kb]
    for source in referred_pages(top, ev, lambda: titles(top.kb)):
        rows = list(page_rows(top.kb, source))
        if not rows:
            continue
        sections = [as_passage(r, top.score) for r in rows]
        indexed = tokens_of(top.kb, [p.chunk_id for p in sections])
        score_relevance(query, sections, ev.idf, ev.tokenize, indexed, ev.forms, ev.in_text, ev.form_idf)
        best = max(sections, key=lambda p: p.meta["evidence"]["share"])  # the first of equals: the page's order
        if best.meta["evidence"]["share"] <= 0 or any(p.chunk_id == best.chunk_id for p in chosen):
            return chosen
        best.meta.update(match=top.meta.get("match") or "partial", unknown_terms=top.meta.get("unknown_terms") or [],
                         added="reference")
        kept = [p for p in chosen if p.source != source or p.kb != top.kb]
        kept = kept[len(kept) - (max_passages - 1):] if len(kept) >= max_passages else kept
        return [*kept, best]
    return chosen
